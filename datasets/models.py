"""What the importers remember of each dataset record they brought in."""

from django.db import models

from claims.models import Review, Statement
from events.models import Event


class DatasetRecord(models.Model):
    """One row of a dataset (an ACLED event, a UCDP event, a ClaimReview) and what it became.

    ``digest`` is a hash of the row as the importer read it (its parsed values, not its
    bytes), so a re-import of an unchanged row is answered from this table without touching
    the records, and an import of our own export (same values, other spelling) matches too.
    """

    scheme = models.CharField(max_length=32, help_text="The dataset: acled, ucdp or claimreview.")
    record_id = models.CharField(max_length=2000, help_text="The row's id in the dataset.")
    digest = models.CharField(max_length=64, help_text="SHA-256 of the row's parsed values.")
    event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    statement = models.ForeignKey(
        Statement, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review = models.ForeignKey(Review, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    imported_at = models.DateTimeField(auto_now=True, help_text="When the row was last imported.")
    deleted_at = models.DateTimeField(
        null=True, blank=True, help_text="When the dataset said the row was deleted (its deleted file)."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scheme", "record_id"], name="dataset_record_unique_id"),
        ]

    def __str__(self) -> str:
        return f"{self.scheme}:{self.record_id}"
