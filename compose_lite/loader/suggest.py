""" "Did you mean …?" suggestions for misspelt keys and values."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

# difflib's ratio threshold: 0.6 (its default) also matches unrelated short words
# such as 'port' → 'pid'; 0.7 keeps plain typos ('enviroment', 'volumse') only.
_CUTOFF = 0.7
_MIN_PART = 4


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate most similar to ``word``, or None when none is close enough.

    Matching ignores case, so ``Environment`` suggests ``environment``; a word
    contained in exactly one candidate (``healthy`` → ``service_healthy``) matches too.
    """
    by_lower: dict[str, str] = {}
    for candidate in candidates:
        by_lower.setdefault(candidate.lower(), candidate)
    lowered = word.lower()
    matches = difflib.get_close_matches(lowered, by_lower, n=1, cutoff=_CUTOFF)
    if matches:
        return by_lower[matches[0]]
    # A shortened form such as 'healthy' for 'service_healthy' is too far for
    # difflib but unambiguous when it occurs in a single candidate.
    containing = [c for c in by_lower if len(lowered) >= _MIN_PART and lowered in c]
    return by_lower[containing[0]] if len(containing) == 1 else None


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    """A ready-to-print hint ``did you mean 'x'?``, or None."""
    match = closest(word, candidates)
    return None if match is None else f"did you mean '{match}'?"
