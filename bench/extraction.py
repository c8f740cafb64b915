"""Extraction evaluation: precision, recall and F1 of quotes, and speaker accuracy, against
labelled articles. Prints one table per data set.

    .venv/bin/python -m bench.extraction [--errors N] [FILE.jsonl ...]
    .venv/bin/python -m bench.extraction --report [--store sqlite|postgres] [--errors N] [FILE.jsonl ...]

Data sets (JSON lines, one article per line: ``text`` and ``quotes: [{quote, speaker, reference}]``):
by default the development set ``../shared/corpus/ggt-quotes/ggt_quotes.jsonl`` and our own
hand-labelled ``bench/data/handlabelled.jsonl``.

Two things can be scored. By default, the extractors' output (clean, extract, read speakers in the
article; no store): a quick loop for whoever tunes the rules. With ``--report``, what a user
reads: every article is ingested into a fresh store through the service, as ``provenance
ingest`` does, the JSON report is exported, and each distinct passage of a quote or attribution
mention (article, passage start and end: a quotation as printed) is one prediction, with the
speaker as written and the resolved speaker's name of its mentions; gold quotes are located in
the article text as stored (the cleaned text, which the API returns). The quality targets are
read from ``--report``.

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

``--errors N`` prints the first N of each error class at ≥0.3: gold quotes missed, spurious
predictions, wrong speakers, and speakers counted right whose resolved name is another full name
than the gold one ("Elizabeth May" for "Theresa May": right by the surname, yet another person).
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
from bench.pathological import store
from provenance.articles import ArticleInput, IngestResult
from provenance.cleaning import clean, normalise_unicode
from provenance.db import create_db_engine, session_scope
from provenance.domain import ArticleText, Extraction
from provenance.extractors.attributions import AttributionExtractor
from provenance.extractors.quotes import QuoteExtractor
from provenance.models import Article
from provenance.plugins import PluginRegistry
from provenance.services import ArticleService
from provenance.settings import Settings
from provenance.speakers import ArticleSpeakers

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SETS = [
    ROOT.parent / "shared" / "corpus" / "ggt-quotes" / "ggt_quotes.jsonl",
    ROOT / "bench" / "data" / "handlabelled.jsonl",
]
THRESHOLDS = (0.3, 0.8)
KINDS = ("all", "direct", "reported")
_STOP = frozenset("the a an of and mr mrs ms dr he she they it we i his her".split())
_QUOTE_MARKS = "\"“”„«»'‘’"


@dataclass
class Gold:
    start: int
    end: int
    speaker: str
    reference: str
    direct: bool


@dataclass
class Prediction:
    start: int
    end: int
    speaker: str | None
    resolved: str | None


@dataclass
class Labelled:
    """One labelled article: where it is in its file (its ``id``, or ``file:line``), the text to
    ingest, and its labels."""

    key: str
    text: str
    quotes: list[dict[str, Any]]


@dataclass
class Tally:
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    predicted_matched: int = 0
    speaker_right: int = 0

    def figures(self) -> tuple[float, float, float, float]:
        """Precision, recall, F1 and speaker accuracy."""
        precision = self.predicted_matched / self.predicted if self.predicted else 0.0
        recall = self.matched / self.gold if self.gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        speaker = self.speaker_right / self.matched if self.matched else 0.0
        return precision, recall, f1, speaker

    def row(self, name: str) -> str:
        precision, recall, f1, speaker = self.figures()
        return (
            f"| {name:<22} | {self.gold:>5} | {self.predicted:>5} | {precision:6.3f} | {recall:6.3f} "
            f"| {f1:6.3f} | {speaker:6.3f} |"
        )


@dataclass
class Errors:
    """The errors at ≥0.3 over all quotes, by class, each led by its article's key."""

    missed: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)
    speaker: list[str] = field(default_factory=list)
    person: list[str] = field(default_factory=list)  # counted right, but resolved to another name


@dataclass
class Scores:
    """A data set's tallies by (threshold, kind) and its errors."""

    tallies: dict[tuple[float, str], Tally] = field(
        default_factory=lambda: {(t, kind): Tally() for t in THRESHOLDS for kind in KINDS}
    )
    errors: Errors = field(default_factory=Errors)


def labelled(path: Path) -> list[Labelled]:
    """The articles of a labelled file, with the annotation tool's paragraph lines (" .") made
    blank lines."""
    articles = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        record = json.loads(line)
        text = record["text"].replace("\n .\n", "\n\n")
        articles.append(Labelled(str(record.get("id") or f"{path.name}:{n}"), text, record["quotes"]))
    return articles


def locate(text: str, quote: str, taken: set[tuple[int, int]]) -> tuple[int, int] | None:
    """Where the gold quote stands in the cleaned text (whitespace-insensitive): its first
    occurrence not ``taken`` by an earlier gold quote, so a label repeated for a quote printed once
    counts once (one development article carries all its 28 labels twice). Whole words first (a
    one-word answer "no" is not the start of "not"), then anywhere (a label that cuts a word)."""
    words = r"\s+".join(re.escape(part) for part in quote.split())
    if not words:
        return None
    bounded = (
        (r"(?<!\w)" if quote[:1].isalnum() else "") + words + (r"(?!\w)" if quote[-1:].isalnum() else "")
    )
    for pattern in dict.fromkeys((bounded, words)):
        for found in re.finditer(pattern, text):
            if found.span() not in taken:
                taken.add(found.span())
                return found.span()
    return None


def gold_quotes(text: str, quotes: list[dict[str, Any]]) -> list[Gold]:
    """The labelled quotes found in the cleaned ``text`` (those not found, and empty labels, are
    left out)."""
    golds = []
    taken: set[tuple[int, int]] = set()
    for q in quotes:
        span = locate(text, normalise_unicode(q["quote"]).strip(), taken)
        if span is not None:
            direct = q["quote"].strip()[:1] in _QUOTE_MARKS
            golds.append(Gold(*span, q.get("speaker") or "", q.get("reference") or "", direct))
    return golds


def load(
    path: Path, extractors: list[QuoteExtractor | AttributionExtractor]
) -> Iterator[tuple[str, str, list[Gold], list[Prediction], float]]:
    """Each article's key, cleaned text, gold quotes located in it, the extractors' predictions
    (speakers read in the article, as the service reads them), and the time to clean and extract."""
    for article in labelled(path):
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
            predictions.append(Prediction(e.start, e.end, e.speaker, resolved[0] if resolved else None))
        yield article.key, cleaned.text, gold_quotes(cleaned.text, article.quotes), predictions, elapsed


def _words(text: str | None) -> set[str]:
    return {w for w in re.findall(r"[\w’'-]+", (text or "").lower()) if w not in _STOP}


def speaker_right(gold: Gold, prediction: Prediction) -> bool:
    predicted = _words(prediction.speaker) | _words(prediction.resolved)
    return bool(predicted & (_words(gold.speaker) | _words(gold.reference)))


def other_person(gold: Gold, prediction: Prediction) -> bool:
    """Whether the resolved name and the gold full name are two names of two words or more, neither
    holding the other ("Elizabeth May" for "Theresa May"): the speaker rule counts such a speaker
    right by the shared surname, but a reader is shown another person."""
    resolved, reference = _words(prediction.resolved), _words(gold.reference)
    return min(len(resolved), len(reference)) > 1 and not (resolved <= reference or reference <= resolved)


def score(scores: Scores, key: str, text: str, golds: list[Gold], predictions: list[Prediction]) -> None:
    """Add one article's gold quotes and predictions to ``scores``."""
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
                    if speaker_right(g, p):
                        tally.speaker_right += 1
                        if noted and other_person(g, p):
                            scores.errors.person.append(
                                f"[{key}] want {g.reference!r} got {p.speaker!r} -> {p.resolved!r}: "
                                f"{text[g.start : g.end][:80]!r}"
                            )
                    elif noted:
                        scores.errors.speaker.append(
                            f"[{key}] want {g.speaker or g.reference!r} ({g.reference!r}) got "
                            f"{p.speaker!r} -> {p.resolved!r}: {text[g.start : g.end][:80]!r}"
                        )
                elif noted:
                    scores.errors.missed.append(f"[{key}] {text[g.start : g.end][:120]!r}")
            # predictions are direct when they open with a quotation mark
            for pi, p in enumerate(predictions):
                direct = text[p.start : p.start + 1] in _QUOTE_MARKS
                if kind == "all" or direct == (kind == "direct"):
                    tally.predicted += 1
                    tally.predicted_matched += pi in used_pred
                    if pi not in used_pred and noted:
                        scores.errors.spurious.append(
                            f"[{key}] {p.speaker!r} -> {p.resolved!r}: {text[p.start : p.end][:120]!r}"
                        )


def print_table(heading: str, scores: Scores, show_errors: int) -> None:
    print(f"\n{heading}")
    print("| quotes (overlap)       |  gold |  pred |  prec. | recall |     F1 | speaker |")
    print("|------------------------|-------|-------|--------|--------|--------|---------|")
    for threshold in THRESHOLDS:
        for kind in KINDS:
            print(scores.tallies[(threshold, kind)].row(f"{kind} ≥{threshold}"))
    if show_errors:
        errors = scores.errors
        for name, found in (
            ("gold quotes missed", errors.missed),
            ("spurious predictions", errors.spurious),
            ("wrong speakers", errors.speaker),
            ("speakers counted right but resolved to another full name", errors.person),
        ):
            print(f"  {name} (≥0.3): {len(found)}; the first {min(show_errors, len(found))}:")
            for error in found[:show_errors]:
                print("    ", error)


def evaluate(path: Path, show_errors: int) -> Scores:
    """Score the extractors' output on one labelled file and print the table."""
    extractors: list[QuoteExtractor | AttributionExtractor] = [QuoteExtractor(), AttributionExtractor()]
    scores = Scores()
    times: list[float] = []
    for key, text, golds, predictions, elapsed in load(path, extractors):
        times.append(elapsed)
        score(scores, key, text, golds, predictions)
    print_table(
        f"{path.name}: {len(times)} articles; clean + extract mean {statistics.mean(times) * 1000:.1f} ms, "
        f"slowest {max(times) * 1000:.1f} ms per article",
        scores,
        show_errors,
    )
    return scores


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
    or attribution claim, with the speaker (as written and resolved) of its first mention."""
    grouped: dict[tuple[int, int, int], list[tuple[int, str | None, str | None]]] = defaultdict(list)
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
            grouped[(article, passage["start"], passage["end"])].append((m["start"], m["speaker"], resolved))
    by_article: dict[int, list[Prediction]] = defaultdict(list)
    disagreeing = []
    for (article, start, end), found in sorted(grouped.items()):
        found.sort()
        speakers = list(dict.fromkeys((written, resolved) for _, written, resolved in found))
        if len(speakers) > 1:
            disagreeing.append(f"[article {article}] {speakers}: {texts[article][start:end][:80]!r}")
        by_article[article].append(Prediction(start, end, *speakers[0]))
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
        score(scores, article.key, text, golds, passages.by_article.get(article_id, []))
    return scores, passages


def evaluate_report(path: Path, show_errors: int, store_kind: str) -> Scores:
    """Score the JSON report of a fresh store holding one labelled file, and print the table."""
    articles = labelled(path)
    started = time.perf_counter()
    with store(store_kind) as url:  # a fresh, migrated store, dropped afterwards
        run = run_service(articles, url, f"https://bench.example/{path.stem}")
    scores, passages = score_report(run)
    elapsed = time.perf_counter() - started
    print_table(
        f"{path.name} from the JSON report ({store_kind}): {len(run.ids)} of {len(articles)} articles "
        f"ingested; {passages.mentions} quote and attribution mentions in "
        f"{sum(map(len, passages.by_article.values()))} passages; ingest {run.ingest_seconds:.1f} s, "
        f"export {run.export_seconds:.1f} s, {elapsed:.1f} s in all",
        scores,
        show_errors,
    )
    for key, reason in run.refused.items():
        print(f"  refused [{key}]: {reason}")
    print(f"  passages whose mentions disagree on the speaker: {len(passages.disagreeing)}")
    print(f"  mentions whose words are not the stored text at their offsets: {len(passages.misplaced)}")
    for note in (passages.disagreeing + passages.misplaced)[:show_errors]:
        print("    ", note)
    return scores


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
    for path in args.files or [p for p in DEFAULT_SETS if p.exists()]:
        if args.report:
            evaluate_report(path, args.errors, args.store)
        else:
            evaluate(path, args.errors)


if __name__ == "__main__":
    main()
