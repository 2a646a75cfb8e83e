from django.apps import AppConfig


class DatasetsConfig(AppConfig):
    name = "datasets"
    verbose_name = "Datasets: ACLED, UCDP and ClaimReview in and out"
