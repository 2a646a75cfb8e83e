"""Validate the matching evaluation sets and print the label and variant counts.

Usage: python eval/matching/check.py   (exits non-zero on any problem)
"""

import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent

ACTOR_VARIANTS = {
    "same": {
        "case",
        "accents",
        "punctuation",
        "honorific_role",
        "word_order",
        "acronym",
        "handle",
        "alias_exact",
        "transliteration_one",
    },
    "similar": {"transliteration_multi", "partial_name", "nickname", "cross_script_translit"},
    "different": {
        "shared_surname",
        "shared_given_name",
        "similar_org",
        "unrelated",
        "kind_mismatch",
        "handle_mismatch",
    },
}
STATEMENT_VARIANTS = {
    "same": {"trimmed", "repunctuated", "quotation_marks", "ellipsis", "partial_quote", "case_whitespace"},
    "similar": {"paraphrase", "translation_like"},
    "different": {"different_claim_same_speaker", "hard_negative_shared_words", "unrelated"},
}
MINIMUM = {
    "actor": {v: 20 for vs in ACTOR_VARIANTS.values() for v in vs},
    "statement": {"paraphrase": 40, "different_claim_same_speaker": 40, "hard_negative_shared_words": 40},
}
KINDS = {"person", "organization"}
QUOTES = "\"'\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a\u2018\u2019\u201a"  # quote marks
ELLIPSIS = re.compile(r"\s*(?:\[\.\.\.\]|\[…\]|\(\.\.\.\)|\.\.\.|…)\s*")


def strip_accents(s):
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def letters(s):
    """Only letters and digits, case-folded: what survives punctuation and spacing changes."""
    return "".join(c for c in s.casefold() if c.isalnum())


def spaced(s):
    return " ".join(s.split())


def words(s):
    return re.findall(r"\w+", s.casefold())


def edit_distance(a, b):
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def check_actor(row):
    k, q, variant = row["known"], row["query"], row["variant"]
    names = [k["name"], *k["aliases"]]
    folded = {n.casefold() for n in names}
    twitter = k["external_ids"].get("twitter")
    checks = {
        "case": lambda: q.casefold() in folded and q not in names,
        "accents": lambda: q not in names and strip_accents(q) in {strip_accents(n) for n in names},
        "punctuation": lambda: q not in names and letters(q) in {letters(n) for n in names},
        "honorific_role": lambda: any(n in q and n != q for n in names),
        "word_order": lambda: q not in names and sorted(words(q)) in [sorted(words(n)) for n in names],
        "acronym": lambda: q in k["aliases"] and k["kind"] == "organization" and len(q) <= 8,
        "handle": lambda: (
            twitter is not None and q.startswith("@") and q[1:].casefold() == twitter.casefold()
        ),
        "alias_exact": lambda: q in k["aliases"],
        "transliteration_one": lambda: q.casefold() not in folded and edit_distance(q, k["name"]) <= 2,
        "transliteration_multi": lambda: q.casefold() not in folded,
        "partial_name": lambda: q.casefold() not in folded,
        "nickname": lambda: q.casefold() not in folded,
        "cross_script_translit": lambda: q.casefold() not in folded,
        "shared_surname": lambda: q.casefold() not in folded,
        "shared_given_name": lambda: q.casefold() not in folded,
        "similar_org": lambda: q.casefold() not in folded,
        "unrelated": lambda: q.casefold() not in folded,
        "kind_mismatch": lambda: (
            q.casefold() in folded and row["query_kind"] in KINDS and row["query_kind"] != k["kind"]
        ),
        "handle_mismatch": lambda: (
            twitter is not None and q.startswith("@") and q[1:].casefold() != twitter.casefold()
        ),
    }
    problems = []
    if set(k) != {"name", "kind", "aliases", "external_ids"}:
        problems.append("known keys")
    if k["kind"] not in KINDS or row["query_kind"] not in KINDS | {None}:
        problems.append("kind")
    wrong_kind = row["query_kind"] not in (None, k["kind"])
    if variant != "kind_mismatch" and wrong_kind and row["label"] != "different":
        problems.append("query_kind contradicts a same/similar label")
    if not checks[variant]():
        problems.append(f"{variant} rule")
    return problems


def check_statement(row):
    k, q, variant = row["known"], row["query"], row["variant"]
    kt, qt = k["text"], q["text"]
    unquoted = "".join(c for c in qt if c not in QUOTES)
    known_unquoted = "".join(c for c in kt if c not in QUOTES)

    def ellipsis_ok():
        parts = [p.strip(" ,;:") for p in ELLIPSIS.split(qt) if p.strip(" ,;:.")]
        if len(parts) < 2 or not ELLIPSIS.search(qt):
            return False
        pos = 0
        for p in parts:
            pos = kt.find(p, pos)
            if pos < 0:
                return False
            pos += len(p)
        return True

    def partial_ok():
        inner = unquoted.strip().rstrip(".")
        if inner in known_unquoted and len(words(inner)) >= 6 and inner != known_unquoted.rstrip("."):
            return True
        return kt.rstrip(".") in qt and len(qt) > len(kt)

    checks = {
        "trimmed": lambda: qt != kt and qt.strip().rstrip(".") == kt.strip().rstrip("."),
        "case_whitespace": lambda: qt != kt and spaced(qt).casefold() == spaced(kt).casefold(),
        "quotation_marks": lambda: (
            qt != kt
            and letters(qt) == letters(kt)
            and Counter(c for c in qt if c in QUOTES) != Counter(c for c in kt if c in QUOTES)
        ),
        "repunctuated": lambda: qt != kt and letters(qt) == letters(kt),
        "ellipsis": ellipsis_ok,
        "partial_quote": partial_ok,
    }
    problems = []
    if set(k) != {"text", "speaker", "stated_on", "language"} or set(q) != {"text", "speaker", "stated_on"}:
        problems.append("keys")
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", k["stated_on"]):
        problems.append("known date")
    if q["stated_on"] is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", q["stated_on"]):
        problems.append("query date")
    if row["label"] in ("same", "similar") and q["speaker"] not in (None, k["speaker"]):
        problems.append("same/similar pair with another speaker")
    if row["label"] in ("same", "similar") and q["stated_on"] not in (None, k["stated_on"]):
        problems.append("same/similar pair with another date")
    if variant == "different_claim_same_speaker" and q["speaker"] != k["speaker"]:
        problems.append("different_claim_same_speaker needs the same speaker")
    if variant in checks and not checks[variant]():
        problems.append(f"{variant} rule")
    if variant not in checks and letters(qt) == letters(kt):
        problems.append("similar/different pair whose text is the known text")
    n = len(words(kt))
    if not 6 <= n <= 70:
        problems.append(f"known length {n} words")
    return problems


def run(kind, path, variants, check):
    labels, per_variant, errors = Counter(), Counter(), 0
    variant_label = {v: lab for lab, vs in variants.items() for v in vs}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            print(f"{path.name}:{n}: invalid JSON: {exc}")
            errors += 1
            continue
        missing = {"known", "query", "label", "variant"} - set(row)
        if missing or row["variant"] not in variant_label or variant_label[row["variant"]] != row["label"]:
            print(f"{path.name}:{n}: keys, label or variant wrong: {line[:120]}")
            errors += 1
            continue
        for problem in check(row):
            print(f"{path.name}:{n}: {problem}: {line[:160]}")
            errors += 1
        labels[row["label"]] += 1
        per_variant[row["variant"]] += 1
    total = sum(labels.values())
    print(
        f"| {path.name} | {total} | "
        + " | ".join(
            f"**{lab} {labels[lab]}**: " + ", ".join(f"{v} {per_variant[v]}" for v in sorted(vs))
            for lab, vs in variants.items()
        )
        + " |"
    )
    for v in sorted(variant_label):
        if per_variant[v] < MINIMUM[kind].get(v, 1):
            print(f"{path.name}: too few {v} pairs")
            errors += 1
    if total < 360:
        print(f"{path.name}: fewer than 360 pairs")
        errors += 1
    return errors


def main():
    print("| file | pairs | same | similar | different |\n|---|---|---|---|---|")
    errors = run("actor", HERE / "actor_pairs.jsonl", ACTOR_VARIANTS, check_actor)
    errors += run("statement", HERE / "statement_pairs.jsonl", STATEMENT_VARIANTS, check_statement)
    print(f"\n{errors} problem(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
