"""``manage.py import_claimreview FILE``: schema.org ClaimReview JSON-LD in."""

from datasets import claimreview
from datasets.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Import schema.org ClaimReview JSON-LD (one object, a list, or a DataFeed of dataFeedElement "
        "items): each claim as a statement with its speaker and sources, each verdict as a review "
        "by the fact-checking organisation. Idempotent by the review's url."
    )

    def dataset(self):
        return claimreview.ClaimReviewDataset()

    def run(self, importer, options) -> None:
        rows = claimreview.read_rows(options["file"])
        importer.run(rows, total=len(rows))
