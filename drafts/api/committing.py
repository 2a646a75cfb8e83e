"""Committing a draft: its accepted items run as one bundle (the API's commit and the workbench's)."""

from django.conf import settings
from django.db import transaction
from rest_framework.exceptions import ValidationError

from bundles.api.operations import parse_bundle
from bundles.api.runner import BundleRunner
from drafts.commit import bundle_operations, commit_errors
from drafts.models import Draft, DraftStatus
from drafts.services import draft_mark_committed
from eventsapi.api.problems import Conflict


class DraftIncomplete(ValidationError):
    """Accepted items lack what their records need: ``errors`` by the draft's field."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


def commit_draft(request, draft: Draft) -> tuple[Draft, list[dict]]:
    """Run ``draft`` (locked by the caller) as one bundle for ``request``'s user, all or nothing.

    Raises ``Conflict`` for a draft no longer open, ``DraftIncomplete`` before any write, and
    the bundle's own problems (``BundleError``: the failing operation, rolled back).
    """
    with transaction.atomic():
        if draft.status != DraftStatus.OPEN:
            raise Conflict(f"The draft is already {draft.status}.")
        errors = commit_errors(draft)
        if errors:
            raise DraftIncomplete(errors)
        bundle = parse_bundle(
            {"operations": bundle_operations(draft)}, max_operations=settings.EVENTSAPI_BUNDLE_MAX_OPERATIONS
        )
        results = BundleRunner(request).run(bundle.operations)
        return draft_mark_committed(draft=draft, results=results), results
