"""``manage.py import_acled FILE.csv [--deleted DELETED.csv]``: ACLED's CSV export in."""

from datasets import acled
from datasets.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Import ACLED's CSV export (31 columns, UTF-8, comma or semicolon): places, actors, events "
        "upserted by event_id_cnty, and ACLED's statement of each. --deleted tombstones the events "
        "of ACLED's deleted-events file (event_id_cnty, deleted_timestamp)."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--deleted", help="ACLED's deleted-events CSV, applied after FILE.")

    def dataset(self):
        return acled.AcledDataset()

    def run(self, importer, options) -> None:
        rows = acled.read_rows(options["file"])
        deletions = acled.read_deletions(options["deleted"]) if options["deleted"] else None
        importer.run(rows, total=len(rows))
        if deletions is not None:
            importer.run_each(deletions, acled.delete_record, total=len(deletions))
