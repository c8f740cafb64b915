"""Text with marks: claims highlighted in an article's text by their offsets, and a variant's
wording with the words changed against the first appearance."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import unquote, urlsplit

from markupsafe import Markup, escape

from provenance.lineage import WordChange


@dataclass(frozen=True)
class Span:
    """A mention to highlight: where it is in the text, the claim it belongs to and its number in
    the page's list of claims."""

    start: int
    end: int
    claim_id: int
    number: int
    kind: str
    mention_id: int


def highlighted(text: str, spans: Sequence[Span]) -> Markup:
    """``text`` with every span marked in place; where spans overlap (an excerpt inside a quote,
    a figure inside a sentence) the shared words are marked once, as ``nested``. Each span
    opens with a numbered link to its claim in the page's list, whose id lets a page link to the
    mention (``#m{id}``)."""
    opens: dict[int, list[Span]] = defaultdict(list)
    closes: dict[int, int] = defaultdict(int)
    for span in spans:
        start, end = max(0, span.start), min(len(text), span.end)
        if start < end:
            opens[start].append(span)
            closes[end] += 1
    parts: list[str] = []
    active, kinds, position = 0, set[str](), 0
    for at in sorted({0, len(text), *opens, *closes}):
        if at > position:
            words = escape(text[position:at])
            if active:
                nested = " nested" if active > 1 else ""
                parts.append(f'<mark class="claim {" ".join(sorted(kinds))}{nested}">{words}</mark>')
            else:
                parts.append(str(words))
            position = at
        active -= closes.pop(at, 0)
        if not active:
            kinds = set()
        for span in opens.pop(at, []):
            active += 1
            kinds.add(f"kind-{span.kind}")
            parts.append(
                f'<a class="ref" id="m{span.mention_id}" href="#c{span.claim_id}" '
                f'aria-label="claim {span.number}">{span.number}</a>'
            )
    return Markup("".join(parts))


def wording(text: str, changes: Sequence[WordChange]) -> Markup:
    """A variant's wording with the words of the first appearance it drops struck through and
    the words it adds or puts in their place marked."""
    parts: list[str] = []
    position = 0
    for change in sorted(changes, key=lambda c: (c.start, c.end)):
        parts.append(str(escape(text[position : change.start])))
        if change.first:
            gap_before = not change.this and change.start > 0 and not text[change.start - 1].isspace()
            parts.append(
                (" " if gap_before else "")
                + f'<del><span class="visually-hidden">first printed: </span>{escape(change.first)}</del>'
            )
            if change.this or (change.start < len(text) and not text[change.start].isspace()):
                parts.append(" ")
        if change.this:
            here = escape(text[change.start : change.end])
            parts.append(f'<ins><span class="visually-hidden">printed here: </span>{here}</ins>')
        position = max(position, change.end)
    parts.append(str(escape(text[position:])))
    return Markup("".join(parts))


def article_label(title: str | None, url: str | None, article_id: int | None) -> str:
    """What a person calls an article: its title, else the last part of its URL, else its id."""
    if title:
        return title
    if url:
        parts = urlsplit(url)
        return unquote(parts.path.rstrip("/").rsplit("/", 1)[-1]) or parts.netloc or url
    return f"article {article_id}"


def when(moment: datetime | None) -> str:
    """A time as an editor reads it, in UTC."""
    return moment.strftime("%-d %b %Y, %H:%M UTC") if moment else "unknown"
