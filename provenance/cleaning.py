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
from bisect import bisect_left
from dataclasses import dataclass

import ftfy
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
_DOUBLED_OPENING_RE = re.compile(
    r"‘‘|``|‘’(?=\w)|(?:^|(?<=[\s(—–-]))''(?=\w)"
)  # a double mark typed as two singles
_DOUBLED_CLOSING_RE = re.compile(r"(?<=[\w.,!?])(?:’’|'')")
_ENDS_SENTENCE_RE = re.compile(r"[.!?…][”’\"')]*$")
_SPACING_CONTROL_RE = re.compile(
    r"[\x0b\x0c\x1c-\x1f\x85]"
)  # control characters that str.split reads as spaces
_CONTROL_RE = re.compile(
    r"[\x00-\x08\x0e-\x1b\x7f-\x9f]"
)  # the other C0 and C1 controls but tab and line breaks
_WORD_RUN_RE = re.compile(r"\w+")
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
    """NFC, mojibake mended ("FranÃ§ois" is "François": text decoded with the wrong codec, as
    scraped pages often are, by ftfy), plain spaces and line breaks, no invisible or control
    characters (NUL and the like from PDFs; a control character that separates words, such as a
    form feed, becomes a space), and a double quotation mark typed as two single ones made one:
    the first step of :func:`clean`."""
    text = unicodedata.normalize("NFC", ftfy.fix_encoding(unicodedata.normalize("NFC", raw)))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL_RE.sub("", _SPACING_CONTROL_RE.sub(" ", text))
    text = re.sub(r"[\u00a0\u2007\u202f\t]", " ", text)
    text = re.sub(r"[\u200b-\u200d\u2060\ufeff\u00ad]", "", text)
    return _DOUBLED_OPENING_RE.sub("“", _DOUBLED_CLOSING_RE.sub("”", text))


def _paragraphs(text: str) -> list[str]:
    """Split into paragraphs, dropping chrome lines on the way.

    Where blank lines separate paragraphs, single line breaks inside one are hard wraps: the
    lines are joined, and words hyphenated across the break are rejoined.
    """
    wrapped = bool(_BLANK_LINE_RE.search(text))
    spellings: _Spellings | None = None  # indexed once a line ends with a hyphen
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
    current: list[
        str
    ] = []  # the pieces of the paragraph, joined at its end (a long one is not copied per line)
    for entry in [*lines, None]:
        if entry is None:
            if current:
                paragraphs.append("".join(current))
            current = []
        elif current and current[-1].endswith("-") and entry[:1].islower():
            head = _last_word(current).lower()
            spellings = spellings or _Spellings(text)
            current[-1] = current[-1][:-1] + ("-" if _keeps_hyphen(head, entry, spellings) else "")
            current.append(entry)
        else:
            current += [" ", entry] if current else [entry]
    return paragraphs


def _last_word(pieces: list[str]) -> str:
    """The last word of the joined ``pieces`` before their final character (``"".join(pieces)[:-1]
    .rsplit(None, 1)[-1]``), read from the last pieces only."""
    for n in range(len(pieces) - 1, -1, -1):
        joined = "".join(pieces[n:])[:-1]
        if n == 0 or any(c.isspace() for c in joined.rstrip()):
            return joined.rsplit(None, 1)[-1]
    raise AssertionError("no pieces")


def _keeps_hyphen(head: str, after: str, spellings: _Spellings) -> bool:
    """Whether a hyphen at a line end, after the word ``head`` (lower case), belongs to a compound
    ("long-awaited", "face-to-face") rather than to a word split across lines ("negoti-ations"):
    the article's own spelling decides when it has one, then common compound parts."""
    tail = re.match(r"[\w’']+", after)
    tail_word = tail.group(0).lower() if tail else ""
    if spellings.has_compound(head, tail_word):
        return True
    if spellings.has_word(head + tail_word):
        return False
    return "-" in head or head in _COMPOUND_HEADS or tail_word in _COMPOUND_TAILS


class _Spellings:
    """How an article spells words (its text in lower case), indexed by the words printed in it,
    so that looking a spelling up reads the few places it may be, not the whole text."""

    def __init__(self, text: str) -> None:
        self.text = text.lower()
        self.words: dict[str, list[int]] = {}  # each word (a run of word characters): where it starts
        self.compounded: dict[str, list[int]] = {}  # the same of the words printed after a hyphen
        for word in _WORD_RUN_RE.finditer(self.text):
            self.words.setdefault(word.group(), []).append(word.start())
            if self.text.startswith("-", word.start() - 1):
                self.compounded.setdefault(word.group(), []).append(word.start())
        self.vocabulary = sorted(self.compounded)

    def has_compound(self, head: str, tail: str) -> bool:
        """Whether ``f"{head}-{tail}"`` is printed in the text."""
        spelling, first = f"{head}-{tail}", _WORD_RUN_RE.match(tail)
        if first is None:
            return spelling in self.text
        if first.end() < len(tail):  # the word printed after the hyphen is this one
            found = [first.group()] if first.group() in self.compounded else []
        else:  # the word printed after the hyphen starts with it
            lo = bisect_left(self.vocabulary, first.group())
            found = self.vocabulary[lo : bisect_left(self.vocabulary, first.group() + "\U0010ffff", lo)]
        at = len(head) + 1
        return any(
            start >= at and self.text.startswith(spelling, start - at)
            for word in found
            for start in self.compounded[word]
        )

    def has_word(self, word: str) -> bool:
        """Whether ``re.search(rf"\\b{re.escape(word)}\\b", text)`` finds ``word``."""
        first = _WORD_RUN_RE.match(word)
        if first is None:
            return bool(re.search(rf"\b{re.escape(word)}\b", self.text))
        return any(
            self.text.startswith(word, start) and _word_boundary(self.text, start + len(word))
            for start in self.words.get(first.group(), ())
        )


def _word_boundary(text: str, at: int) -> bool:
    """Whether ``\\b`` holds at ``at``: a word character on one side only."""
    before = at > 0 and (text[at - 1].isalnum() or text[at - 1] == "_")
    after = at < len(text) and (text[at].isalnum() or text[at] == "_")
    return before != after


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
