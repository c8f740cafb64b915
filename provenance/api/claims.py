"""``/v1/claims`` and ``/v1/match``: claims, their provenance, and tracing a text back to them."""

from __future__ import annotations

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_200_OK
from sqlmodel import Session

from provenance import lineage
from provenance.api.deps import Limit, Offset, not_found
from provenance.api.schemas import MatchRequest, Page
from provenance.domain import ClaimKind, ReportClaim
from provenance.lineage import ClaimProvenance, FigureConflict
from provenance.plugins import PluginRegistry
from provenance.queries import ClaimFilter, MatchHit, get_claim, list_claims, match_text, merged_into

ClaimKindParam = FromQuery[ClaimKind | None]


def missing_claim(session: Session, claim_id: int) -> NotFoundException:
    """A 404 for a claim that does not exist, or one that says which claim it was merged into."""
    target = merged_into(session, claim_id)
    if target is None:
        return not_found("claim", claim_id)
    return NotFoundException(
        detail=f"claim {claim_id} was merged into claim {target}", extra={"merged_into": target}
    )


class ClaimController(Controller):
    """Claims and where they appeared."""

    path = "/v1/claims"
    tags = ("claims",)

    @get("/", operation_id="ListClaims", sync_to_thread=True)
    def list_claims(
        self,
        session: NamedDependency[Session],
        limit: Limit = 50,
        offset: Offset = 0,
        kind: ClaimKindParam = None,
        speaker: FromQuery[str | None] = None,
        text: FromQuery[str | None] = None,
        article_id: FromQuery[int | None] = None,
    ) -> Page[ReportClaim]:
        """Claims in id order, filtered by kind, speaker (name or as written), text and article."""
        claims, total = list_claims(
            session, ClaimFilter(kind.value if kind else None, speaker, text, article_id), limit, offset
        )
        return Page(claims, total, limit, offset)

    @get("/{claim_id:int}", operation_id="GetClaim", sync_to_thread=True)
    def get_claim(self, claim_id: FromPath[int], session: NamedDependency[Session]) -> ReportClaim:
        """One claim with every mention and its article."""
        claim = get_claim(session, claim_id)
        if claim is None:
            raise missing_claim(session, claim_id)
        return claim

    @get("/{claim_id:int}/provenance", operation_id="GetClaimProvenance", sync_to_thread=True)
    def claim_provenance(self, claim_id: FromPath[int], session: NamedDependency[Session]) -> ClaimProvenance:
        """Where the claim first appeared (by publication time, else ingestion time, as
        ``time_basis`` says), every appearance in order with its outlet, wording and word-level
        changes against the first, and the claims it relates to (excerpts, conflicting figures)."""
        found = lineage.claim_provenance(session, claim_id)
        if found is None:
            raise missing_claim(session, claim_id)
        return found


@post("/v1/match", operation_id="MatchText", sync_to_thread=True, status_code=HTTP_200_OK, tags=["claims"])
def match(
    data: JSONBody[MatchRequest], session: NamedDependency[Session], registry: NamedDependency[PluginRegistry]
) -> list[MatchHit]:
    """Where did this quote come from? The stored claims matching ``text``, best first, with the
    score and the matcher that decided."""
    if not data.text.strip():
        from litestar.exceptions import ValidationException

        raise ValidationException(detail="text is empty")
    return match_text(session, registry, data.text, data.speaker)


@get("/v1/conflicts", operation_id="ListConflicts", sync_to_thread=True, tags=["claims"])
def list_conflicts(
    session: NamedDependency[Session], limit: Limit = 50, offset: Offset = 0
) -> Page[FigureConflict]:
    """Figures printed with different values for the same thing in the same context, newest first."""
    found, total = lineage.conflicts(session, limit, offset)
    return Page(found, total, limit, offset)
