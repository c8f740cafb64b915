"""Where jobs run (:mod:`provenance.jobs`). On PostgreSQL: procrastinate's queue, kept in the
store itself, so any number of ``provenance worker`` processes on any machine share the work,
chunk by chunk, with no other infrastructure. On SQLite: a thread of the process (the API, or
``provenance worker``) that claims one job at a time with a lease it renews after each chunk.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import threading
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import Engine, bindparam, or_, select, text, update
from sqlmodel import col

from provenance import candidates
from provenance.clock import utcnow
from provenance.db import create_db_engine, database_url
from provenance.jobs import JobRunner, JobStatus, chunks
from provenance.models import Job
from provenance.plugins import PluginRegistry
from provenance.settings import Settings
from provenance.webhooks import Dispatcher

if TYPE_CHECKING:  # procrastinate (and psycopg, libpq) is loaded on PostgreSQL only
    import procrastinate
    from procrastinate.types import JSONValue

log = logging.getLogger(__name__)

QUEUE = "provenance"  # procrastinate's queue for our jobs
RUN_CHUNK = "provenance:run_chunk"
LEASE_SECONDS = 120  # SQLite: how long a claimed job is left to its process without a renewal
POLL_SECONDS = 2.0  # SQLite: how often an idle runner looks for a job
STALLED_SECONDS = 60  # PostgreSQL: a worker silent this long has died; its chunks are queued again


def run_chunk(context: procrastinate.JobContext, job_id: int, first: int, last: int) -> None:
    """Do items ``first`` to ``last`` of a job, in the worker's runner."""
    runner: JobRunner = context.additional_context["runner"]
    runner.run_chunk(job_id, first, last)


async def requeue_stalled(context: procrastinate.JobContext, timestamp: int) -> None:
    """Every minute: queue again the chunks of workers that died (no heartbeat); a chunk skips
    the items already done."""
    manager = context.app.job_manager
    for job in await manager.get_stalled_jobs(seconds_since_heartbeat=STALLED_SECONDS, queue=QUEUE):
        log.warning("requeueing job %s of a worker that stopped", job.id)
        await manager.retry_job(job)


def procrastinate_app(url: str) -> procrastinate.App:
    """A procrastinate app on the PostgreSQL store at ``url`` (psycopg 3, its own small pool)."""
    import procrastinate

    conninfo = database_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    app = procrastinate.App(
        connector=procrastinate.PsycopgConnector(conninfo=conninfo, min_size=1, max_size=4)
    )
    app.task(name=RUN_CHUNK, queue=QUEUE, pass_context=True)(run_chunk)
    requeue = app.task(name="provenance:requeue_stalled", queue=QUEUE, pass_context=True)(requeue_stalled)
    app.periodic(cron="* * * * *", periodic_id="requeue_stalled")(requeue)
    return app


def install(engine: Engine) -> None:
    """Create procrastinate's tables and functions in a PostgreSQL store that lacks them
    (``provenance db upgrade`` runs this); nothing on SQLite."""
    if engine.dialect.name != "postgresql":
        return
    with engine.connect() as connection:
        if connection.execute(text("SELECT to_regclass('procrastinate_jobs')")).scalar() is not None:
            return
    app = procrastinate_app(engine.url.render_as_string(hide_password=False))
    with app.open():
        app.schema_manager.apply_schema()


class PostgresQueue:
    """Queues a job's chunks in procrastinate; ``provenance worker`` processes do them."""

    def __init__(self, url: str, chunk: int) -> None:
        self.app = procrastinate_app(url)
        self.chunk = chunk
        self._opened = False
        self._lock = threading.Lock()

    def enqueue(self, job_id: int, total: int) -> None:
        """Queue the chunks of job ``job_id`` of ``total`` items."""
        with self._lock:
            if not self._opened:
                self.app.open()
                self._opened = True
        spans: list[dict[str, JSONValue]] = [
            {"job_id": job_id, "first": first, "last": last} for first, last in chunks(total, self.chunk)
        ]
        self.app.tasks[RUN_CHUNK].batch_defer(*spans)

    def close(self) -> None:
        """Close the connections it opened."""
        with self._lock:
            if self._opened:
                self.app.close()
                self._opened = False


class LocalQueue:
    """A thread doing jobs in this process, one job at a time, chunk by chunk. A job is claimed
    with a lease renewed after every chunk, so several processes on one SQLite store never do
    the same job at once, and a job left by a process that stopped is resumed by the next one."""

    def __init__(self, runner: JobRunner, chunk: int) -> None:
        self.runner = runner
        self.chunk = chunk
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="provenance-jobs", daemon=True)

    def start(self) -> None:
        """Start the thread."""
        self._thread.start()

    def enqueue(self, job_id: int, total: int) -> None:
        """Wake the thread: a job was stored (its chunks are read from the store)."""
        self._wake.set()

    def close(self) -> None:
        """Stop after the chunk under way."""
        self._stopping.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join()

    def _loop(self) -> None:
        while not self._stopping.is_set():
            try:
                found = self._claim()
                if found is not None:
                    self._run(*found)
                    continue
            except Exception:
                log.exception("a background job failed; trying again")
            self._wake.wait(POLL_SECONDS)
            self._wake.clear()

    def _run(self, job_id: int, total: int) -> None:
        for first, last in chunks(total, self.chunk):
            if self._stopping.is_set():
                return
            self.runner.run_chunk(job_id, first, last)
            with self.runner.engine.begin() as connection:
                connection.execute(_RENEW, {"job": job_id, "until": _lease_end()})

    def _claim(self) -> tuple[int, int] | None:
        """A job nobody holds, now held by this thread: its id and number of items."""
        now = utcnow()
        with self.runner.engine.connect() as connection:  # a read first: the write lock only when needed
            if connection.execute(_CLAIMABLE.limit(1), {"now": now}).first() is None:
                return None
        with self.runner.engine.begin() as connection:
            claimed = connection.execute(
                update(Job)
                .where(col(Job.id) == _CLAIMABLE.limit(1).scalar_subquery())
                .values(lease_until=_lease_end())
                .returning(col(Job.id), col(Job.total)),
                {"now": now},
            ).first()
        if claimed is None or claimed[0] is None:
            return None
        return claimed[0], claimed[1]


def _lease_end() -> datetime:
    return utcnow() + timedelta(seconds=LEASE_SECONDS)


_CLAIMABLE = (
    select(col(Job.id))
    .where(
        col(Job.status).in_([JobStatus.QUEUED.value, JobStatus.RUNNING.value]),
        or_(col(Job.lease_until).is_(None), col(Job.lease_until) < bindparam("now")),
    )
    .order_by(col(Job.id))
)
_RENEW = update(Job).where(col(Job.id) == bindparam("job")).values(lease_until=bindparam("until"))


def job_queue(engine: Engine, registry: PluginRegistry, settings: Settings) -> LocalQueue | PostgresQueue:
    """The queue for the store behind ``engine``: procrastinate on PostgreSQL, else a local
    thread (not yet started) that does the jobs with ``registry``."""
    if engine.dialect.name == "postgresql":
        return PostgresQueue(settings.database_url, settings.job_chunk)
    return LocalQueue(JobRunner(engine, registry, settings), settings.job_chunk)


async def work(settings: Settings, concurrency: int, deliver_webhooks: bool) -> None:
    """``provenance worker``: do jobs (and deliver webhooks) until SIGINT or SIGTERM; the chunk
    under way is finished first."""
    engine = create_db_engine(settings.database_url, background_checkpoints=True, settings=settings)
    registry = PluginRegistry.create(settings)
    candidates.setup(engine, registry.sources())
    runner = JobRunner(engine, registry, settings)
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stopping.set)
    running = [asyncio.create_task(Dispatcher(engine, settings).run(stopping))] if deliver_webhooks else []
    try:
        if engine.dialect.name == "postgresql":
            app = procrastinate_app(settings.database_url)
            async with app.open_async():
                worker = asyncio.create_task(
                    app.run_worker_async(
                        queues=[QUEUE],
                        concurrency=concurrency,
                        additional_context={"runner": runner},
                        install_signal_handlers=False,
                    )
                )
                await stopping.wait()
                worker.cancel()  # procrastinate lets the chunk under way finish
                await asyncio.gather(worker, return_exceptions=True)
        else:
            local = LocalQueue(runner, settings.job_chunk)
            local.start()
            await stopping.wait()
            await asyncio.to_thread(local.close)
        await asyncio.gather(*running)
    finally:
        engine.dispose()
