"""Clean raw article text before extraction: the result is the stored text every offset points into.

The steps, in order: Unicode normalisation (NFC, no-break and zero-width spaces), joining of
hard-wrapped lines and words hyphenated at line ends, then removal of page chrome: sharing and
navigation lines, related-article and "see also" lists, newsletter and privacy blurbs, embedded
social posts, photo captions with their credits (and their printed-twice copies), and
paragraphs in a language other than the article's. Quote marks are left as printed (the
extractors read curly, straight and mixed marks alike), but for a double mark typed as two
single ones ("’’", "``"), which becomes one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz

from provenance.language import detect_language
from provenance.text import sentence_spans

_CHROME_LINE_RE = re.compile(
    r"""^(?:
        send\ to\ a\ friend | printable\ version | print\ this\ (?:article|page) | leave\ a\ comment
      | \d+\ comments? | share\ (?:this|on|via)\b.* | subscribe(?:\ now)?\b.* | sign\ up\b.*
      | advertisement | skip\ to\ (?:main\ )?content | follow\ us\b.* | read\ more\b.*
      | write\ to\ us\b.* | click\ here\b.* | related\ (?:articles?|stories|content|coverage)?\s*:.*
      | (?:watch|listen|video|photos|gallery)\s*:\s.*
      | \d{1,2}/\d{1,2}/\d{2,4}(?:,?\s+\d{1,2}[.:]\d{2})? | \d{1,2}[.:]\d{2}
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
_LIST_HEADING_RE = re.compile(
    r"^(?:see also|related|more on this story|read also|also read|most read|trending"
    r"|you may also like)\s*:?$",
    re.IGNORECASE,
)
_SOCIAL_RE = re.compile(
    r"pic\.twitter\.com/|twitter\.com/\w+/status|^[—–-]\s*[^()\n]{1,80}\(@\w{1,30}\)", re.IGNORECASE
)
_BLURB_RE = re.compile(  # "sign up" and "subscribe" only as a call to the reader or for a newsletter
    r"privacy (?:notice|policy)|recaptcha|terms of (?:service|use)|newsletters? may contain"
    r"|^\W*(?:sign up|subscribe)\b"
    r"|\b(?:sign up|subscribe) (?:for|to) (?:our|the|a)\b(?: \S+){0,3}"
    r" (?:newsletters?|emails?|alerts|updates)\b"
    r"|to your inbox|free every (?:week)?day|cookie (?:policy|settings)",
    re.IGNORECASE,
)
_CREDIT_RE = re.compile(
    r"(?:Photo(?:graph)?|Picture|Image|Photo credit)s?:\s+"
    r"(?:[^\s/“”\"‘]+(?:\s+[^\s/“”\"‘]+){0,4}/)+[^\s/“”\"‘.,;]+"
    r"(?:\s+(?:Images|Photos?|Pictures|Press|News|Agency|Service))?"
)
_PAREN_CREDIT_RE = re.compile(  # "(Jane Doe / CBC)", "( Toronto Star file photo )"
    r"\(\s*[A-Z](?:[^()/\n]{1,60}?\s*/\s*[A-Z][^()/\n]{1,60}?|[^()/\n]{1,60}?\b(?:PHOTO|[Pp]hoto))\s*\)\.?"
)
_OPENING_SINGLE_RE = re.compile(r"(?:^|(?<=\s))['‘](?=\w)")
_DOUBLED_OPENING_RE = re.compile(r"‘‘|``|‘’(?=\w)")  # a double mark typed as two singles
_DOUBLED_CLOSING_RE = re.compile(r"(?<=[\w.,!?])(?:’’|'')")
_ENDS_SENTENCE_RE = re.compile(r"[.!?…][”’\"')]*$")
_BLANK_LINE_RE = re.compile(r"\n[ \t]*\n")
_COMPOUND_HEADS = frozenset(
    """long short well self so non anti pro co ex pre post high low full part all half cross first
    second third one two three four five six ten record top free far near old new""".split()
)
_COMPOUND_TAILS = frozenset(
    """based led backed related free like wide run term year years old time style born made owned
    looking making up out off in on down over standing level scale""".split()
)
_TITLE_SUFFIX_RE = re.compile(r"\s+[|–—]\s+[^|–—]{1,60}$")


@dataclass(frozen=True, slots=True)
class CleanedText:
    """The cleaned text, its detected language and a title guessed from a headline line."""

    text: str
    language: str | None
    title: str | None


def clean(raw: str) -> CleanedText:
    """Clean ``raw`` article text; see the module docstring for what is removed."""
    text = normalise_unicode(raw)
    paragraphs = _paragraphs(text)
    paragraphs = _drop_captions(paragraphs)
    paragraphs = [_drop_chrome_sentences(p) for p in paragraphs]
    paragraphs = [p for p in paragraphs if p]
    language = detect_language(" ".join(paragraphs))
    if language is not None:
        paragraphs = [p for p in paragraphs if detect_language(p) in (None, language)]
    return CleanedText(text="\n\n".join(paragraphs), language=language, title=_guess_title(paragraphs))


def normalise_unicode(raw: str) -> str:
    """NFC, plain spaces and line breaks, no invisible characters, and a double quotation mark
    typed as two single ones made one: the first step of :func:`clean`."""
    text = unicodedata.normalize("NFC", raw).replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[\u00a0\u2007\u202f\t]", " ", text)
    text = re.sub(r"[\u200b-\u200d\u2060\ufeff\u00ad]", "", text)
    return _DOUBLED_OPENING_RE.sub("“", _DOUBLED_CLOSING_RE.sub("”", text))


def _paragraphs(text: str) -> list[str]:
    """Split into paragraphs, dropping chrome lines on the way.

    Where blank lines separate paragraphs, single line breaks inside one are hard wraps: the
    lines are joined, and words hyphenated across the break are rejoined.
    """
    wrapped = bool(_BLANK_LINE_RE.search(text))
    lines: list[str | None] = []  # None marks a paragraph break
    in_list = False
    for raw_line in text.split("\n"):
        line = re.sub(r" {2,}", " ", raw_line).strip()
        if not line or _LIST_HEADING_RE.match(line):
            in_list = bool(line)
            lines.append(None)
        elif in_list and not _ENDS_SENTENCE_RE.search(line) and len(line) < 200:
            continue  # a headline in a "see also" list
        elif _SOCIAL_RE.search(line):
            # an embedded post: drop it with its earlier lines, back to the last finished sentence
            while lines and lines[-1] is not None and not _ENDS_SENTENCE_RE.search(lines[-1]):
                lines.pop()
            lines.append(None)
        elif _CHROME_LINE_RE.match(line):
            lines.append(None)
        else:
            in_list = False
            lines.append(line)
            if not wrapped:
                lines.append(None)
    paragraphs: list[str] = []
    current = ""
    for entry in [*lines, None]:
        if entry is None:
            if current:
                paragraphs.append(current)
            current = ""
        elif current.endswith("-") and entry[:1].islower():
            current = current[:-1] + ("-" if _keeps_hyphen(current, entry, text) else "") + entry
        else:
            current = f"{current} {entry}" if current else entry
    return paragraphs


def _keeps_hyphen(before: str, after: str, text: str) -> bool:
    """Whether a hyphen at a line end belongs to a compound ("long-awaited", "face-to-face")
    rather than to a word split across lines ("negoti-ations"): the article's own spelling
    decides when it has one, then common compound parts."""
    head = before[:-1].rsplit(None, 1)[-1].lower()
    tail = re.match(r"[\w’']+", after)
    tail_word = tail.group(0).lower() if tail else ""
    if f"{head}-{tail_word}" in text.lower():
        return True
    if re.search(rf"\b{re.escape(head + tail_word)}\b", text.lower()):
        return False
    return "-" in head or head in _COMPOUND_HEADS or tail_word in _COMPOUND_TAILS


def _drop_captions(paragraphs: list[str]) -> list[str]:
    """A paragraph that ends with a photo credit is a caption: drop it, and a near-copy before it.
    Inside a long paragraph, drop the credit and the caption sentence it follows; so too for a
    credit in brackets ("(Jane Doe / CBC News)"), which follows a caption merged into the text."""
    kept: list[str] = []
    for paragraph in paragraphs:
        credit = _CREDIT_RE.search(paragraph)
        if credit is None:
            kept.append(paragraph)
            continue
        if not paragraph[credit.end() :].strip():
            caption = paragraph[: credit.start()]
            if kept and fuzz.ratio(kept[-1], caption) >= 80:
                kept.pop()
            continue
        kept.append(_drop_inline_captions(paragraph, _CREDIT_RE))
    return [p for p in (_drop_inline_captions(p, _PAREN_CREDIT_RE) for p in kept) if p]


def _drop_inline_captions(paragraph: str, credit_re: re.Pattern[str]) -> str:
    """``paragraph`` without each credit ``credit_re`` finds and the caption sentence before it
    (captions merged into the text: "… in Toronto. (Jane Doe/CBC)")."""
    while (credit := credit_re.search(paragraph)) is not None:
        starts = [start for start, _ in sentence_spans(paragraph, 0, credit.start())] or [credit.start()]
        # the caption's last sentence, or more when a quotation in it holds sentences of its own
        caption_start = next(
            (s for s in reversed(starts) if _quotes_balanced(paragraph[s : credit.start()])), starts[0]
        )
        paragraph = (paragraph[:caption_start].rstrip() + " " + paragraph[credit.end() :].lstrip()).strip()
    return paragraph


def _quotes_balanced(text: str) -> bool:
    """Whether a caption opens every quotation it closes: double marks pair up, and one ending in
    a single mark ("… says: 'Just listen. We're people.'") holds its opening mark too."""
    text = text.rstrip()
    doubles = text.count("“") == text.count("”") and text.count('"') % 2 == 0
    return doubles and (not text.endswith(("'", "’")) or bool(_OPENING_SINGLE_RE.search(text)))


def _drop_chrome_sentences(paragraph: str) -> str:
    spans = list(sentence_spans(paragraph))
    kept = [paragraph[s:e] for s, e in spans if not _BLURB_RE.search(paragraph[s:e])]
    return " ".join(kept) if len(kept) < len(spans) else paragraph


def _guess_title(paragraphs: list[str]) -> str | None:
    if not paragraphs:
        return None
    first = paragraphs[0]
    if len(first) > 200 or re.search(r"[.!?:”\"]$", first) or len(paragraphs) < 2:
        return None
    return _TITLE_SUFFIX_RE.sub("", first).strip() or None
