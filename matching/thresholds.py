"""The two thresholds per kind (Meedan Check's way): at or above "same" a match is linked
without asking; between "similar" and "same" a person confirms. The defaults are what
``make eval-matching`` recommends on eval/matching/ (README: "Matching")."""

DEFAULT_SAME = {"actors": 0.9, "statements": 0.9}
DEFAULT_SIMILAR = {"actors": 0.6, "statements": 0.5}
