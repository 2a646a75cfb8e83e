"""make eval-drafts: the issue's targets on the team's corpus, and the seed article read back.

The seed article's fixture records partial quotes ("the victory") inside paraphrases, not as
direct statements, so direct-quote precision on the seed is not a target; every fixture
quote must be found, with its speaker and, where the text gives one, its date.
"""

import datetime

from drafts import evaluation
from drafts.extraction.reader import read_article


def test_the_corpus_meets_every_target():
    reports = evaluation.corpus_reports()
    assert len(reports) >= 15
    rates = evaluation.run(reports).rates()
    for metric, target in evaluation.TARGETS.items():
        assert rates[metric] >= target, (metric, rates[metric])


def test_all_the_teams_reports_together_meet_every_target():
    # The corpus the rules were written on and the two sets written apart from them
    # (eval/drafts/README.md: the third set alone stays below the targets on speakers, dates
    # and stances).
    reports = [
        report
        for path in (evaluation.CORPUS, evaluation.HOLDOUT, evaluation.UNSEEN)
        for report in evaluation.corpus_reports(path)
    ]
    assert len(reports) == 56
    rates = evaluation.run(reports).rates()
    for metric, target in evaluation.TARGETS.items():
        assert rates[metric] >= target, (metric, rates[metric])


def test_every_seed_quote_is_found_with_its_speaker():
    seed = evaluation.seed_report()
    tally = evaluation.run([seed])
    assert tally.rate("quotes_found", "quotes_gold") == 1.0
    assert tally.rate("speaker_right", "found") == 1.0
    assert tally.rate("reported_found", "reported_gold") == 1.0
    assert tally.rate("stance_right", "stance_gold") == 1.0


def test_seed_dates_are_right_where_the_text_gives_them():
    seed = evaluation.seed_report()
    reading = read_article(seed.text, published=seed.published, publisher=seed.publisher)
    proposed = {evaluation._quote_key(p.text): p for p in reading.statements if p.is_direct_quote}
    for gold in (g for g in seed.gold if g.kind == "direct"):
        found = proposed[evaluation._quote_key(gold.text)]
        if found.stated_on.date is None:
            # "Previously the spokesperson told Kurdistan 24 …": no day in the text (the fixture
            # dates it from the earlier interview it cites).
            assert found.stated_on.expression == "Previously"
        else:
            assert found.stated_on.date == datetime.date.fromisoformat(gold.stated_on)
