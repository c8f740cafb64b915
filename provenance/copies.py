"""Copies and rewrites: when one article carries another's claims, most of them and in much the
same order, it is a copy of it (the same wording) or a rewrite (reworded). Lineage reads this
between stored articles; linking reads it while an article is linked, so that a sentence a
rewrite rewords (a matcher only suggests it for the other article's claim) is linked to that
claim, as an editor would confirm."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Collection, Sequence
from dataclasses import replace

from sqlalchemy import Connection, func, select
from sqlmodel import col

from provenance.matching import Verdict
from provenance.models import CandidateStatus, Mention

COPY_SHARE = 0.5  # share of an article's claims found in an earlier one ...
COPY_ORDER = 0.8  # ... in much the same order ...
COPY_MIN_CLAIMS = 3  # ... and at least this many of them: a likely copy or rewrite
COPY_SAME_WORDING = 0.8  # a copy prints most shared claims word for word; a rewrite rewords them


def kept_in_order(mine: list[int], theirs: list[int]) -> float:
    """The longest run of shared claims both articles print in the same order, as a share."""
    if len(mine) < 2:
        return 1.0
    position = {claim_id: n for n, claim_id in enumerate(theirs)}
    tails: list[int] = []  # patience sorting: length of the longest increasing subsequence
    for claim_id in mine:
        at = bisect_left(tails, position[claim_id])
        tails[at : at + 1] = [position[claim_id]]
    return len(tails) / len(mine)


def carried_claims(connection: Connection, linked: Sequence[int], printed: int) -> Collection[int]:
    """The claims of the stored article that the article being linked copies or rewrites, or that
    copies or rewrites it: of the stored claims it links to (``linked``, in the order printed; of
    its ``printed`` claims in all), the article holding the most, if that is at least
    :data:`COPY_MIN_CLAIMS`, a :data:`COPY_SHARE` of either article's claims, in much the same
    order. Empty when no stored article is such a copy."""
    shared = list(dict.fromkeys(linked))
    if len(shared) < COPY_MIN_CLAIMS:
        return frozenset()
    held_here = func.count(func.distinct(col(Mention.claim_id)))
    best = connection.execute(
        select(col(Mention.article_id), held_here.label("shared"))
        .where(col(Mention.claim_id).in_(shared))
        .group_by(col(Mention.article_id))
        .order_by(held_here.desc(), col(Mention.article_id))
        .limit(1)
    ).first()
    if best is None or best.shared < COPY_MIN_CLAIMS:
        return frozenset()
    theirs = list(
        dict.fromkeys(
            connection.execute(
                select(col(Mention.claim_id))
                .where(col(Mention.article_id) == best.article_id)
                .order_by(col(Mention.start))
            ).scalars()
        )
    )
    held = set(theirs)
    mine = [claim_id for claim_id in shared if claim_id in held]
    share = max(len(mine) / max(printed, 1), len(mine) / len(theirs))
    order = kept_in_order(mine, theirs)  # positions among all of theirs keep the same order
    return frozenset(theirs) if share >= COPY_SHARE and order >= COPY_ORDER else frozenset()


def reworded(best: Verdict, carried: Collection[int]) -> bool:
    """Whether the best verdict for a mention is a suggestion of a claim the copied or rewritten
    article carries (:func:`carried_claims`): the sentence rewords that claim."""
    return best.status == CandidateStatus.SUGGESTED and best.claim_id in carried


def linked_as_reworded(best: Verdict) -> Verdict:
    """A suggestion linked because the article copies or rewrites one that carries its claim:
    the threshold that applied is the matcher's suggestion threshold, and the explanation says why."""
    return replace(
        best,
        threshold=best.suggest_threshold,
        explanation=f"{best.explanation}; linked at the suggestion threshold: the article copies or "
        "rewrites one that prints this claim",
    )
