"""The exact matcher: two texts are the same claim when their normalised forms are identical."""

from __future__ import annotations

from provenance import hookimpl
from provenance.domain import ClaimKind, ClaimText, Matcher, MatchScore
from provenance.text import normalize


class ExactMatcher:
    """Case, punctuation, quote marks and spacing aside, the same words in the same order."""

    name = "exact"
    version = "1"
    threshold = 1.0
    suggest_threshold: float | None = None  # nothing is only suggested

    def score(self, query: ClaimText, candidate: ClaimText) -> MatchScore | None:
        if query.kind == ClaimKind.FIGURE:
            return None
        same = normalize(query.text) == normalize(candidate.text)
        return MatchScore(1.0 if same else 0.0, "normalised texts are identical" if same else "texts differ")


@hookimpl
def register_matchers() -> list[Matcher]:
    return [ExactMatcher()]
