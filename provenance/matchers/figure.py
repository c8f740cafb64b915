"""The figure matcher: the same value of the same thing, printed in sentences that say the same."""

from __future__ import annotations

from provenance import hookimpl
from provenance.domain import ClaimKind, ClaimText, Matcher, MatchScore
from provenance.matching import sentences_alike
from provenance.numbers import figure_key
from provenance.settings import Settings


class FigureMatcher:
    """Equal figure keys, scored by how alike their sentences are
    (:func:`provenance.matching.sentences_alike`)."""

    name = "figure"
    version = "1"

    def __init__(self, threshold: float, suggest_threshold: float | None = None) -> None:
        self.threshold = threshold
        self.suggest_threshold: float | None = threshold if suggest_threshold is None else suggest_threshold

    def score(self, query: ClaimText, candidate: ClaimText) -> MatchScore | None:
        if query.kind != ClaimKind.FIGURE or candidate.kind != ClaimKind.FIGURE:
            return None
        if figure_key(query.value, query.unit, query.counted) != figure_key(
            candidate.value, candidate.unit, candidate.counted
        ):
            return MatchScore(0.0, "different value, unit or thing counted")
        similarity = sentences_alike(query, candidate)
        return MatchScore(
            similarity,
            f"same figure; sentences alike at {similarity:.2f} (threshold {self.threshold})",
        )


@hookimpl
def register_matchers(settings: Settings) -> list[Matcher]:
    return [FigureMatcher(settings.figure_context_threshold, settings.figure_suggest_threshold)]
