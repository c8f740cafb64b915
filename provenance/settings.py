"""Settings read from the environment (``PROVENANCE_*``), with defaults for a local run."""

from __future__ import annotations

import os
from dataclasses import dataclass
from ipaddress import ip_network


def _env(name: str, default: str) -> str:
    return os.environ.get(f"PROVENANCE_{name}", default)


@dataclass(frozen=True)
class Settings:
    """Every knob of the service; build with :meth:`from_env`."""

    database_url: str = "sqlite:///provenance.db"
    max_text_chars: int = 200_000
    article_time_budget: float = 30.0  # seconds one article may take to prepare before it is refused
    ingest_workers: int = 2  # processes that prepare articles posted to the API
    fuzzy_threshold: float = 0.80
    fuzzy_suggest_threshold: float = 0.65
    figure_context_threshold: float = 0.60
    figure_suggest_threshold: float = 0.40
    min_fuzzy_words: int = 6
    host: str = "127.0.0.1"
    port: int = 8000
    serve_workers: int = 1  # server processes `provenance serve` runs (each with its own pool)
    db_pool_size: int = 10  # connections each server process keeps open
    # more a process may open under load: pool and overflow together cover the threads that run
    # requests (anyio's 40), or requests queue for connections and time out (measured: bench.load)
    db_max_overflow: int = 30
    db_pool_timeout: float = 30.0  # seconds a request waits for a free connection before 503
    db_connect_timeout: int = 5  # seconds to reach PostgreSQL before the store counts as lost
    db_retry_after: int = 5  # seconds a 503 for a lost store tells the client to wait (Retry-After)
    reads: str = "public"  # "public": reads need no key; "keyed": a key with the read scope
    rate_limit: int = 600  # requests a minute per API key; 0: no limit
    rate_limit_anonymous: int = 120  # requests a minute per client address without a key; 0: no limit
    max_page_size: int = 500  # the largest `limit` of a list (at most 500, what the OpenAPI document says)
    matchers_allow: tuple[str, ...] = ()  # matchers that may run, by name; empty: every registered one
    matchers_deny: tuple[str, ...] = ()  # matchers that never run, by name
    fetch_connect_timeout: float = 5.0  # seconds to connect to the server of a page ingested by URL
    fetch_read_timeout: float = 10.0  # seconds the server may leave between two pieces of the page
    fetch_timeout: float = 30.0  # seconds the whole fetch may take, redirects included
    fetch_max_bytes: int = 5_000_000  # the largest page fetched (after decompression)
    fetch_max_redirects: int = 5
    fetch_allow: tuple[str, ...] = ()  # non-public addresses and networks (CIDR) that may be fetched from
    webhook_dispatch: bool = True  # the API process delivers webhooks too (any number of dispatchers may run)
    webhook_attempts: int = 8  # tries of one delivery before it counts as failed
    webhook_retry_seconds: float = 10.0  # wait before the first retry; doubled after every failed try
    webhook_retry_max_seconds: float = 3600.0  # the longest wait between two tries
    webhook_timeout: float = 10.0  # seconds a subscriber has to answer a delivery
    webhook_poll_seconds: float = 1.0  # how often an idle dispatcher looks for due deliveries
    job_chunk: int = 100  # items of a job per queued task: worker processes share a job chunk by chunk
    max_upload_bytes: int = 100 * 2**20  # the largest JSON-lines upload of a bulk ingest job

    @classmethod
    def from_env(cls) -> Settings:
        """Read ``PROVENANCE_*`` variables; unset ones keep their defaults. A variable that was
        replaced is refused, so a deployment never runs with a setting silently ignored."""
        for old, new in _REPLACED.items():
            if f"PROVENANCE_{old}" in os.environ:
                raise ValueError(f"PROVENANCE_{old} was replaced by {new}; set that instead")
        base = cls()
        return cls(
            database_url=_env("DATABASE_URL", base.database_url),
            max_text_chars=int(_env("MAX_TEXT_CHARS", str(base.max_text_chars))),
            article_time_budget=float(_env("ARTICLE_TIME_BUDGET", str(base.article_time_budget))),
            ingest_workers=int(_env("INGEST_WORKERS", str(base.ingest_workers))),
            fuzzy_threshold=float(_env("FUZZY_THRESHOLD", str(base.fuzzy_threshold))),
            fuzzy_suggest_threshold=float(_env("FUZZY_SUGGEST_THRESHOLD", str(base.fuzzy_suggest_threshold))),
            figure_context_threshold=float(
                _env("FIGURE_CONTEXT_THRESHOLD", str(base.figure_context_threshold))
            ),
            figure_suggest_threshold=float(
                _env("FIGURE_SUGGEST_THRESHOLD", str(base.figure_suggest_threshold))
            ),
            min_fuzzy_words=int(_env("MIN_FUZZY_WORDS", str(base.min_fuzzy_words))),
            host=_env("HOST", base.host),
            port=int(_env("PORT", str(base.port))),
            serve_workers=int(_env("SERVE_WORKERS", str(base.serve_workers))),
            db_pool_size=int(_env("DB_POOL_SIZE", str(base.db_pool_size))),
            db_max_overflow=int(_env("DB_MAX_OVERFLOW", str(base.db_max_overflow))),
            db_pool_timeout=float(_env("DB_POOL_TIMEOUT", str(base.db_pool_timeout))),
            db_connect_timeout=int(_env("DB_CONNECT_TIMEOUT", str(base.db_connect_timeout))),
            db_retry_after=int(_env("DB_RETRY_AFTER", str(base.db_retry_after))),
            reads=_choice("READS", base.reads, READS),
            rate_limit=_bounded("RATE_LIMIT", base.rate_limit, 0, 10**9),
            rate_limit_anonymous=_bounded("RATE_LIMIT_ANONYMOUS", base.rate_limit_anonymous, 0, 10**9),
            max_page_size=_bounded("MAX_PAGE_SIZE", base.max_page_size, 1, MAX_PAGE_SIZE),
            matchers_allow=_names(_env("MATCHERS_ALLOW", ",".join(base.matchers_allow))),
            matchers_deny=_names(_env("MATCHERS_DENY", ",".join(base.matchers_deny))),
            fetch_connect_timeout=float(_env("FETCH_CONNECT_TIMEOUT", str(base.fetch_connect_timeout))),
            fetch_read_timeout=float(_env("FETCH_READ_TIMEOUT", str(base.fetch_read_timeout))),
            fetch_timeout=float(_env("FETCH_TIMEOUT", str(base.fetch_timeout))),
            fetch_max_bytes=_bounded("FETCH_MAX_BYTES", base.fetch_max_bytes, 1, 2**31),
            fetch_max_redirects=_bounded("FETCH_MAX_REDIRECTS", base.fetch_max_redirects, 0, 100),
            fetch_allow=_networks("FETCH_ALLOW"),
            webhook_dispatch=_choice("WEBHOOK_DISPATCH", "on", ("on", "off")) == "on",
            webhook_attempts=_bounded("WEBHOOK_ATTEMPTS", base.webhook_attempts, 1, 1000),
            webhook_retry_seconds=float(_env("WEBHOOK_RETRY_SECONDS", str(base.webhook_retry_seconds))),
            webhook_retry_max_seconds=float(
                _env("WEBHOOK_RETRY_MAX_SECONDS", str(base.webhook_retry_max_seconds))
            ),
            webhook_timeout=float(_env("WEBHOOK_TIMEOUT", str(base.webhook_timeout))),
            webhook_poll_seconds=float(_env("WEBHOOK_POLL_SECONDS", str(base.webhook_poll_seconds))),
            job_chunk=_bounded("JOB_CHUNK", base.job_chunk, 1, 100_000),
            max_upload_bytes=_bounded("MAX_UPLOAD_BYTES", base.max_upload_bytes, 1, 2**40),
        )


READS = ("public", "keyed")
MAX_PAGE_SIZE = 500
"""The ceiling of ``PROVENANCE_MAX_PAGE_SIZE``: the page size the API's parameters are declared with."""


def _choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    """A variable that must be one of ``choices``."""
    value = _env(name, default)
    if value not in choices:
        raise ValueError(f"PROVENANCE_{name} must be one of {', '.join(choices)}, not {value!r}")
    return value


def _bounded(name: str, default: int, low: int, high: int) -> int:
    """An integer variable from ``low`` to ``high``."""
    value = int(_env(name, str(default)))
    if not low <= value <= high:
        raise ValueError(f"PROVENANCE_{name} must be from {low} to {high}, not {value}")
    return value


_REPLACED = {"MATCHERS": "PROVENANCE_MATCHERS_ALLOW (and PROVENANCE_MATCHERS_DENY)"}


def _names(value: str) -> tuple[str, ...]:
    """A comma-separated list of names, blanks dropped."""
    return tuple(name.strip() for name in value.split(",") if name.strip())


def _networks(name: str) -> tuple[str, ...]:
    """A comma-separated list of addresses and networks (``127.0.0.1,10.0.0.0/8``), each checked
    and written as a network (``127.0.0.1/32``)."""
    try:
        return tuple(str(ip_network(value, strict=False)) for value in _names(_env(name, "")))
    except ValueError as exc:
        raise ValueError(f"PROVENANCE_{name} must list IP addresses and networks: {exc}") from exc
