from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = "Matching: who is this, and has this been said before"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from matching import signals  # noqa: F401  (keeps the actor keys in step)
