"""The outbox: events written in the transaction of the change they report, so a committed
change always has its events and a rolled-back one has none; the webhook dispatcher
(:mod:`provenance.webhooks`) delivers them later, and ingest never waits for it.

An event is written only when a subscription wants it, with one delivery row per subscription.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, insert, select
from sqlmodel import col

from provenance.clock import utcnow
from provenance.db import insert_rows
from provenance.models import OutboxEvent, Webhook, WebhookDelivery


class EventKind(StrEnum):
    """What a subscription can ask to hear about (one event per article and kind)."""

    CLAIM_CREATED = "claim.created"  # claims first seen in an article
    CLAIM_MENTIONED = "claim.mentioned"  # known claims appearing in a new article
    FIGURE_CONFLICT = "figure.conflict"  # a new figure printed with another value than a stored one
    EDITORIAL_ACTION = "editorial.action"  # a merge, detach, confirm or reject


@dataclass(frozen=True)
class Event:
    """An event to record: its kind and its JSON-ready data."""

    kind: EventKind
    data: dict[str, Any]


def record(connection: Connection, events: list[Event]) -> None:
    """Write ``events`` and a delivery for each subscription that wants it, in the caller's
    transaction; events nobody subscribes to are not written."""
    if not events:
        return
    wanted: dict[str, list[int]] = {}
    for webhook_id, kinds in connection.execute(_SUBSCRIPTIONS):
        assert webhook_id is not None
        for kind in kinds.split():
            wanted.setdefault(kind, []).append(webhook_id)
    owed = [event for event in events if wanted.get(event.kind)]
    if not owed:
        return
    now = utcnow()
    rows = [
        {
            "kind": e.kind.value,
            "data": json.dumps(e.data, separators=(",", ":"), default=_iso),
            "created_at": now,
        }
        for e in owed
    ]
    ids = insert_rows(connection, OutboxEvent, rows)
    deliveries = [
        {"webhook_id": webhook_id, "event_id": event_id, "status": "pending", "attempts": 0, "due_at": now}
        for event_id, event in zip(ids, owed, strict=True)
        for webhook_id in wanted[event.kind]
    ]
    connection.execute(insert(WebhookDelivery), deliveries)


def _iso(value: object) -> str:
    """A time in an event as ISO 8601."""
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


_SUBSCRIPTIONS = select(col(Webhook.id), col(Webhook.events))
