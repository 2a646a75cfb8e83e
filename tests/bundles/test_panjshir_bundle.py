"""The Panjshir fixture posted as one bundle (``fixtures/panjshir-bundle.json``).

The bundle is written by ``python -m tools.panjshir_bundle`` from ``fixtures/panjshir.json``
and holds its facts only, with one addition: events have no natural key of their own, so
each event carries a stable id in the ``eventsapi-fixture`` scheme (``external_ids`` in its
data and its match), new data that the fixture's events lack. The comparison with the
fixture therefore leaves events' ``external_ids`` out.

Posted into an empty database the bundle stores what ``loaddata`` of the fixture stores;
posted again it creates nothing, changes nothing and answers "matched" throughout.
"""

import json
from unittest import mock

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction

from bundles.api.runner import BundleRunner
from claims.models import Review, Source, Statement
from claims.services import review_create
from events.models import Actor, Event, Place
from tests.api_cases import assert_problem
from tools.panjshir_bundle import BUNDLE, EVENT_ID_SCHEME, EVENT_IDS, FIXTURE, build_bundle

pytestmark = pytest.mark.django_db

BUNDLES = "/api/v1/bundles/"
# Every table of the project's apps: records, nested rows, many-to-many tables, history
# (simple-history's Historical* models), the change feed and its counter.
APPS = ("events", "claims", "changes", "eventsapi")
RESOURCE_MODELS = (Place, Actor, Event, Source, Statement)


def bundle() -> dict:
    return json.loads(BUNDLE.read_text(encoding="utf-8"))


def post(client, body: dict):
    return client.post(BUNDLES, body, format="json")


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._base_manager.count()
        for app in APPS
        for model in apps.get_app_config(app).get_models(include_auto_created=True)
    }


def versions() -> dict[tuple[str, str], int]:
    return {
        (model.__name__, str(pk)): version
        for model in RESOURCE_MODELS
        for pk, version in model.all_objects.values_list("pk", "version")
    }


def _name(instance, attribute: str = "name"):
    return getattr(instance, attribute) if instance is not None else None


# What names a reviewed record, ids aside.
REVIEW_SUBJECT_NAMES = {Event: "title", Source: "url", Statement: "text"}


def _iso(value):
    return value.isoformat() if value is not None else None


def snapshot() -> dict:
    """The database's content without ids: each record by its natural key, relations by the
    names, titles, urls and texts of the records they point to."""
    places = {
        place.name: {
            "kind": place.kind,
            "alternate_names": place.alternate_names,
            "country_code": place.country_code,
            "parent": _name(place.parent),
            "coordinates": (place.latitude, place.longitude),
            "external_ids": place.external_ids,
        }
        for place in Place.objects.select_related("parent")
    }
    actors = {
        actor.name: {
            "kind": actor.kind,
            "aliases": actor.aliases,
            "description": actor.description,
            "country_code": actor.country_code,
            "external_ids": actor.external_ids,
            "affiliations": sorted(
                (row.organization.name, row.role, _iso(row.start_date), _iso(row.end_date))
                for row in actor.affiliations.select_related("organization")
            ),
        }
        for actor in Actor.objects.all()
    }
    events = {
        event.title: {
            "summary": event.summary,
            "event_type": event.event_type,
            "dates": (_iso(event.start_date), _iso(event.end_date), event.date_precision),
            "place": _name(event.place),
            "participants": sorted((row.actor.name, row.role) for row in event.participants.all()),
            "verification_status": event.verification_status,
            "claim_summary": (
                event.statement_count,
                event.supporting_count,
                event.refuting_count,
                event.contested,
            ),
        }
        for event in Event.objects.select_related("place").prefetch_related("participants__actor")
    }
    sources = {
        source.url: {
            "kind": source.kind,
            "title": source.title,
            "publisher": _name(source.publisher),
            "author": source.author,
            "published_at": _iso(source.published_at),
            "language": source.language,
            "archived_url": source.archived_url,
            "cites": sorted(cited.url for cited in source.cites.all()),
            "verification_status": source.verification_status,
        }
        for source in Source.objects.select_related("publisher")
    }
    statements = {
        statement.text: {
            "language": statement.language,
            "is_direct_quote": statement.is_direct_quote,
            "speaker": statement.speaker.name,
            "stated": (_iso(statement.stated_on), _iso(statement.stated_at)),
            "sources": sorted(source.url for source in statement.sources.all()),
            "about": sorted((row.event.title, row.stance) for row in statement.about.select_related("event")),
            "responds_to": _name(statement.responds_to, "text"),
            "verification_status": statement.verification_status,
        }
        for statement in Statement.objects.select_related("speaker", "responds_to")
    }
    reviews = sorted(
        (
            type(review.subject).__name__,
            getattr(review.subject, REVIEW_SUBJECT_NAMES[type(review.subject)]),
            review.verdict,
            review.previous_status,
            review.rationale,
            tuple(sorted(source.url for source in review.evidence.all())),
        )
        for review in Review.objects.all()
    )
    return {
        "places": places,
        "actors": actors,
        "events": events,
        "sources": sources,
        "statements": statements,
        "reviews": reviews,
        # Rows of every table of records (no history): duplicates would hide in the dicts above.
        "counts": {
            label: count
            for label, count in row_counts().items()
            if label.startswith(("events.", "claims.")) and ".Historical" not in label
        },
    }


@pytest.fixture
def fixture_snapshot():
    """The snapshot of ``loaddata`` of the fixture, taken in a savepoint rolled back after."""
    with transaction.atomic():
        call_command("loaddata", str(FIXTURE), verbosity=0)
        loaded = snapshot()
        transaction.set_rollback(True)
    return loaded


def test_the_bundle_is_what_the_generator_writes_from_the_fixture():
    assert bundle() == build_bundle(json.loads(FIXTURE.read_text(encoding="utf-8")))


def test_posting_the_bundle_stores_what_the_fixture_holds(superuser_client, fixture_snapshot):
    assert not any(row_counts()[model._meta.label] for model in RESOURCE_MODELS)

    response = post(superuser_client, bundle())

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["dry_run"] is False
    operations = bundle()["operations"]
    assert [result["status"] for result in body["results"]] == [
        "reviewed" if operation["op"] == "review" else "created" for operation in operations
    ]
    assert snapshot() == fixture_snapshot
    assert {event.title: event.external_ids for event in Event.objects.all()} == {
        title: {EVENT_ID_SCHEME: key} for title, key in EVENT_IDS.items()
    }


def test_posting_the_bundle_again_creates_and_changes_nothing(superuser_client):
    first = post(superuser_client, bundle())
    assert first.status_code == 201, first.content
    counts, versions_before, content = row_counts(), versions(), snapshot()

    again = post(superuser_client, bundle())

    assert again.status_code == 200, again.content
    results = again.json()["results"]
    assert [result["status"] for result in results] == ["matched"] * len(results)
    assert [result["id"] for result in results] == [result["id"] for result in first.json()["results"]]
    assert row_counts() == counts
    assert versions() == versions_before
    assert snapshot() == content
    by_id = {pk: version for (_, pk), version in versions_before.items()}
    assert [result["version"] for result in results] == [by_id[result["id"]] for result in results]


def test_a_dry_run_answers_200_and_writes_nothing(superuser_client):
    before = row_counts()

    response = post(superuser_client, {**bundle(), "dry_run": True})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["dry_run"] is True
    assert len(body["results"]) == len(bundle()["operations"])
    assert row_counts() == before == dict.fromkeys(before, 0)


def test_a_bundle_using_a_lid_no_operation_defines_fails_and_writes_nothing(superuser_client):
    body = bundle()
    removed = body["operations"].pop(0)
    assert removed["lid"] == "afghanistan"  # Panjshir Province, now first, lies within it
    before = row_counts()

    response = post(superuser_client, body)

    problem = assert_problem(response, 400)
    assert problem["errors"][0]["field"].startswith("operations[")
    assert row_counts() == before


def test_an_upsert_keeps_a_review_that_lands_between_its_match_and_its_lock(superuser_client, verifier):
    """Posting the story again repairs an edit to a statement while a verifier's review of it
    commits after the bundle matched the statement and before it row-locked it (run here
    just before ``BundleRunner._lock``, as a concurrent request would commit then).

    The upsert must save the statement as read under the lock: the review's verdict stays
    and the version grows past the review's. It fails today: ``BundleRunner._upsert``
    discards what ``_lock`` returns and saves the copy matched before the lock, so the
    verdict is reverted (the status no longer that of the latest review) and a second
    version 3 is written.
    """
    first = post(superuser_client, bundle())
    assert first.status_code == 201, first.content
    result = next(result for result in first.json()["results"] if result["lid"] == "statement-1")
    statement = Statement.objects.get(pk=result["id"])
    statement.language = "ps"  # an edit the bundle puts right: version 2
    statement.save()
    lock = BundleRunner._lock

    def review_then_lock(runner, instance, operation):
        if operation.lid == "statement-1":
            review_create(
                subject=instance,
                verdict="false",
                rationale="A concurrent verdict.",
                evidence=[],
                reviewer=verifier,
            )  # version 3
        return lock(runner, instance, operation)

    with mock.patch.object(BundleRunner, "_lock", review_then_lock):
        response = post(superuser_client, bundle())

    assert response.status_code == 200, response.content
    statement.refresh_from_db()
    assert statement.language == "en"
    assert statement.verification_status == statement.reviews.first().verdict == "false"
    assert statement.version == 4
    assert sorted(statement.history.values_list("version", flat=True)) == [1, 2, 3, 4]
