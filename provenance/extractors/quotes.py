"""The built-in direct-quote extractor: quotation marks, speaker and cue.

Quote marks: curly, straight, low-9 and guillemets, and mixed pairs (a curly opening mark closed by
a straight one). Nested single quotes stay part of the outer quote; a quote that runs over several
paragraphs (each reopened, closed only at the end) is one quote. Scare quotes of one or two words
and quoted titles are not claims.

Speakers: ``"…," Putin said`` / ``said Niva Yau`` / ``X is quoted as saying`` after the quote;
``X said:`` / ``X told them that …`` / ``…, declaring: "…"`` / ``quoted X as saying`` / ``…, asks
editor Jane Doe, "…"`` before it. A quote with no cue of its own takes the named subject of the
sentence before it when the article reports that person speaking elsewhere, or else continues the
speaker of the quote before it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from provenance import hookimpl
from provenance.domain import ArticleText, ClaimKind, Extraction, Extractor
from provenance.extractors.phrases import (
    QUOTE_MASK,
    Phrase,
    Token,
    clause_start,
    read_as_noun,
    sentence_subject,
    speaker_ending_at,
    speaker_starting_at,
    subject_span,
    tokens,
    without_party_tags,
)
from provenance.lexicon import (
    FIRST_NAMES,
    FUNCTION_WORDS,
    NAMING_VERBS,
    PERSON_ROLES,
    PRONOUNS,
    REPORTING_VERBS,
    SPEAKER_NOUNS,
    SPEAKING_TEXTS,
    TIME_WORDS,
    is_adverb,
)
from provenance.names import NICKNAME_RE
from provenance.text import (
    CLOSING_DOUBLE,
    CLOSING_SINGLE,
    OPENING_DOUBLE,
    OPENING_SINGLE,
    covering,
    sentence_bounds,
    sentence_spans,
    words,
)

MIN_QUOTE_WORDS = 3
MIN_UNATTRIBUTED_WORDS = 4  # a quotation shorter than this is a claim only with a speaker or cue
MIN_SPEECH_QUOTE_WORDS = 5  # a shorter quotation inside a sentence may be a phrase of the writer's
MAX_CUE_DISTANCE = 12  # tokens between a cue verb before a quote and the quote itself
MAX_SPEAKER_TOKENS = 30  # tokens of a speaker with an appositive, after a quote
OPENING_CUE_TOKENS = 10  # tokens a sentence's opening "X said" may take, for a quote far into it
SUBJECT_TOKENS = 60  # tokens a sentence's subject is read from (sentence_subject reads fewer than 50)
LOOKBACK_SENTENCES = 3  # sentences a quote paragraph with no cue looks back for its speaker
MAX_NARRATIVE_PARAGRAPHS = 2  # paragraphs between a speaker's quote and a quote that continues it
TAIL_COMMAS = 3  # commas an attribution ending a sentence may hold, with its appositive
MAX_SIGN_OFF_TOKENS = 12  # tokens of a name signing a quote off, with where they are from
MAX_ATTRIBUTION_WORDS = 6  # words between a quote and the short one that carries it on
PULL_QUOTE_ECHO_CHARS = 30  # how much of a pull quote the article must print again
_TITLE_SMALL_WORDS = frozenset("a an the of and or in on at to for by with from".split())
_ORGANISATION_LINKS = frozenset("of the for and & de".split())
_DETERMINERS = frozenset("the a an his her their its our".split())
_PARAGRAPH_BREAK_RE = re.compile(r"\n\s*\n")
_SIGN_OFF_RE = re.compile(r"[^\S\n]*[―—–-]{1,2}[^\S\n]*(?=[A-Z])")  # "” — Tomas Ortega"
_TEXT_CUES = frozenset({"reads", "read"})  # what a text says: "“…,” the letter reads"
_SOURCE_HEADS = PRONOUNS | SPEAKER_NOUNS | PERSON_ROLES | SPEAKING_TEXTS
_NAME_AFTER_RE = re.compile(r" [A-Z][a-z]")
_SENTENCE_END_RE = re.compile(r"[.!?][”’\"')]*\s")
_DOUBLE_MARK_RE = re.compile(f'[{OPENING_DOUBLE}{CLOSING_DOUBLE}"]')
_SINGLE_MARK_RE = re.compile(f"[{OPENING_SINGLE}{CLOSING_SINGLE}']")
_WORD_RE = re.compile(r"[\w’'-]+")
_PULL_QUOTE_RE = re.compile(  # a paragraph: the words said, then the speaker's name and affiliation
    r"(?m)^(?P<said>[^\n]*?[.!?…])[ \t]+(?P<name>[A-Z][\w’'-]+(?: [A-Z][\w’'-]+){1,2})"
    r"(?:, [^\n,]{1,40}?)?\.?[ \t]*$"
)


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """A quotation from its opening mark to its closing mark (inclusive)."""

    start: int
    end: int

    def content(self, text: str) -> str:
        return text[self.start + 1 : self.end - 1] if self.end - self.start > 2 else ""


def find_quotes(text: str) -> list[QuoteSpan]:
    """Every top-level quotation in ``text``, in order."""
    doubles = _pair_marks(text, _double_marks(text))
    covered = covering([(q.start, q.end) for q in doubles])
    singles = [q for q in _pair_marks(text, _single_marks(text), same_paragraph=True) if not covered(q.start)]
    return sorted(doubles + singles, key=lambda q: q.start)


def _double_marks(text: str) -> Iterator[tuple[int, bool | None]]:
    """``(offset, is_opening)`` for every double quotation mark; ``None`` for a straight mark that
    opens a quotation unless one is open in its paragraph, which it closes: after punctuation and
    a space, before a word (`"… a party, "police said`: a space out of place)."""
    for mark in _DOUBLE_MARK_RE.finditer(text):
        i, ch = mark.start(), mark.group()
        if ch in OPENING_DOUBLE:
            yield i, True
        elif ch in CLOSING_DOUBLE:
            yield i, False
        else:  # a straight mark: opening or closing by what is either side
            before = text[i - 1] if i else " "
            after = text[i + 1] if i + 1 < len(text) else " "
            opening = (before.isspace() or before in "([—–-/" + OPENING_SINGLE) and not after.isspace()
            either = (
                opening and before == " " and text[i - 2 : i - 1] in {",", ".", "?", "!"} and after.isalpha()
            )
            yield i, None if either else opening


def _single_marks(text: str) -> Iterator[tuple[int, bool | None]]:
    """Single marks that can open or close a quotation; apostrophes inside words are skipped."""
    for mark in _SINGLE_MARK_RE.finditer(text):
        i = mark.start()
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if (before.isspace() or before in '(“"') and after.isalnum():
            yield i, True
        elif not before.isspace() and not after.isalnum():
            yield i, False


def _pair_marks(
    text: str, marks: Iterator[tuple[int, bool | None]], same_paragraph: bool = False
) -> list[QuoteSpan]:
    spans: list[QuoteSpan] = []
    open_at: int | None = None
    for offset, is_opening in marks:
        crosses_paragraph = open_at is not None and _PARAGRAPH_BREAK_RE.search(text, open_at, offset)
        if is_opening is None:
            is_opening = open_at is None or bool(crosses_paragraph)
        if is_opening:
            if open_at is None or not crosses_paragraph or same_paragraph:
                open_at = offset  # a fresh quote, or a stray unclosed mark replaced by this one
            # else: a quote continued in a new paragraph keeps its first opening mark
        elif open_at is not None:
            if same_paragraph and _PARAGRAPH_BREAK_RE.search(text, open_at, offset):
                open_at = None
                continue
            spans.append(QuoteSpan(open_at, offset + 1))
            open_at = None
    return spans


def _is_subheading(text: str, quote: QuoteSpan) -> bool:
    """A line that is nothing but a short quotation in single marks: a pull-quote subheading."""
    if text[quote.start] not in OPENING_SINGLE + "'":
        return False
    line_start = text.rfind("\n", 0, quote.start) + 1
    line_end = text.find("\n", quote.end)
    line_end = len(text) if line_end < 0 else line_end
    rest = text[line_start : quote.start] + text[quote.end : line_end]
    return not rest.strip(" .") and len(words(quote.content(text))) <= 12


def _is_claim(content: str) -> bool:
    found = words(content)
    if len(found) < MIN_QUOTE_WORDS:
        return False
    # A title: every word but the small ones is capitalised ("The Art of War").
    content_words = [w for w in found if w.lower() not in _TITLE_SMALL_WORDS]
    return not (content_words and all(w[0].isupper() for w in content_words) and len(found) <= 8)


def _is_quoted_phrase(text: str, masked: str, quote: QuoteSpan) -> bool:
    """A few words quoted inside the writer's sentence ('the results were “deeply troubling news”',
    'has “enormous market potential” despite …'): under :data:`MIN_SPEECH_QUOTE_WORDS` words, not
    opening the sentence nor following a cue, and starting in lower case, so part of the sentence,
    not a claim of its own. Words of :data:`MIN_QUOTE_WORDS` or more are someone's claim when a cue
    with its speaker governs them: speech the sentence reports ('Reid said Trump was “a human
    leech”', '… and said they had “more questions than answers”') or what someone names or judges
    something ('Ham described Clinton as “a lifetime politician”')."""
    content = quote.content(text).lstrip(" '‘\"“…")
    if len(words(content)) >= MIN_SPEECH_QUOTE_WORDS or not content[:1].islower():
        return False
    sentence_start, sentence_end = sentence_bounds(text, quote.start)
    before, ends = _sentence_tokens(text, sentence_start, max(sentence_end, quote.start), False)
    last = bisect_right(ends, quote.start) - 1
    while last >= 0 and before[last].text in {",", ":"}:
        last -= 1
    after_cue = last >= 0 and before[last].is_cue  # 'said “we’re not there yet.”'
    if sentence_start == quote.start or after_cue:
        return False
    if len(words(content)) < MIN_QUOTE_WORDS:
        return True
    opening, ends = _sentence_tokens(masked, sentence_start, max(sentence_end, quote.start), True)
    if _clause_cue(masked, opening, OPENING_CUE_TOKENS)[0] is not None:
        return False
    return _cue_before(masked, opening, bisect_right(ends, quote.start))[0] is None


def _is_short_speech(text: str, masked: str, quote: QuoteSpan) -> bool:
    """A quote under :data:`MIN_QUOTE_WORDS` words opening its sentence, that someone is said to
    have said right after it: "“Really?” said Colton", "“You’re short,” he blurted out"."""
    content = quote.content(text).rstrip(CLOSING_SINGLE + "'")
    if not words(content) or content[-1:] not in {",", "?", "!"}:
        return False
    if sentence_bounds(text, quote.start)[0] != quote.start:
        return False  # inside a sentence: 'shot at them "like snipers," he said' quotes a phrase
    return _attribute_after(text, masked, quote)[0] is not None


class QuoteExtractor:
    """Direct quotes with their speaker and cue verb."""

    name = "quotes"
    languages: frozenset[str] | None = frozenset({"en"})

    def extract(self, article: ArticleText) -> Iterator[Extraction]:
        text = article.text
        quotes = find_quotes(text)
        masked = _mask(text, quotes)
        claims = [
            q
            for q in quotes
            if (_is_claim(q.content(text)) or _is_short_speech(text, masked, q))
            and not _is_subheading(text, q)
            and not _is_quoted_phrase(text, masked, q)
        ]
        attributed = [(quote, *_attribute(text, masked, quote)) for quote in claims]
        speaking: set[str] | None = None  # found when first needed
        previous: tuple[QuoteSpan, Phrase | None] | None = None
        for quote, speaker, cue in attributed:
            content = quote.content(text)
            if speaker is None and previous is not None and _between(text, previous, quote):
                speaker = previous[1]  # "“If …,” the ad’s narrator asks, “who …?”": one attribution
            if speaker is None and cue is None:
                if len(words(content)) < MIN_UNATTRIBUTED_WORDS and not _goes_on(text, quote, previous):
                    continue  # a short phrase in quotes with no one saying it: a scare quote or a term
                speaking = _speaking_names(text) if speaking is None else speaking
                speaker = _quoted_subject_before(text, masked, quote, speaking)
                speaker = speaker or (_continued_speaker(text, quote, *previous) if previous else None)
                speaker = speaker or _speaker_of_previous_sentence(text, masked, quote)
            previous = (quote, speaker)
            for start, end in _paragraphs(text, quote):
                yield Extraction(
                    kind=ClaimKind.QUOTE,
                    text=text[start:end],
                    start=start,
                    end=end,
                    speaker=text[speaker.start : speaker.start + len(speaker.text)] if speaker else None,
                    cue=cue,
                    speaker_start=speaker.start if speaker else None,
                )
        yield from pull_quotes(text)


def _between(text: str, previous: tuple[QuoteSpan, Phrase | None], quote: QuoteSpan) -> bool:
    """Whether the previous quote's speaker is printed between it and this quote, in this quote's
    sentence."""
    before, speaker = previous
    return (
        speaker is not None
        and max(before.end, sentence_bounds(text, quote.start)[0]) <= speaker.start < quote.start
    )


def _goes_on(text: str, quote: QuoteSpan, previous: tuple[QuoteSpan, Phrase | None] | None) -> bool:
    """Whether a quote carries on the attributed quote just before it in the same paragraph, with
    only its attribution between: '“We didn't guard anybody,” he said. “That's on me.”'."""
    if previous is None or previous[1] is None:
        return False
    between = text[previous[0].end : quote.start]
    return not _PARAGRAPH_BREAK_RE.search(between) and len(words(between)) <= MAX_ATTRIBUTION_WORDS


def pull_quotes(text: str) -> Iterator[Extraction]:
    """Pull quotes whose marks the page dropped: a paragraph of the speaker's words followed by
    their name alone ("I'm still thankful for what it's brought me. Morgan McNeely." or "… on
    their doors. Matt Danison, Rentals.ca"), words the article prints again elsewhere (a pull
    quote repeats the body; a photo caption with its credit does not). The name must be a
    person's (a known first name)."""
    for paragraph in _PULL_QUOTE_RE.finditer(text):
        said, name = paragraph.group("said"), paragraph.group("name")
        opening = said[:PULL_QUOTE_ECHO_CHARS]
        printed_again = (
            text.find(opening, paragraph.end()) >= 0 or text.rfind(opening, 0, paragraph.start()) >= 0
        )
        if (
            not printed_again
            or name.split()[0].lower() not in FIRST_NAMES
            or any(part.lower() in FUNCTION_WORDS for part in name.split())
            or len(words(said)) < MIN_SPEECH_QUOTE_WORDS
            or _DOUBLE_MARK_RE.search(said)
        ):
            continue
        start, end = paragraph.span("said")
        while end > start and text[end - 1] in ".!?…":
            end -= 1
        yield Extraction(
            kind=ClaimKind.QUOTE,
            text=text[start:end],
            start=start,
            end=end,
            speaker=name,
            cue=None,
            speaker_start=paragraph.start("name"),
        )


def _paragraphs(text: str, quote: QuoteSpan) -> list[tuple[int, int]]:
    """The spans of a quote, one per paragraph when it runs over several: newsroom style opens
    each paragraph of a long quote with its own mark and closes only the last."""
    spans = []
    start = quote.start
    for paragraph_break in _PARAGRAPH_BREAK_RE.finditer(text, quote.start, quote.end):
        spans.append((start, paragraph_break.start()))
        start = paragraph_break.end()
    spans.append((start, quote.end))
    return [(s, e) for s, e in spans if words(text[s:e])]


def _mask(text: str, quotes: list[QuoteSpan]) -> str:
    """``text`` with every quote opaque and party-state parentheticals and nicknames blank, so a
    speaker reads through "Rep. John Mica (R-Fla.) said" and 'Robert "Bobby" Lyle told'."""
    chars = list(without_party_tags(text))
    for q in quotes:
        nickname = NICKNAME_RE.fullmatch(text, q.start, q.end) and _NAME_AFTER_RE.match(text, q.end)
        chars[q.start : q.end] = (" " if nickname else QUOTE_MASK) * (q.end - q.start)
    return "".join(chars)


def _attribute(text: str, masked: str, quote: QuoteSpan) -> tuple[Phrase | None, str | None]:
    """The speaker and cue of a quote: looked for after it, then before it.

    Sentence bounds come from ``text``; tokens from ``masked``, where other quotes are opaque.
    """
    after_speaker, after_cue = _attribute_after(text, masked, quote)
    if after_speaker is not None:
        return after_speaker, after_cue
    before_speaker, before_cue = _attribute_before(text, masked, quote)
    if before_speaker is not None:
        return before_speaker, before_cue
    tail_speaker, tail_cue = _sentence_tail(text, masked, quote)
    if tail_speaker is not None:
        return tail_speaker, tail_cue
    return None, after_cue or before_cue


def _sentence_tail(text: str, masked: str, quote: QuoteSpan) -> tuple[Phrase | None, str | None]:
    """The attribution that ends the sentence a quote stands inside, after one of its last
    commas: 'A cashier who “steals a handful of $20s” is held accountable, Warren said.', '…, the
    union's president, Dana Ruiz, said.'"""
    _, sentence_end = sentence_bounds(text, quote.end - 1)
    end = sentence_end
    for _ in range(TAIL_COMMAS):
        comma = masked.rfind(",", quote.end, end)
        if comma < 0:
            break
        speaker, cue = _attribute_after(text, masked, QuoteSpan(comma, comma + 1))
        if speaker is not None:
            return speaker, cue
        end = comma
    return None, None


def _attribute_after(text: str, masked: str, quote: QuoteSpan) -> tuple[Phrase | None, str | None]:
    """``"…," Putin said`` / ``said Niva Yau`` / ``Xi is quoted as saying`` / ``according to X`` /
    ``"…" — Tomas Ortega, Phoenix``."""
    signed = _signed_off(masked, quote)
    if signed is not None:
        return signed, None
    _, sentence_end = sentence_bounds(text, quote.end - 1)
    after = tokens(masked, quote.end, min(max(sentence_end, quote.end), quote.end + 200))
    while after and after[0].text in {",", "—", "–", "-"}:
        after = after[1:]
    if after and after[0].lower == "as":  # "“…,” as one board member put it"
        after = after[1:]
    if not after and quote.content(text).rstrip(CLOSING_SINGLE + "'")[-1:] in {"?", "!"}:
        return _short_attribution_sentence(text, masked, quote.end)
    if not after or after[0].text.startswith(QUOTE_MASK):
        return None, None
    if after[0].is_cue:
        return speaker_starting_at(masked, after[1:]), after[0].lower
    if [t.lower for t in after[:2]] == ["according", "to"]:
        return speaker_starting_at(masked, after[2:]), "according to"
    if after[0].lower == "per" and len(after) > 1 and after[1].lower in _DETERMINERS:  # "…,” per the bylaws."
        return speaker_starting_at(masked, after[1:]), "according to"
    for k, tok in enumerate(after[:MAX_SPEAKER_TOKENS]):
        # "Harry J. Kazianis, director of defence studies, said" / "the father repeated"; not a noun:
        read = tok.lower in _TEXT_CUES and k and after[k - 1].lower in SPEAKING_TEXTS  # "the letter reads"
        if (tok.is_cue or read) and not read_as_noun(after, k):  # "one of the states suing the EPA, said"
            speaker = speaker_ending_at(masked, after[:k]) or subject_span(masked, after[:k])
            if speaker is not None and _premodifies(after[:k], speaker):  # "UFCW Local 832 president X"
                speaker = Phrase(masked[after[0].start : speaker.end], after[0].start, speaker.end)
            opening = after[1] if after[0].lower in _DETERMINERS and len(after) > 1 else after[0]
            if speaker is not None and after[0].text == "The" and speaker.start == opening.start:
                speaker = Phrase(
                    masked[after[0].start : speaker.end], after[0].start, speaker.end
                )  # "The Hill"
            if speaker is not None and (
                speaker.start in {after[0].start, opening.start} or _described_before(after, speaker)
            ):  # "the lead author, Christian Benedict, wrote", "her agent Mark Roesler said"
                cue = "quoted as saying" if tok.lower == "quoted" else tok.lower
                return speaker, cue
            break
        if tok.text in {".", "!", "?", ";", ":"} or tok.text.startswith(QUOTE_MASK):
            break
    return None, None


def _signed_off(masked: str, quote: QuoteSpan) -> Phrase | None:
    """The name that signs a quote off after a dash, alone to the end of its paragraph, as a
    reader's or a source's words are printed in a list: '“…” — Tomas Ortega, Phoenix'."""
    dash = _SIGN_OFF_RE.match(masked, quote.end)
    if dash is None:
        return None
    line_end = masked.find("\n", dash.end())
    toks = tokens(masked, dash.end(), len(masked) if line_end < 0 else line_end)
    if not toks or len(toks) > MAX_SIGN_OFF_TOKENS or any(t.is_cue for t in toks):
        return None
    speaker = speaker_starting_at(masked, toks)
    return speaker if speaker is not None and toks[0].capitalised else None


def _described_before(toks: list[Token], speaker: Phrase) -> bool:
    """Whether the tokens before ``speaker`` are a short description set off by a comma: '“…,”
    the lead author, Christian Benedict, wrote'."""
    lead = [t for t in toks if t.end <= speaker.start]
    return (
        1 < len(lead) <= 6
        and lead[0].lower in _DETERMINERS
        and lead[-1].text == ","
        and all(t.text[:1].isalpha() and not t.is_cue for t in lead[:-1])
    )


def _premodifies(toks: list[Token], speaker: Phrase) -> bool:
    """Whether the tokens before ``speaker`` name its organisation or place ("University of the
    Fraser Valley political scientist Hamish Telford")."""
    lead = [t for t in toks if t.end <= speaker.start]
    return (
        0 < len(lead) <= 8
        and lead[0].capitalised
        and all(t.capitalised or t.text.isdigit() or t.lower in _ORGANISATION_LINKS for t in lead)
    )


def _short_attribution_sentence(text: str, masked: str, offset: int) -> tuple[Phrase | None, str | None]:
    """``"…?" Kim said.``: a quote ending in a question or exclamation mark, attributed by a short
    sentence of its own."""
    start, end = sentence_bounds(text, offset + 1)
    toks = tokens(masked, start, end)
    for k, tok in enumerate(toks[:8]):
        if tok.is_cue:
            speaker = speaker_ending_at(masked, toks[:k])
            rest = [t for t in toks[k + 1 :] if t.text[:1].isalnum()]
            if speaker is not None and speaker.start == toks[0].start and len(rest) <= 3:
                return speaker, tok.lower
            break
    return None, None


def _attribute_before(text: str, masked: str, quote: QuoteSpan) -> tuple[Phrase | None, str | None]:
    """``X said:`` / ``X told them that …`` / ``…, declaring: "…"`` / ``quoted X as saying`` /
    ``X said the plan would bring a "…"`` / ``Martell is more blunt: "…"``."""
    sentence_start, sentence_end = sentence_bounds(text, quote.start)
    toks, ends = _sentence_tokens(masked, sentence_start, max(sentence_end, quote.start), True)
    before = bisect_right(ends, quote.start)  # the tokens before the quote: toks[:before]
    opening = toks[: min(before, SUBJECT_TOKENS)]
    speaker, cue = _cue_before(masked, toks, before)
    if speaker is None and cue is None and [t.lower for t in opening[:2]] == ["according", "to"]:
        return speaker_starting_at(masked, opening[2:]), "according to"  # "According to Limbaugh, “…”"
    if speaker is None and cue is None:
        speaker, cue = _clause_cue(masked, opening, OPENING_CUE_TOKENS)  # "He said RCMP will … a "…""
    if speaker is None and cue is None and before and toks[before - 1].text == ":":
        speaker = sentence_subject(masked, opening)
        if speaker is not None and not _names_someone(speaker):
            speaker = None  # "And here was the big reveal: “…”"
    return speaker, cue


@lru_cache(maxsize=4)
def _sentence_tokens(text: str, start: int, end: int, drop_masks: bool) -> tuple[list[Token], list[int]]:
    """The tokens of ``text[start:end]`` (with ``drop_masks``, but masked quotes) and where each ends,
    made once for all the quotes of a sentence: those before a quote are the ones ending by its
    opening mark (no token runs across a quotation mark)."""
    toks = [t for t in tokens(text, start, end) if not (drop_masks and t.text.startswith(QUOTE_MASK))]
    return toks, [t.end for t in toks]


def _names_someone(phrase: Phrase) -> bool:
    """Whether a phrase can be a speaker: it ends in a name, a pronoun, or a speaker noun
    ("Martell", "she", "the ministry"), not a thing ("the big reveal", "a pause")."""
    head = tokens(phrase.text)[-1]
    return head.capitalised or head.lower in _SOURCE_HEADS


def _clause_cue(masked: str, toks: list[Token], within: int) -> tuple[Phrase | None, str | None]:
    """The speaker and cue of a sentence that opens "X says …": the first finite cue verb among
    its first ``within`` tokens with a speaker phrase ending just before it, the tokens counted
    after an opening phrase set off by a comma ("In a message posted Friday, Cruz said …")."""
    start = clause_start(toks)
    for k in range(start, min(len(toks), start + within)):
        if toks[k].is_finite_cue:
            speaker = speaker_ending_at(masked, toks[start:k])
            if speaker is not None:
                return speaker, toks[k].lower
    return None, None


def _cue_before(masked: str, before: list[Token], end: int) -> tuple[Phrase | None, str | None]:
    """The nearest cue verb at most :data:`MAX_CUE_DISTANCE` tokens before the quote, which
    follows ``before[end - 1]`` (read in place: a long sentence is not copied for each quote)."""
    for k in range(end - 1, max(-1, end - 2 - MAX_CUE_DISTANCE), -1):
        tok = before[k]
        if (not tok.is_cue and tok.lower not in NAMING_VERBS) or read_as_noun(before, k):
            continue  # not a cue, or a noun: "called Mr. Obama's remarks “…”"
        if tok.lower in NAMING_VERBS and _passive(before, k, end):
            continue  # "The bridge, once labelled “…”": what is named, not who names it
        if tok.lower.endswith("ing") and k >= 2 and before[k - 1].lower == "as":  # "quoted … as calling it"
            for j in range(k - 2, max(-1, k - 8), -1):
                if before[j].lower == "quoted":
                    tok, k = before[j], j
                    break
        if tok.lower == "quoted":
            passive = k >= 1 and before[k - 1].lower in {"is", "was", "were", "are", "been", "be"}
            speaker = (
                speaker_ending_at(masked, before, k)
                if passive
                else speaker_starting_at(masked, before[k + 1 : end])
            )
            return speaker, "quoted as saying"
        inverted = _inverted_speaker(masked, before[k - 1] if k else None, before[k + 1 : end])
        if inverted is not None:
            return inverted, tok.lower
        opening = before[: min(end, SUBJECT_TOKENS)]
        if tok.lower.endswith("ing"):  # "footage of Trump saying": Trump; "…, declaring:" the subject
            after_a_name = k and before[k - 1].text != "," and before[k - 1].lower not in TIME_WORDS
            named = speaker_ending_at(masked, before, k) if after_a_name else None  # not "tweets Friday"
            return named or sentence_subject(masked, opening), tok.lower
        speaker = speaker_ending_at(masked, before, k) or sentence_subject(masked, opening)
        return speaker, tok.lower
    return None, None


def _passive(toks: list[Token], k: int, end: int) -> bool:
    """Whether the verb at ``toks[k]`` (of ``toks[:end]``, which ends at the quote) is a passive
    participle: after a form of "be", an adverb between allowed ("has been called", "was often
    described as"), or after a comma with no object before the quote (", once labelled “…”", ",
    described as “…”"; but "Jim Hollis, R-Okla., called the vote “…”")."""
    j = k - 1
    if j >= 0 and (is_adverb(toks[j].lower) or toks[j].lower in {"once", "often", "also"}):
        j -= 1
    if j >= 0 and toks[j].text == ",":
        return all(tok.lower == "as" for tok in toks[k + 1 : end])
    return j >= 0 and toks[j].lower in _PASSIVE_MARKERS


_PASSIVE_MARKERS = frozenset({"is", "was", "were", "are", "been", "be", "being"})


def _inverted_speaker(masked: str, previous: Token | None, after: list[Token]) -> Phrase | None:
    """The named speaker after a cue that opens its clause (after ``previous``, if any), in "…,
    asks editor Jane Doe, “…”" or "Said Jane Doe: “…”": the name fills the space up to the quote
    (``after``: the tokens from the cue to the quote)."""
    if previous is not None and previous.text not in {",", ";", "—", "–"}:
        return None
    speaker = speaker_starting_at(masked, after)
    if speaker is None or not any(t.capitalised for t in tokens(speaker.text)):
        return None
    rest = [t for t in after if t.start >= speaker.end]
    return speaker if rest and all(not t.text[:1].isalnum() for t in rest) else None


def _continued_speaker(text: str, quote: QuoteSpan, prev: QuoteSpan, speaker: Phrase | None) -> Phrase | None:
    """A quote opening its sentence in the paragraph of an attributed quote, or in the next one,
    continues that speaker's words (newsroom style: an unattributed quote paragraph is the last
    speaker's), whatever sentences stand between."""
    opens = sentence_bounds(text, quote.start)[0] == quote.start or _after_colon(text, quote)
    if speaker is None or not opens:
        return None
    breaks = list(_PARAGRAPH_BREAK_RE.finditer(text, prev.end, quote.start))
    if len(breaks) <= 1:
        return speaker
    between = text[breaks[0].end() : breaks[-1].start()]
    if len(breaks) - 1 <= MAX_NARRATIVE_PARAGRAPHS and not _names_or_speech(between):
        return speaker  # the paragraphs between only narrate: no one else is named or speaks
    return None


def _after_colon(text: str, quote: QuoteSpan) -> bool:
    """Whether the quote follows a colon ("Then, after a pause: “…”"): it opens a sentence of its own."""
    at = quote.start
    while at and text[at - 1].isspace():
        at -= 1
    return text[at - 1 : at] == ":"


def _speaking_names(text: str) -> set[str]:
    """The names next to a cue verb anywhere in the article ("Durning says", "said House"),
    lower case: the people it reports as speaking."""
    found = _WORD_RE.findall(text)
    return {
        name.lower()
        for word, following in pairwise(found)
        if following in REPORTING_VERBS or word in REPORTING_VERBS
        for name in (word, following)
        if name[0].isupper() and name.lower() not in FUNCTION_WORDS
    }


def _quoted_subject_before(text: str, masked: str, quote: QuoteSpan, speaking: set[str]) -> Phrase | None:
    """A quote opening its sentence takes the named subject of the sentence just before it, in
    its paragraph, when the article reports that person speaking elsewhere: "“…,” says House.
    Durning did not need much coaxing. “I’m thankful …”" is Durning's."""
    start = sentence_bounds(text, quote.start)[0]
    if start != quote.start or start == 0 or "\n" in text[start - 2 : start]:
        return None
    previous_start, previous_end = sentence_bounds(text, start - 2)
    if _DOUBLE_MARK_RE.search(text, previous_start, previous_end):
        return None  # speech, not narrative
    subject = sentence_subject(masked, tokens(masked, previous_start, previous_end))
    if subject is None:
        return None
    names = [t.lower for t in tokens(subject.text) if t.capitalised]
    return subject if names and set(names) <= speaking else None


def _names_or_speech(text: str) -> bool:
    """Whether ``text`` names anyone (a capitalised word inside a sentence) or reports speech."""
    for start, end in sentence_spans(text):
        for n, word in enumerate(words(text[start:end])):
            if (n and word[0].isupper()) or word.lower() in REPORTING_VERBS:
                return True
    return False


def _speaker_of_previous_sentence(text: str, masked: str, quote: QuoteSpan) -> Phrase | None:
    """A quote opening a paragraph takes the speaker of the nearest "Howell says she wants …"
    among the last :data:`LOOKBACK_SENTENCES` sentences, within the paragraph before it."""
    start, _ = sentence_bounds(text, quote.start)
    if start != quote.start or start == 0:
        return None
    for _ in range(LOOKBACK_SENTENCES):
        previous_start, previous_end = sentence_bounds(text, max(0, start - 3))
        if previous_start >= start or len(_PARAGRAPH_BREAK_RE.findall(text, previous_end, quote.start)) > 1:
            return None
        sentence = [
            t for t in tokens(masked, previous_start, previous_end) if not t.text.startswith(QUOTE_MASK)
        ]
        speaker, _ = _clause_cue(masked, sentence, MAX_SPEAKER_TOKENS)
        if speaker is not None:
            return speaker if speaker.text.lower() not in {"it", "we", "i"} else None
        start = previous_start
    return None


@hookimpl
def register_extractors() -> list[Extractor]:
    return [QuoteExtractor()]
