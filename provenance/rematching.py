"""Re-matching: stored claims matched again against the earlier ones with the matchers installed
now, so a matcher added later links what it would have linked had it run at ingest. A claim a
matcher now links to an earlier claim is folded into it as an editor's merge would be (recorded
in ``editorial_action`` under the job's name, and told to webhook subscribers); an editor's
veto of a wording for a claim still holds.
"""

from __future__ import annotations

from sqlalchemy import Engine, bindparam, select
from sqlmodel import col

from provenance import candidates
from provenance.editorial import EditorialError, NotFound
from provenance.matching import decide, verdicts
from provenance.models import Claim, MatchRule
from provenance.plugins import PluginRegistry
from provenance.services import EditorialService


def rematch(engine: Engine, registry: PluginRegistry, first: int, last: int, actor: str) -> int:
    """Match each live claim with an id from ``first`` to ``last`` against the earlier claims
    the candidate sources propose, and fold it into the one the matchers now link it to, as
    ``actor``; returns how many claims were folded."""
    matchers = registry.active_matchers()
    decisions = EditorialService(engine, registry)
    folded = 0
    for claim_id in range(first, last + 1):
        with engine.connect() as connection:  # read afresh: an earlier merge may have taken it
            claim = candidates.claim_texts(connection, [claim_id]).get(claim_id)
            if claim is None:
                continue
            (shortlist,) = candidates.shortlists(connection, registry.sources(), [claim])
            earlier = [c for c in shortlist if c.claim_id is not None and c.claim_id < claim_id]
            vetoed = set(connection.execute(_VETOED, {"claim": claim_id}).scalars()) if earlier else set()
        chosen = decide(verdicts(claim, earlier, matchers, vetoed))
        if chosen is None:
            continue
        try:
            decisions.merge(
                chosen.claim_id, claim_id, actor, f"re-matched by {chosen.matcher}: {chosen.explanation}"
            )
        except (EditorialError, NotFound):  # folded or changed by someone else meanwhile
            continue
        folded += 1
    return folded


_VETOED = (  # the claims an editor said this claim's wording never joins
    select(col(MatchRule.claim_id))
    .join(Claim, col(Claim.key) == col(MatchRule.key))
    .where(col(Claim.id) == bindparam("claim"), col(MatchRule.linked).is_(False))
)
