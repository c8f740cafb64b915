"""The fuzzy matcher: rapidfuzz word-set similarity, over whole texts and sentence by sentence.

Scorer: ``rapidfuzz.fuzz.token_set_ratio`` on normalised text (case-folded, punctuation dropped),
divided by 100. It tolerates reordered clauses and a few changed words, as translations of the
same statement have. The best of the whole-text score and every sentence-against-text score is
kept, so a two-sentence quote still matches a claim holding one of its sentences. Texts (or
sentences) shorter than ``min_words`` words are compared with the stricter ``fuzz.ratio``, since
``token_set_ratio`` rates any subset of words a perfect match. Threshold: ``PROVENANCE_FUZZY_THRESHOLD``
(default 0.80); pairs from ``PROVENANCE_FUZZY_SUGGEST_THRESHOLD`` (0.65) up are suggested for review.
"""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz import fuzz

from provenance import hookimpl
from provenance.domain import ClaimKind, ClaimText, Matcher, MatchScore
from provenance.settings import Settings
from provenance.text import normalize, sentence_spans


@lru_cache(maxsize=65_536)
def _pieces(text: str, min_words: int) -> tuple[tuple[str, int], ...]:
    """The normalised text and its sentences long enough to compare on their own, each with its
    word count (cached: a stored claim is scored against many new texts)."""
    whole = normalize(text)
    sentences = [normalize(text[s:e]) for s, e in sentence_spans(text)]
    pieces = (whole, *(s for s in sentences if s != whole and len(s.split()) >= min_words))
    return tuple((piece, len(piece.split())) for piece in pieces)


class FuzzyMatcher:
    """Word-set similarity for quotes and attributions."""

    name = "fuzzy"
    version = "1"

    def __init__(self, threshold: float, min_words: int, suggest_threshold: float | None = None) -> None:
        self.threshold = threshold
        self.suggest_threshold: float | None = threshold if suggest_threshold is None else suggest_threshold
        self.min_words = min_words

    def score(self, query: ClaimText, candidate: ClaimText) -> MatchScore | None:
        if query.kind == ClaimKind.FIGURE or candidate.kind == ClaimKind.FIGURE:
            return None
        best, best_pair = 0.0, ("", "")
        for a, a_words in _pieces(query.text, self.min_words):
            for b, b_words in _pieces(candidate.text, self.min_words):
                short = min(a_words, b_words) < self.min_words
                score = (fuzz.ratio(a, b) if short else fuzz.token_set_ratio(a, b)) / 100
                if score > best:
                    best, best_pair = score, (a, b)
        mine, theirs = set(best_pair[0].split()), set(best_pair[1].split())
        shared, differing = mine & theirs, mine ^ theirs
        return MatchScore(
            best,
            f"token_set_ratio {best:.2f} (linked from {self.threshold}, "
            f"suggested from {self.suggest_threshold}); "
            f"{len(shared)} shared words, differing: {', '.join(sorted(differing)[:12]) or 'none'}",
        )


@hookimpl
def register_matchers(settings: Settings) -> list[Matcher]:
    return [
        FuzzyMatcher(settings.fuzzy_threshold, settings.min_fuzzy_words, settings.fuzzy_suggest_threshold)
    ]
