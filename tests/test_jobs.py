"""Background jobs: a bulk ingest of JSON lines or URLs with progress, in-process on SQLite and
on procrastinate's queue on PostgreSQL, shared by worker processes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from ipaddress import ip_network
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine, func, select, text, update
from sqlmodel import Session

from provenance import jobs, queue
from provenance.api.app import create_app
from provenance.articles import ArticleInput
from provenance.jobs import JobKind, JobRunner
from provenance.keys import Scope
from provenance.models import Article, Claim, Job, Mention
from provenance.plugins import PluginRegistry
from provenance.services import ArticleService
from provenance.settings import Settings
from tests.conftest import with_key
from tests.receiver import Receiver


def jsonl(records: list[Any]) -> bytes:
    return "\n".join(r if isinstance(r, str) else json.dumps(r) for r in records).encode()


@pytest.fixture
def feed(seed_texts: dict[str, str]) -> list[Any]:
    """The seeds as JSON lines, a bad line, a blank one and a seed again (stored once)."""
    lines: list[Any] = [
        {"text": t, "url": f"https://a.example/{n}"} for n, t in enumerate(seed_texts.values())
    ]
    return [*lines[:2], "{not json", "", *lines[2:], lines[0]]


@pytest.fixture
def small_chunks(settings: Settings, engine: Engine) -> Iterator[Settings]:
    """Chunks of two items; on PostgreSQL, an empty procrastinate queue in the store."""
    if engine.dialect.name == "postgresql":
        queue.install(engine)
        with engine.begin() as connection:
            connection.execute(text("TRUNCATE procrastinate_jobs, procrastinate_events CASCADE"))
    yield replace(settings, job_chunk=2, webhook_dispatch=False)


def drain(settings: Settings, engine: Engine, registry: PluginRegistry) -> None:
    """On PostgreSQL, do every queued chunk with procrastinate's worker here (on SQLite the
    API's own thread does them)."""
    if engine.dialect.name == "postgresql":
        queue.procrastinate_app(settings.database_url).run_worker(
            queues=[queue.QUEUE],
            wait=False,
            additional_context={"runner": JobRunner(engine, registry, settings)},
            install_signal_handlers=False,
        )


def finished(client: TestClient, job_id: int, seconds: float = 60) -> dict[str, Any]:  # type: ignore[type-arg]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found: dict[str, Any] = client.get(f"/v1/jobs/{job_id}").json()
        if found["status"] in ("done", "failed"):
            return found
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} unfinished: {found}")


def test_a_bulk_json_lines_job_end_to_end(
    small_chunks: Settings, engine: Engine, registry: PluginRegistry, feed: list[Any]
) -> None:
    with with_key(
        TestClient(create_app(small_chunks, registry)), small_chunks.database_url, Scope.WRITE
    ) as api:
        made = api.post(
            "/v1/jobs/ingest", content=jsonl(feed), headers={"Content-Type": "application/x-ndjson"}
        )
        assert made.status_code == 202, made.text
        job = made.json()
        assert (
            job["kind"] == "ingest" and job["total"] == 7 and job["status"] in ("queued", "running", "done")
        )
        drain(small_chunks, engine, registry)
        done = finished(api, job["id"])
        assert done["status"] == "done" and done["done"] == done["total"] == 7 and done["failed"] == 1
        assert done["outcomes"] == {"created": 5, "unchanged": 1, "failed": 1}
        assert [(e["position"], e["error"][:20]) for e in done["errors"]] == [(3, "record 3: not JSON (")]
        assert done["started_at"] <= done["finished_at"]
        assert api.get("/v1/jobs").json()["items"] == [done]
    with Session(engine) as session:
        assert session.execute(select(func.count()).select_from(Article)).scalar_one() == 5


def test_progress_is_counted_item_by_item_and_a_chunk_run_again_does_nothing_twice(
    settings: Settings, engine: Engine, registry: PluginRegistry, feed: list[Any]
) -> None:
    lines = [line if isinstance(line, str) else json.dumps(line) for line in feed if line != ""]
    job_id = jobs.submit(engine, JobKind.INGEST, lines)
    runner = JobRunner(engine, registry, settings)

    def progress() -> jobs.JobOut:
        with Session(engine) as session:
            found = jobs.progress(session, job_id)
        assert found is not None
        return found

    assert (progress().status, progress().done) == ("queued", 0)
    runner.run_chunk(job_id, 1, 3)
    assert (progress().status, progress().done, progress().failed) == ("running", 3, 1)
    runner.run_chunk(job_id, 1, 3)  # its worker died before the queue heard it finished
    assert progress().done == 3
    runner.run_chunk(job_id, 4, 7)
    done = progress()
    assert done.status == "done" and done.outcomes == {"created": 5, "unchanged": 1, "failed": 1}
    with Session(engine) as session:
        assert session.execute(select(func.count()).select_from(Article)).scalar_one() == 5


def test_a_url_list_job_fetches_each_page(
    small_chunks: Settings, engine: Engine, registry: PluginRegistry, seed_texts: dict[str, str]
) -> None:
    first, second = list(seed_texts.values())[:2]
    pages = {
        f"/{n}": f"<html><body><article><p>{t.replace(chr(10), '</p><p>')}</p></article></body></html>"
        for n, t in enumerate((first, second))
    }
    local = replace(small_chunks, fetch_allow=(ip_network("127.0.0.1/32"),))
    with (
        Receiver(pages=pages) as site,
        with_key(TestClient(create_app(local, registry)), local.database_url) as api,
    ):
        urls = [f"{site.url}/0", f"{site.url}/missing", f"{site.url}/1"]
        made = api.post("/v1/jobs/ingest-urls", json={"urls": urls})
        assert made.status_code == 202, made.text
        drain(local, engine, registry)
        done = finished(api, made.json()["id"])
    assert done["outcomes"] == {"created": 2, "failed": 1} and done["errors"][0]["position"] == 2
    with Session(engine) as session:
        stored = session.execute(select(Article.url).order_by(Article.id)).scalars().all()  # type: ignore[call-overload]
    assert sorted(stored) == sorted([urls[0], urls[2]])


@pytest.mark.parametrize(
    ("body", "headers", "status", "words"),
    [
        (b"", {"Content-Type": "application/x-ndjson"}, 400, ["no JSON lines"]),
        (b"\xff\xfe", {"Content-Type": "application/x-ndjson"}, 400, ["UTF-8"]),
        (b'{"text": "x"}', {"Content-Type": "application/xml"}, 415, ["x-ndjson"]),
        (
            b'{"text": "x"}\n' * 100,
            {"Content-Type": "application/x-ndjson"},
            413,
            ["PROVENANCE_MAX_UPLOAD_BYTES"],
        ),
    ],
)
def test_bad_uploads_get_a_problem(
    settings: Settings,
    registry: PluginRegistry,
    body: bytes,
    headers: dict[str, str],
    status: int,
    words: list[str],
) -> None:
    capped = replace(settings, max_upload_bytes=1000, webhook_dispatch=False)
    with with_key(TestClient(create_app(capped, registry)), capped.database_url) as api:
        response = api.post("/v1/jobs/ingest", content=body, headers=headers)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert all(w in response.json()["detail"] for w in words), response.json()


def test_bad_url_lists_and_unknown_jobs_get_a_problem(settings: Settings, registry: PluginRegistry) -> None:
    with with_key(TestClient(create_app(settings, registry)), settings.database_url) as api:
        for body, words in (
            ({"urls": []}, ["urls"]),
            ({"urls": ["file:///etc/passwd"]}, ["urls[0]", "http or https"]),
            ({"urls": "https://a.example/"}, ["urls"]),
        ):
            response = api.post("/v1/jobs/ingest-urls", json=body)
            assert response.status_code == 400 and all(w in response.json()["detail"] for w in words), (
                response.text
            )
        assert api.get("/v1/jobs/7").status_code == 404
    with TestClient(create_app(settings, registry)) as anonymous:
        refused = anonymous.post("/v1/jobs/ingest-urls", json={"urls": ["https://a.example/"]})
        assert refused.status_code == 401


@pytest.mark.postgres
def test_postgresql_worker_processes_share_a_job(
    postgres_url: str, seed_texts: dict[str, str], tmp_path: Any
) -> None:
    from sqlalchemy import create_engine

    from tests.conftest import empty_postgres

    empty_postgres(postgres_url)
    engine = create_engine(postgres_url)
    queue.install(engine)
    with engine.begin() as connection:
        connection.execute(
            text("TRUNCATE procrastinate_jobs, procrastinate_events, procrastinate_workers CASCADE")
        )
    environment = {**os.environ, "PROVENANCE_DATABASE_URL": postgres_url}
    logs = [tmp_path / f"worker-{n}.log" for n in range(2)]
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "provenance", "worker", "--no-webhooks"],
            env=environment,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        for log in logs
    ]
    try:
        deadline = time.monotonic() + 60
        with engine.connect() as connection:
            while connection.execute(text("SELECT count(*) FROM procrastinate_workers")).scalar_one() < 2:
                assert time.monotonic() < deadline, [log.read_text() for log in logs]
                time.sleep(0.2)
                connection.rollback()
        texts = list(seed_texts.values())
        lines = [
            json.dumps({"text": f"{t}\n\nUpdated at {n}.", "url": f"https://a.example/{n}"})
            for n, t in enumerate(texts * 4)
        ]
        job_id = jobs.submit(engine, JobKind.INGEST, lines)
        pg_queue = queue.PostgresQueue(postgres_url, chunk=1)
        try:
            pg_queue.enqueue(job_id, len(lines))
        finally:
            pg_queue.close()
        while True:
            with Session(engine) as session:
                found = jobs.progress(session, job_id)
            assert found is not None
            if found.status == "done":
                break
            assert time.monotonic() < deadline + 120, (found, [log.read_text() for log in logs])
            time.sleep(0.2)
        assert found.outcomes == {"created": len(lines)}, found
    finally:
        for process in workers:
            process.send_signal(signal.SIGTERM)
        for process in workers:
            process.wait(30)
        engine.dispose()
    chunks_done = [log.read_text().count("provenance:run_chunk") for log in logs]
    assert all(chunks_done), chunks_done  # each process did part of the job


def test_a_rematch_job_links_what_a_matcher_installed_later_links(
    small_chunks: Settings, engine: Engine, seed_texts: dict[str, str]
) -> None:
    exact_only = replace(small_chunks, matchers_allow=("exact",))
    service = ArticleService(engine, PluginRegistry.create(exact_only, load_entrypoints=False))
    for n, body in enumerate(seed_texts.values()):
        service.ingest(ArticleInput(text=body, url=f"https://a.example/{n}"))

    def balanced() -> list[int]:
        """The articles of each live claim quoting the "balanced position" of Chinese friends."""
        with Session(engine) as session:
            rows = session.execute(
                select(Mention.claim_id, func.count(func.distinct(Mention.article_id)))  # type: ignore[arg-type]
                .join(Claim, Claim.id == Mention.claim_id)  # type: ignore[arg-type]
                .where(Claim.text.contains("balanced position"), Claim.merged_into_id.is_(None))  # type: ignore[attr-defined,union-attr]
                .group_by(Mention.claim_id)
            ).all()
        return sorted(count for _, count in rows)

    assert len(balanced()) > 1  # the exact matcher alone leaves the rewordings apart
    registry = PluginRegistry.create(small_chunks, load_entrypoints=False)
    with with_key(TestClient(create_app(small_chunks, registry)), small_chunks.database_url) as api:
        made = api.post("/v1/jobs/rematch")
        assert made.status_code == 202, made.text
        drain(small_chunks, engine, registry)
        done = finished(api, made.json()["id"])
        assert done["kind"] == "rematch" and done["status"] == "done" and done["failed"] == 0
        merges = api.get("/v1/editorial-actions?limit=500").json()["items"]
    assert balanced() == [4]  # one claim, in the four articles that quote it
    assert merges and {m["actor"] for m in merges} == {f"rematch job {done['id']}"}
    assert {m["action"] for m in merges} == {"merge"}


def test_the_local_runner_resumes_jobs_left_by_a_stopped_process(
    settings: Settings, engine: Engine, registry: PluginRegistry, feed: list[Any]
) -> None:
    lines = [line if isinstance(line, str) else json.dumps(line) for line in feed if line != ""]
    queued = jobs.submit(engine, JobKind.INGEST, lines[:3])  # stored while no process ran jobs
    abandoned = jobs.submit(engine, JobKind.INGEST, lines[3:])
    runner = JobRunner(engine, registry, settings)
    runner.run_chunk(abandoned, 1, 1)  # its process stopped after one item, its lease since run out
    with engine.begin() as connection:
        connection.execute(
            update(Job).where(Job.id == abandoned).values(lease_until=datetime(2000, 1, 1, tzinfo=UTC))  # type: ignore[arg-type]
        )
    local = queue.LocalQueue(runner, chunk=2)
    local.start()
    try:
        deadline = time.monotonic() + 30
        while True:
            with Session(engine) as session:
                found = [jobs.progress(session, i) for i in (queued, abandoned)]
            if all(f is not None and f.status == "done" for f in found):
                break
            assert time.monotonic() < deadline, found
            time.sleep(0.1)
    finally:
        local.close()
    assert [f.outcomes for f in found if f] == [{"created": 2, "failed": 1}, {"created": 3, "unchanged": 1}]
