"""Webhook subscriptions, the signature every delivery carries, and the dispatcher that
delivers the outbox (:mod:`provenance.outbox`).

A dispatcher takes due deliveries by moving their ``due_at`` past a lease (PostgreSQL skips rows
another dispatcher has locked), posts them with httpx, and records every attempt; a failed
delivery is due again after an exponential backoff, until it runs out of attempts. One that a
dispatcher took and never settled (the process died) is due again once its lease has passed,
so a delivery is never lost: it is delivered at least once.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import time
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import anyio
import httpx
from sqlalchemy import Engine, bindparam, delete, func, select, update
from sqlmodel import Session, col

from provenance import __version__
from provenance.clock import as_utc, utcnow
from provenance.db import session_scope
from provenance.models import OutboxEvent, Webhook, WebhookAttempt, WebhookDelivery
from provenance.settings import Settings

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "Provenance-Signature"
BATCH = 50  # deliveries a dispatcher takes and sends at once


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The ``Provenance-Signature`` header: ``t=<unix time>,v1=<hex HMAC-SHA256 of
    "<t>.<body>" keyed with the subscription's secret>``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


@dataclass(frozen=True)
class WebhookOut:
    """A subscription (its secret is never shown)."""

    id: int
    url: str
    events: list[str]
    created_at: datetime


@dataclass(frozen=True)
class AttemptOut:
    """One try of a delivery: the HTTP status it got, or the error that stopped it."""

    attempt: int
    at: datetime
    status_code: int | None
    error: str | None
    duration_ms: float


@dataclass(frozen=True)
class DeliveryOut:
    """An event owed to a subscription: ``pending`` (next tried at ``due_at``), ``delivered`` or
    ``failed`` (out of attempts), with every attempt."""

    id: int
    event_id: int
    event: str
    status: str
    attempts: int
    due_at: datetime | None
    delivered_at: datetime | None
    log: list[AttemptOut]


def subscribe(engine: Engine, url: str, events: list[str], secret: str) -> WebhookOut:
    """Store a subscription to ``events`` (names of :class:`provenance.outbox.EventKind`)."""
    with session_scope(engine) as session:
        webhook = Webhook(url=url, events=" ".join(sorted(set(events))), secret=secret)
        session.add(webhook)
        session.flush()
        return _webhook_out(webhook)


def unsubscribe(engine: Engine, webhook_id: int) -> bool:
    """Delete a subscription with its deliveries and their log; False if there was none."""
    with session_scope(engine) as session:
        if session.get(Webhook, webhook_id) is None:
            return False
        deliveries = select(col(WebhookDelivery.id)).where(col(WebhookDelivery.webhook_id) == webhook_id)
        session.execute(delete(WebhookAttempt).where(col(WebhookAttempt.delivery_id).in_(deliveries)))
        session.execute(delete(WebhookDelivery).where(col(WebhookDelivery.webhook_id) == webhook_id))
        session.execute(delete(Webhook).where(col(Webhook.id) == webhook_id))
        return True


def subscriptions(session: Session, limit: int, offset: int) -> tuple[list[WebhookOut], int]:
    """Subscriptions, oldest first, with the total."""
    total = session.execute(select(func.count()).select_from(Webhook)).scalar_one()
    rows = session.execute(select(Webhook).order_by(col(Webhook.id)).limit(limit).offset(offset)).scalars()
    return [_webhook_out(w) for w in rows], total


def subscription(session: Session, webhook_id: int) -> WebhookOut | None:
    """One subscription, if it exists."""
    webhook = session.get(Webhook, webhook_id)
    return None if webhook is None else _webhook_out(webhook)


def deliveries(
    session: Session, webhook_id: int, limit: int, offset: int, status: str | None = None
) -> tuple[list[DeliveryOut], int]:
    """A subscription's delivery log, newest first, with the total."""
    where = [col(WebhookDelivery.webhook_id) == webhook_id]
    if status is not None:
        where.append(col(WebhookDelivery.status) == status)
    total = session.execute(select(func.count()).select_from(WebhookDelivery).where(*where)).scalar_one()
    rows = session.execute(
        select(WebhookDelivery, col(OutboxEvent.kind))
        .join(OutboxEvent, col(OutboxEvent.id) == col(WebhookDelivery.event_id))
        .where(*where)
        .order_by(col(WebhookDelivery.id).desc())
        .limit(limit)
        .offset(offset)
    ).all()
    attempts: dict[int, list[AttemptOut]] = {}
    ids = [delivery.id for delivery, _ in rows]
    for a in session.execute(
        select(WebhookAttempt)
        .where(col(WebhookAttempt.delivery_id).in_(ids))
        .order_by(col(WebhookAttempt.id))
    ).scalars():
        attempts.setdefault(a.delivery_id, []).append(
            AttemptOut(a.attempt, as_utc(a.at) or a.at, a.status_code, a.error, a.duration_ms)
        )
    found = [
        DeliveryOut(
            id=d.id or 0,
            event_id=d.event_id,
            event=kind,
            status=d.status,
            attempts=d.attempts,
            due_at=as_utc(d.due_at) if d.status == "pending" else None,
            delivered_at=as_utc(d.delivered_at),
            log=attempts.get(d.id or 0, []),
        )
        for d, kind in rows
    ]
    return found, total


def prune(engine: Engine, before: datetime) -> int:
    """Delete the deliveries settled (delivered or failed) before ``before`` with their log, and
    the events no delivery needs any more; returns how many deliveries went."""
    settled = select(col(WebhookDelivery.id)).where(
        col(WebhookDelivery.status).in_(["delivered", "failed"]),
        func.coalesce(col(WebhookDelivery.delivered_at), col(WebhookDelivery.due_at)) < before,
    )
    with session_scope(engine) as session:
        session.execute(delete(WebhookAttempt).where(col(WebhookAttempt.delivery_id).in_(settled)))
        gone = session.connection().execute(
            delete(WebhookDelivery).where(col(WebhookDelivery.id).in_(settled))
        )
        owed = select(col(WebhookDelivery.id)).where(col(WebhookDelivery.event_id) == col(OutboxEvent.id))
        session.execute(delete(OutboxEvent).where(col(OutboxEvent.created_at) < before, ~owed.exists()))
        return gone.rowcount


def _webhook_out(webhook: Webhook) -> WebhookOut:
    assert webhook.id is not None
    return WebhookOut(
        webhook.id, webhook.url, webhook.events.split(), as_utc(webhook.created_at) or webhook.created_at
    )


@dataclass(frozen=True)
class _Due:
    """A delivery taken by this dispatcher: where it goes and what it says."""

    id: int
    attempts: int
    url: str
    secret: str
    kind: str
    body: bytes
    leased_until: datetime  # its due_at while this dispatcher holds it


@dataclass(frozen=True)
class _Tried:
    """How one attempt went."""

    due: _Due
    at: datetime
    status_code: int | None
    error: str | None
    duration_ms: float

    @property
    def delivered(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class Dispatcher:
    """Delivers due webhook deliveries of one store; run as many as you like, anywhere."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self.engine = engine
        self.settings = settings

    @property
    def lease_seconds(self) -> float:
        """How long a delivery taken is left to this dispatcher: past its answer's timeout, so a
        delivery is tried again only if the dispatcher that took it is gone."""
        return 2 * self.settings.webhook_timeout + 1

    def retry_delay(self, attempts: int) -> float:
        """Seconds before the next try after ``attempts`` failed ones: doubling from
        ``webhook_retry_seconds`` up to ``webhook_retry_max_seconds``."""
        delay: float = self.settings.webhook_retry_seconds * 2 ** (attempts - 1)
        return min(delay, self.settings.webhook_retry_max_seconds)

    async def run(self, stopping: asyncio.Event) -> None:
        """Deliver until ``stopping`` is set, looking for due deliveries every
        ``webhook_poll_seconds`` when there were none; a failing store is logged and retried."""
        async with httpx.AsyncClient(timeout=self.settings.webhook_timeout) as client:
            while not stopping.is_set():
                try:
                    sent = await self.deliver_due(client)
                except Exception:
                    log.exception("webhook dispatch failed; retrying")
                    sent = 0
                if not sent:
                    with suppress(TimeoutError):
                        await asyncio.wait_for(stopping.wait(), self.settings.webhook_poll_seconds)

    async def deliver_due(self, client: httpx.AsyncClient) -> int:
        """Take the deliveries due now (up to :data:`BATCH`), send them at once and record how
        each went; returns how many were tried."""
        taken = await anyio.to_thread.run_sync(self._take)
        if taken:
            tried = await asyncio.gather(*(self._send(client, due) for due in taken))
            await anyio.to_thread.run_sync(self._settle, tried)
        return len(taken)

    def _take(self) -> list[_Due]:
        now = utcnow()
        with self.engine.connect() as connection:  # a read first: SQLite's write lock only when needed
            if connection.execute(_ANY_DUE, {"now": now}).first() is None:
                return []
        lease = now + timedelta(seconds=self.lease_seconds)
        with self.engine.begin() as connection:
            due = (
                select(col(WebhookDelivery.id))
                .where(col(WebhookDelivery.status) == "pending", col(WebhookDelivery.due_at) <= now)
                .order_by(col(WebhookDelivery.due_at))
                .limit(BATCH)
                .with_for_update(skip_locked=True)  # PostgreSQL: rows another dispatcher holds are skipped
            )
            ids = list(
                connection.execute(
                    update(WebhookDelivery)
                    .where(col(WebhookDelivery.id).in_(due.scalar_subquery()))
                    .values(due_at=lease)
                    .returning(col(WebhookDelivery.id))
                ).scalars()
            )
            rows: Sequence[Any] = connection.execute(
                select(
                    col(WebhookDelivery.id),
                    col(WebhookDelivery.attempts),
                    col(Webhook.url),
                    col(Webhook.secret),
                    col(OutboxEvent.id).label("event_id"),
                    col(OutboxEvent.kind),
                    col(OutboxEvent.data),
                    col(OutboxEvent.created_at),
                )
                .join(Webhook, col(Webhook.id) == col(WebhookDelivery.webhook_id))
                .join(OutboxEvent, col(OutboxEvent.id) == col(WebhookDelivery.event_id))
                .where(col(WebhookDelivery.id).in_(ids))
                .order_by(col(WebhookDelivery.id))
            ).all()
        return [
            _Due(
                r.id,
                r.attempts,
                r.url,
                r.secret,
                r.kind,
                _body(r.event_id, r.kind, r.created_at, r.data),
                lease,
            )
            for r in rows
        ]

    async def _send(self, client: httpx.AsyncClient, due: _Due) -> _Tried:
        at, started = utcnow(), time.perf_counter()
        headers = {
            "Content-Type": "application/json",
            "User-Agent": f"provenance/{__version__}",
            "Provenance-Event": due.kind,
            "Provenance-Delivery": str(due.id),
            SIGNATURE_HEADER: sign(due.secret, int(time.time()), due.body),
        }
        try:
            response = await client.post(due.url, content=due.body, headers=headers)
        except Exception as exc:  # unreachable, too slow, or a URL httpx cannot send to: a failed try
            error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            return _Tried(due, at, None, error, _ms_since(started))
        refused = None if response.is_success else f"HTTP {response.status_code}"
        return _Tried(due, at, response.status_code, refused, _ms_since(started))

    def _settle(self, tried: list[_Tried]) -> None:
        now = utcnow()
        with session_scope(self.engine) as session:
            for t in tried:
                attempts = t.due.attempts + 1
                if t.delivered:
                    values = {"status": "delivered", "delivered_at": now}
                elif attempts >= self.settings.webhook_attempts:
                    values = {"status": "failed"}
                else:
                    values = {"due_at": now + timedelta(seconds=self.retry_delay(attempts))}
                still = session.execute(  # not if its lease ran out, or its subscription was deleted
                    update(WebhookDelivery)
                    .where(
                        col(WebhookDelivery.id) == t.due.id,
                        col(WebhookDelivery.status) == "pending",
                        col(WebhookDelivery.due_at) == t.due.leased_until,
                    )
                    .values(attempts=attempts, **values)
                    .returning(col(WebhookDelivery.id))
                ).first()
                if still is not None:
                    session.add(
                        WebhookAttempt(
                            delivery_id=t.due.id,
                            attempt=attempts,
                            at=t.at,
                            status_code=t.status_code,
                            error=t.error,
                            duration_ms=round(t.duration_ms, 1),
                        )
                    )


def _body(event_id: int, kind: str, created_at: datetime, data: str) -> bytes:
    """What a delivery posts: the event with its id, type and time, the same on every attempt."""
    head = json.dumps(
        {"id": event_id, "type": kind, "created_at": (as_utc(created_at) or created_at).isoformat()}
    )
    return f'{head[:-1]}, "data": {data}}}'.encode()


def _ms_since(started: float) -> float:
    return (time.perf_counter() - started) * 1000


_ANY_DUE = (
    select(col(WebhookDelivery.id))
    .where(col(WebhookDelivery.status) == "pending", col(WebhookDelivery.due_at) <= bindparam("now"))
    .limit(1)
)
