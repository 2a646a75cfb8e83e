"""manage.py import_claimreview: other organisations' fact-checks as statements and reviews."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from claims.models import Review, Source, Statement
from datasets.claimreview import verdict_of
from datasets.importing import RowError
from events.models import Actor, ActorKind
from eventsapi.choices import VerificationStatus
from tests.factories import ActorFactory, StatementFactory

SAMPLES = Path(__file__).parent / "samples"
pytestmark = pytest.mark.django_db


def import_claimreview(path, *options) -> str:
    out = io.StringIO()
    call_command("import_claimreview", str(path), "--no-progress", *options, stdout=out)
    return out.getvalue()


def test_a_claimreview_becomes_a_statement_with_speaker_and_sources_and_an_organisations_review(
    api_client,
):
    summary = import_claimreview(SAMPLES / "claimreview_single.json")

    assert summary.startswith("1 created, 0 updated, 0 matched, 0 unchanged, 0 tombstoned, 0 skipped.")
    statement = Statement.objects.get()
    assert statement.text.startswith("Forty people were killed")
    assert (statement.speaker.name, statement.speaker.kind) == ("Farid Nurzad", ActorKind.PERSON)
    assert statement.stated_on.isoformat() == "2021-09-05"
    assert {source.url for source in statement.sources.all()} == {
        "https://www.example.com/posts/farid-nurzad/2021-09-05-mazar",
        "https://video.example.com/watch/northern-news-0905",
    }
    assert statement.verification_status == VerificationStatus.FALSE
    review = Review.objects.get()
    assert review.reviewer is None
    assert review.reviewer_organization.name == "Valley Fact Desk"
    assert review.reviewer_organization.external_ids == {"website": "https://factdesk.example.org/"}
    assert review.external_url == "https://factdesk.example.org/checks/2021/09/mazar-clash-death-toll"
    assert review.created_at.date().isoformat() == "2021-09-07"
    listed = api_client.get(f"/api/v1/statements/{statement.pk}/reviews/").json()["results"][0]
    assert listed["reviewer"] is None
    assert listed["reviewer_organization"]["name"] == "Valley Fact Desk"
    assert listed["external_url"] == review.external_url


def test_ratings_map_by_name_and_else_by_the_normalised_number():
    import_claimreview(SAMPLES / "claimreview_list.json")

    verdicts = {statement.text[:30]: statement.verification_status for statement in Statement.objects.all()}
    reviews = json.loads((SAMPLES / "claimreview_list.json").read_text())
    expected = [VerificationStatus.VERIFIED, VerificationStatus.MISLEADING, VerificationStatus.FALSE]
    assert [verdicts[review["claimReviewed"][:30]] for review in reviews] == expected


@pytest.mark.parametrize(
    ("rating", "verdict"),
    [
        ({"alternateName": "Pants on Fire!"}, VerificationStatus.FALSE),
        ({"alternateName": "Half True", "ratingValue": 5, "bestRating": 5, "worstRating": 1}, "misleading"),
        ({"alternateName": "Unproven"}, VerificationStatus.UNVERIFIABLE),
        ({"alternateName": "Verified"}, VerificationStatus.VERIFIED),
        ({"alternateName": "Sort of", "ratingValue": 5, "bestRating": 5, "worstRating": 1}, "verified"),
        ({"ratingValue": "3", "bestRating": "5", "worstRating": "1"}, VerificationStatus.MISLEADING),
        ({"ratingValue": 1, "bestRating": 1, "worstRating": 5}, VerificationStatus.VERIFIED),
    ],
)
def test_the_verdict_table(rating, verdict):
    assert verdict_of(rating) == verdict


@pytest.mark.parametrize(
    "rating",
    [{"alternateName": "Sort of"}, {"ratingValue": 9, "bestRating": 5, "worstRating": 1}, None],
)
def test_a_rating_that_says_nothing_we_can_map_is_refused(rating):
    with pytest.raises(RowError):
        verdict_of(rating)


def test_a_data_feed_imports_every_item_once_per_url():
    summary = import_claimreview(SAMPLES / "claimreview_feed.json")

    assert summary.startswith("3 created, 0 updated")
    organisation = Statement.objects.get(text__startswith="No one was hurt")
    assert organisation.speaker.kind == ActorKind.ORGANIZATION
    single_appearance = Statement.objects.get(text__startswith="A video shows")
    assert single_appearance.sources.count() == 1
    versions = dict(Statement.objects.values_list("id", "version"))
    reviews = Review.objects.count()

    again = import_claimreview(SAMPLES / "claimreview_feed.json")

    assert again.startswith("0 created, 0 updated, 0 matched, 3 unchanged")
    assert dict(Statement.objects.values_list("id", "version")) == versions
    assert Review.objects.count() == reviews


def test_a_changed_rating_adds_a_review_and_keeps_the_history(tmp_path):
    import_claimreview(SAMPLES / "claimreview_single.json")
    document = json.loads((SAMPLES / "claimreview_single.json").read_text())
    document["reviewRating"] = {"@type": "Rating", "alternateName": "Misleading"}
    path = tmp_path / "changed.json"
    path.write_text(json.dumps(document))

    summary = import_claimreview(path)

    assert summary.startswith("0 created, 1 updated")
    statement = Statement.objects.get()
    assert statement.verification_status == VerificationStatus.MISLEADING
    assert list(statement.reviews.values_list("verdict", "previous_status")) == [
        ("misleading", "false"),
        ("false", "unverified"),
    ]


def test_our_own_claimreview_export_round_trips_as_no_change(api_client, verifier_client, tmp_path):
    speaker = ActorFactory(name="Ahmad Massoud", kind=ActorKind.PERSON)
    statement = StatementFactory(speaker=speaker, text="The valley has not fallen.")
    Source.objects.create(url="https://news.example.org/valley", kind="article")
    statement.sources.set(Source.objects.all())
    posted = verifier_client.post(
        f"/api/v1/statements/{statement.pk}/reviews/",
        {"verdict": "false", "rationale": "Footage from the governor's office shows the flag raised."},
        format="json",
    )
    assert posted.status_code == 201
    # Our own reviewer's verdict: no organisation, no address elsewhere.
    assert (posted.json()["reviewer_organization"], posted.json()["external_url"]) == (None, None)
    document = api_client.get(f"/api/v1/statements/{statement.pk}/claimreview/").json()
    path = tmp_path / "ours.json"
    path.write_text(json.dumps(document))
    version = Statement.objects.get(pk=statement.pk).version

    summary = import_claimreview(path)

    assert summary.startswith("0 created, 0 updated, 1 matched")
    assert Statement.objects.count() == 1
    assert Statement.objects.get(pk=statement.pk).version == version
    assert Review.objects.count() == 1
    assert Actor.objects.filter(name="Ahmad Massoud").count() == 1


def test_a_bad_claimreview_is_skipped_with_its_record_and_field(tmp_path):
    good = json.loads((SAMPLES / "claimreview_single.json").read_text())
    no_rating = {**good, "url": "https://factdesk.example.org/checks/other"}
    no_rating.pop("reviewRating")
    no_url = {**good}
    no_url.pop("url")
    path = tmp_path / "mixed.json"
    path.write_text(json.dumps([no_rating, good, no_url]))

    summary = import_claimreview(path)

    assert summary.splitlines()[0] == "1 created, 0 updated, 0 matched, 0 unchanged, 0 tombstoned, 2 skipped."
    assert "skipped record 1, field reviewRating (https://factdesk.example.org/checks/other)" in summary
    assert "skipped record 3, field url" in summary
    assert Statement.objects.count() == 1


def test_files_that_hold_no_claimreview_are_clear_errors(tmp_path):
    path = tmp_path / "empty.json"
    path.write_text(json.dumps({"@type": "WebPage"}))
    with pytest.raises(CommandError, match="no ClaimReview"):
        import_claimreview(path)
    path.write_bytes(b"\xff\xfe not json")
    with pytest.raises(CommandError, match=r"UTF-8|JSON"):
        import_claimreview(path)
