"""``/v1/jobs``: bulk ingest as background jobs (an upload of JSON lines, or a list of URLs to
fetch) and re-matching the stored claims, with their progress. Submitting an ingest needs a key
with the write scope, a re-matching the admin scope."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Annotated, Any

import anyio
from litestar import Controller, Request, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.exceptions import HTTPException, ValidationException
from litestar.openapi.spec import OpenAPIMediaType, OpenAPIType, Operation, RequestBody, Schema
from litestar.params import Body
from litestar.status_codes import (
    HTTP_202_ACCEPTED,
    HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    HTTP_415_UNSUPPORTED_MEDIA_TYPE,
)
from sqlalchemy import Engine
from sqlmodel import Session

from provenance import jobs
from provenance.api.auth import SCOPE_OPT
from provenance.api.deps import Limit, Offset, PathId, not_found
from provenance.api.errors import BODY, problems
from provenance.api.schemas import HTTP_URL, MAX_JOB_URLS, MAX_URL_CHARS, NOT_BLANK, Page, UrlList
from provenance.jobs import JobKind, JobOut
from provenance.keys import Scope
from provenance.queue import LocalQueue, PostgresQueue
from provenance.settings import Settings

log = logging.getLogger(__name__)
JSON_LINES = frozenset({"application/x-ndjson", "application/jsonl", "application/json-lines", "text/plain"})


URL_LIST = Body(
    media_type=RequestEncodingType.JSON,
    schema_extra={
        "additionalProperties": False,
        "properties": {
            "urls": Schema(
                type=OpenAPIType.ARRAY,
                items=Schema(type=OpenAPIType.STRING, pattern=HTTP_URL, max_length=MAX_URL_CHARS),
                min_items=1,
                max_items=MAX_JOB_URLS,
            )
        },
    },
)
"""The body of a job of URLs, with the pattern each URL must match (which the document would
otherwise leave out of the list's items)."""


@dataclass
class JsonLinesUpload(Operation):
    """An operation whose request body is JSON lines, read as a stream (no handler parameter
    declares it, so the document is told here)."""

    def __post_init__(self) -> None:
        self.request_body = RequestBody(
            content={
                "application/x-ndjson": OpenAPIMediaType(
                    schema=Schema(
                        type=OpenAPIType.STRING,
                        pattern=NOT_BLANK,
                        description="One JSON article object a line; blank lines are skipped.",
                    )
                )
            },
            required=True,
        )


class JobController(Controller):
    """Background jobs and their progress."""

    path = "/v1/jobs"
    tags = ("jobs",)

    @post(
        "/ingest",
        operation_id="CreateIngestJob",
        status_code=HTTP_202_ACCEPTED,
        request_max_body_size=None,  # PROVENANCE_MAX_UPLOAD_BYTES is checked as the upload streams
        operation_class=JsonLinesUpload,
        responses=problems(*BODY),
    )
    async def ingest(self, request: Request[Any, Any, State], state: State) -> JobOut:
        """Ingest an upload of JSON lines (``application/x-ndjson``) in the background: one
        article a line, ``{text | html, url?, title?, outlet?, author?, published_at?}``, as
        ``provenance ingest`` reads ``.jsonl`` files; blank lines are skipped. Answers 202 with
        the job; ``GET /v1/jobs/{id}`` follows its progress. A bad record fails alone (the job's
        ``errors`` name it by its place among the records, "record N")."""
        media_type = request.content_type[0]
        if media_type not in JSON_LINES:
            raise HTTPException(
                status_code=HTTP_415_UNSUPPORTED_MEDIA_TYPE,
                detail=f"the upload must be application/x-ndjson (JSON lines), not {media_type or 'untyped'}",
            )
        settings: Settings = state.settings
        body = bytearray()
        async for chunk in request.stream():
            body.extend(chunk)
            if len(body) > settings.max_upload_bytes:
                raise HTTPException(
                    status_code=HTTP_413_REQUEST_ENTITY_TOO_LARGE,
                    detail=f"the upload is larger than {settings.max_upload_bytes} bytes "
                    "(PROVENANCE_MAX_UPLOAD_BYTES)",
                )
        try:
            # a NUL is no JSON but stops PostgreSQL storing the line: kept visible as U+FFFD
            lines = [
                line.replace("\x00", "\ufffd") for line in body.decode("utf-8").splitlines() if line.strip()
            ]
        except UnicodeDecodeError as exc:
            raise ValidationException(detail=f"the upload is not UTF-8 text ({exc.reason})") from exc
        if not lines:
            raise ValidationException(detail="the upload holds no JSON lines")
        return await _submitted(state, JobKind.INGEST, lines)

    @post(
        "/ingest-urls",
        operation_id="CreateUrlIngestJob",
        status_code=HTTP_202_ACCEPTED,
        responses=problems(*BODY),
    )
    async def ingest_urls(self, data: Annotated[UrlList, URL_LIST], state: State) -> JobOut:
        """Fetch and ingest the pages at a list of URLs in the background, as ``POST
        /v1/articles {"url"}`` does one (the same address checks); a page that cannot be fetched
        fails alone. Answers 202 with the job."""
        return await _submitted(state, JobKind.INGEST_URLS, data.urls)

    @post(
        "/rematch",
        operation_id="CreateRematchJob",
        status_code=HTTP_202_ACCEPTED,
        responses=problems(400),
        opt={SCOPE_OPT: Scope.ADMIN},
    )
    async def rematch(self, state: State) -> JobOut:
        """Match every stored claim again, in the background, against the earlier ones with the
        matchers installed now (after installing a matcher): a claim a matcher links to an
        earlier one is merged into it, recorded as an editorial action of ``rematch job <id>``;
        editors' vetoes hold. Needs a key with the admin scope. Answers 202 with the job."""
        ranges = await anyio.to_thread.run_sync(jobs.claim_ranges, state.engine)
        return await _submitted(state, JobKind.REMATCH, ranges)

    @get("/", operation_id="ListJobs", sync_to_thread=True, responses=problems(400))
    def list_jobs(
        self, session: NamedDependency[Session], limit: Limit = 50, offset: Offset = 0
    ) -> Page[JobOut]:
        """Jobs, newest first, with their progress."""
        found, total = jobs.listing(session, limit, offset)
        return Page(found, total, limit, offset)

    @get("/{job_id:int}", operation_id="GetJob", sync_to_thread=True, responses=problems(400, 404))
    def get_job(self, job_id: PathId, session: NamedDependency[Session]) -> JobOut:
        """A job's status and progress: items ``done`` of ``total``, the count of each outcome
        and the first failed items with the reason."""
        found = jobs.progress(session, job_id)
        if found is None:
            raise not_found("job", job_id)
        return found


async def _submitted(state: State, kind: JobKind, inputs: list[str]) -> JobOut:
    """Store a job, queue it, and answer with it (``failed`` if it could not be queued)."""
    return await anyio.to_thread.run_sync(_submit, state.engine, state.jobs, kind, inputs)


def _submit(engine: Engine, queue: LocalQueue | PostgresQueue, kind: JobKind, inputs: list[str]) -> JobOut:
    job_id = jobs.submit(engine, kind, inputs)
    try:
        queue.enqueue(job_id, len(inputs))
    except Exception as exc:
        log.exception("job %s could not be queued", job_id)
        jobs.fail(engine, job_id, f"the job could not be queued: {exc}")
    with Session(engine) as session:
        found = jobs.progress(session, job_id)
    assert found is not None
    return found
