"""A word-set Jaccard matcher: the share of their words two claim texts have in common."""

from __future__ import annotations

from provenance import hookimpl
from provenance.domain import ClaimKind, ClaimText, Matcher, MatchScore
from provenance.settings import Settings
from provenance.text import normalize


class JaccardMatcher:
    """Shared words over all words; a short quote with its words reordered still scores 1."""

    name = "jaccard"
    version = "1"
    threshold = 0.8  # linked from here
    suggest_threshold: float | None = 0.6  # suggested for review from here

    def score(self, query: ClaimText, candidate: ClaimText) -> MatchScore | None:
        if ClaimKind.FIGURE in (query.kind, candidate.kind):
            return None  # figures match by value, not by wording
        mine, theirs = set(normalize(query.text).split()), set(normalize(candidate.text).split())
        shared, every = len(mine & theirs), len(mine | theirs)
        score = shared / every if every else 0.0
        return MatchScore(score, f"jaccard {score:.2f}: {shared} of {every} distinct words shared")


@hookimpl
def register_matchers(settings: Settings) -> list[Matcher]:
    return [JaccardMatcher()]
