from claims.api.views import EventViewSet, SourceViewSet, StatementViewSet

routes = [
    ("events", EventViewSet, "event"),
    ("sources", SourceViewSet, "source"),
    ("statements", StatementViewSet, "statement"),
]
