"""The Panjshir fixture encodes the Kurdistan 24 seed article faithfully and validly.

The article is read from ``shared/seed-article.txt`` beside the project, or from the
path in ``EVENTSAPI_SEED_ARTICLE``.
"""

import datetime
import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from claims.models import Review, Source, SourceKind, Stance, Statement, StatementEvent
from events.models import Actor, Affiliation, Event, Participant, Place

PROJECT_ROOT = Path(__file__).resolve().parent.parent
FIXTURE = PROJECT_ROOT / "fixtures" / "panjshir.json"
ARTICLE = Path(
    os.environ.get(
        "EVENTSAPI_SEED_ARTICLE",
        Path(__file__).resolve().parents[2] / "shared" / "seed-article.txt",
    )
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def panjshir():
    call_command("loaddata", str(FIXTURE), verbosity=0)


def fall_event():
    return Event.objects.get(event_type="strategic_development", place__name="Panjshir Province")


def test_every_direct_quote_stands_verbatim_in_the_article():
    article = ARTICLE.read_text(encoding="utf-8")
    quotes = Statement.objects.filter(is_direct_quote=True)
    assert quotes.exists()
    for statement in quotes:
        assert statement.text in article, statement.text


def test_the_taliban_spokesperson_is_found_under_the_article_spelling():
    spokesperson = next(a for a in Actor.objects.all() if any("Mojaheed" in alias for alias in a.aliases))
    assert spokesperson.name == "Zabihullah Mujahid"
    assert Affiliation.objects.filter(
        actor=spokesperson, organization__name="Taliban", role="spokesperson"
    ).exists()


def test_panjshir_lies_within_afghanistan_and_has_coordinates():
    panjshir = Place.objects.get(name="Panjshir Province")
    assert panjshir.parent.name == "Afghanistan"
    assert panjshir.latitude is not None
    assert panjshir.longitude is not None


def test_the_fall_is_supported_by_the_taliban_and_refuted_by_the_nrf():
    links = StatementEvent.objects.filter(event=fall_event()).select_related("statement__speaker")
    supporters = {link.statement.speaker.name for link in links if link.stance == Stance.SUPPORTS}
    refuters = {link.statement.speaker.name for link in links if link.stance == Stance.REFUTES}
    assert "Zabihullah Mujahid" in supporters
    assert refuters == {"National Resistance Front of Afghanistan"}


def test_the_dashty_killing_is_dated_sunday_and_the_victory_claim_monday():
    killing = Statement.objects.get(about__event__title__contains="Fahim Dashty")
    victory = Statement.objects.get(speaker__name="Zabihullah Mujahid")
    assert killing.stated_on == datetime.date(2021, 9, 5)
    assert victory.stated_on == datetime.date(2021, 9, 6)


def test_the_video_source_is_unverifiable_as_the_article_says():
    video = Source.objects.get(kind=SourceKind.VIDEO)

    review = video.reviews.get()

    assert video.verification_status == "unverifiable"
    assert review.verdict == "unverifiable"
    assert "Kurdistan 24 could not independently verify the footages\u2019 authenticity." in review.rationale


def test_the_victory_claim_and_the_nrf_denials_are_in_review():
    victory = Statement.objects.get(speaker__name="Zabihullah Mujahid")
    denials = Statement.objects.filter(about__event=fall_event(), about__stance=Stance.REFUTES)

    for statement in [victory, *denials]:
        assert statement.verification_status == "in_review", statement.text
        assert statement.reviews.get().verdict == "in_review"
    assert denials.count() == 2


def test_every_reviewed_item_has_the_status_of_its_latest_review():
    reviews = Review.objects.select_related("event", "statement", "source")
    assert reviews.count() == 4

    for review in reviews:
        latest = type(review.subject).objects.get(pk=review.subject.pk).reviews.first()
        assert review.subject.verification_status == latest.verdict, review.rationale


def test_items_without_reviews_are_unverified():
    for model in (Event, Statement, Source):
        for item in model.objects.filter(reviews__isnull=True):
            assert item.verification_status == "unverified", item


def test_every_quotation_in_a_review_rationale_stands_verbatim_in_the_article():
    article = ARTICLE.read_text(encoding="utf-8")

    for review in Review.objects.all():
        quotations = re.findall(r'"([^"]+)"', review.rationale)
        assert quotations, review.rationale
        for quotation in quotations:
            assert quotation in article, quotation


def test_every_review_rests_on_evidence_from_the_fixture():
    for review in Review.objects.prefetch_related("evidence"):
        assert review.evidence.exists(), review.rationale


def test_every_review_passes_full_clean():
    # The fixture's reviews were made by no account of this installation.
    for review in Review.objects.all():
        review.full_clean(exclude=["reviewer"])


def test_every_loaded_object_passes_full_clean():
    for model in (Place, Actor, Affiliation, Event, Participant, Source, Statement, StatementEvent):
        for obj in model.objects.all():
            obj.full_clean()


@pytest.mark.django_db
def test_the_fixture_loads_by_name():
    call_command("loaddata", "panjshir", verbosity=0)

    assert Event.objects.exists()
