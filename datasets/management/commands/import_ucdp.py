"""``manage.py import_ucdp FILE.json``: UCDP GED events, as the GED API serves them."""

from datasets import ucdp
from datasets.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Import UCDP GED events from the GED API's JSON (a page with a `Result` list, or a list of "
        "pages): places, the two sides, events upserted by id, and UCDP's statement of each."
    )

    def dataset(self):
        return ucdp.UcdpDataset()

    def run(self, importer, options) -> None:
        rows = ucdp.read_rows(options["file"])
        importer.run(rows, total=len(rows))
