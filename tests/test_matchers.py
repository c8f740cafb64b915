"""Matchers and the guards every matcher gets, on hand-written claim pairs."""

import pytest

from provenance.domain import ClaimKind, ClaimText, MatchScore
from provenance.matchers.exact import ExactMatcher
from provenance.matchers.figure import FigureMatcher
from provenance.matchers.fuzzy import FuzzyMatcher
from provenance.matching import compatible, decide, excerpt_score, relations, verdicts
from provenance.models import CandidateStatus, RelationKind
from provenance.numbers import figure_key
from provenance.plugins import RegisteredMatcher

QUOTE = ClaimKind.QUOTE
fuzzy = FuzzyMatcher(threshold=0.8, min_words=6, suggest_threshold=0.65)
EXACT = RegisteredMatcher.of(ExactMatcher())
FUZZY = RegisteredMatcher.of(fuzzy)


def q(text: str, speaker: str | None = None, claim_id: int | None = None) -> ClaimText:
    return ClaimText(kind=QUOTE, text=text, speaker=speaker, claim_id=claim_id)


def fuzzy_score(a: str, b: str) -> float:
    result = fuzzy.score(q(a), q(b))
    assert result is not None and 0.0 <= result.score <= 1.0
    return result.score


def test_exact_ignores_case_punctuation_and_quote_marks() -> None:
    result = ExactMatcher().score(q("“We will not back down,”"), q('"we will NOT back down."'))
    assert result is not None and result.score == 1.0
    assert ExactMatcher().score(q("We will back down"), q("We will not back down")).score == 0.0  # type: ignore[union-attr]


def test_fuzzy_matches_two_translations_of_one_statement() -> None:
    a = "We deeply value the constructive stance of our partners on the energy crisis in Europe"
    b = "We highly appreciate the constructive position of our partners regarding Europe's energy crisis"
    assert fuzzy_score(a, b) >= 0.8


def test_fuzzy_keeps_different_statements_apart() -> None:
    a = "We will cut taxes for every working family in the next budget"
    b = "We will never accept a border that divides families from their homes"
    assert fuzzy_score(a, b) < 0.6


def test_fuzzy_finds_a_sentence_inside_a_longer_quote() -> None:
    single = "The new hospital wing will open to patients in the spring"
    double = "Funding has been secured at last. The new hospital wing will open to patients in spring."
    assert fuzzy_score(single, double) >= 0.9


def test_short_texts_need_near_identity() -> None:
    assert fuzzy_score("a very good first meeting", "a very good meeting indeed overall today") < 0.8
    assert fuzzy_score("a very good first meeting", "a very good first meeting") == 1.0


def test_figure_matcher_needs_the_same_figure_and_a_similar_sentence() -> None:
    matcher = FigureMatcher(threshold=0.6)
    ctx_a = "Fifteen heads of state were expected to gather at the summit on Thursday."
    ctx_b = "Fifteen heads of state were expected to attend the summit this Thursday."
    a = ClaimText(
        ClaimKind.FIGURE, "Fifteen heads of state", value=15, counted="heads of state", context=ctx_a
    )
    b = ClaimText(ClaimKind.FIGURE, "15 heads of state", value=15, counted="heads of state", context=ctx_b)
    other = ClaimText(
        ClaimKind.FIGURE, "12 heads of state", value=12, counted="heads of state", context=ctx_b
    )
    assert matcher.score(a, b).score >= 0.6  # type: ignore[union-attr]
    assert matcher.score(a, other).score == 0.0  # type: ignore[union-attr]
    assert figure_key(15, None, "Heads of State") == figure_key(15.0, None, "head of state")


class FigureEnthusiast:
    """A third-party matcher that takes every pair of figures for the same claim."""

    name = "enthusiast"
    version = "1"
    threshold = 0.7

    def score(self, query: ClaimText, candidate: ClaimText) -> MatchScore | None:
        return MatchScore(1.0, "figures are figures") if query.kind == ClaimKind.FIGURE else None


def figure(value: float, context: str, claim_id: int | None = None) -> ClaimText:
    return ClaimText(
        ClaimKind.FIGURE, f"{value:g} heads of state", value=value, counted="heads of state",
        context=context, claim_id=claim_id,
    )  # fmt: skip


def test_the_figure_guards_hold_for_every_matcher() -> None:
    enthusiast = RegisteredMatcher.of(FigureEnthusiast())
    summit = "Fifteen heads of state were expected to gather at the summit on Thursday."
    same = "Fifteen heads of state were expected to attend the summit this Thursday."
    unrelated = "A painter who has portrayed 15 heads of state since 1990 opens her gallery in Lyon soon."
    assert not compatible(figure(15, summit), figure(12, same, 1))  # another value: never linked
    assert verdicts(figure(15, summit), [figure(12, same, 1)], [enthusiast]) == []
    (alike,) = verdicts(figure(15, summit), [figure(15, same, 2)], [enthusiast])
    (apart,) = verdicts(figure(15, summit), [figure(15, unrelated, 3)], [enthusiast])
    builtin = RegisteredMatcher.of(FigureMatcher(threshold=0.6))
    (reference,) = verdicts(figure(15, summit), [figure(15, unrelated, 3)], [builtin])
    assert alike.status == CandidateStatus.LINKED and alike.score < 1.0
    assert apart.score == reference.score < 0.7 and apart.status == CandidateStatus.CONSIDERED
    assert apart.explanation.startswith("figures are figures; capped at")
    assert "capped" not in reference.explanation  # the built-in figure matcher scores no higher


def test_guard_numbers_must_agree() -> None:
    assert not compatible(
        q("Unemployment fell to 4.2 percent in May"), q("Unemployment fell to 4.5 percent in May")
    )
    assert compatible(
        q("Unemployment fell to 4.2 percent in May"), q("unemployment fell to 4.2 percent in may")
    )
    assert compatible(q("Fifteen leaders came to the summit"), q("15 leaders came to the summit"))
    assert not compatible(q("The leaders met at the summit"), q("The leaders met at the summit in 2019"))
    assert not compatible(q("Fifteen leaders came to the summit"), q("Sixteen leaders came to the summit"))
    assert compatible(q("The two leaders met at the summit"), q("Both leaders met at the summit"))


def test_guard_speakers_must_not_contradict() -> None:
    words = "We will defend every inch of our territory whatever it takes"
    assert not compatible(q(words, "Maria Lopez"), q(words, "John Brandt"))
    assert compatible(q(words, "Maria Lopez"), q(words, None))
    assert compatible(q(words, "Maria Lopez"), q(words, "Lopez"))  # one person, two forms
    assert compatible(q(words, "Maria Lopez and John Brandt"), q(words, "Brandt"))  # a joint statement


def test_guard_numbers_read_times_by_the_clock_and_skip_an_editors_insertions() -> None:
    said = "The road opens at {} on Friday"
    assert compatible(q(said.format("6 p.m.")), q(said.format("6:00 pm")))
    assert compatible(q(said.format("6 p.m.")), q(said.format("18:00")))
    assert compatible(q(said.format("0241 GMT")), q(said.format("02:41 GMT")))
    assert not compatible(q(said.format("6 p.m.")), q(said.format("7 p.m.")))
    assert not compatible(q(said.format("6 p.m.")), q(said.format("6 a.m.")))
    assert compatible(q("The road opens on Friday"), q("The road opens on Friday [12 March]"))
    assert not compatible(q("They won by a 2:1 vote"), q("They won by a 3:1 vote"))  # a ratio, not a time


def test_decide_picks_the_best_accepted_candidate() -> None:
    query = q("We highly appreciate the balanced position of our partners on this crisis")
    near = q("We highly value the balanced position of our partners on this crisis", claim_id=1)
    far = q("Our partners have been silent on this crisis for far too long now", claim_id=2)
    found = verdicts(query, [far, near], [EXACT, FUZZY])
    chosen = decide(found)
    assert chosen is not None and (chosen.claim_id, chosen.matcher, chosen.version) == (1, "fuzzy", "1")
    assert (chosen.threshold, chosen.status) == (0.8, CandidateStatus.LINKED)
    assert "shared words" in chosen.explanation and "0.8" in chosen.explanation
    assert decide(verdicts(query, [far], [EXACT, FUZZY])) is None


def test_scores_between_the_two_thresholds_are_suggested_not_linked() -> None:
    query = q("The government will cut fuel duty for farmers and hauliers this winter")
    rewritten = q("Fuel duty for hauliers is to be cut by the government, ministers said", claim_id=7)
    (verdict,) = verdicts(query, [rewritten], [FUZZY])
    assert 0.65 <= verdict.score < 0.8 and verdict.status == CandidateStatus.SUGGESTED
    assert decide([verdict]) is None


def test_short_texts_need_a_higher_score() -> None:
    loose = RegisteredMatcher.of(FuzzyMatcher(threshold=0.5, min_words=2))
    (verdict,) = verdicts(q("no comment today"), [q("no comment yet", claim_id=3)], [loose])
    assert verdict.threshold == 0.95 and verdict.status != CandidateStatus.LINKED


def test_vetoed_claims_are_never_candidates() -> None:
    words = "We will defend every inch of our territory whatever it takes"
    assert verdicts(q(words), [q(words, claim_id=4)], [EXACT], vetoed={4}) == []


def test_an_excerpt_is_related_to_its_quote_not_merged_with_it() -> None:
    full = q("The West wants to create a unipolar world and to keep its hold on every region", claim_id=1)
    fragment = q("to create a unipolar world", claim_id=2)
    assert excerpt_score(fragment.text, full.text) == 1.0 and excerpt_score(full.text, fragment.text) is None
    assert not compatible(fragment, full) and not compatible(full, fragment)
    (relation,) = relations(fragment, [full], 0.6)
    assert (relation.claim, relation.related, relation.kind) == (fragment, full, RelationKind.PART_OF)
    assert relation.score == 1.0  # found word for word
    (relation,) = relations(full, [fragment], 0.6)  # found the other way round, same relation
    assert (relation.claim, relation.related) == (fragment, full)
    # a quote trimmed by a word or two is the same claim, not an excerpt
    assert (
        excerpt_score(
            "We will defend every inch of our territory", "We will defend every inch of our territory now"
        )
        is None
    )


def test_the_same_figure_with_another_value_conflicts() -> None:
    def figure(value: float, context: str, counted: str = "heads of state", claim_id: int = 1) -> ClaimText:
        return ClaimText(
            ClaimKind.FIGURE,
            f"{value:g} {counted}",
            value=value,
            counted=counted,
            context=context,
            claim_id=claim_id,
        )

    a = figure(15, "Fifteen heads of state attended the summit in Samarkand on Friday.")
    b = figure(16, "Sixteen heads of state attended the summit in Samarkand on Friday.", claim_id=2)
    (relation,) = relations(a, [b], 0.6)
    assert relation.kind == RelationKind.CONFLICTS_WITH and "15 vs 16" in relation.detail
    unrelated = figure(16, "Sixteen heads of state signed the trade pact in Geneva last year.", claim_id=3)
    assert relations(a, [unrelated], 0.6) == []
    other_thing = figure(16, "Sixteen ministers attended the summit in Samarkand on Friday.", "ministers", 4)
    assert relations(a, [other_thing], 0.6) == []
    assert relations(a, [figure(15, a.context or "", claim_id=5)], 0.6) == []


@pytest.mark.parametrize(
    ("value", "thing", "mine", "theirs", "linked"),
    [
        (15, "heads of state", "Fifteen heads of state gathered at the Baltic summit in Tallinn on Friday.",
         "At the Baltic summit in Tallinn on Friday, fifteen heads of state gathered.", True),
        (40, "families", "The storm left 40 families without power in Harlow overnight, the utility said.",
         "Some 40 families in Harlow were left without power overnight by the storm.", True),
        (2, "people", "Two people were killed in a fire at a warehouse in Leeds on Sunday.",
         "Police say two people were killed when a lorry hit a bus in Cardiff.", False),
        (12, "years", "He was sentenced to 12 years in prison for fraud last spring.",
         "The singer has toured for 12 years across Europe with her band.", False),
        (2, "murder charges", "Hale is expected to be arraigned on two murder charges later today.",
         "Ortiz faces arraignment in the district court on two murder charges on Monday.", False),
    ],
)  # fmt: skip
def test_a_figure_links_only_the_same_thing_counted_in_a_similar_sentence(
    value: float, thing: str, mine: str, theirs: str, linked: bool
) -> None:
    def counted(context: str, claim_id: int | None = None) -> ClaimText:
        return ClaimText(
            ClaimKind.FIGURE,
            f"{value:g} {thing}",
            value=value,
            counted=thing,
            context=context,
            claim_id=claim_id,
        )

    matcher = RegisteredMatcher.of(FigureMatcher(threshold=0.6))
    (verdict,) = verdicts(counted(mine), [counted(theirs, 1)], [matcher])
    assert (verdict.status == CandidateStatus.LINKED) == linked, verdict


FERRY = "The new ferry will run every hour from the first of May and it will stop at every island on the way"
TWO_SENTENCES = [
    "Tickets will cost the same as the bus.",
    "Nobody on the island should be left waiting in the rain.",
]


@pytest.mark.parametrize(
    ("excerpt", "wholes", "related"),
    [
        ("That person needs to be found as soon as possible",
         ["That person is dangerous and needs to be found as soon as possible"], [0]),
        ("the ferry will run every hour from the start of May", [FERRY], [0]),
        ("cost the same as the bus and nobody should be left waiting in the rain", TWO_SENTENCES, [0, 1]),
        ("That person needs to be found", ["That person is not dangerous and needs no help from anyone"], []),
        ("nobody should be left waiting for the bus", TWO_SENTENCES, []),
    ],
)  # fmt: skip
def test_an_excerpt_lightly_reworded_or_across_two_sentences_is_part_of_its_quote(
    excerpt: str, wholes: list[str], related: list[int]
) -> None:
    claims = [q(text, claim_id=n + 1) for n, text in enumerate(wholes)]
    found = relations(q(excerpt, claim_id=99), claims, 0.6)
    assert sorted(r.related.claim_id for r in found if r.kind == RelationKind.PART_OF) == [
        n + 1 for n in related
    ]


def test_a_claim_and_its_denial_are_at_most_suggested_by_any_matcher() -> None:
    said = "The new bridge will be finished by the end of the year"
    (denied,) = verdicts(
        q(said), [q("The new bridge will not be finished by the end of the year", None, 1)], [FUZZY]
    )
    assert denied.status == CandidateStatus.SUGGESTED and denied.score == 0.65
    assert denied.explanation.endswith("one is negated and the other not")
    (both,) = verdicts(
        q("We did not know about the leak until the morning of the fire."),
        [q("We didn't know about the leak until the morning of the fire.", None, 2)],
        [FUZZY],
    )
    assert both.status == CandidateStatus.LINKED
