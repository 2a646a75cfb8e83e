from changes.api.views import ChangeViewSet, WebhookViewSet

routes = [
    ("changes", ChangeViewSet, "change"),
    ("webhooks", WebhookViewSet, "webhook"),
]
