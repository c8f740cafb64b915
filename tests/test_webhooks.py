"""Webhooks: events written with the change they report (and never without it), signed
deliveries, retries with backoff, the delivery log, and deliveries that outlive a dispatcher."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

import httpx
import pytest
from click.testing import CliRunner
from litestar.testing import TestClient
from sqlalchemy import Engine, func, select
from sqlmodel import Session, col

from provenance import webhooks
from provenance.api.app import create_app
from provenance.articles import ArticleInput
from provenance.cli import main
from provenance.clock import utcnow
from provenance.db import create_db_engine, writing
from provenance.models import Article, Claim, OutboxEvent, WebhookDelivery
from provenance.pipeline import prepare, store
from provenance.plugins import PluginRegistry
from provenance.services import ArticleService, EditorialService
from provenance.settings import Settings
from provenance.webhooks import Dispatcher
from tests.conftest import with_key
from tests.receiver import Receiver

SECRET = "a-secret-of-enough-length"
FRESH = "Mayor Ana Lopez spoke on Tuesday. “We will rebuild the bridge before the winter comes,” Lopez said."
ALL = ["claim.created", "claim.mentioned", "figure.conflict", "editorial.action"]


def verify(secret: str, header: str, body: bytes, tolerance: int = 300) -> bool:
    """The README's verification snippet, as a subscriber would run it."""
    fields = dict(part.split("=", 1) for part in header.split(","))
    timestamp, signature = int(fields["t"]), fields["v1"]
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature) and abs(time.time() - timestamp) <= tolerance


@pytest.fixture
def fast(settings: Settings) -> Settings:
    """Retries a tenth of a second apart, doubling; the API delivers nothing itself."""
    return replace(
        settings,
        webhook_dispatch=False,
        webhook_retry_seconds=0.1,
        webhook_attempts=3,
        webhook_timeout=0.5,
        webhook_poll_seconds=0.05,
    )


@pytest.fixture
def api(fast: Settings, registry: PluginRegistry) -> Iterator[TestClient]:  # type: ignore[type-arg]
    with with_key(TestClient(create_app(fast, registry)), fast.database_url) as client:
        yield client


def events(engine: Engine) -> list[tuple[str, dict]]:  # type: ignore[type-arg]
    with Session(engine) as session:
        rows = session.execute(select(OutboxEvent).order_by(col(OutboxEvent.id))).scalars()
        return [(e.kind, json.loads(e.data)) for e in rows]


def deliver_all(dispatcher: Dispatcher, until: float = 10.0) -> None:
    """Run ``dispatcher`` until nothing is pending (retries included)."""

    async def run() -> None:
        async with httpx.AsyncClient(timeout=dispatcher.settings.webhook_timeout) as client:
            deadline = time.monotonic() + until
            while time.monotonic() < deadline:
                await dispatcher.deliver_due(client)
                with Session(dispatcher.engine) as session:
                    pending = session.execute(
                        select(func.count()).where(col(WebhookDelivery.status) == "pending")
                    ).scalar_one()
                if not pending:
                    return
                await asyncio.sleep(0.02)
            raise AssertionError("deliveries still pending")

    asyncio.run(run())


def test_events_are_written_with_the_change_and_never_without_it(
    engine: Engine, registry: PluginRegistry, seed_texts: dict[str, str]
) -> None:
    first, second = list(seed_texts.values())[:2]
    service = ArticleService(engine, registry)
    service.ingest(ArticleInput(text=first, url="https://a.example/0"))
    assert events(engine) == []  # nobody subscribed: nothing owed, nothing written
    hook = webhooks.subscribe(engine, "http://127.0.0.1:9/hook", ALL, SECRET)
    with pytest.raises(RuntimeError), writing(engine) as session:
        store(session, registry, prepare(registry, ArticleInput(text=second, url="https://a.example/1")))
        raise RuntimeError("the transaction fails after linking")
    with Session(engine) as session:
        assert session.execute(select(func.count()).select_from(Article)).scalar_one() == 1
    assert events(engine) == []  # rolled back with the article

    stored = service.ingest(ArticleInput(text=second, url="https://a.example/1"))
    ((kind, mentioned),) = events(engine)  # the second seed prints only claims the first did
    assert kind == "claim.mentioned" and mentioned["article"]["id"] == stored.article_id
    with Session(engine) as session:
        for claim in mentioned["claims"]:  # known claims: first stored by the other article
            assert (
                session.get_one(Claim, claim["id"]).created_at
                < session.get_one(Article, stored.article_id).ingested_at
            )
            assert claim["mentions"] and all(m["text"] for m in claim["mentions"])
    fresh = service.ingest(ArticleInput(text=FRESH, url="https://a.example/2"))
    kind, created = events(engine)[-1]
    assert kind == "claim.created" and created["article"]["id"] == fresh.article_id
    assert fresh.event is not None
    assert [c["id"] for c in created["claims"]] == list(fresh.event.new_claim_ids)
    assert created["claims"][0]["text"] == "We will rebuild the bridge before the winter comes"
    assert created["claims"][0]["speaker"] == "Ana Lopez" and created["claims"][0]["mentions"]
    with Session(engine) as session:
        owed = session.execute(select(WebhookDelivery)).scalars().all()
    assert {d.webhook_id for d in owed} == {hook.id} and len(owed) == 2

    mention = mentioned["claims"][0]["mentions"][0]["id"]  # its claim has a mention in each article
    decision = EditorialService(engine, registry).detach(mention, "editor", "not the same claim")
    kind, data = events(engine)[-1]
    assert kind == "editorial.action" and data["id"] == decision.id and data["action"] == "detach"


def test_figure_conflicts_are_events(engine: Engine, registry: PluginRegistry) -> None:
    webhooks.subscribe(engine, "http://127.0.0.1:9/hook", ["figure.conflict"], SECRET)
    service = ArticleService(engine, registry)
    service.ingest(ArticleInput(text="The council said 40 homes were flooded in Riverside on Monday night."))
    service.ingest(ArticleInput(text="Officials said 400 homes were flooded in Riverside on Monday night."))
    ((kind, data),) = events(engine)
    assert kind == "figure.conflict" and len(data["conflicts"]) == 1
    assert data["conflicts"][0]["claim_id"] != data["conflicts"][0]["conflicts_with"]


def test_signed_delivery_retried_with_backoff_and_logged(
    api: TestClient,
    fast: Settings,
    engine: Engine,
    seed_texts: dict[str, str],  # type: ignore[type-arg]
) -> None:
    with Receiver(answers=[500, 503]) as receiver:
        made = api.post(
            "/v1/webhooks",
            json={"url": f"{receiver.url}/hook", "events": ["claim.created"], "secret": SECRET},
        )
        assert made.status_code == 201, made.text
        hook = made.json()
        assert "secret" not in hook and hook["events"] == ["claim.created"]
        assert api.post("/v1/articles", json={"text": next(iter(seed_texts.values()))}).status_code == 201
        deliver_all(Dispatcher(engine, fast))
        (t1, _, body), (t2, _, again), (t3, headers, last) = receiver.received
    assert body == again == last  # the same event, byte for byte, on every attempt
    assert t2 - t1 >= 0.1 and t3 - t2 >= 0.2  # backoff doubles
    assert verify(SECRET, headers["Provenance-Signature"], last)
    assert not verify("another secret entirely", headers["Provenance-Signature"], last)
    event = json.loads(last)
    assert event["type"] == headers["Provenance-Event"] == "claim.created" and event["data"]["claims"]

    log = api.get(f"/v1/webhooks/{hook['id']}/deliveries").json()
    (delivery,) = log["items"]
    assert delivery["status"] == "delivered" and delivery["attempts"] == 3 and delivery["due_at"] is None
    assert [a["status_code"] for a in delivery["log"]] == [500, 503, 200]
    assert [a["error"] for a in delivery["log"]] == ["HTTP 500", "HTTP 503", None]
    assert api.get(f"/v1/webhooks/{hook['id']}/deliveries?status=failed").json()["total"] == 0


def test_a_delivery_out_of_attempts_fails_and_an_unreachable_one_is_logged(
    api: TestClient,
    fast: Settings,
    engine: Engine,
    seed_texts: dict[str, str],  # type: ignore[type-arg]
) -> None:
    with Receiver(answers=[500, 500, 500, 500]) as receiver:
        refused = api.post(
            "/v1/webhooks", json={"url": receiver.url, "events": ["claim.created"], "secret": SECRET}
        )
        gone = api.post(
            "/v1/webhooks", json={"url": "http://127.0.0.1:9/", "events": ["claim.created"], "secret": SECRET}
        )
        api.post("/v1/articles", json={"text": next(iter(seed_texts.values()))})
        deliver_all(Dispatcher(engine, fast))
        assert len(receiver.received) == fast.webhook_attempts
    (failed,) = api.get(f"/v1/webhooks/{refused.json()['id']}/deliveries").json()["items"]
    assert failed["status"] == "failed" and failed["attempts"] == 3
    (unreachable,) = api.get(f"/v1/webhooks/{gone.json()['id']}/deliveries").json()["items"]
    assert unreachable["status"] == "failed" and unreachable["log"][0]["status_code"] is None
    assert unreachable["log"][0]["error"].startswith("ConnectError")


def test_a_delivery_outlives_the_dispatcher_that_took_it(
    fast: Settings, engine: Engine, registry: PluginRegistry, seed_texts: dict[str, str]
) -> None:
    with Receiver() as receiver:
        webhooks.subscribe(engine, receiver.url, ["claim.created"], SECRET)
        ArticleService(engine, registry).ingest(ArticleInput(text=next(iter(seed_texts.values()))))
        receiver.hold.clear()  # the first attempt hangs until its dispatcher is gone

        async def killed_mid_way() -> None:
            async with httpx.AsyncClient(timeout=30) as client:
                sending = asyncio.create_task(Dispatcher(engine, fast).deliver_due(client))
                await asyncio.to_thread(receiver.arrived.wait, 5)
                sending.cancel()  # the process dies with the request in flight: nothing settled

        asyncio.run(killed_mid_way())
        receiver.hold.set()
        with Session(engine) as session:
            (delivery,) = session.execute(select(WebhookDelivery)).scalars()
            assert delivery.status == "pending" and delivery.attempts == 0  # leased, not lost
        restarted = create_db_engine(fast.database_url)
        try:
            successor = Dispatcher(restarted, fast)
            started = time.monotonic()
            deliver_all(successor)
            assert time.monotonic() - started >= successor.lease_seconds - 1.5  # only once the lease passed
        finally:
            restarted.dispose()
        assert len(receiver.received) == 2
    with Session(engine) as session:
        (delivery,) = session.execute(select(WebhookDelivery)).scalars()
        assert delivery.status == "delivered" and delivery.attempts == 1


def test_dispatchers_side_by_side_deliver_each_event_once(
    fast: Settings, engine: Engine, registry: PluginRegistry, seed_texts: dict[str, str]
) -> None:
    with Receiver() as receiver:
        for n in range(4):
            webhooks.subscribe(engine, f"{receiver.url}/{n}", ALL, SECRET)
        service = ArticleService(engine, registry)
        for n, text in enumerate(seed_texts.values()):
            service.ingest(ArticleInput(text=text, url=f"https://a.example/{n}"))
        with Session(engine) as session:
            owed = session.execute(select(func.count()).select_from(WebhookDelivery)).scalar_one()
        assert owed >= 20

        async def together() -> None:
            stopping = asyncio.Event()
            patient = replace(fast, webhook_timeout=5)  # leases outlast a slow batch on a busy machine
            running = [asyncio.create_task(Dispatcher(engine, patient).run(stopping)) for _ in range(3)]
            deadline = time.monotonic() + 20
            while len(receiver.received) < owed and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            await asyncio.sleep(0.3)  # any duplicate would arrive meanwhile
            stopping.set()
            await asyncio.gather(*running)

        asyncio.run(together())
        delivered = [headers["Provenance-Delivery"] for _, headers, _ in receiver.received]
    assert len(delivered) == len(set(delivered)) == owed


def test_the_api_delivers_in_the_background_and_ingest_never_waits(
    fast: Settings, registry: PluginRegistry, engine: Engine, seed_texts: dict[str, str]
) -> None:
    live = replace(fast, webhook_dispatch=True, webhook_timeout=30)
    first, second = list(seed_texts.values())[:2]
    with Receiver() as receiver, with_key(TestClient(create_app(live, registry)), live.database_url) as api:
        receiver.hold.clear()  # the subscriber takes its time answering
        api.post("/v1/webhooks", json={"url": receiver.url, "events": ALL, "secret": SECRET})
        assert api.post("/v1/articles", json={"text": first}).status_code == 201
        assert receiver.arrived.wait(10)  # the API's dispatcher posted the first event, and waits
        assert api.post("/v1/articles", json={"text": second}).status_code == 201  # ingest does not
        assert not receiver.hold.is_set() and len(receiver.received) == 1
        receiver.hold.set()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with Session(engine) as session:
                states = session.execute(select(WebhookDelivery.status)).scalars().all()  # type: ignore[call-overload]
            if len(states) >= 2 and set(states) == {"delivered"}:  # the second article's too
                break
            time.sleep(0.05)
        assert len(states) >= 2 and set(states) == {"delivered"}, states
        assert len(receiver.received) == len(states)


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (
            {"url": "ftp://a.example/hook", "events": ["claim.created"], "secret": SECRET},
            ["url", "http or https"],
        ),
        ({"url": "http:///hook", "events": ["claim.created"], "secret": SECRET}, ["url", "host"]),
        ({"url": "https://a.example/", "events": [], "secret": SECRET}, ["events"]),
        ({"url": "https://a.example/", "events": ["claim.deleted"], "secret": SECRET}, ["events"]),
        ({"url": "https://a.example/", "events": ["claim.created"], "secret": "short"}, ["secret"]),
        ({"url": "https://a.example/", "events": ["claim.created"]}, ["secret"]),
        ({"url": "https://a.example/", "events": ["claim.created"], "secret": SECRET, "x": 1}, ["x"]),
    ],
)
def test_bad_subscriptions_get_a_problem(api: TestClient, body: dict, words: list[str]) -> None:  # type: ignore[type-arg]
    response = api.post("/v1/webhooks", json=body)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert all(word in response.json()["detail"] for word in words), response.json()


def test_subscriptions_are_listed_read_deleted_and_need_an_admin_key(
    api: TestClient,
    fast: Settings,
    registry: PluginRegistry,  # type: ignore[type-arg]
) -> None:
    made = api.post(
        "/v1/webhooks", json={"url": "https://a.example/h", "events": ALL, "secret": SECRET}
    ).json()
    assert made["events"] == sorted(ALL)
    assert api.get("/v1/webhooks").json()["items"] == [made]
    assert api.get(f"/v1/webhooks/{made['id']}").json() == made
    assert api.delete(f"/v1/webhooks/{made['id']}").status_code == 204
    for missing in (api.get(f"/v1/webhooks/{made['id']}"), api.delete(f"/v1/webhooks/{made['id']}")):
        assert missing.status_code == 404 and "webhook" in missing.json()["detail"]
    assert api.get("/v1/webhooks/1/deliveries").status_code == 404
    with TestClient(create_app(fast, registry)) as anonymous:
        assert anonymous.get("/v1/webhooks").status_code == 401
    from provenance.keys import Scope

    with with_key(TestClient(create_app(fast, registry)), fast.database_url, Scope.WRITE) as writer:
        refused = writer.post(
            "/v1/webhooks", json={"url": "https://a.example/h", "events": ALL, "secret": SECRET}
        )
        assert refused.status_code == 403 and "admin" in refused.json()["detail"]


def test_the_command_line_delivers_what_is_due(
    fast: Settings, engine: Engine, registry: PluginRegistry, seed_texts: dict[str, str]
) -> None:
    with Receiver() as receiver:
        webhooks.subscribe(engine, receiver.url, ["claim.created"], SECRET)
        ArticleService(engine, registry).ingest(ArticleInput(text=next(iter(seed_texts.values()))))
        result = CliRunner().invoke(
            main, ["--database-url", fast.database_url, "webhooks", "deliver", "--once"]
        )
        assert result.exit_code == 0, result.output
        assert "1 deliveries tried" in result.output and len(receiver.received) == 1


def test_pruning_drops_settled_deliveries_and_the_events_no_one_needs(
    fast: Settings, engine: Engine, registry: PluginRegistry
) -> None:
    with Receiver() as receiver:
        webhooks.subscribe(engine, receiver.url, ["claim.created"], SECRET)
        service = ArticleService(engine, registry)
        service.ingest(ArticleInput(text=FRESH))
        deliver_all(Dispatcher(engine, fast))
    waiting = webhooks.subscribe(engine, "http://127.0.0.1:9/", ["claim.created"], SECRET)
    other = "Union leader Maria Okafor said: “Our members will strike on Friday unless the offer improves.”"
    service.ingest(ArticleInput(text=other))  # owed to both, pending
    later = utcnow() + timedelta(days=1)
    assert webhooks.prune(engine, later) == 1  # the first event's, delivered
    assert [data["article"]["id"] for _, data in events(engine)] == [2]  # the pending one stays
    deliver_all(Dispatcher(engine, fast))  # both fail: nothing listens any more
    assert webhooks.prune(engine, utcnow() - timedelta(days=1)) == 0  # nothing is that old
    assert webhooks.prune(engine, later) == 2
    assert events(engine) == []
    assert webhooks.deliveries(Session(engine), waiting.id, 10, 0)[1] == 0
