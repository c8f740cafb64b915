"""``/v1/claims`` and ``/v1/match``: claims, their provenance, and tracing a text back to them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromQuery
from litestar.status_codes import HTTP_200_OK
from sqlmodel import Session

from provenance import lineage
from provenance.api.auth import SCOPE_OPT
from provenance.api.deps import (
    IdFilter,
    JSONObject,
    Limit,
    Offset,
    PathId,
    TextFilter,
    TimeFilter,
    not_found,
    time_filter,
)
from provenance.api.errors import BODY, problems
from provenance.api.schemas import MatchRequest, Page
from provenance.domain import ClaimKind, ReportClaim, ReportMention
from provenance.keys import Scope
from provenance.lineage import ClaimProvenance, FigureConflict
from provenance.plugins import PluginRegistry
from provenance.queries import (
    ClaimFilter,
    MatchHit,
    claim_mentions,
    get_claim,
    list_claims,
    match_text,
    merged_into,
)

ClaimKindParam = FromQuery[ClaimKind | None]


def missing_claim(session: Session, claim_id: int) -> NotFoundException:
    """A 404 for a claim that does not exist, or one that says which claim it was merged into."""
    target = merged_into(session, claim_id)
    if target is None:
        return not_found("claim", claim_id)
    return NotFoundException(
        detail=f"claim {claim_id} was merged into claim {target}", extra={"merged_into": target}
    )


def claim_filter(
    kind: ClaimKind | None,
    speaker: str | None,
    text: str | None,
    article_id: int | None,
    outlet: str | None,
    published_after: datetime | None,
    published_before: datetime | None,
) -> ClaimFilter:
    """The filters of a claim list or an export, its times checked (400 naming one out of range)."""
    return ClaimFilter(
        kind.value if kind else None,
        speaker,
        text,
        article_id,
        outlet,
        time_filter("published_after", published_after),
        time_filter("published_before", published_before),
    )


class ClaimController(Controller):
    """Claims and where they appeared."""

    path = "/v1/claims"
    tags = ("claims",)

    @get("/", operation_id="ListClaims", sync_to_thread=True, responses=problems(400))
    def list_claims(
        self,
        session: NamedDependency[Session],
        limit: Limit = 50,
        offset: Offset = 0,
        kind: ClaimKindParam = None,
        speaker: TextFilter = None,
        text: TextFilter = None,
        article_id: IdFilter = None,
        outlet: TextFilter = None,
        published_after: TimeFilter = None,
        published_before: TimeFilter = None,
    ) -> Page[ReportClaim]:
        """Claims in id order, filtered by kind, speaker (name or as written), text, article, and
        outlet and publication time (of any article that printed the claim), each with
        ``mention_count`` and its first mentions (``GET /v1/claims/{id}/mentions`` has them all)."""
        filters = claim_filter(kind, speaker, text, article_id, outlet, published_after, published_before)
        claims, total = list_claims(session, filters, limit, offset)
        return Page(claims, total, limit, offset)

    @get("/{claim_id:int}", operation_id="GetClaim", sync_to_thread=True, responses=problems(400, 404))
    def get_claim(self, claim_id: PathId, session: NamedDependency[Session]) -> ReportClaim:
        """One claim with ``mention_count`` and its first mentions with their articles
        (``GET /v1/claims/{id}/mentions`` has them all)."""
        claim = get_claim(session, claim_id)
        if claim is None:
            raise missing_claim(session, claim_id)
        return claim

    @get(
        "/{claim_id:int}/mentions",
        operation_id="ListClaimMentions",
        sync_to_thread=True,
        responses=problems(400, 404),
    )
    def claim_mentions(
        self,
        claim_id: PathId,
        session: NamedDependency[Session],
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Page[ReportMention]:
        """Every mention of a claim with its article, a page at a time, in order of appearance
        (earliest published, else ingested, first)."""
        found = claim_mentions(session, claim_id, limit, offset)
        if found is None:
            raise missing_claim(session, claim_id)
        mentions, total = found
        return Page(mentions, total, limit, offset)

    @get(
        "/{claim_id:int}/provenance",
        operation_id="GetClaimProvenance",
        sync_to_thread=True,
        responses=problems(400, 404),
    )
    def claim_provenance(self, claim_id: PathId, session: NamedDependency[Session]) -> ClaimProvenance:
        """Where the claim first appeared (by publication time, else ingestion time, as
        ``time_basis`` says), every appearance in order with its outlet, wording and word-level
        changes against the first, and the claims it relates to (excerpts, conflicting figures)."""
        found = lineage.claim_provenance(session, claim_id)
        if found is None:
            raise missing_claim(session, claim_id)
        return found


@post(
    "/v1/match",
    operation_id="MatchText",
    sync_to_thread=True,
    status_code=HTTP_200_OK,
    tags=["claims"],
    responses=problems(*BODY),
    opt={SCOPE_OPT: Scope.READ},  # a read, though it is a POST
)
def match(
    data: Annotated[MatchRequest, JSONObject],
    session: NamedDependency[Session],
    registry: NamedDependency[PluginRegistry],
) -> list[MatchHit]:
    """Where did this quote come from? The stored claims matching ``text``, best first, with the
    score and the matcher that decided."""
    return match_text(session, registry, data.text, data.speaker)


@get(
    "/v1/conflicts",
    operation_id="ListConflicts",
    sync_to_thread=True,
    tags=["claims"],
    responses=problems(400),
)
def list_conflicts(
    session: NamedDependency[Session], limit: Limit = 50, offset: Offset = 0
) -> Page[FigureConflict]:
    """Figures printed with different values for the same thing in the same context, newest first."""
    found, total = lineage.conflicts(session, limit, offset)
    return Page(found, total, limit, offset)
