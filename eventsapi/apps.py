from django.apps import AppConfig


class EventsapiConfig(AppConfig):
    name = "eventsapi"
    verbose_name = "eventsapi"

    def ready(self) -> None:
        from eventsapi.api import schema  # noqa: F401  registers the OpenAPI extensions
