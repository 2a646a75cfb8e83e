"""Statement text keys: the same words by one lookup, a quote inside a longer statement by its
runs of three words, and the full-text index only while those leave room."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from matching.models import StatementKeys
from matching.selectors import statement_matches
from matching.statement_keys import text_keys
from tests.factories import StatementFactory

pytestmark = pytest.mark.django_db

QUOTE = "The valley has not fallen and our forces hold every district of Panjshir."


def test_the_same_words_have_the_same_fingerprint_however_published():
    keys = text_keys(QUOTE)
    for published in (
        "“The valley has not fallen, and our forces hold every district of Panjshir”",
        "the VALLEY has not fallen -- and our forces hold every district of Panjshir!!",
        "'The valley has not fallen and our forces hold every district of Panjshir.'",
    ):
        assert text_keys(published).fingerprint == keys.fingerprint
    assert (
        text_keys("The valley has fallen and our forces hold every district").fingerprint != keys.fingerprint
    )
    assert text_keys("“…”").fingerprint is None


def test_a_part_of_a_quote_holds_a_subset_of_its_runs_of_words_never_across_a_gap():
    whole = set(text_keys(QUOTE).shingles)
    part = text_keys("has not fallen … every district of Panjshir")
    assert part.shingles
    assert set(part.shingles) <= whole
    assert len(part.shingles) == 1 + 2  # "has not fallen"; "every district of", "district of panjshir"
    assert len(text_keys("a b c d").shingles) == 2
    assert text_keys("two words").shingles == []


def test_every_save_of_the_text_rekeys_the_statement():
    statement = StatementFactory(text=QUOTE)
    assert StatementKeys.objects.get(statement=statement).fingerprint == text_keys(QUOTE).fingerprint
    statement.text = "Our forces withdrew."
    statement.save()
    keys = StatementKeys.objects.get(statement=statement)
    assert (keys.fingerprint, keys.shingles) == (
        text_keys("Our forces withdrew.").fingerprint,
        text_keys("Our forces withdrew.").shingles,
    )


def test_the_rebuild_keys_every_statement_again():
    statement = StatementFactory(text=QUOTE)
    StatementKeys.objects.all().delete()
    call_command("matching_index", verbosity=0)
    assert StatementKeys.objects.get(statement=statement).fingerprint == text_keys(QUOTE).fingerprint


def statement_reads(queries) -> list[str]:
    """The queries that read statements (a time budget adds its own around each on PostgreSQL)."""
    return [query["sql"] for query in queries if 'FROM "claims_statement"' in query["sql"]]


def test_a_page_of_the_same_words_takes_one_lookup():
    for _ in range(3):
        StatementFactory(text=QUOTE)
    StatementFactory(text="Something else entirely was said about the valley.")
    with CaptureQueriesContext(connection) as queries:
        found = statement_matches(text=f"“{QUOTE.upper()}”", limit=3)
    assert [(match.score, match.decision) for match in found] == [(1.0, "same")] * 3
    (read,) = statement_reads(queries)
    assert "fingerprint" in read


def test_deleted_statements_are_not_candidates():
    gone = StatementFactory(text=QUOTE)
    gone.tombstone()
    kept = StatementFactory(text=QUOTE)
    assert [match.statement.pk for match in statement_matches(text=QUOTE)] == [kept.pk]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the runs of words are PostgreSQL's GIN index")
def test_a_quote_in_part_is_found_by_its_runs_of_words_before_any_full_text_search():
    longer = StatementFactory(text=f"Speaking by telephone, the spokesman said: {QUOTE} He gave no figures.")
    StatementFactory(text="Our forces hold the district centre and the valley road.")
    with CaptureQueriesContext(connection) as queries:
        found = statement_matches(text="has not fallen … every district of Panjshir", limit=1)
    assert [(match.statement.pk, match.decision) for match in found] == [(longer.pk, "same")]
    fingerprint, shingles = statement_reads(queries)
    assert "fingerprint" in fingerprint
    assert "shingles" in shingles


def test_a_paraphrase_is_left_to_the_full_text_search():
    said = StatementFactory(text=QUOTE)
    with CaptureQueriesContext(connection) as queries:
        found = statement_matches(
            text="Our forces hold every district of Panjshir; the valley has not fallen."
        )
    assert [match.statement.pk for match in found] == [said.pk]
    # The same words, the runs of words (PostgreSQL), every distinctive word, any of them.
    assert len(statement_reads(queries)) == 3 + (connection.vendor == "postgresql")


def test_a_speakers_statements_are_all_compared_in_one_read(django_assert_num_queries):
    said = StatementFactory(text=QUOTE)
    other = StatementFactory(
        speaker=said.speaker, text="We will never negotiate with them over the province."
    )
    StatementFactory(text=QUOTE)  # another speaker's
    with django_assert_num_queries(1):
        found = statement_matches(
            text="Every district of Panjshir is held by our forces; it has not fallen.",
            speaker=said.speaker_id,
        )
    assert [match.statement.pk for match in found] == [said.pk]
    assert other.pk not in [match.statement.pk for match in found]
    with django_assert_num_queries(1):
        assert [match.statement.text for match in statement_matches(text=QUOTE, speaker=said.speaker_id)] == [
            QUOTE
        ]
