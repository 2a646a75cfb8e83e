"""``make eval-matching``: precision and recall of the matching scores on the team's labelled
pairs (eval/matching/*.jsonl), at every threshold, and the thresholds they recommend.

- "same" threshold: the lowest at which precision of "same" (pairs labelled same, against
  every other pair) is at least 0.98; its recall is reported beside it.
- "similar" threshold: the highest at which recall of pairs labelled same or similar is at
  least 0.95.
Exit status 1 when a target is missed at the configured thresholds (eventsapi.settings).
"""

import json
import sys
from pathlib import Path

from matching.scoring import name_forms, score_name, score_statement
from matching.thresholds import DEFAULT_SAME, DEFAULT_SIMILAR

PAIRS = Path(__file__).resolve().parent.parent / "eval" / "matching"
SAME_PRECISION, SAME_RECALL, SIMILAR_RECALL = 0.98, 0.85, 0.95
THRESHOLDS = [round(0.40 + step * 0.01, 2) for step in range(60)]


def actor_score(pair: dict) -> float:
    known = pair["known"]
    if pair.get("query_kind") and pair["query_kind"] != known["kind"]:
        return 0.0  # kind narrows: another kind of actor is no candidate
    forms = name_forms(known["name"], known.get("aliases", []), kind=known["kind"])
    return score_name(pair["query"], forms, known.get("external_ids", {})).score


def statement_score(pair: dict) -> float:
    known, query = pair["known"], pair["query"]
    if query.get("speaker") and query["speaker"] != known["speaker"]:
        return 0.0  # speaker narrows
    return score_statement(query["text"], known["text"])


def load(name: str) -> list[dict]:
    with open(PAIRS / name, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def rates(scored: list[tuple[float, str]], threshold: float) -> dict:
    same = [score for score, label in scored if label == "same"]
    related = [score for score, label in scored if label in ("same", "similar")]
    called_same = [label for score, label in scored if score >= threshold]
    return {
        "same_precision": (called_same.count("same") / len(called_same)) if called_same else 1.0,
        "same_recall": sum(score >= threshold for score in same) / len(same),
        "similar_recall": sum(score >= threshold for score in related) / len(related),
    }


def evaluate(kind: str, scored: list[tuple[float, str]], out=sys.stdout) -> dict:
    print(f"\n{kind}: {len(scored)} pairs", file=out)
    print("threshold  same precision  same recall  same+similar recall", file=out)
    table = {threshold: rates(scored, threshold) for threshold in THRESHOLDS}
    for threshold, rate in table.items():
        print(
            f"  {threshold:.2f}     {rate['same_precision']:.3f}           {rate['same_recall']:.3f}"
            f"        {rate['similar_recall']:.3f}",
            file=out,
        )
    precise = [t for t, rate in table.items() if rate["same_precision"] >= SAME_PRECISION]
    recalled = [t for t, rate in table.items() if rate["similar_recall"] >= SIMILAR_RECALL]
    recommended = {"same": min(precise) if precise else None, "similar": max(recalled) if recalled else None}
    configured = {"same": DEFAULT_SAME[kind], "similar": DEFAULT_SIMILAR[kind]}
    at_same, at_similar = rates(scored, configured["same"]), rates(scored, configured["similar"])
    print(f"recommended: same {recommended['same']}, similar {recommended['similar']}", file=out)
    print(
        f"configured: same {configured['same']} (precision {at_same['same_precision']:.3f}, recall "
        f"{at_same['same_recall']:.3f}), similar {configured['similar']} (recall "
        f"{at_similar['similar_recall']:.3f})",
        file=out,
    )
    met = (
        at_same["same_precision"] >= SAME_PRECISION
        and at_same["same_recall"] >= SAME_RECALL
        and at_similar["similar_recall"] >= SIMILAR_RECALL
    )
    return {"recommended": recommended, "configured": configured, "met": met}


def by_variant(kind: str, pairs: list[dict], scores: list[float], out=sys.stdout) -> None:
    """Per variant: the share of pairs on the right side of the thresholds."""
    same, similar = DEFAULT_SAME[kind], DEFAULT_SIMILAR[kind]
    print("variant                          pairs  right", file=out)
    variants: dict[tuple[str, str], list[bool]] = {}
    for pair, score in zip(pairs, scores, strict=True):
        label = pair["label"]
        right = (
            score >= same
            if label == "same"
            else (similar <= score < same if label == "similar" else score < similar)
        )
        variants.setdefault((label, pair["variant"]), []).append(right)
    for (label, variant), rights in sorted(variants.items()):
        print(f"  {label:9} {variant:28} {len(rights):4}  {sum(rights) / len(rights):.2f}", file=out)


def misses(kind: str, pairs: list[dict], scores: list[float], out=sys.stdout) -> None:
    same, similar = DEFAULT_SAME[kind], DEFAULT_SIMILAR[kind]
    for pair, score in zip(pairs, scores, strict=True):
        label = pair["label"]
        wrong = (
            (label == "same" and score < same)
            or (label != "same" and score >= same)
            or (label == "similar" and score < similar)
        )
        if wrong:
            query = pair["query"] if kind == "actors" else pair["query"]["text"]
            known = pair["known"]["name"] if kind == "actors" else pair["known"]["text"]
            print(f"  {label:9} {pair['variant']:28} {score:.2f}  {query!r} ~ {known!r}", file=out)


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    results = {}
    for kind, name, scorer in (
        ("actors", "actor_pairs.jsonl", actor_score),
        ("statements", "statement_pairs.jsonl", statement_score),
    ):
        pairs = load(name)
        scores = [scorer(pair) for pair in pairs]
        results[kind] = evaluate(kind, list(zip(scores, (pair["label"] for pair in pairs), strict=True)))
        by_variant(kind, pairs, scores)
        if verbose:
            misses(kind, pairs, scores)
    return 0 if all(result["met"] for result in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
