from django.apps import AppConfig, apps


class EventsapiConfig(AppConfig):
    name = "eventsapi"
    verbose_name = "eventsapi"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from eventsapi.api import schema  # noqa: F401  registers the OpenAPI extensions
        from eventsapi.history import cache_history_managers
        from eventsapi.search import register_sqlite_functions

        connection_created.connect(register_sqlite_functions, dispatch_uid="eventsapi_sqlite_functions")
        cache_history_managers(apps.get_models())
