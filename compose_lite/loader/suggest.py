""""Did you mean …?" suggestions for misspelt keys and values."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

# difflib's ratio threshold: 0.6 (its default) also matches unrelated short words
# such as 'port' → 'pid'; 0.7 keeps plain typos ('enviroment', 'volumse') only.
_CUTOFF = 0.7


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate most similar to ``word``, or None when none is close enough.

    Matching ignores case, so ``Environment`` suggests ``environment``.
    """
    by_lower: dict[str, str] = {}
    for candidate in candidates:
        by_lower.setdefault(candidate.lower(), candidate)
    matches = difflib.get_close_matches(word.lower(), by_lower, n=1, cutoff=_CUTOFF)
    return by_lower[matches[0]] if matches else None


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    """A ready-to-print hint ``did you mean 'x'?``, or None."""
    match = closest(word, candidates)
    return None if match is None else f"did you mean '{match}'?"
