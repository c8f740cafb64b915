"""Background jobs: a bulk ingest of JSON lines or of URLs, and re-matching the stored claims
(:mod:`provenance.rematching`) after a matcher is installed, with progress.

A job's work is a list of items stored with it (a JSON line, a URL, a range of claim ids), so
any worker process on any machine can do any part of it: the queue (:mod:`provenance.queue`)
hands out chunks of ``Settings.job_chunk`` items. Each item is marked with what became of it
once it is done, so a chunk run again (its worker died) skips what was done; ingesting an
article twice stores it once anyway. Progress is counted from the items' marks, so it is never
out of step with them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Engine, bindparam, exists, func, select, update
from sqlmodel import Session, col

from provenance.articles import ArticleInput, InvalidArticle
from provenance.clock import as_utc, utcnow
from provenance.corpus import CorpusError, json_article
from provenance.db import insert_many, session_scope
from provenance.fetching import fetch_page
from provenance.html import WebPage
from provenance.models import Claim, Job, JobItem
from provenance.plugins import PluginRegistry
from provenance.rematching import rematch
from provenance.services import ArticleService
from provenance.settings import Settings

ERRORS_SHOWN = 20  # failed items a job's progress lists


class JobKind(StrEnum):
    """What a job does with each of its items."""

    INGEST = "ingest"  # an article as a JSON line, as `provenance ingest` reads .jsonl files
    INGEST_URLS = "ingest_urls"  # a URL whose page is fetched and ingested
    REMATCH = "rematch"  # a range of claim ids, "first-last", matched again against earlier claims


class JobStatus(StrEnum):
    """Where a job is."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"  # every item done (some may have failed: see ``failed`` and ``errors``)
    FAILED = "failed"  # the job could not be queued; ``error`` says why


PENDING, FAILED, DONE = "pending", "failed", "done"  # an item's marks besides an ingest outcome
REMATCH_SPAN = 50  # claim ids per item of a re-matching job (a chunk of 100 items: 5,000 claims)
Reader = Callable[[int, str], ArticleInput]
"""Reads the item at a position as an article (raises :class:`InvalidArticle`)."""


@dataclass(frozen=True)
class ItemError:
    """An item that failed: its place in the input (1-based), and why."""

    position: int
    error: str


@dataclass(frozen=True)
class JobOut:
    """A job with its progress: items ``done`` of ``total`` (failed ones included), how many
    ``failed``, each outcome's count (``created``, ``new_version``, ``unchanged``,
    ``failed``) and the first failed items."""

    id: int
    kind: str
    status: str
    total: int
    done: int
    failed: int
    outcomes: dict[str, int]
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    error: str | None
    errors: list[ItemError]


def submit(engine: Engine, kind: JobKind, inputs: list[str]) -> int:
    """Store a job of ``inputs`` (one item each, in order) as queued (done, if there are none);
    returns its id. The caller queues its chunks (:func:`chunks`)."""
    with session_scope(engine) as session:
        job = Job(kind=kind.value, status=JobStatus.QUEUED.value, total=len(inputs))
        if not inputs:
            job.status, job.started_at, job.finished_at = JobStatus.DONE.value, utcnow(), utcnow()
        session.add(job)
        session.flush()
        assert job.id is not None
        items = [
            {"job_id": job.id, "position": n, "input": value, "status": PENDING}
            for n, value in enumerate(inputs, 1)
        ]
        insert_many(session.connection(), JobItem, items)
        return job.id


def claim_ranges(engine: Engine) -> list[str]:
    """The items of a re-matching job: every claim id stored, :data:`REMATCH_SPAN` at a time."""
    with engine.connect() as connection:
        last = connection.execute(select(func.max(col(Claim.id)))).scalar() or 0
    return [f"{first}-{min(first + REMATCH_SPAN - 1, last)}" for first in range(1, last + 1, REMATCH_SPAN)]


def chunks(total: int, size: int) -> list[tuple[int, int]]:
    """The first and last positions of each chunk of ``size`` items out of ``total``."""
    return [(first, min(first + size - 1, total)) for first in range(1, total + 1, size)]


def fail(engine: Engine, job_id: int, error: str) -> None:
    """Mark a job that could not be queued as failed."""
    with session_scope(engine) as session:
        session.execute(
            update(Job)
            .where(col(Job.id) == job_id)
            .values(status=JobStatus.FAILED.value, error=error, finished_at=utcnow())
        )


def progress(session: Session, job_id: int) -> JobOut | None:
    """A job with its progress, if it exists."""
    job = session.get(Job, job_id)
    if job is None:
        return None
    outcomes = dict(
        session.execute(
            select(col(JobItem.status), func.count())
            .where(col(JobItem.job_id) == job_id, col(JobItem.status) != PENDING)
            .group_by(col(JobItem.status))
        ).all()
    )
    errors = [
        ItemError(position, error or "")
        for position, error in session.execute(
            select(col(JobItem.position), col(JobItem.error))
            .where(col(JobItem.job_id) == job_id, col(JobItem.status) == FAILED)
            .order_by(col(JobItem.position))
            .limit(ERRORS_SHOWN)
        )
    ]
    assert job.id is not None
    return JobOut(
        id=job.id,
        kind=job.kind,
        status=job.status,
        total=job.total,
        done=sum(outcomes.values()),
        failed=outcomes.get(FAILED, 0),
        outcomes=outcomes,
        created_at=as_utc(job.created_at) or job.created_at,
        started_at=as_utc(job.started_at),
        finished_at=as_utc(job.finished_at),
        error=job.error,
        errors=errors,
    )


def listing(session: Session, limit: int, offset: int) -> tuple[list[JobOut], int]:
    """Jobs, newest first, with their progress, and the total."""
    total = session.execute(select(func.count()).select_from(Job)).scalar_one()
    ids = session.execute(
        select(col(Job.id)).order_by(col(Job.id).desc()).limit(limit).offset(offset)
    ).scalars()
    return [found for i in ids if (found := progress(session, i)) is not None], total


class JobRunner:
    """Does chunks of jobs' work in this process (a worker, or the API on SQLite)."""

    def __init__(self, engine: Engine, registry: PluginRegistry, settings: Settings) -> None:
        self.engine = engine
        self.registry = registry
        self.settings = settings
        self.articles = ArticleService(engine, registry)

    def run_chunk(self, job_id: int, first: int, last: int) -> None:
        """Do the items of job ``job_id`` from position ``first`` to ``last`` not done yet, in
        order, each ingested in its own transaction; the job is done once no item is pending."""
        with session_scope(self.engine) as session:
            kind = session.execute(select(col(Job.kind)).where(col(Job.id) == job_id)).scalar()
            session.execute(_START, {"job": job_id, "now": utcnow()})
            items = [
                (item_id, position, value)
                for item_id, position, value in session.execute(
                    _PENDING, {"job": job_id, "first": first, "last": last}
                )
            ]
        if kind == JobKind.REMATCH:
            for item_id, _, span in items:
                first_id, last_id = (int(n) for n in span.split("-"))
                rematch(self.engine, self.registry, first_id, last_id, f"rematch job {job_id}")
                self._mark(item_id, DONE)
        elif kind is not None:
            read = _json_line if kind == JobKind.INGEST else self._fetched
            for item_id, result in self.articles.ingest_many(self._readable(items, read), workers=0):
                if isinstance(result, InvalidArticle):
                    self._mark(item_id, FAILED, error=str(result))
                else:
                    self._mark(item_id, result.outcome.value, article_id=result.article_id)
        with session_scope(self.engine) as session:
            session.execute(_FINISH, {"job": job_id, "now": utcnow()})

    def _readable(
        self, items: list[tuple[int, int, str]], read: Reader
    ) -> Iterator[tuple[int, ArticleInput]]:
        for item_id, position, value in items:
            try:
                yield item_id, read(position, value)
            except InvalidArticle as exc:  # unreadable, or a page that could not be fetched
                self._mark(item_id, FAILED, error=str(exc))

    def _fetched(self, _position: int, url: str) -> ArticleInput:
        page = asyncio.run(fetch_page(url, self.settings))
        return WebPage(page.html, url=url).article()

    def _mark(
        self, item_id: int, status: str, article_id: int | None = None, error: str | None = None
    ) -> None:
        with session_scope(self.engine) as session:
            session.execute(_MARK, {"item": item_id, "status": status, "article": article_id, "error": error})


def _json_line(position: int, line: str) -> ArticleInput:
    article = json_article(line, f"record {position}")
    if isinstance(article, CorpusError):
        raise InvalidArticle(str(article))
    return article


_START = (
    update(Job)
    .where(col(Job.id) == bindparam("job"), col(Job.status) == JobStatus.QUEUED.value)
    .values(status=JobStatus.RUNNING.value, started_at=bindparam("now"))
)
_PENDING = (
    select(col(JobItem.id), col(JobItem.position), col(JobItem.input))
    .where(
        col(JobItem.job_id) == bindparam("job"),
        col(JobItem.position).between(bindparam("first"), bindparam("last")),
        col(JobItem.status) == PENDING,
    )
    .order_by(col(JobItem.position))
)
_MARK = (
    update(JobItem)
    .where(col(JobItem.id) == bindparam("item"), col(JobItem.status) == PENDING)
    .values(status=bindparam("status"), article_id=bindparam("article"), error=bindparam("error"))
)
_FINISH = (
    update(Job)
    .where(
        col(Job.id) == bindparam("job"),
        col(Job.status) == JobStatus.RUNNING.value,
        ~exists().where(col(JobItem.job_id) == bindparam("job"), col(JobItem.status) == PENDING),
    )
    .values(status=JobStatus.DONE.value, finished_at=bindparam("now"), lease_until=None)
)
