"""A statement's text as keys to find its repeats by, without reading every statement.

- ``fingerprint``: its folded words (quote_folded: case, quotation marks, punctuation,
  whitespace and ellipses out), hashed. The same quote however punctuated has the same one.
- ``shingles``: every run of ``SHINGLE`` consecutive folded words, hashed, never across an
  ellipsis. A statement holds every shingle of a quote it contains (trimmed, quoted in part,
  parts around an ellipsis): containment of the query's shingles finds those candidates
  through one GIN index on PostgreSQL.

Hashes are the first 8 bytes of BLAKE2b, as signed 64-bit integers (a PostgreSQL bigint).
"""

import hashlib
from dataclasses import dataclass

from matching.text import quote_folded

SHINGLE = 3


def _hash(words: list[str]) -> int:
    digest = hashlib.blake2b(" ".join(words).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


@dataclass(frozen=True)
class TextKeys:
    fingerprint: int | None  # None: no words at all
    shingles: list[int]  # sorted, without repeats


def text_keys(text: str) -> TextKeys:
    parts = [part.split() for part in quote_folded(text).split("...")]
    words = [word for part in parts for word in part]
    shingles = {
        _hash(part[start : start + SHINGLE]) for part in parts for start in range(len(part) - SHINGLE + 1)
    }
    return TextKeys(_hash(words) if words else None, sorted(shingles))
