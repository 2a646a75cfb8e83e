from django.apps import AppConfig


class ChangesConfig(AppConfig):
    name = "changes"
    verbose_name = "Change feed and webhooks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from simple_history.signals import post_create_historical_record

        from changes.services import change_record_from_history

        # Every version simple-history records (API, admin, services, shell) enters the feed.
        post_create_historical_record.connect(
            change_record_from_history, dispatch_uid="changes.change_record_from_history"
        )
