"""Extraction evaluation: precision, recall and F1 of quotes, and speaker accuracy, against
labelled articles. Prints one table per data set, a table of error classes per set, and the sets
side by side with their targets.

    .venv/bin/python -m bench.extraction [--errors N] [FILE.jsonl ...]
    .venv/bin/python -m bench.extraction --report [--store sqlite|postgres] [--errors N] [FILE.jsonl ...]

Data sets (JSON lines, one article per line): by default the GGT development set
``../shared/corpus/ggt-quotes/ggt_quotes.jsonl``, the development split of PolNeAR
``../shared/corpus/polnear-attributions/articles.jsonl`` (84 articles; the train split is left
alone, the test split is not ours to read) and our own hand-labelled ``bench/data/handlabelled.jsonl``.
A file is read as GGT-shaped (``text`` and ``quotes: [{quote, speaker, reference}]``) or, when its
records carry ``attributions``, as PolNeAR-shaped (its ``dev`` articles only).

Two things can be scored. By default, the extractors' output (clean, extract, read speakers in the
article; no store): a quick loop for whoever tunes the rules. With ``--report``, what a user
reads: every article is ingested into a fresh store through the service, as ``provenance
ingest`` does, the JSON report is exported, and each distinct passage of a quote or attribution
mention (article, passage start and end: a quotation as printed) is one prediction, with the
speaker as written and the resolved speaker's name of its mentions; gold quotes are located in
the article text as stored (the cleaned text, which the API returns). The quality targets are
read from ``--report``, at ≥0.3: GGT precision, recall and speaker accuracy ≥ 0.93 each; PolNeAR
dev precision ≥ 0.95, recall ≥ 0.95, speaker accuracy ≥ 0.92.

Metric (the Gender Gap Tracker's, so figures compare with theirs): a gold quote is found by a
prediction covering at least 30% (or 80%) of its characters, each prediction used once, best
overlap first. Precision = matched predictions / predictions; recall = matched gold / gold.
Speaker accuracy is over matched quotes: right when the predicted speaker (as written, or the
name it resolves to) shares a word other than a function word with the gold speaker as written
or the gold full name. Quotes opening with a quotation mark are "direct", the rest "reported".
Extraction runs on the cleaned text, as in the service; gold quotes are located in it by their
text (with the cleaner's Unicode step applied to it too), and a label repeated for a quote
printed once counts once (one development article carries each of its 28 labels twice: 1,474
gold quotes, not 1,502; one more label is empty, its words in the ``verb`` field).

PolNeAR (compare like with like: it marks every attribution, GGT only some):

- Gold: the quotations printed in the raw text (the words between double quotation marks, straight,
  curly or typed as two single marks ``''``; a closing mark printed at a word's start with none
  open opens; a curly pair inside a quotation opened by a straight mark is nested in it; a
  quotation reopened at each paragraph and closed only at the end is one) are cut to the content
  spans of the ``direct: true`` attributions; each part of three words or more is a gold
  quotation, parts of one printed quotation with no word between them joined into one (an
  annotator who gave each sentence of a quote its own attribution still labelled one quotation as
  printed). Its speakers are the source texts (spans joined) of those attributions; a source that
  is only a reporting verb ("said") with a cue that is not has the two roles swapped (an
  annotation slip the corpus holds for "…," said Hester) and the cue is read. Gold quotations are
  located in the stored text by their words, in article order (each searched from where the one
  before it was found), not by raw offsets, since the cleaner changes the text.
- Predictions: the report's passages of quote claims only (a reported-speech passage is no
  quotation; it still names the class of a miss or of a missing speaker).
- Speaker accuracy over found gold quotations whose source names someone or something: a source
  that is empty or only pronouns, determiners and the like ("he", "they", "his", "who") is not
  scored. Right when the predicted speaker (as written, or the resolved speaker's name) shares a
  content word with a source: a word other than a function word, pronoun or title ("Mr.",
  "President", "spokesman"), a possessive "'s" dropped; a source with no other word ("the
  president") is compared by its title words. Sources carry appositives ("Ana Cruz, former head of
  the Florida Democratic Party"), so sharing a name word is the fair test.

A PolNeAR quotation passage that matches no gold quotation but prints the quoted part of an
attribution not marked ``direct`` is neither right nor wrong: it is counted apart (the annotators
marked every attribution of some New York Times articles, which print ``''…''``, as not direct).

Error classes (counted at ≥0.3 over all quotes; the first rule that holds):

- missed gold quote: *inside a longer passage* (a passage covers ≥30% of it but was matched to
  another gold quote); *split over passages* (two or more passages overlap it, none enough);
  *partly extracted* (one passage overlaps it, not enough); else *not extracted*, marked *3-4
  words* (under five words) or *title-like* (two thirds of its words capitalised), and *in a
  reported-speech passage* (PolNeAR: one overlaps it) or, for GGT, *direct* or *reported*.
- spurious passage: *overlaps a gold quote* (split or duplicate of one matched elsewhere, or too
  little of it); *title or phrase* (four words or fewer, or
  title-like); *unlabelled quotation* (opens with a quotation mark) or *unlabelled reported speech*.
- wrong speaker of a found quote: *none found* (no speaker written, none resolved), by where the
  quote stands in its paragraph: "“…” ― Name" (*a byline dash*), *partial quotation inside a
  sentence* (a word just before the opening mark), *cue before the quote* (a comma or colon
  before it), *words after the quote*, or *quotation standing alone* (the speaker named in an
  earlier sentence or paragraph), unless *a reported-speech passage over it has it*; *pronoun
  left unresolved*; *pronoun resolved to someone else*; *organisation or document source* (the
  head, before any comma, of the gold source or of the predicted speaker is a campaign, party,
  outlet, statement, letter, ...); *gold source is a description* (no capitalised name word: "one
  senior official"); *predicted speaker is a description* (no capitalised name word, nothing
  resolved); *wrong person* (names on both sides, none shared).
- besides: *speaker counted right, resolved to another full name* ("Elizabeth May" for "Theresa
  May": right by the surname, yet another person).

``--errors N`` prints the first N examples of each error class.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.linking import report_claims
from bench.server import fresh_store
from provenance.articles import ArticleInput, IngestResult
from provenance.cleaning import clean, normalise_unicode
from provenance.db import create_db_engine, session_scope
from provenance.domain import ArticleText, ClaimKind, Extraction
from provenance.extractors.attributions import AttributionExtractor
from provenance.extractors.quotes import QuoteExtractor
from provenance.lexicon import DOCUMENT_NOUNS, FUNCTION_WORDS, QUANTIFIERS, REPORTING_VERBS, TITLES
from provenance.models import Article
from provenance.plugins import PluginRegistry
from provenance.services import ArticleService
from provenance.settings import Settings
from provenance.speakers import ArticleSpeakers

ROOT = Path(__file__).resolve().parents[1]
GGT = ROOT.parent / "shared" / "corpus" / "ggt-quotes" / "ggt_quotes.jsonl"
POLNEAR = ROOT.parent / "shared" / "corpus" / "polnear-attributions" / "articles.jsonl"
POLNEAR_SPLIT = "dev"
DEFAULT_SETS = [GGT, POLNEAR, ROOT / "bench" / "data" / "handlabelled.jsonl"]
TARGETS = {  # precision, recall, speaker accuracy at ≥0.3, from the JSON report
    "GGT": (0.93, 0.93, 0.93),
    "PolNeAR": (0.95, 0.95, 0.92),
}
THRESHOLDS = (0.3, 0.8)
KINDS = ("all", "direct", "reported")
MIN_GOLD_WORDS = 3  # a PolNeAR quoted part shorter than this is no gold quotation
_STOP = frozenset("the a an of and mr mrs ms dr he she they it we i his her".split())
_QUOTE_MARKS = "\"“”„«»'‘’"
_OPENING_DOUBLE = "“„«"
_CLOSING_DOUBLE = "”»"
_WORD_RE = re.compile(r"[\w’'-]+")
_PRONOUNS = frozenset(
    """he she they i we it you him her them me us his hers their theirs its my mine our ours your
    yours who whom whose which that this these those one someone somebody himself herself
    themselves itself myself ourselves yourself""".split()
)
_NOT_NAMES = _STOP | FUNCTION_WORDS | QUANTIFIERS | _PRONOUNS  # words that name nobody
_ORGANISATION_WORDS = DOCUMENT_NOUNS | frozenset(
    """campaign campaigns party committee department administration agency office group
    organization organisation association union council court company corporation foundation
    institute university network newspaper times post journal news press poll polls magazine
    government ministry commission center centre fund pac super inc website site blog station
    cnn fox msnbc nbc abc cbs npr ap reuters fbi cia gop dnc rnc nra congress senate
    house""".split()
)


@dataclass
class Gold:
    start: int
    end: int
    speaker: str
    reference: str
    direct: bool
    sources: tuple[str, ...] = ()  # PolNeAR: the source texts that name someone or something
    scored: bool = True  # whether the speaker is scored (PolNeAR: not for a pronoun or no source)


@dataclass
class Prediction:
    start: int
    end: int
    speaker: str | None
    resolved: str | None
    quote: bool = False  # a quotation (a quote claim), not reported speech


@dataclass
class Labelled:
    """One labelled article: where it is in its file (its ``id``, or ``file:line``), the text to
    ingest, and its labels (PolNeAR's gold quotations made GGT-shaped, in article order, each
    with its ``sources``)."""

    key: str
    text: str
    quotes: list[dict[str, Any]]
    polnear: bool = False
    undirected: list[str] = field(default_factory=list)  # PolNeAR: quotations not marked direct
    unquoted: int = 0  # PolNeAR: direct attributions with no quoted part of three words or more


@dataclass
class Extras:
    """What scoring one article may also know (PolNeAR): that only quotation passages are
    predictions, and where the quotations of attributions not marked direct stand."""

    quotations_only: bool = False
    undirected: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Tally:
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    predicted_matched: int = 0
    speaker_scored: int = 0  # matched gold quotes whose speaker is scored
    speaker_right: int = 0

    def figures(self) -> tuple[float, float, float, float]:
        """Precision, recall, F1 and speaker accuracy."""
        precision = self.predicted_matched / self.predicted if self.predicted else 0.0
        recall = self.matched / self.gold if self.gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        speaker = self.speaker_right / self.speaker_scored if self.speaker_scored else 0.0
        return precision, recall, f1, speaker

    def row(self, name: str) -> str:
        precision, recall, f1, speaker = self.figures()
        return (
            f"| {name:<22} | {self.gold:>5} | {self.predicted:>5} | {precision:6.3f} | {recall:6.3f} "
            f"| {f1:6.3f} | {speaker:6.3f} |"
        )


@dataclass
class Errors:
    """The errors at ≥0.3 over all quotes, by kind and by class (see the module docstring), each
    led by its article's key."""

    missed: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)
    speaker: list[str] = field(default_factory=list)
    person: list[str] = field(default_factory=list)  # counted right, but resolved to another name
    classes: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def note(self, kind: list[str], name: str, example: str) -> None:
        kind.append(example)
        self.classes[name].append(example)


@dataclass
class Scores:
    """A data set's tallies by (threshold, kind) and its errors."""

    tallies: dict[tuple[float, str], Tally] = field(
        default_factory=lambda: {(t, kind): Tally() for t in THRESHOLDS for kind in KINDS}
    )
    errors: Errors = field(default_factory=Errors)
    unscored: int = 0  # PolNeAR gold quotes found whose speaker is not scored (≥0.3)
    undirected: int = 0  # PolNeAR quotation passages of attributions not marked direct: not counted (≥0.3)


def labelled(path: Path) -> list[Labelled]:
    """The articles of a labelled file: GGT-shaped, with the annotation tool's paragraph lines
    (" .") made blank lines, or PolNeAR-shaped (its development split only)."""
    articles = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        record = json.loads(line)
        if "attributions" in record:
            if record.get("split") == POLNEAR_SPLIT:
                articles.append(polnear_article(record))
            continue
        text = record["text"].replace("\n .\n", "\n\n")
        articles.append(Labelled(str(record.get("id") or f"{path.name}:{n}"), text, record["quotes"]))
    return articles


def set_name(path: Path, articles: list[Labelled]) -> str:
    """What a data set is called in the tables."""
    if any(a.polnear for a in articles):
        return f"PolNeAR {POLNEAR_SPLIT}"
    return "GGT" if path.name == GGT.name else path.stem


# PolNeAR: the quoted parts of direct attributions


def _mark(text: str, i: int, begin: int) -> tuple[int, bool | None]:
    """The double quotation mark at ``i`` (in a paragraph starting at ``begin``): its width (two
    for ``''``, 0 for none) and whether it opens (True), closes (False) or either (None)."""
    if text.startswith("''", i) or text[i] == '"':
        return (2 if text[i] == "'" else 1), None
    if text[i] in _OPENING_DOUBLE:
        return 1, True
    if text[i] in _CLOSING_DOUBLE:  # at a word's start, a closing mark printed for an opening one
        return 1, None if (i == begin or text[i - 1].isspace()) and text[i + 1 : i + 2].isalnum() else False
    return 0, None


def printed_quotations(text: str) -> list[tuple[int, int]]:
    """Where the quotations printed in raw ``text`` stand: the words between double quotation
    marks (curly, straight, guillemets or two single marks ``''``, mixed pairs read alike). A
    closing mark at a word's start with no quotation open opens one (a typo the corpus holds); a
    curly pair inside a quotation opened by a straight mark is nested in it; a quotation opened
    again before it is closed ends there; a quotation left open at a paragraph's end runs on when
    the next paragraph opens with a mark (reopened at each paragraph), and else ends there."""
    found: list[tuple[int, int]] = []
    start: int | None = None
    straight = nested = False  # the open quotation opened by a straight mark; a curly pair open in it
    open_until = 0  # the end of the paragraph that left ``start`` open
    for paragraph in re.finditer(r"[^\n]+", text):
        begin, end = paragraph.span()
        i = begin + len(paragraph.group()) - len(paragraph.group().lstrip())
        nested = False
        if start is not None:
            width, opens = _mark(text, i, begin)
            if width and opens is not False:
                i += width  # reopened: the quotation runs on
            else:
                found.append((start, open_until))
                start = None
        while i < end:
            width, opens = _mark(text, i, begin)
            curly = text[i] in _OPENING_DOUBLE + _CLOSING_DOUBLE
            if not width:
                pass
            elif start is not None and straight and curly and (nested or opens):
                nested = bool(opens)  # a curly pair nested in a straight one
            elif start is None and opens is not False:
                start, straight = i + width, not curly
            elif start is not None and opens:  # opened again: the open one ended unclosed
                found.append((start, i))
                start, straight = i + width, not curly
            elif start is not None:
                found.append((start, i))
                start = None
            i += width or 1
        open_until = end
    if start is not None:
        found.append((start, open_until))
    return [
        (s + len(text[s:e]) - len(text[s:e].lstrip()), e - len(text[s:e]) + len(text[s:e].rstrip()))
        for s, e in found
        if text[s:e].strip()
    ]


def _source(attribution: dict[str, Any]) -> str:
    """The source's words, spans joined; the cue's where the source is only a reporting verb (the
    two roles swapped: an annotation slip the corpus holds for "…," said Hester)."""
    source, cue = (" ".join(s["text"] for s in attribution[role]).strip() for role in ("source", "cue"))
    return cue if source.lower() in REPORTING_VERBS and cue.lower() not in REPORTING_VERBS else source


def _parts(
    text: str, quotations: list[tuple[int, int]], spans: list[list[int]]
) -> Iterator[tuple[int, int, int]]:
    """Each quotation's part inside each span (three words or more), with the quotation's index."""
    for n, (start, end) in enumerate(quotations):
        for span_start, span_end in spans:
            part = max(start, span_start), min(end, span_end)
            if len(_WORD_RE.findall(text[slice(*part)])) >= MIN_GOLD_WORDS:
                yield n, *part


def _joined(parts: list[tuple[int, int, str]], text: str) -> Iterator[tuple[int, int, list[str]]]:
    """The parts of one printed quotation, those with no word between them joined (an annotator
    who gave each sentence of a quote its own attribution still labelled one quotation), each
    with its distinct sources."""
    runs: list[list[tuple[int, int, str]]] = []
    for part in sorted(parts):
        if not runs or _WORD_RE.search(text[max(e for _, e, _ in runs[-1]) : part[0]]):
            runs.append([])
        runs[-1].append(part)
    for run in runs:
        yield min(s for s, _, _ in run), max(e for _, e, _ in run), list(dict.fromkeys(s for *_, s in run))


def polnear_article(record: dict[str, Any]) -> Labelled:
    """A PolNeAR article, its gold quotations made GGT-shaped: the parts (three words or more) of
    each printed quotation inside the content of ``direct`` attributions, adjacent parts joined,
    with those attributions' sources; and the like parts of attributions not marked direct."""
    text = record["text"]
    quotations = printed_quotations(text)
    parts: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    undirected: set[tuple[int, int]] = set()
    unquoted = 0
    for attribution in record["attributions"]:
        spans = [span for content in attribution["content"] for span in content["spans"]]
        found = list(_parts(text, quotations, spans))
        if not attribution["direct"]:
            undirected.update((start, end) for _, start, end in found)
            continue
        unquoted += not found
        for n, start, end in found:
            parts[n].append((start, end, _source(attribution)))
    quotes = [
        {"quote": text[start:end], "speaker": " / ".join(sources), "sources": sources}
        for n in sorted(parts)
        for start, end, sources in _joined(parts[n], text)
    ]
    others = [text[start:end] for start, end in sorted(undirected)]
    return Labelled(str(record["article"]), text, quotes, True, others, unquoted)


def _tokens(text: str | None) -> list[str]:
    """The words of ``text`` as printed, a possessive "'s" dropped."""
    return [re.sub(r"['’]s?$", "", w) for w in _WORD_RE.findall(text or "")]


def names_someone(source: str) -> bool:
    """Whether a source span names someone or something: a word other than pronouns, determiners,
    function words and quantifiers ("he", "his", "they both", "who" name nobody)."""
    return any(w.lower() not in _NOT_NAMES for w in _tokens(source))


def name_words(text: str | None, titles: bool = False) -> set[str]:
    """The content words of a speaker: neither function word, pronoun nor (unless ``titles``)
    title."""
    return {
        w.lower()
        for w in _tokens(text)
        if w.lower() not in _NOT_NAMES and (titles or w.lower() not in TITLES)
    }


def polnear_speaker_right(sources: tuple[str, ...], prediction: Prediction) -> bool:
    """Whether the predicted speaker (as written, or resolved) shares a content word with a source;
    a source with no content word but titles ("the president") is compared by its titles."""
    predicted = name_words(prediction.speaker) | name_words(prediction.resolved)
    titled = name_words(prediction.speaker, True) | name_words(prediction.resolved, True)
    for source in sources:
        words = name_words(source)
        if words & predicted or (not words and name_words(source, True) & titled):
            return True
    return False


def locate(text: str, quote: str, taken: set[tuple[int, int]], after: int = 0) -> tuple[int, int] | None:
    """Where the gold quote stands in the cleaned text (whitespace-insensitive): its first
    occurrence (from ``after`` on) not ``taken`` by an earlier gold quote, so a label repeated for a
    quote printed once counts once (one development article carries all its 28 labels twice).
    Whole words first (a one-word answer "no" is not the start of "not"), then anywhere (a label
    that cuts a word)."""
    words = r"\s+".join(re.escape(part) for part in quote.split())
    if not words:
        return None
    bounded = (
        (r"(?<!\w)" if quote[:1].isalnum() else "") + words + (r"(?!\w)" if quote[-1:].isalnum() else "")
    )
    for pattern in dict.fromkeys((bounded, words)):
        for found in re.compile(pattern).finditer(text, after):
            if found.span() not in taken:
                taken.add(found.span())
                return found.span()
    return None


def gold_quotes(text: str, quotes: list[dict[str, Any]]) -> list[Gold]:
    """The labelled quotes found in the cleaned ``text`` (those not found, and empty labels, are
    left out). PolNeAR's (those with ``sources``) are searched in article order, each from where
    the one before it was found (from the start again if not found there)."""
    golds = []
    taken: set[tuple[int, int]] = set()
    after = 0
    for q in quotes:
        words = normalise_unicode(q["quote"]).strip()
        if "sources" not in q:
            span = locate(text, words, taken)
            if span is not None:
                direct = q["quote"].strip()[:1] in _QUOTE_MARKS
                golds.append(Gold(*span, q.get("speaker") or "", q.get("reference") or "", direct))
            continue
        span = locate(text, words, taken, after) or locate(text, words, taken)
        if span is not None:
            after = span[0]
            sources = tuple(s for s in q["sources"] if names_someone(s))
            golds.append(Gold(*span, q["speaker"], "", True, sources, bool(sources)))
    return golds


def extras(article: Labelled, text: str) -> Extras | None:
    """What scoring a PolNeAR article also needs, its labels located in the stored ``text``."""
    if not article.polnear:
        return None
    taken: set[tuple[int, int]] = set()
    spans = (locate(text, normalise_unicode(q).strip(), taken) for q in article.undirected)
    return Extras(True, [span for span in spans if span is not None])


def load(
    path: Path | list[Labelled], extractors: list[QuoteExtractor | AttributionExtractor]
) -> Iterator[tuple[str, str, list[Gold], list[Prediction], float]]:
    """Each article's key, cleaned text, gold quotes located in it, the extractors' predictions
    (speakers read in the article, as the service reads them), and the time to clean and extract."""
    clean("“Warm up,” said Ann Lee. Fran\u00c3\u00a7ois")  # lazy set-up (ftfy's tables) is no article's time
    for article in labelled(path) if isinstance(path, Path) else path:
        started = time.perf_counter()
        cleaned = clean(article.text)
        text = ArticleText(cleaned.text, None, cleaned.language)
        extractions: list[Extraction] = sorted(
            (e for extractor in extractors for e in extractor.extract(text)), key=lambda e: e.start
        )
        elapsed = time.perf_counter() - started
        names = ArticleSpeakers(cleaned.text, (e.speaker for e in extractions))
        predictions = []
        for e in extractions:
            resolved = names.resolve(e.speaker, e.speaker_offset, (e.start, e.end))
            predictions.append(
                Prediction(
                    e.start, e.end, e.speaker, resolved[0] if resolved else None, e.kind == ClaimKind.QUOTE
                )
            )
        yield article.key, cleaned.text, gold_quotes(cleaned.text, article.quotes), predictions, elapsed


def _words(text: str | None) -> set[str]:
    return {w for w in re.findall(r"[\w’'-]+", (text or "").lower()) if w not in _STOP}


def speaker_right(gold: Gold, prediction: Prediction) -> bool:
    if gold.sources:
        return polnear_speaker_right(gold.sources, prediction)
    predicted = _words(prediction.speaker) | _words(prediction.resolved)
    return bool(predicted & (_words(gold.speaker) | _words(gold.reference)))


def other_person(gold: Gold, prediction: Prediction) -> bool:
    """Whether the resolved name and the gold full name are two names of two words or more, neither
    holding the other ("Elizabeth May" for "Theresa May"): the speaker rule counts such a speaker
    right by the shared surname, but a reader is shown another person. (PolNeAR gives no full
    name: its sources are not compared so.)"""
    resolved, reference = _words(prediction.resolved), _words(gold.reference)
    return min(len(resolved), len(reference)) > 1 and not (resolved <= reference or reference <= resolved)


def _overlap(a: Gold | Prediction, b: Gold | Prediction | tuple[int, int]) -> int:
    start, end = (b.start, b.end) if not isinstance(b, tuple) else b
    return max(0, min(a.end, end) - max(a.start, start))


def _capitalised(text: str | None) -> bool:
    """Whether ``text`` holds a capitalised word that may be a name."""
    return any(w[:1].isupper() and w.lower() not in _NOT_NAMES | TITLES for w in _tokens(text))


def _organisation(text: str | None) -> bool:
    """Whether a speaker's head (before any appositive) is an organisation or a document."""
    return any(w.lower() in _ORGANISATION_WORDS for w in _tokens((text or "").split(",")[0]))


def _title_like(words: list[str]) -> bool:
    """Two thirds or more of the words other than function words capitalised (two or more)."""
    named = [w for w in words if w.lower() not in FUNCTION_WORDS]
    return len(named) > 1 and 3 * sum(w[:1].isupper() for w in named) >= 2 * len(named)


def missed_class(
    gold: Gold,
    predictions: list[Prediction],
    text: str,
    threshold: float,
    extra: Extras,
    reported: list[Prediction],
) -> str:
    """The class of a gold quote no prediction matched (see the module docstring); ``reported``:
    PolNeAR's reported-speech passages, no predictions there."""
    overlaps = [_overlap(gold, p) / (gold.end - gold.start) for p in predictions if _overlap(gold, p)]
    if any(overlap >= threshold for overlap in overlaps):
        return "missed: inside a longer passage"
    if len(overlaps) > 1:
        return "missed: split over passages"
    if overlaps:
        return "missed: partly extracted"
    words = _WORD_RE.findall(text[gold.start : gold.end])
    where = [", 3-4 words"] if len(words) < 5 else [", title-like"] if _title_like(words) else []
    if any(_overlap(gold, p) for p in reported):
        where.append(", in a reported-speech passage")
    elif not extra.quotations_only:
        where.append(f" ({'direct' if gold.direct else 'reported'})")
    return "missed: not extracted" + "".join(where)


def spurious_class(prediction: Prediction, text: str, golds: list[Gold], extra: Extras) -> str:
    """The class of a prediction that matched no gold quote (see the module docstring)."""
    if any(_overlap(prediction, g) for g in golds):
        return "spurious: overlaps a gold quote"
    passage = text[prediction.start : prediction.end]
    words = _WORD_RE.findall(passage)
    if len(words) <= 4 or _title_like(words):
        return "spurious: title or phrase (four words or fewer, or capitalised)"
    if passage[:1] in _QUOTE_MARKS:
        return "spurious: unlabelled quotation"
    return "spurious: unlabelled reported speech"


def _setting(text: str, gold: Gold) -> str:
    """Where a quotation stands in its paragraph, as the speaker rules read it."""
    begin = text.rfind("\n", 0, gold.start) + 1
    end = text.find("\n", gold.end) % (len(text) + 1)
    before = text[begin : gold.start].rstrip(_QUOTE_MARKS + " ")
    after = text[gold.end : end].lstrip(_QUOTE_MARKS + " ")
    if re.match(r"[―—–-]+\s*[A-Z]", after):
        return "“…” ― Name (a byline dash)"
    if before[-1:].isalnum():
        return "partial quotation inside a sentence"
    if before.endswith((",", ":")):
        return "cue before the quote (X said, “…”)"
    if _WORD_RE.search(after):
        return "words after the quote (“…” X said)"
    return "quotation standing alone"


def speaker_class(gold: Gold, prediction: Prediction, reported: list[Prediction], text: str) -> str:
    """The class of a wrong speaker (see the module docstring)."""
    written = (prediction.speaker or "").strip()
    if not written and not prediction.resolved:
        if any(_overlap(gold, p) and speaker_right(gold, p) for p in reported):
            return "speaker: none found, a reported-speech passage over it has it"
        return f"speaker: none found, {_setting(text, gold)}"
    if written.lower() in _PRONOUNS:
        return f"speaker: pronoun {'resolved to someone else' if prediction.resolved else 'left unresolved'}"
    source = " ".join(gold.sources) or f"{gold.speaker} {gold.reference}"
    if _organisation(source) or _organisation(written) or _organisation(prediction.resolved):
        return "speaker: organisation or document source"
    if not _capitalised(source):
        return "speaker: gold source is a description"
    if not _capitalised(written) and not prediction.resolved:
        return "speaker: predicted speaker is a description"
    return "speaker: wrong person"


def score(
    scores: Scores,
    key: str,
    text: str,
    golds: list[Gold],
    predictions: list[Prediction],
    extra: Extras | None = None,
) -> None:
    """Add one article's gold quotes and predictions to ``scores`` (with PolNeAR's ``extra``, only
    the quotation passages are predictions)."""
    extra = extra or Extras()
    reported = [p for p in predictions if not p.quote] if extra.quotations_only else []
    if extra.quotations_only:
        predictions = [p for p in predictions if p.quote]
    for threshold in THRESHOLDS:
        pairs = sorted(
            ((min(g.end, p.end) - max(g.start, p.start)) / (g.end - g.start), gi, pi)
            for gi, g in enumerate(golds)
            for pi, p in enumerate(predictions)
            if min(g.end, p.end) > max(g.start, p.start)
        )[::-1]
        used_gold: dict[int, int] = {}
        used_pred: set[int] = set()
        for overlap, gi, pi in pairs:
            if overlap >= threshold and gi not in used_gold and pi not in used_pred:
                used_gold[gi] = pi
                used_pred.add(pi)
        noting = threshold == THRESHOLDS[0]
        errors = scores.errors
        for kind in KINDS:
            tally = scores.tallies[(threshold, kind)]
            noted = noting and kind == "all"
            for gi, g in enumerate(golds):
                if kind != "all" and g.direct != (kind == "direct"):
                    continue
                tally.gold += 1
                if gi in used_gold:
                    tally.matched += 1
                    p = predictions[used_gold[gi]]
                    if not g.scored:
                        scores.unscored += noted
                        continue
                    tally.speaker_scored += 1
                    if speaker_right(g, p):
                        tally.speaker_right += 1
                        if noted and other_person(g, p):
                            errors.note(
                                errors.person,
                                "speaker counted right, resolved to another full name",
                                f"[{key}] want {g.reference!r} got {p.speaker!r} -> {p.resolved!r}: "
                                f"{text[g.start : g.end][:80]!r}",
                            )
                    elif noted:
                        errors.note(
                            errors.speaker,
                            speaker_class(g, p, reported, text),
                            f"[{key}] want {g.speaker or g.reference!r} ({g.reference!r}) got "
                            f"{p.speaker!r} -> {p.resolved!r}: {text[g.start : g.end][:80]!r}",
                        )
                elif noted:
                    errors.note(
                        errors.missed,
                        missed_class(g, predictions, text, threshold, extra, reported),
                        f"[{key}] {text[g.start : g.end][:120]!r}",
                    )
            # predictions are direct when they open with a quotation mark
            for pi, p in enumerate(predictions):
                direct = text[p.start : p.start + 1] in _QUOTE_MARKS
                if pi not in used_pred and any(_overlap(p, span) for span in extra.undirected):
                    scores.undirected += noted  # the labels call it an attribution, not a quotation
                    continue
                if kind == "all" or direct == (kind == "direct"):
                    tally.predicted += 1
                    tally.predicted_matched += pi in used_pred
                    if pi not in used_pred and noted:
                        errors.note(
                            errors.spurious,
                            spurious_class(p, text, golds, extra),
                            f"[{key}] {p.speaker!r} -> {p.resolved!r}: {text[p.start : p.end][:120]!r}",
                        )


def print_table(heading: str, scores: Scores, show_errors: int) -> None:
    """The scores by threshold and kind (a kind with no gold quote and no prediction left out),
    the error classes with their counts, and ``show_errors`` examples of each."""
    print(f"\n{heading}")
    print("| quotes (overlap)       |  gold |  pred |  prec. | recall |     F1 | speaker |")
    print("|------------------------|-------|-------|--------|--------|--------|---------|")
    for threshold in THRESHOLDS:
        for kind in KINDS:
            tally = scores.tallies[(threshold, kind)]
            if tally.gold or tally.predicted:
                print(tally.row(f"{kind} ≥{threshold}"))
    if scores.undirected:
        print(
            "  quotation passages of attributions PolNeAR does not mark direct, neither right nor "
            f"wrong: {scores.undirected}"
        )
    if scores.unscored:
        print(f"  found gold quotes whose speaker is not scored (a pronoun or no source): {scores.unscored}")
    classes = scores.errors.classes
    order = ("missed", "spurious", "speaker:", "speaker counted")
    print("\n| error class (≥0.3)                                                    | count |")
    print("|-----------------------------------------------------------------------|-------|")
    for name, found in sorted(
        classes.items(),
        key=lambda item: (next(n for n, o in enumerate(order) if item[0].startswith(o)), -len(item[1])),
    ):
        print(f"| {name:<69} | {len(found):>5} |")
    if show_errors:
        for name, found in classes.items():
            print(f"  {name}: {len(found)}; the first {min(show_errors, len(found))}:")
            for error in found[:show_errors]:
                print("    ", error)


def evaluate(path: Path, show_errors: int) -> tuple[str, Scores]:
    """Score the extractors' output on one labelled file and print the table."""
    extractors: list[QuoteExtractor | AttributionExtractor] = [QuoteExtractor(), AttributionExtractor()]
    articles = labelled(path)
    scores = Scores()
    times: list[float] = []
    for article, (key, text, golds, predictions, elapsed) in zip(
        articles, load(articles, extractors), strict=True
    ):
        times.append(elapsed)
        score(scores, key, text, golds, predictions, extras(article, text))
    name = set_name(path, articles)
    print_table(
        f"{name} ({path.name}): {len(times)} articles; clean + extract mean "
        f"{statistics.mean(times) * 1000:.1f} ms, slowest {max(times) * 1000:.1f} ms per article",
        scores,
        show_errors,
    )
    return name, scores


# --report: the service's own output


@dataclass
class ReportRun:
    """What one data set's run through the service gave: per labelled article, the stored
    article's id (or why it was refused), the stored texts, the report's claims, and timings."""

    articles: list[Labelled]
    ids: dict[str, int]
    refused: dict[str, str]
    texts: dict[int, str]
    claims: list[dict[str, Any]]
    ingest_seconds: float
    export_seconds: float


def run_service(articles: list[Labelled], url: str, source: str, workers: int = 1) -> ReportRun:
    """Ingest ``articles`` into the store at ``url`` as ``provenance ingest`` does (each under a
    URL of its own, ``source`` + key), then read their stored texts and export the JSON report."""
    started = time.perf_counter()
    engine = create_db_engine(url, background_checkpoints=True)
    registry = PluginRegistry.create(Settings(database_url=url), load_entrypoints=False)
    inputs = ((a.key, ArticleInput(text=a.text, url=f"{source}#{a.key}")) for a in articles)
    ids: dict[str, int] = {}
    refused: dict[str, str] = {}
    for key, result in ArticleService(engine, registry).ingest_many(inputs, workers=workers):
        if isinstance(result, IngestResult):
            ids[key] = result.article_id
        else:
            refused[key] = str(result)
    ingested = time.perf_counter()
    with session_scope(engine) as session:  # the stored text, as GET /v1/articles/{id} returns it
        texts = {i: session.get_one(Article, i).text for i in ids.values()}
    engine.dispose()
    claims = report_claims(url)
    return ReportRun(
        articles, ids, refused, texts, claims, ingested - started, time.perf_counter() - ingested
    )


@dataclass
class Passages:
    """The report's quote and attribution passages, as predictions per article id, and what
    reading them found: mentions counted, passages whose mentions disagree on the speaker, and
    mentions or passages whose words are not the stored text at their offsets."""

    by_article: dict[int, list[Prediction]]
    mentions: int
    disagreeing: list[str]
    misplaced: list[str]


def report_passages(claims: list[dict[str, Any]], texts: dict[int, str]) -> Passages:
    """One prediction per distinct (article, passage start, passage end) of a mention of a quote
    or attribution claim, with the speaker (as written and resolved) of its first mention; a
    quotation when a mention of it is a quote claim's."""
    grouped: dict[tuple[int, int, int], list[tuple[int, str | None, str | None]]] = defaultdict(list)
    quotations: set[tuple[int, int, int]] = set()
    mentions = 0
    misplaced = []
    for claim in claims:
        if claim["kind"] == "figure":
            continue
        for m in claim["mentions"]:
            mentions += 1
            article, passage = m["article"]["id"], m["passage"]
            text = texts.get(article, "")
            words = text[m["start"] : m["end"]], text[passage["start"] : passage["end"]]
            if words != (m["text"], passage["text"]):
                misplaced.append(f"[article {article}] mention {m['id']} at {m['start']}: {m['text'][:60]!r}")
            resolved = m["resolved_speaker"]["name"] if m["resolved_speaker"] else None
            where = (article, passage["start"], passage["end"])
            grouped[where].append((m["start"], m["speaker"], resolved))
            if claim["kind"] == ClaimKind.QUOTE:
                quotations.add(where)
    by_article: dict[int, list[Prediction]] = defaultdict(list)
    disagreeing = []
    for (article, start, end), found in sorted(grouped.items()):
        found.sort()
        speakers = list(dict.fromkeys((written, resolved) for _, written, resolved in found))
        if len(speakers) > 1:
            disagreeing.append(f"[article {article}] {speakers}: {texts[article][start:end][:80]!r}")
        by_article[article].append(
            Prediction(start, end, *speakers[0], quote=(article, start, end) in quotations)
        )
    return Passages(by_article, mentions, disagreeing, misplaced)


def score_report(run: ReportRun) -> tuple[Scores, Passages]:
    """Score the report's passages against the gold quotes located in each stored text."""
    passages = report_passages(run.claims, run.texts)
    scores = Scores()
    for article in run.articles:
        if article.key not in run.ids:
            continue
        article_id = run.ids[article.key]
        text = run.texts[article_id]
        golds = gold_quotes(text, article.quotes)
        score(
            scores, article.key, text, golds, passages.by_article.get(article_id, []), extras(article, text)
        )
    return scores, passages


def evaluate_report(path: Path, show_errors: int, store_kind: str) -> tuple[str, Scores]:
    """Score the JSON report of a fresh store holding one labelled file, and print the table."""
    articles = labelled(path)
    name = set_name(path, articles)
    started = time.perf_counter()
    with fresh_store(store_kind) as url:  # a fresh, migrated store, dropped afterwards
        run = run_service(articles, url, f"https://bench.example/{path.stem}")
    scores, passages = score_report(run)
    elapsed = time.perf_counter() - started
    predictions = [p for found in passages.by_article.values() for p in found]
    counted = (
        f"{sum(p.quote for p in predictions)} quotation passages (predictions) of "
        if any(a.polnear for a in articles)
        else ""
    )
    print_table(
        f"{name} ({path.name}) from the JSON report ({store_kind}): {len(run.ids)} of {len(articles)} "
        f"articles ingested; {passages.mentions} quote and attribution mentions in {counted}"
        f"{len(predictions)} passages; ingest {run.ingest_seconds:.1f} s, export {run.export_seconds:.1f} s, "
        f"{elapsed:.1f} s in all",
        scores,
        show_errors,
    )
    labels = sum(len(a.quotes) for a in articles if a.key in run.ids)
    print(f"  labels located in the stored text: {scores.tallies[(0.3, 'all')].gold} of {labels}")
    if any(a.polnear for a in articles):
        print(
            "  direct attributions with no quoted part of three words or more (no gold): "
            f"{sum(a.unquoted for a in articles)}; quotations of attributions not marked direct: "
            f"{sum(len(a.undirected) for a in articles)}"
        )
    for key, reason in run.refused.items():
        print(f"  refused [{key}]: {reason}")
    print(f"  passages whose mentions disagree on the speaker: {len(passages.disagreeing)}")
    print(f"  mentions whose words are not the stored text at their offsets: {len(passages.misplaced)}")
    keys = {article_id: key for key, article_id in run.ids.items()}
    for note in (passages.disagreeing + passages.misplaced)[:show_errors]:
        print("    ", re.sub(r"^\[article (\d+)\]", lambda m: f"[{keys.get(int(m[1]), m[1])}]", note))
    return name, scores


def print_summary(results: list[tuple[str, Scores]]) -> None:
    """The data sets side by side at ≥0.3 over all quotes, beside their targets."""
    print("\nSide by side (≥0.3, all quotes; PolNeAR: quotations only); 'no': a target missed")
    heading = "target P / R / speaker"
    print(f"| data set     |  gold |  pred |  prec. | recall |     F1 | speaker | {heading:<27} |")
    print("|--------------|-------|-------|--------|--------|--------|---------|" + "-" * 29 + "|")
    for name, scores in results:
        tally = scores.tallies[(0.3, "all")]
        precision, recall, _, speaker = tally.figures()
        target = TARGETS.get(name.split()[0])
        marks = "-"
        if target:
            met = (precision >= target[0], recall >= target[1], speaker >= target[2])
            marks = " / ".join(f"{t:.2f}{'' if m else ' no'}" for t, m in zip(target, met, strict=True))
        row = tally.row(name)
        print(f"| {name:<12}{row[row.index(' |', 2) :]} {marks:<27} |")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--errors", type=int, default=0, help="print this many errors of each class")
    parser.add_argument(
        "--report", action="store_true", help="score the JSON report of a fresh store, not the extractors"
    )
    parser.add_argument("--store", choices=("sqlite", "postgres"), default="sqlite", help="with --report")
    args = parser.parse_args()
    started = time.perf_counter()
    results = []
    for path in args.files or [p for p in DEFAULT_SETS if p.exists()]:
        if args.report:
            results.append(evaluate_report(path, args.errors, args.store))
        else:
            results.append(evaluate(path, args.errors))
    print_summary(results)
    print(f"\n{time.perf_counter() - started:.1f} s in all")


if __name__ == "__main__":
    main()
