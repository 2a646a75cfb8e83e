from drafts.api.views import DraftViewSet

routes = [("drafts", DraftViewSet, "draft")]
