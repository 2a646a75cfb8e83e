from bundles.api.views import BundleViewSet

routes = [("bundles", BundleViewSet, "bundle")]
