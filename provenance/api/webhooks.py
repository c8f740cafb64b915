"""``/v1/webhooks``: subscriptions to events, and each one's delivery log. Managing them needs
a key with the admin scope (a subscription holds the secret its deliveries are signed with)."""

from __future__ import annotations

from typing import Annotated, Literal

from litestar import Controller, delete, get, post
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT
from sqlalchemy import Engine
from sqlmodel import Session

from provenance import webhooks
from provenance.api.auth import SCOPE_OPT
from provenance.api.deps import JSONObject, Limit, Offset, PathId, not_found
from provenance.api.errors import BODY, problems
from provenance.api.schemas import Page, WebhookCreate
from provenance.keys import Scope
from provenance.webhooks import DeliveryOut, WebhookOut

ADMIN = {SCOPE_OPT: Scope.ADMIN}
DeliveryStatus = Annotated[
    Literal["pending", "delivered", "failed"] | None,
    QueryParameter(description="Only deliveries in this state."),
]


class WebhookController(Controller):
    """Webhook subscriptions: each event they ask for is posted, signed, to their URL."""

    path = "/v1/webhooks"
    tags = ("webhooks",)
    opt = ADMIN

    @post(
        "/",
        operation_id="CreateWebhook",
        status_code=HTTP_201_CREATED,
        sync_to_thread=True,
        responses=problems(*BODY),
    )
    def create_webhook(
        self, data: Annotated[WebhookCreate, JSONObject], engine: NamedDependency[Engine]
    ) -> WebhookOut:
        """Subscribe a URL to events: ``claim.created`` (claims first seen in an article),
        ``claim.mentioned`` (known claims in a new article), ``figure.conflict`` (a new figure
        printed with another value than a stored one) and ``editorial.action``. Each delivery is
        a POST signed with the secret (``Provenance-Signature: t=<unix time>,v1=<hex
        HMAC-SHA256 of "<t>.<body>">``), retried with exponential backoff until a 2xx answer."""
        return webhooks.subscribe(engine, data.url, [str(kind) for kind in data.events], data.secret)

    @get("/", operation_id="ListWebhooks", sync_to_thread=True, responses=problems(400))
    def list_webhooks(
        self, session: NamedDependency[Session], limit: Limit = 50, offset: Offset = 0
    ) -> Page[WebhookOut]:
        """Subscriptions, oldest first (their secrets are never shown)."""
        found, total = webhooks.subscriptions(session, limit, offset)
        return Page(found, total, limit, offset)

    @get("/{webhook_id:int}", operation_id="GetWebhook", sync_to_thread=True, responses=problems(400, 404))
    def get_webhook(self, webhook_id: PathId, session: NamedDependency[Session]) -> WebhookOut:
        """One subscription."""
        found = webhooks.subscription(session, webhook_id)
        if found is None:
            raise not_found("webhook", webhook_id)
        return found

    @delete(
        "/{webhook_id:int}",
        operation_id="DeleteWebhook",
        status_code=HTTP_204_NO_CONTENT,
        sync_to_thread=True,
        responses=problems(400, 404),
    )
    def delete_webhook(self, webhook_id: PathId, engine: NamedDependency[Engine]) -> None:
        """Unsubscribe: nothing more is sent, and its delivery log goes with it."""
        if not webhooks.unsubscribe(engine, webhook_id):
            raise not_found("webhook", webhook_id)

    @get(
        "/{webhook_id:int}/deliveries",
        operation_id="ListWebhookDeliveries",
        sync_to_thread=True,
        responses=problems(400, 404),
    )
    def list_deliveries(
        self,
        webhook_id: PathId,
        session: NamedDependency[Session],
        limit: Limit = 50,
        offset: Offset = 0,
        status: DeliveryStatus = None,
    ) -> Page[DeliveryOut]:
        """The delivery log: each event owed to this subscription, newest first, with its state
        and every attempt (when, the HTTP status or the error, how long it took)."""
        if webhooks.subscription(session, webhook_id) is None:
            raise not_found("webhook", webhook_id)
        found, total = webhooks.deliveries(session, webhook_id, limit, offset, status)
        return Page(found, total, limit, offset)
