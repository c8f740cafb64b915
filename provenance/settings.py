"""Settings read from the environment (``PROVENANCE_*``), with defaults for a local run."""

from __future__ import annotations

import os
from dataclasses import dataclass


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
    matchers_allow: tuple[str, ...] = ()  # matchers that may run, by name; empty: every registered one
    matchers_deny: tuple[str, ...] = ()  # matchers that never run, by name

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
            matchers_allow=_names(_env("MATCHERS_ALLOW", ",".join(base.matchers_allow))),
            matchers_deny=_names(_env("MATCHERS_DENY", ",".join(base.matchers_deny))),
        )


_REPLACED = {"MATCHERS": "PROVENANCE_MATCHERS_ALLOW (and PROVENANCE_MATCHERS_DENY)"}


def _names(value: str) -> tuple[str, ...]:
    """A comma-separated list of names, blanks dropped."""
    return tuple(name.strip() for name in value.split(",") if name.strip())
