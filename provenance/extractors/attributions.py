"""The built-in reported-speech extractor: ``X said (that) …``, ``X told reporters …``,
``according to X, …`` and ``…, according to X``, in sentences that hold no direct quote."""

from __future__ import annotations

from collections.abc import Iterator

from provenance import hookimpl
from provenance.domain import ArticleText, ClaimKind, Extraction, Extractor
from provenance.extractors.lexicon import TIME_WORDS
from provenance.extractors.phrases import Phrase, Token, speaker_ending_at, tokens
from provenance.extractors.quotes import find_quotes
from provenance.text import sentence_spans, words

MIN_CLAIM_WORDS = 5
_SPEECH_VERBS = frozenset(
    """said says told tells added adds announced announces warned warns stated states claimed claims
    argued argues insisted insists noted notes explained explains confirmed confirms denied denies
    reported reports acknowledged acknowledges admitted admits estimated estimates predicted
    predicts believes believed""".split()
)
_NOT_A_CLAUSE_START = frozenset(
    "to in on of by for is was are were has have had will would can could be".split()
)
_OBJECTS = frozenset("reporters journalists him her them us me parliament lawmakers".split())


class AttributionExtractor:
    """Reported speech and "according to" attributions, with their speaker and cue."""

    name = "attributions"
    languages = frozenset({"en"})

    def extract(self, article: ArticleText) -> Iterator[Extraction]:
        text = article.text
        quoted = [(q.start, q.end) for q in find_quotes(text) if len(words(q.content(text))) >= 3]
        for start, end in sentence_spans(text):
            if any(start <= q_start < end for q_start, _ in quoted):
                continue
            found = _according_to(text, start, end) or _reported(text, start, end)
            if found is not None:
                yield found


def _extraction(text: str, start: int, end: int, speaker: Phrase | None, cue: str) -> Extraction | None:
    while end > start and text[end - 1] in ".,;: ":
        end -= 1
    while start < end and text[start] in ",;: ":
        start += 1
    if speaker is None or len(words(text[start:end])) < MIN_CLAIM_WORDS:
        return None
    return Extraction(
        kind=ClaimKind.ATTRIBUTION, text=text[start:end], start=start, end=end, speaker=speaker.text, cue=cue
    )


def _according_to(text: str, start: int, end: int) -> Extraction | None:
    toks = tokens(text, start, end)
    for k in range(len(toks) - 1):
        if toks[k].lower == "according" and toks[k + 1].lower == "to":
            source_toks = _until_comma(toks[k + 2 :])
            if not source_toks:
                return None
            source = text[source_toks[0].start : source_toks[-1].end].rstrip(".")
            speaker = Phrase(source, source_toks[0].start, source_toks[0].start + len(source))
            if k == 0 and source_toks and len(source_toks) < len(toks) - 2:
                return _extraction(text, source_toks[-1].end, end, speaker, "according to")
            if k > 0 and toks[k - 1].text == ",":
                return _extraction(text, start, toks[k - 1].start, speaker, "according to")
    return None


def _until_comma(toks: list[Token]) -> list[Token]:
    for k, tok in enumerate(toks):
        if tok.text == ",":
            return toks[:k]
    return toks


def _reported(text: str, start: int, end: int) -> Extraction | None:
    toks = tokens(text, start, end)
    for k, tok in enumerate(toks[:14]):
        if tok.lower not in _SPEECH_VERBS or not tok.text[0].islower():
            continue
        speaker = speaker_ending_at(text, toks[:k])
        if speaker is None:
            return None
        rest = k + 1
        while rest < len(toks) and (toks[rest].lower in TIME_WORDS or toks[rest].lower in _OBJECTS):
            rest += 1
        if rest < len(toks) and toks[rest].lower == "that":
            rest += 1
        if rest >= len(toks) or toks[rest].text in {",", ":"} or toks[rest].lower in _NOT_A_CLAUSE_START:
            return None  # "which Beijing claims is …", "said in a statement", "told to leave"
        return _extraction(text, toks[rest].start, end, speaker, tok.lower)
    return None


@hookimpl
def register_extractors() -> list[Extractor]:
    return [AttributionExtractor()]
