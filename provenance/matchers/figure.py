"""The figure matcher: the same value of the same thing, printed in sentences that say the same."""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz import fuzz

from provenance import hookimpl
from provenance.domain import ClaimKind, ClaimText, Matcher, MatchScore
from provenance.settings import Settings
from provenance.text import normalize


def figure_key(value: float | None, unit: str | None, counted: str | None) -> str:
    """The identity of a figure: its value, unit and what it counts ("15||heads of state")."""
    return f"{value:g}|{figure_thing(unit, counted)}"


@lru_cache(maxsize=65_536)  # asked for every pair of figures scored
def figure_thing(unit: str | None, counted: str | None) -> str:
    """What a figure measures, whatever its value: unit and thing counted ("|heads of state")."""
    counted_words = " ".join(word.rstrip("s") for word in normalize(counted or "").split())
    return f"{unit or ''}|{counted_words}"


class FigureMatcher:
    """Equal figure keys, scored by how alike their sentences are (rapidfuzz ``token_set_ratio``)."""

    name = "figure"
    version = "1"

    def __init__(self, threshold: float, suggest_threshold: float | None = None) -> None:
        self.threshold = threshold
        self.suggest_threshold = threshold if suggest_threshold is None else suggest_threshold

    def score(self, query: ClaimText, candidate: ClaimText) -> MatchScore | None:
        if query.kind != ClaimKind.FIGURE or candidate.kind != ClaimKind.FIGURE:
            return None
        if figure_key(query.value, query.unit, query.counted) != figure_key(
            candidate.value, candidate.unit, candidate.counted
        ):
            return MatchScore(0.0, "different value, unit or thing counted")
        similarity = (
            fuzz.token_set_ratio(normalize(query.context or ""), normalize(candidate.context or "")) / 100
        )
        return MatchScore(
            similarity,
            f"same figure; sentences alike at {similarity:.2f} (token_set_ratio, threshold {self.threshold})",
        )


@hookimpl
def register_matchers(settings: Settings) -> list[Matcher]:
    return [FigureMatcher(settings.figure_context_threshold, settings.figure_suggest_threshold)]
