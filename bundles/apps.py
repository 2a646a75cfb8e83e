from django.apps import AppConfig


class BundlesConfig(AppConfig):
    name = "bundles"
    verbose_name = "Bundles: many writes in one request"
