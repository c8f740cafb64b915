"""Editorial control: pending suggestions, confirm or reject them, merge claims, detach mentions,
and the record of every decision."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.status_codes import HTTP_200_OK
from sqlmodel import Session

from provenance import editorial
from provenance.api.auth import SCOPE_OPT, actor
from provenance.api.deps import JSONObject, Limit, Offset, PathId
from provenance.api.errors import BODY, problems
from provenance.api.schemas import Decision, MergeRequest, Page
from provenance.editorial import ActionOut, ScoredCandidate, Suggestion
from provenance.keys import Scope
from provenance.services import EditorialService

DECISION_ERRORS = problems(*BODY, 404, 409)
REVIEW = {SCOPE_OPT: Scope.REVIEW}
"""Editorial decisions need a key with the review scope; its name is recorded as who took them."""


class EditorialController(Controller):
    """Review and correction of matching decisions; every decision is recorded."""

    path = "/v1"
    tags = ("editorial",)

    @get("/suggestions", operation_id="ListSuggestions", sync_to_thread=True, responses=problems(400))
    def list_suggestions(
        self, session: NamedDependency[Session], limit: Limit = 50, offset: Offset = 0
    ) -> Page[Suggestion]:
        """Matches scored between a matcher's suggested and confirmed thresholds, best first."""
        found, total = editorial.suggestions(session, limit, offset)
        return Page(found, total, limit, offset)

    @post(
        "/suggestions/{candidate_id:int}/confirm",
        operation_id="ConfirmSuggestion",
        sync_to_thread=True,
        status_code=HTTP_200_OK,
        responses=DECISION_ERRORS,
        opt=REVIEW,
    )
    def confirm(
        self,
        candidate_id: PathId,
        data: Annotated[Decision, JSONObject],
        decisions: NamedDependency[EditorialService],
        request: Request[Any, Any, Any],
    ) -> ActionOut:
        """Accept a suggestion: its mention joins the suggested claim."""
        return decisions.review(candidate_id, True, actor(request), data.note)

    @post(
        "/suggestions/{candidate_id:int}/reject",
        operation_id="RejectSuggestion",
        sync_to_thread=True,
        status_code=HTTP_200_OK,
        responses=DECISION_ERRORS,
        opt=REVIEW,
    )
    def reject(
        self,
        candidate_id: PathId,
        data: Annotated[Decision, JSONObject],
        decisions: NamedDependency[EditorialService],
        request: Request[Any, Any, Any],
    ) -> ActionOut:
        """Turn a suggestion down: that wording is never linked to that claim again."""
        return decisions.review(candidate_id, False, actor(request), data.note)

    @post(
        "/claims/{claim_id:int}/merge",
        operation_id="MergeClaims",
        sync_to_thread=True,
        status_code=HTTP_200_OK,
        responses=DECISION_ERRORS,
        opt=REVIEW,
    )
    def merge(
        self,
        claim_id: PathId,
        data: Annotated[MergeRequest, JSONObject],
        decisions: NamedDependency[EditorialService],
        request: Request[Any, Any, Any],
    ) -> ActionOut:
        """Fold another claim into this one: its mentions, relations and review trail move here."""
        return decisions.merge(claim_id, data.other_claim_id, actor(request), data.note)

    @post(
        "/mentions/{mention_id:int}/detach",
        operation_id="DetachMention",
        sync_to_thread=True,
        status_code=HTTP_200_OK,
        responses=DECISION_ERRORS,
        opt=REVIEW,
    )
    def detach(
        self,
        mention_id: PathId,
        data: Annotated[Decision, JSONObject],
        decisions: NamedDependency[EditorialService],
        request: Request[Any, Any, Any],
    ) -> ActionOut:
        """Give a mention a claim of its own; its wording is never linked to the old claim again."""
        return decisions.detach(mention_id, actor(request), data.note)

    @get(
        "/mentions/{mention_id:int}/candidates",
        operation_id="ListMentionCandidates",
        sync_to_thread=True,
        responses=problems(400, 404),
    )
    def mention_candidates(
        self, mention_id: PathId, session: NamedDependency[Session]
    ) -> list[ScoredCandidate]:
        """The review trail of a mention: every claim scored for it, with matcher, version, score,
        threshold, status (linked, suggested, considered, confirmed, rejected) and explanation."""
        return editorial.mention_candidates(session, mention_id)

    @get(
        "/editorial-actions",
        operation_id="ListEditorialActions",
        sync_to_thread=True,
        responses=problems(400),
    )
    def list_actions(
        self, session: NamedDependency[Session], limit: Limit = 50, offset: Offset = 0
    ) -> Page[ActionOut]:
        """Every editorial decision, newest first, with who took it and when."""
        found, total = editorial.actions(session, limit, offset)
        return Page(found, total, limit, offset)
