from claims.api.views import SourceViewSet, StatementViewSet

routes = [
    ("sources", SourceViewSet, "source"),
    ("statements", StatementViewSet, "statement"),
]
