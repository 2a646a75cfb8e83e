"""Audit (and repair) the claim summary the database stores on every event.

manage.py claim_summary --check    # list drifted events; exit 1 when there are any
manage.py claim_summary --repair   # store the computed summary where it drifted
"""

from django.core.management.base import BaseCommand, CommandError

from claims.selectors import claim_summary_drift
from claims.services import claim_summary_repair

SHOWN = 20


class Command(BaseCommand):
    help = (
        "Recompute every event's claim summary (statement_count, supporting_count, refuting_count, "
        "contested) from its statements and compare it with the stored one: --check reports drift "
        "(exit status 1), --repair fixes it."
    )

    def add_arguments(self, parser):
        mode = parser.add_mutually_exclusive_group(required=True)
        mode.add_argument("--check", action="store_true", help="Report drift; exit 1 if any.")
        mode.add_argument("--repair", action="store_true", help="Store the computed summaries.")

    def handle(self, *args, check: bool, repair: bool, **options):
        drift = list(claim_summary_drift())
        for item in drift[:SHOWN]:
            changed = ", ".join(
                f"{name} {item['stored'][name]} -> {item['computed'][name]}"
                for name in item["stored"]
                if item["stored"][name] != item["computed"][name]
            )
            self.stdout.write(f"event {item['event']}: {changed}")
        if len(drift) > SHOWN:
            self.stdout.write(f"... and {len(drift) - SHOWN} more.")
        if repair:
            repaired = claim_summary_repair(event_ids=[item["event"] for item in drift])
            self.stdout.write(f"Repaired {repaired} event(s).")
            return
        if drift:
            raise CommandError(
                f"{len(drift)} event(s) store a claim summary that differs from their statements."
            )
        self.stdout.write("Every stored claim summary matches its statements.")
