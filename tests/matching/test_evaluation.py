"""The labelled pairs meet the issue's targets at the configured thresholds (make eval-matching).
Nicknames that no alias records ("Hemedti") are beyond what names alone can match; the rest of
the "similar" actor pairs carry recall over 0.95."""

from matching import evaluation


def test_the_configured_thresholds_meet_the_targets_on_the_labelled_pairs():
    for kind, name, scorer in (
        ("actors", "actor_pairs.jsonl", evaluation.actor_score),
        ("statements", "statement_pairs.jsonl", evaluation.statement_score),
    ):
        pairs = evaluation.load(name)
        assert len(pairs) >= 300
        scored = [(scorer(pair), pair["label"]) for pair in pairs]
        same = evaluation.rates(scored, evaluation.DEFAULT_SAME[kind])
        assert same["same_precision"] >= evaluation.SAME_PRECISION, kind
        assert same["same_recall"] >= evaluation.SAME_RECALL, kind
        similar = evaluation.rates(scored, evaluation.DEFAULT_SIMILAR[kind])
        assert similar["similar_recall"] >= evaluation.SIMILAR_RECALL, kind
