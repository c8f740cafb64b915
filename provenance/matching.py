"""Deciding whether a new mention is a stored claim: guards, two-level thresholds, relations.

Every matcher scores a pair in [0, 1]. A pair the guards allow is *linked* when the best score
reaches the matcher's ``threshold`` (confirmed), *suggested* for review when it reaches its
``suggest_threshold``, and otherwise only *considered*; all three are kept on the review trail.
Pairs that are not the same claim may still be related: an excerpt is ``part_of`` the quote it
was cut from, and the same figure with another value ``conflicts_with`` it.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import permutations

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel, LCSseq

from provenance.domain import ClaimKind, ClaimText, SpeakerKind
from provenance.models import CandidateStatus, RelationKind
from provenance.names import same_person
from provenance.numbers import NUMBER_WORDS, figure_key, figure_thing, number_values
from provenance.plugins import RegisteredMatcher
from provenance.text import normalize

SHORT_TEXT_WORDS = 4  # texts shorter than this many words ...
SHORT_TEXT_SCORE = 0.95  # ... need at least this score, whatever the matcher's threshold
EXCERPT_SHARE = 0.7  # a text with fewer words than this share of another is never the same claim ...
EXCERPT_SCORE = 0.9  # ... and is an excerpt of it when found in it nearly word for word
MIN_EXCERPT_WORDS = 3
ELIDED_WORDS = 2  # words an excerpt leaves out of a quote at least (fewer: the same claim, trimmed)
_WITH_DIGITS_RE = re.compile(r"\S*\d\S*")  # a word holding a digit
_NO_CONTRADICTION = {SpeakerKind.MEDIA.value, SpeakerKind.DOCUMENT.value}
_INSERTION_RE = re.compile(r"\[[^\[\]]*\]")  # "[8 October 2011]": an editor's words inside a quote


@dataclass(frozen=True, slots=True)
class Verdict:
    """The best matcher's score for one candidate claim, with the thresholds that applied."""

    claim_id: int
    matcher: str
    version: str
    score: float
    threshold: float
    suggest_threshold: float
    explanation: str

    @property
    def status(self) -> CandidateStatus:
        if self.score >= self.threshold:
            return CandidateStatus.LINKED
        if self.score >= self.suggest_threshold:
            return CandidateStatus.SUGGESTED
        return CandidateStatus.CONSIDERED


@dataclass(frozen=True, slots=True)
class Relation:
    """``claim`` relates to ``related`` (both :class:`ClaimText`) as ``kind`` says, because of ``detail``."""

    claim: ClaimText
    related: ClaimText
    kind: RelationKind
    detail: str
    score: float  # an excerpt: how closely it is found in its quote; figures: how alike the sentences


def compatible(query: ClaimText, candidate: ClaimText) -> bool:
    """Guards every matcher gets: same kind, the same numbers (a time by its clock value, and not
    those an editor inserted in square brackets), no two clearly different speakers,
    and no texts far apart in length (an excerpt is not the quote it was cut from); two figures
    only with the same key (value, unit and thing counted)."""
    if query.kind != candidate.kind:
        return False
    if speakers_contradict(query.speaker, candidate.speaker) and not (
        {query.speaker_kind, candidate.speaker_kind} & _NO_CONTRADICTION
    ):
        return False  # an outlet or a document that printed it contradicts no person
    if query.kind == ClaimKind.FIGURE:
        if figure_key(query.value, query.unit, query.counted) != figure_key(
            candidate.value, candidate.unit, candidate.counted
        ):
            return False  # another value, unit or thing counted: another figure (perhaps a conflict)
    else:
        (mine, mine_in_digits), (theirs, theirs_in_digits) = (
            _said_numbers(query.text),
            _said_numbers(candidate.text),
        )
        if mine != theirs and ((mine and theirs) or mine_in_digits or theirs_in_digits):
            return False  # a changed or added figure: "15" and "fifteen" agree, "15" and "16" do not
        if _far_apart_in_length(query.text, candidate.text):
            return False  # an excerpt or an expansion, never the same claim
    return True


@lru_cache(maxsize=65_536)  # a text is compared with every candidate of its shortlist
def _said_numbers(text: str) -> tuple[frozenset[float], bool]:
    """:func:`provenance.numbers.number_values` of a quote, but for an editor's words in square
    brackets ("[8 October 2011]"), which are not the speaker's."""
    return number_values(_INSERTION_RE.sub(" ", text))


def speakers_contradict(mine: str | None, theirs: str | None) -> bool:
    """Whether two named speakers are clearly different people (:func:`provenance.names.same_person`
    reads the forms one person is printed in; an unnamed speaker contradicts no one)."""
    return bool(mine and theirs and not same_person(mine, theirs))


def excerpt_score(short: str, long: str) -> float | None:
    """How closely ``short`` is found in ``long`` when it reads as an excerpt of it, as a fragment
    quoted from a longer statement is; otherwise ``None``. Either far fewer words (under
    :data:`EXCERPT_SHARE` of them) found almost word for word (rapidfuzz ``partial_ratio``), or
    words found in the same order with at least :data:`ELIDED_WORDS` of the longer text's left
    out between them ("That person [is dangerous and] needs to be found"): either way scoring at
    least :data:`EXCERPT_SCORE`. A text trimmed by a word is the same claim, not an excerpt."""
    (short, mine), (long, theirs) = _normal_words(short), _normal_words(long)
    if len(mine) < MIN_EXCERPT_WORDS or len(mine) > len(theirs) - ELIDED_WORDS:
        return None
    # aligned only when enough of its words can be found in order: counting them is far cheaper
    in_order = LCSseq.similarity(mine, theirs) / len(mine) >= EXCERPT_SCORE
    score = _found_in_order(mine, theirs) if in_order else 0.0
    if _much_shorter(len(mine), len(theirs)):
        score = max(score, fuzz.partial_ratio(short, long, score_cutoff=EXCERPT_SCORE * 100) / 100)
    return score if score >= EXCERPT_SCORE else None


@lru_cache(maxsize=65_536)  # a stored claim is tried as an excerpt of each new claim, and the reverse
def _normal_words(text: str) -> tuple[str, tuple[str, ...]]:
    normalized = normalize(text)
    return normalized, tuple(normalized.split())


def _found_in_order(mine: Sequence[str], theirs: Sequence[str]) -> float:
    """The share of ``mine``'s words found in ``theirs`` in the same order, close together (the
    words between the first and the last found are at most half as many again): 0 when they
    are scattered through it."""
    kept = [op for op in Indel.opcodes(mine, theirs) if op.tag == "equal"]
    found = sum(op.src_end - op.src_start for op in kept)
    if not kept or kept[-1].dest_end - kept[0].dest_start > 1.5 * len(mine):
        return 0.0
    return found / len(mine)


def _far_apart_in_length(a: str, b: str) -> bool:
    return _much_shorter(*sorted((_word_count(normalize(a)), _word_count(normalize(b)))))


def _word_count(normalized: str) -> int:
    """Words in a :func:`normalize`d text (single spaces between words)."""
    return normalized.count(" ") + 1 if normalized else 0


def _much_shorter(short: int, long: int) -> bool:
    """Whether ``short`` words are an excerpt's length next to ``long`` words."""
    return MIN_EXCERPT_WORDS <= short < EXCERPT_SHARE * long


def verdicts(
    query: ClaimText,
    candidates: Iterable[ClaimText],
    matchers: Sequence[RegisteredMatcher],
    vetoed: Collection[int] = (),
) -> list[Verdict]:
    """For each candidate the guards allow (and no editor vetoed), its best matcher's verdict.

    On a pair of figures every matcher's score is capped by how alike their sentences are
    (:func:`sentences_alike`), so no matcher links the same figure in unrelated stories; on a
    pair of which one is :func:`negated` and the other not, at the matcher's suggestion
    threshold, so a claim and its denial are at most suggested."""
    figure = query.kind == ClaimKind.FIGURE
    short = not figure and _word_count(normalize(query.text)) < SHORT_TEXT_WORDS
    found = []
    for candidate in candidates:
        if candidate.claim_id is None or candidate.claim_id in vetoed or not compatible(query, candidate):
            continue
        best: Verdict | None = None
        alike: float | None = None  # for figures, computed once a matcher scores the pair
        for matcher in matchers:
            scored = matcher.score(query, candidate)
            if scored is None:
                continue
            score, explanation = scored.score, scored.explanation
            if figure and score > 0:
                alike = sentences_alike(query, candidate) if alike is None else alike
                if score > alike:
                    score, explanation = (
                        alike,
                        f"{explanation}; capped at {alike:.2f}, how alike the sentences are",
                    )
            threshold = max(matcher.threshold, SHORT_TEXT_SCORE) if short else matcher.threshold
            suggest = min(matcher.suggest_threshold, threshold)
            if not figure and score > suggest and negated(query.text) != negated(candidate.text):
                score, explanation = (
                    suggest,
                    f"{explanation}; capped at {suggest:.2f}: one is negated and the other not",
                )
            verdict = Verdict(
                candidate.claim_id,
                matcher.name,
                matcher.version,
                score,
                threshold,
                suggest,
                explanation,
            )
            if best is None or _rank(verdict) > _rank(best):
                best = verdict
        if best is not None:
            found.append(best)
    return best_first(found)


def best_first(found: Iterable[Verdict]) -> list[Verdict]:
    """Verdicts ordered as :func:`decide` reads them: linked before suggested, then by score."""
    return sorted(found, key=lambda v: (-_rank(v)[0], -v.score, v.claim_id))


@lru_cache(maxsize=4096)
def negated(text: str) -> bool:
    """Whether a text says no ("not", "never", "no one", "didn't"): a claim and its denial
    share every other word, so no matcher links them; at most an editor is asked."""
    return any(word in _NEGATIONS for word in normalize(text).split())


_NEGATIONS = frozenset(  # as normalize leaves them: "didn't" is "didnt"
    """not no never nobody nothing none neither nor nowhere cannot dont doesnt didnt isnt arent
    wasnt werent wont wouldnt cant couldnt shouldnt hasnt havent hadnt mustnt neednt aint""".split()
)


def sentences_alike(query: ClaimText, candidate: ClaimText) -> float:
    """How alike the sentences of two figures are, in [0, 1], once their numbers and the thing
    counted are set aside (what is said about the figure): rapidfuzz ``token_sort_ratio``, which
    a shared phrase alone does not lift ("two people were killed" in two different stories). No
    matcher scores a pair of figures higher, and a conflict needs the same likeness."""
    return _settings_alike(query.context or "", candidate.context or "", query.counted or "")


@lru_cache(maxsize=4096)  # asked by the figure matcher, then by the cap, for the same pair
def _settings_alike(mine: str, theirs: str, counted: str) -> float:
    mine, theirs = _setting(mine, counted), _setting(theirs, counted)
    return fuzz.token_sort_ratio(mine, theirs) / 100 if mine and theirs else 0.0


_STATUS_RANK = {CandidateStatus.LINKED: 2, CandidateStatus.SUGGESTED: 1}


def _rank(verdict: Verdict) -> tuple[int, float]:
    return _STATUS_RANK.get(verdict.status, 0), verdict.score


def decide(found: list[Verdict]) -> Verdict | None:
    """The verdict that links the mention: the best-scoring one that reached its threshold."""
    return found[0] if found and found[0].status == CandidateStatus.LINKED else None


def relations(query: ClaimText, candidates: Iterable[ClaimText], context_threshold: float) -> list[Relation]:
    """How ``query`` relates to candidates that are not the same claim: excerpts either way,
    and figures of the same thing in the same context with another value."""
    found = []
    candidates = [c for c in candidates if c.kind == query.kind and c.claim_id is not None]
    for candidate in candidates:
        if query.kind == ClaimKind.FIGURE:
            conflict = _conflict(query, candidate, context_threshold)
            if conflict:
                found.append(Relation(query, candidate, RelationKind.CONFLICTS_WITH, *conflict))
            continue
        if score := excerpt_score(query.text, candidate.text):
            found.append(Relation(query, candidate, RelationKind.PART_OF, "an excerpt of its words", score))
        elif score := excerpt_score(candidate.text, query.text):
            found.append(Relation(candidate, query, RelationKind.PART_OF, "an excerpt of its words", score))
    if query.kind != ClaimKind.FIGURE and not found:
        found.extend(_across_two_sentences(query, candidates))
    return found


def _across_two_sentences(query: ClaimText, candidates: list[ClaimText]) -> list[Relation]:
    """``query`` as an excerpt of two claims read one after the other (a quote of two sentences
    is two claims; "cost the same as the bus and nobody should be left waiting" is cut from
    both), each holding at least :data:`MIN_EXCERPT_WORDS` of its words: related to both."""
    mine = set(_normal_words(query.text)[1])
    wanted = EXCERPT_SCORE * len(mine)
    shared = [(c, mine.intersection(_normal_words(c.text)[1])) for c in candidates]
    parts = sorted(
        ((c, words) for c, words in shared if len(words) >= MIN_EXCERPT_WORDS), key=lambda p: -len(p[1])
    )[:_MAX_PARTS]  # the two claims it is cut from hold the most of its words
    for (first, words), (second, more) in permutations(parts, 2):
        if len(words | more) < wanted:
            continue  # the two hold too few of its words: no need to align them
        score = excerpt_score(query.text, f"{first.text} {second.text}")
        if score:
            detail = "an excerpt of its words and the next claim's"
            return [Relation(query, part, RelationKind.PART_OF, detail, score) for part in (first, second)]
    return []


_MAX_PARTS = 4  # claims tried in pairs for an excerpt across two sentences (those sharing most words)


def _conflict(query: ClaimText, candidate: ClaimText, context_threshold: float) -> tuple[str, float] | None:
    """Why two figures disagree and how alike their sentences are, or ``None``: same unit and
    thing counted, another value, and sentences alike (:func:`sentences_alike`)."""
    if query.value is None or candidate.value is None or query.value == candidate.value:
        return None
    if not query.counted or figure_thing(query.unit, query.counted) != figure_thing(
        candidate.unit, candidate.counted
    ):
        return None
    alike = sentences_alike(query, candidate)
    if alike < context_threshold:
        return None
    detail = (
        f"{query.value:g} vs {candidate.value:g} {query.unit or ''} {query.counted}; "
        f"sentences alike at {alike:.2f} (threshold {context_threshold})"
    ).replace("  ", " ")
    return detail, alike


@lru_cache(maxsize=65_536)  # a figure's sentence is compared with each of its candidates'
def _setting(context: str, counted: str) -> str:
    """A figure's sentence without its numbers and the thing counted: what the figure is about."""
    ignored = set(normalize(counted).split())
    return " ".join(
        w
        for w in _WITH_DIGITS_RE.sub(" ", normalize(context)).split()
        if w not in ignored and w not in NUMBER_WORDS
    )
