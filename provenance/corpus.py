"""Reading articles from disk for ``provenance ingest``: text and HTML files, folders of them, JSON lines."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from provenance.articles import ArticleInput, InvalidArticle
from provenance.html import WebPage

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}


class CorpusError(ValueError):
    """A file that cannot be read as articles; the message names the file and the line."""


def discover(paths: list[Path]) -> list[Path]:
    """The files behind ``paths``: files as given, folders searched for text, HTML and JSON-lines files."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
                )
            )
        elif path.is_file():
            found.append(path)
        else:
            raise CorpusError(f"{path}: no such file or folder")
    return found


def read_articles(path: Path) -> Iterator[tuple[str, ArticleInput | CorpusError]]:
    """``(where, article or the reason it cannot be read)`` for each article in one file.

    A text file is one article whose URL is its ``file://`` path, an HTML file one web page whose
    main text is extracted; a JSON-lines file holds one article object per line (``text`` or
    ``html`` required; ``url``, ``title``, ``outlet``, ``author``, ``published_at`` optional;
    without a URL, ``file://path#line=N``). A bad line is reported in its place and the lines
    after it are still read.
    """
    if path.suffix.lower() not in JSONL_SUFFIXES:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            yield str(path), CorpusError(f"{path}: not UTF-8 text ({exc.reason})")
            return
        url = path.resolve().as_uri()
        if path.suffix.lower() in HTML_SUFFIXES:
            yield str(path), _html_article(str(path), text, url=url)
        else:
            yield str(path), ArticleInput(text=text, url=url)
        return
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if line.strip():
                yield f"{path}:{number}", _json_article(path, number, line)


def _json_article(path: Path, number: int, line: str) -> ArticleInput | CorpusError:
    return json_article(line, f"{path}:{number}", f"{path.resolve().as_uri()}#line={number}")


def json_article(line: str, where: str, default_url: str | None = None) -> ArticleInput | CorpusError:
    """The article in one JSON line (as :func:`read_articles` reads them), or why it cannot be
    read, naming ``where``; without a URL of its own it gets ``default_url``."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return CorpusError(f"{where}: not JSON ({exc.msg})")
    if not isinstance(record, dict) or (
        isinstance(record.get("text"), str) == isinstance(record.get("html"), str)
    ):
        return CorpusError(f"{where}: an article needs a string 'text' or a string 'html'")
    published = record.get("published_at")
    try:
        published_at = datetime.fromisoformat(published) if published else None
    except (TypeError, ValueError):
        return CorpusError(f"{where}: published_at is not an ISO 8601 time")
    metadata: dict[str, Any] = {
        "url": record.get("url") or default_url,
        "title": record.get("title"),
        "outlet": record.get("outlet"),
        "author": record.get("author"),
        "published_at": published_at,
    }
    if isinstance(record.get("html"), str):
        return _html_article(where, record["html"], **metadata)
    return ArticleInput(text=record["text"], **metadata)


def _html_article(where: str, html: str, **metadata: Any) -> ArticleInput | CorpusError:
    try:
        return WebPage(html, **metadata).article()
    except InvalidArticle as exc:
        return CorpusError(f"{where}: {exc}")
