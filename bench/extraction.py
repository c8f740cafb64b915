"""Extraction evaluation: precision, recall and F1 of quotes, and speaker accuracy, against
labelled articles. Prints one table per data set.

    .venv/bin/python -m bench.extraction [--errors N] [FILE.jsonl ...]

Data sets (JSON lines, one article per line: ``text`` and ``quotes: [{quote, speaker, reference}]``):
by default the development set ``../shared/corpus/ggt-quotes/ggt_quotes.jsonl`` and our own
hand-labelled ``bench/data/handlabelled.jsonl``.

Metric (the Gender Gap Tracker's, so figures compare with theirs): a gold quote is found by a
prediction covering at least 30% (or 80%) of its characters, each prediction used once, best
overlap first. Precision = matched predictions / predictions; recall = matched gold / gold.
Speaker accuracy is over matched quotes: right when the predicted speaker (as written, or the
name it resolves to in the article) shares a word other than a function word with the gold
speaker as written or the gold full name. Quotes opening with a quotation mark are "direct",
the rest "reported". Extraction runs on the cleaned text, as in the service; gold quotes are
located in it by their text (with the cleaner's Unicode step applied to it too), and a label
repeated for a quote printed once counts once (one development article carries each of its 28
labels twice: 1,475 gold quotes, not 1,503).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from provenance.cleaning import clean, normalise_unicode
from provenance.domain import ArticleText, Extraction
from provenance.extractors.attributions import AttributionExtractor
from provenance.extractors.quotes import QuoteExtractor
from provenance.speakers import ArticleSpeakers

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SETS = [
    ROOT.parent / "shared" / "corpus" / "ggt-quotes" / "ggt_quotes.jsonl",
    ROOT / "bench" / "data" / "handlabelled.jsonl",
]
THRESHOLDS = (0.3, 0.8)
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
class Tally:
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    predicted_matched: int = 0
    speaker_right: int = 0
    errors: list[str] = field(default_factory=list)

    def row(self, name: str) -> str:
        precision = self.predicted_matched / self.predicted if self.predicted else 0.0
        recall = self.matched / self.gold if self.gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        speaker = self.speaker_right / self.matched if self.matched else 0.0
        return (
            f"| {name:<22} | {self.gold:>5} | {self.predicted:>5} | {precision:6.3f} | {recall:6.3f} "
            f"| {f1:6.3f} | {speaker:6.3f} |"
        )


def locate(text: str, quote: str, taken: set[tuple[int, int]]) -> tuple[int, int] | None:
    """Where the gold quote stands in the cleaned text (whitespace-insensitive): its first
    occurrence not ``taken`` by an earlier gold quote, so a label repeated for a quote printed once
    counts once (one development article carries all its 28 labels twice)."""
    pattern = r"\s+".join(re.escape(part) for part in quote.split())
    for found in re.finditer(pattern, text):
        if found.span() not in taken:
            taken.add(found.span())
            return found.span()
    return None


def load(
    path: Path, extractors: list[QuoteExtractor | AttributionExtractor]
) -> Iterable[tuple[str, list[Gold], list[Prediction], float]]:
    """Each article's cleaned text, gold quotes located in it, predictions, and extraction time."""
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        raw = record["text"].replace("\n .\n", "\n\n")
        started = time.perf_counter()
        cleaned = clean(raw)
        article = ArticleText(cleaned.text, None, cleaned.language)
        extractions: list[Extraction] = sorted(
            (e for extractor in extractors for e in extractor.extract(article)), key=lambda e: e.start
        )
        elapsed = time.perf_counter() - started
        names = ArticleSpeakers(cleaned.text, (e.speaker for e in extractions))
        predictions = []
        for e in extractions:
            resolved = names.resolve(e.speaker, e.speaker_offset, (e.start, e.end))
            predictions.append(Prediction(e.start, e.end, e.speaker, resolved[0] if resolved else None))
        golds = []
        taken: set[tuple[int, int]] = set()
        for q in record["quotes"]:
            span = locate(cleaned.text, normalise_unicode(q["quote"]).strip(), taken)
            if span is not None:
                golds.append(
                    Gold(
                        *span,
                        q.get("speaker") or "",
                        q.get("reference") or "",
                        q["quote"].strip()[:1] in _QUOTE_MARKS,
                    )
                )
        yield cleaned.text, golds, predictions, elapsed


def _words(text: str | None) -> set[str]:
    return {w for w in re.findall(r"[\w’'-]+", (text or "").lower()) if w not in _STOP}


def speaker_right(gold: Gold, prediction: Prediction) -> bool:
    predicted = _words(prediction.speaker) | _words(prediction.resolved)
    return bool(predicted & (_words(gold.speaker) | _words(gold.reference)))


def evaluate(path: Path, show_errors: int) -> None:
    extractors: list[QuoteExtractor | AttributionExtractor] = [QuoteExtractor(), AttributionExtractor()]
    tallies = {(t, kind): Tally() for t in THRESHOLDS for kind in ("all", "direct", "reported")}
    times: list[float] = []
    for text, golds, predictions, elapsed in load(path, extractors):
        times.append(elapsed)
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
            for kind in ("all", "direct", "reported"):
                tally = tallies[(threshold, kind)]
                chosen = [gi for gi, g in enumerate(golds) if kind == "all" or g.direct == (kind == "direct")]
                tally.gold += len(chosen)
                for gi in chosen:
                    g = golds[gi]
                    if gi in used_gold:
                        tally.matched += 1
                        p = predictions[used_gold[gi]]
                        if speaker_right(golds[gi], p):
                            tally.speaker_right += 1
                        elif kind == "all" and threshold == 0.3:
                            tally.errors.append(
                                f"SPEAKER want {golds[gi].speaker or golds[gi].reference!r} got "
                                f"{p.speaker!r}/{p.resolved!r}: {text[g.start : g.end][:80]!r}"
                            )
                    elif kind == "all" and threshold == 0.3:
                        tally.errors.append(f"MISSED {text[golds[gi].start : golds[gi].end][:120]!r}")
                # predictions are direct when they open with a quotation mark
                for pi, p in enumerate(predictions):
                    direct = text[p.start : p.start + 1] in _QUOTE_MARKS
                    if kind == "all" or direct == (kind == "direct"):
                        tally.predicted += 1
                        tally.predicted_matched += pi in used_pred
                        if pi not in used_pred and kind == "all" and threshold == 0.3:
                            tally.errors.append(f"SPURIOUS {text[p.start : p.end][:120]!r}")
    print(
        f"\n{path.name}: {len(times)} articles; clean + extract mean {statistics.mean(times) * 1000:.1f} ms, "
        f"slowest {max(times) * 1000:.1f} ms per article"
    )
    print("| quotes (overlap)       |  gold |  pred |  prec. | recall |     F1 | speaker |")
    print("|------------------------|-------|-------|--------|--------|--------|---------|")
    for threshold in THRESHOLDS:
        for kind in ("all", "direct", "reported"):
            print(tallies[(threshold, kind)].row(f"{kind} ≥{threshold}"))
    errors = tallies[(0.3, "all")].errors
    for error in errors[:show_errors]:
        print("  ", error)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--errors", type=int, default=0, help="print this many errors of each data set")
    args = parser.parse_args()
    for path in args.files or [p for p in DEFAULT_SETS if p.exists()]:
        evaluate(path, args.errors)


if __name__ == "__main__":
    main()
