"""The built-in reported-speech extractor: ``X said (that) …``, ``X told reporters …``,
``according to X, …`` and ``…, according to X``, what someone called something ("called it a
stopgap"), and what a relative clause attributes ("a move the company said was needed"). In a
sentence that also quotes someone, only the reported speech beside the quote is read: the quote
is the quote extractor's."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Generator, Iterator
from dataclasses import replace

from provenance import hookimpl
from provenance.domain import ArticleText, ClaimKind, Extraction, Extractor
from provenance.extractors.phrases import (
    MAX_SUBJECT_SPAN,
    Phrase,
    Token,
    descriptor,
    plural_noun,
    sentence_subject,
    skippable_before_cue,
    source_phrase,
    speaker_ending_at,
    speaker_starting_at,
    subject_span,
    tokens,
    without_party_tags,
)
from provenance.extractors.quotes import MIN_SPEECH_QUOTE_WORDS, QuoteSpan, find_quotes, pull_quotes
from provenance.lexicon import (
    BARE_REPORTING_VERBS,
    DOCUMENT_NOUNS,
    FUNCTION_WORDS,
    MANNER_VERBS,
    PERSON_NOUNS,
    PERSON_ROLES,
    PRONOUNS,
    REPORTING_VERBS,
    SPEAKER_NOUNS,
    SPEAKING_TEXTS,
    TIME_WORDS,
    TITLES,
    is_adverb,
)
from provenance.numbers import CURRENCY_SIGNS, NUMBER_WORDS
from provenance.text import (
    CLOSING_DOUBLE,
    CLOSING_SINGLE,
    OPENING_DOUBLE,
    OPENING_SINGLE,
    covering,
    has_words,
    sentence_spans,
    words,
)

MIN_CLAIM_WORDS = 3  # words of a reported clause ("he would appeal")
MIN_FRONTED_CLAIM_WORDS = 4  # before "…, X said,": "Thirteen years later, X said" is no claim
MAX_DESCRIPTION_TOKENS = 8  # tokens of a description before a name ("The state's attorney general, X, said")
MAX_SUBJECT_TOKENS = 30
MAX_CUES_READ = 8  # cues one reading of a sentence looks at: no sentence of news holds more
SPEAKER_WINDOW = 60  # tokens before a cue a speaker phrase, its appositive and clauses may take
_NOT_SPEECH = frozenset(
    """quoted asked replied answered responded posted
    quoting asking replying answering responding posting""".split()
)
_NOT_A_CLAUSE_START = frozenset(
    "to in on of by for is was are were has have had will would can could be with from".split()
)
_CLAUSE_CONJUNCTIONS = frozenset("but and yet so while whereas".split())  # a clause after a comma
_CONTRASTS = frozenset({"but", "yet"})  # a clause even without one: "… improved but forecasters say"
_SAYING = frozenset({"saying", "telling"})
_PLACE_PREPOSITIONS = frozenset("at in on during after before outside near via by from".split())
_SUBJECT_OPENERS = frozenset(
    "the some many most several few all both".split()
)  # "…, some in the community say"
_DASHES = frozenset({"—", "–"})
_CLAUSE_BREAKS = _DASHES | {";"}
_CLAUSE_OPENERS = _CLAUSE_BREAKS | frozenset("as because when while since although though if after".split())
_SPEAKER_BREAKS = _CLAUSE_BREAKS | {",", ":", "but"}  # where another speaker's attribution may start
_PLURAL_PRONOUNS = frozenset("they we i you".split())
_ASIDE_OPENERS = frozenset({"though", "although"})
_POSSESSIVES = frozenset("his her their its".split())
_QUESTION_WORDS = frozenset("what how why whether where who".split())
_COPULAS = frozenset("is was are were".split())
_FORMS_OF_BE = _COPULAS | {"be", "been", "being"}
_NEGATION_RE = re.compile(r"^(?:not|never|n[’']t|\w+n[’']t)$")
_TELLS = frozenset("tell tells told".split())
_FINITE_AFTER_A_NOUN = frozenset("are were have had will would can could may might must should".split())
_FINITE_VERBS = _FINITE_AFTER_A_NOUN | {"is", "was", "has"}
_SUBORDINATORS = frozenset("though although while whereas because since if".split())
_RELATIVE_MARKERS = frozenset("that which what whom".split())
_CLAUSE_ENDS = frozenset(",;:—–.!?")
_COORDINATORS = frozenset("and or but nor".split())
_JOINERS = frozenset({"and", "but"})  # "…, and added", "… but warned that": the same speaker goes on
_NAME_JOINERS = frozenset("and of the for".split())  # lowercase words inside a long name
_PHRASE_ENDS = frozenset(",.;:!?—–)")  # after "…, said X": the speaker phrase is over
_NAMING_VERBS = frozenset("call calls called describe describes described".split())
_NAMING_RE = re.compile(r"\b(?:call|describe)")
_OBJECT_PRONOUNS = frozenset("it him her them himself herself itself themselves me us".split())
_NOT_DESCRIPTIONS = frozenset("for on off up in to back at by out with that which who whom".split())
_OPENING_MARKS = frozenset(OPENING_DOUBLE + OPENING_SINGLE + "\"'")
_CLOSING_MARKS = frozenset(CLOSING_DOUBLE + CLOSING_SINGLE + "\"'")
_DETERMINERS = frozenset("the a an this these those his her its their our".split())
_NOUN_PHRASE_OPENERS = _DETERMINERS | {"one"}  # "…, the utility said", "called it one of the …"
_SAYS = frozenset({"say", "says", "said"})  # the one cue always followed by speech
_CLAUSE_SUBJECTS = PRONOUNS | {"there", "you", "this"}
_CLAUSE_WORDS = frozenset(  # a finite verb, a subject pronoun or "that" after an object
    """is was are were has have had will would can could may might must should shall does did do
    he she they we i that"""
    """ isn't wasn't aren't weren't hasn't haven't hadn't won't wouldn't can't couldn't mustn't
    shouldn't doesn't didn't don't""".replace("'", "’").split()
    + """isn't wasn't aren't weren't hasn't haven't hadn't won't wouldn't can't couldn't mustn't
    shouldn't doesn't didn't don't""".split()
)
_VERB_WITHIN = 10  # tokens after the cue in which a clause shows its verb
_ADD = frozenset("add adds added adding".split())
_QUANTITY_WORDS = NUMBER_WORDS | {"a", "an", "another"}
_TIME_PREPOSITIONS = frozenset("on in last this".split())  # time words only when a date follows
_TIME_NOUNS = frozenset("week weekend month year morning afternoon evening night day".split())
_AMOUNT_STARTS = frozenset("0123456789") | CURRENCY_SIGNS
_MEANS = DOCUMENT_NOUNS | frozenset(  # how words reached the writer: "said by text message"
    "interview message text phone telephone call conference briefing speech address video broadcast".split()
)
_INDEFINITES = frozenset("something nothing anything everything little much".split())
_INTENT_NOUNS = frozenset(  # nouns an infinitive completes: "announced plans to", not "urged people to"
    "plan plans right rights ability bid bids effort efforts attempt attempts decision move promise"
    " pledge proposal proposals intention need deal deals agreement".split()
)
_CUE_FORMS = REPORTING_VERBS | BARE_REPORTING_VERBS  # every cue's word, lowercase
_OBJECTS = frozenset("reporters journalists him her them us me parliament lawmakers".split())


class AttributionExtractor:
    """Reported speech and "according to" attributions, with their speaker and cue."""

    name = "attributions"
    languages: frozenset[str] | None = frozenset({"en"})

    def extract(self, article: ArticleText) -> Iterator[Extraction]:
        printed = article.text
        for found in self._read(without_party_tags(printed)):
            yield replace(found, text=printed[found.start : found.end])  # as printed, tags and all

    def _read(self, text: str) -> Iterator[Extraction]:
        """The attributions of ``text``, read with party and state tags blank."""
        quotes = [q for q in find_quotes(text) if len(words(q.content(text))) >= 3]
        starts = [q.start for q in quotes]
        quoted = covering(
            [(q.start + 1, q.end) for q in quotes] + [(q.start, q.end) for q in pull_quotes(text)]
        )
        for start, end in sentence_spans(text):
            if quoted(start):
                continue  # a sentence of a quote
            within = quotes[bisect_left(starts, start) : bisect_left(starts, end)]
            speech = [q for q in within if _is_speech(text, start, q)]
            if speech:
                yield from _beside_quotes(text, start, end, speech)
                continue
            toks = tokens(text, start, end)
            according = _according_to(text, toks, start, end)
            found = _reported(text, toks, start, end) if according is None else according
            found += [
                c
                for c in _characterisation(text, start, end)
                if not any(c.start < f.end and f.start < c.end for f in found)
            ]
            yield from found


def _beside_quotes(text: str, start: int, end: int, speech: list[QuoteSpan]) -> list[Extraction]:
    """Reported speech in a sentence that also quotes someone: a clause before the first quote,
    ended by a semicolon or dash ("Porters were vulnerable to false accusations, Foster writes;
    such accusations “…”") or by the comma after a subordinate clause ("Though the judge said
    CLAUSE, he believed … “…”"); after the last quote, a participle ("“…,” says the artist,
    noting that CLAUSE") or "and that CLAUSE" of the quote's speaker. The quotes themselves are
    the quote extractor's."""
    before = tokens(text, start, speech[0].start)
    breaks = [t for t in before if t.text in _CLAUSE_BREAKS]
    if not breaks and before and before[0].lower in _SUBORDINATORS:  # "Though X said CLAUSE, …"
        breaks = [t for t in before if t.text == ","][:1]
    found = _reported(text, tokens(text, start, breaks[-1].start), start, breaks[-1].start) if breaks else []
    after = tokens(text, speech[-1].end, end)
    comma_inside = speech[-1].content(text).rstrip()[-1:] == ","  # 'he's "a long way off," noting that …'
    if comma_inside and after and _is_participle_cue(after[0]):
        participle = _participle_claim(text, after, 0, end, subject=before)
        found += [participle] if participle else []
    for k in range(2, len(after)):
        if after[k - 1].text == "," and _is_participle_cue(after[k]):
            participle = _participle_claim(text, after, k, end)
            found += [participle] if participle else []
            break
    cues = [n for n, t in enumerate(before) if _is_speech_verb(t)]
    if cues and len(after) > 2 and after[0].lower in _JOINERS and after[1].lower == "that":
        speaker = speaker_ending_at(text, before[: cues[-1]])  # 'X said “…,” and that CLAUSE'
        cue = before[cues[-1]].lower
        added = _extraction(text, after[2].start, end, speaker, cue) if speaker else None
        found += [added] if added else []
    return found


def _is_speech(text: str, sentence_start: int, quote: QuoteSpan) -> bool:
    """Whether a quotation in a sentence is speech in its own right (the quote extractor's), not
    a phrase quoted inside reported speech ("Wang said China has “enormous potential” …") nor
    a name for something ('in what he called "the loneliest moment of my life."')."""
    if quote.start == sentence_start:
        return True
    before = tokens(text, max(sentence_start, quote.start - 40), quote.start)
    if before and before[-1].lower == "as":  # "what she described as “…”"
        before = before[:-1]
    if before and before[-1].lower in _NAMING_VERBS:
        return False
    return len(words(quote.content(text))) >= MIN_SPEECH_QUOTE_WORDS


def _extraction(text: str, start: int, end: int, speaker: Phrase | None, cue: str) -> Extraction | None:
    while end > start and text[end - 1] in ".,;: ":
        end -= 1
    while start < end and text[start] in ",;: ":
        start += 1
    if speaker is None or len(words(text[start:end])) < MIN_CLAIM_WORDS:
        return None
    return Extraction(
        kind=ClaimKind.ATTRIBUTION,
        text=text[start:end],
        start=start,
        end=end,
        speaker=speaker.text,
        cue=cue,
        speaker_start=speaker.start,
    )


def _according_to(text: str, toks: list[Token], start: int, end: int) -> list[Extraction] | None:
    """ "According to X, CLAUSE", "CLAUSE, according to X" and "CLAUSE, according to X, CLAUSE"
    (two claims, or the whole sentence when a part is too short to stand alone: "Shelter
    residents, according to the findings, are fearful …"); ``None`` if the sentence has none.
    ``toks`` are the sentence's tokens."""
    for k in range(len(toks) - 1):
        if toks[k].lower == "according" and toks[k + 1].lower == "to":
            source_toks = _source_tokens(toks[k + 2 :])
            speaker = source_phrase(text, source_toks) if source_toks else None
            if speaker is None:
                return []
            after_source = k + 2 + len(source_toks) + 1  # past the comma that ends the source
            if after_source - 1 < len(toks) and toks[after_source - 1].text in _DASHES:
                after_source = _past_aside(toks, after_source)  # "According to X — which … — CLAUSE"
            if k == 0 and after_source < len(toks):
                clauses = _clauses_steps(text, toks, after_source, end, speaker, "according to")
                return _run(text, toks, _cues(toks), end, clauses)
            if k >= MIN_CLAIM_WORDS and toks[k - 1].text != ",":  # "CLAUSE according to X and …"
                pointer = (
                    toks[k - 1].lower in {"this", "that"} and toks[k - 2].text == ","
                )  # "…, this according to"
                before = _extraction(
                    text, start, toks[k - 2 if pointer else k].start, speaker, "according to"
                )
                return [before] if before else []
            if k > 0 and toks[k - 1].text == ",":
                rest = [t for t in toks[after_source:] if t.text[:1].isalnum()]
                if rest and all(t.capitalised or t.lower in _NAME_JOINERS for t in rest):
                    # "…, according to the Meteorology, Climatology and Geophysics Agency": one name
                    name_end = len(toks) - (toks[-1].text in {".", "!", "?"})
                    speaker = source_phrase(text, toks[k + 2 : name_end]) or speaker
                    rest = []
                before = _extraction(text, start, toks[k - 1].start, speaker, "according to")
                if not rest:
                    return [before] if before else []
                resumed = after_source + (toks[after_source].lower in _COORDINATORS)
                after = _extraction(text, toks[resumed].start, end, speaker, "according to")
                if before and after:  # "…, according to the city, and that rink is slated to close …"
                    return [before, after]
                whole = _extraction(text, start, end, speaker, "according to")
                return [whole] if whole else []
    return None


def _source_tokens(toks: list[Token]) -> list[Token]:
    """The source named after "according to": the tokens before the first comma or dash, or
    before a conjunction that opens a clause ("according to the SMMT and sales have fallen")."""
    for k, tok in enumerate(toks):
        if tok.text == "," or tok.text in _DASHES:
            return toks[:k]
        if tok.lower in _JOINERS and any(t.lower in _CLAUSE_WORDS for t in toks[k + 1 : k + 5]):
            return toks[:k]
    return toks


def _past_aside(toks: list[Token], k: int) -> int:
    """The index after an aside that opened with a dash before ``toks[k]`` and closes with another
    ("— which used research from … —"), or ``k`` when no second dash follows."""
    return next((n + 1 for n in range(k, len(toks)) if toks[n].text in _DASHES), k)


def _reported(text: str, toks: list[Token], start: int, end: int) -> list[Extraction]:
    """``X said (that) CLAUSE``, ``CLAUSE, X said``, ``CLAUSE, X said, CLAUSE`` and ``X did
    this and said CLAUSE``.

    Whether the reported words come before or after the cue is read from what follows it: a
    clause after the cue is the claim ("Despite the delay, Lee said she was hopeful"), a bare
    ending ("…, the ministry said on Monday.") leaves the claim before it. An attribution set
    in commas inside the sentence splits it in two claims, or makes it one when a part is too
    short to stand alone ("Too often, he says, they get it"). ``toks`` are the tokens from
    ``start`` to ``end``.
    """
    cues = _cues(toks)
    return _run(text, toks, cues, end, _reported_steps(text, toks, cues, 0, start, end))


_Steps = Generator[int, list[Extraction], list[Extraction]]
"""A reading of a sentence that may ask for the reported speech from a token on (sends its index)
and be sent what :func:`_reported` finds there."""


def _run(text: str, toks: list[Token], cues: list[int], end: int, root: _Steps) -> list[Extraction]:
    """What ``root`` finds, giving it (and each reading it starts) the reported speech from the
    tokens it asks for. A sentence can chain any number of speakers ("A said that B said that
    C told D …"), so the readings wait on a stack of their own, not on Python's; each is made once."""
    done: dict[int, list[Extraction]] = {}
    waiting: list[tuple[_Steps, int]] = []
    steps, first, answer = root, -1, None
    while True:
        try:
            wanted = next(steps) if answer is None else steps.send(answer)
        except StopIteration as finished:
            done[first] = finished.value
            if not waiting:
                return done[first]
            (steps, first), answer = waiting.pop(), done[first]
            continue
        if wanted in done:
            answer = done[wanted]
        else:
            waiting.append((steps, first))
            steps, first, answer = (
                _reported_steps(text, toks, cues, wanted, toks[wanted].start, end),
                wanted,
                None,
            )


def _cues(toks: list[Token]) -> list[int]:
    """The indices of the tokens :func:`_reported_steps` reads as cues (a participle after a comma,
    a finite cue verb, a bare one after a plural), so that it skips the words between them."""
    return [
        k
        for k, tok in enumerate(toks)
        if tok.lower in _CUE_FORMS
        and (
            (k and (toks[k - 1].text == "," or _after_a_text(toks, k)) and _is_participle_cue(tok))
            or _is_speech_verb(tok)
            or _progressive(toks, k)
            or (k and _bare_cue_after_plural(toks[k - 1], tok))
        )
    ]


def _reported_steps(
    text: str, toks: list[Token], cues: list[int], first: int, start: int, end: int
) -> _Steps:
    """:func:`_reported` of the sentence from ``toks[first]`` (at ``start``) on, ``cues`` being
    :func:`_cues` of ``toks``."""
    opening_cue = bisect_left(cues, first)
    for n in range(opening_cue, min(len(cues), opening_cue + MAX_CUES_READ)):
        k, tok = cues[n], toks[cues[n]]
        if k - first >= 3 and (toks[k - 1].text == "," or _after_a_text(toks, k)) and _is_participle_cue(tok):
            found = _participle_claim(text, toks, k, end, first=first, issued=toks[k - 1].text != ",")
            if found is not None:
                return [found]
            continue
        if not (
            _is_speech_verb(tok)
            or (k > first and _progressive(toks, k))
            or (k > first and _bare_cue_after_plural(toks[k - 1], tok))
        ):
            continue
        if (
            _noun_before_its_verb(toks, k)
            or _passive(toks, k, first)
            or (k > first and _NEGATION_RE.search(toks[k - 1].lower))
        ):
            continue  # "member states refused", "were reminded that", "did not say": no one's claim
        clause_end = _end_before_comma(toks, k - 1, first) if k - first >= 3 else None
        if clause_end is not None:  # "CLAUSE, said Sutopo Purwo Nugroho, a spokesman"
            after = speaker_starting_at(text, toks[k + 1 : k + 1 + SPEAKER_WINDOW])
            following = (
                next((toks[n] for n in range(k + 1, len(toks)) if toks[n].start >= after.end), None)
                if after
                else None
            )
            if after is not None and (following is None or following.text in _PHRASE_ENDS):
                found = _extraction(text, start, clause_end, after, tok.lower)
                return [found] if found else []
        rest = _clause_start(toks, k + 1)
        if rest is not None and tok.lower in MANNER_VERBS and toks[rest - 1].lower != "that":
            rest = None  # "she laughed at the idea", "it echoes the …"
        if rest is not None and _speech_act(toks, rest):
            continue  # "said goodbye to her friends", "said a prayer for the victims"
        clause_follows = rest is not None and rest < len(toks) and _has_claim_words(text, toks, rest, end)
        if (
            rest is not None
            and tok.lower not in _SAYS
            and not (clause_follows and _reads_as_clause(toks, rest))
        ):
            # what follows a cue other than "say" is its object, not a clause
            if toks[rest].lower in _PLACE_PREPOSITIONS:
                clause_follows = False  # "…, the chief told reporters at the scene": the words came before
            elif clause_follows or not all(
                toks[n].capitalised for n in range(rest, len(toks)) if toks[n].text[:1].isalnum()
            ):
                continue  # "denied the substance of the story", but "…, the guard told Reuters."
        if not clause_follows and k + 1 < len(toks) and toks[k + 1].text in _OPENING_MARKS:
            continue  # 'protesters chanted “Trudeau must go!”': the quote is what was said
        speaker = speaker_ending_at(text, _window_before(toks, k, first))
        opening = _index_of(toks, speaker, k, first)
        if opening > first and toks[opening - 1].lower == "the":  # "…, the Kenya Red Cross said"
            opening -= 1
        if (
            speaker is not None
            and opening > first
            and toks[opening - 1].lower in _QUESTION_WORDS
            and not (k + 1 < len(toks) and toks[k + 1].lower in _COPULAS)
        ):
            continue  # "what he said about Uber" names the thing said; "what he said is that …" says it
        relative = _relative_claim(text, toks, k, opening, speaker, first) if speaker else None
        if relative is not None:
            return [relative]
        if speaker is None and not clause_follows:  # "…, the utility said.", "…, aides said."
            speaker, opening = _trailing_subject(text, toks, k, first)
        if (
            speaker is not None
            and opening > first
            and _end_before_comma(toks, opening - 1, first)
            and not clause_follows
        ):
            speaker = Phrase(text[toks[opening].start : speaker.end], toks[opening].start, speaker.end)
            return _around_attribution(text, toks, start, end, opening, k, speaker, first)
        before_cue = k
        while before_cue > first and skippable_before_cue(toks[before_cue - 1]):
            before_cue -= 1  # "sources familiar with the talks have said", "who finally confessed"
        opens_clause = speaker is not None and (
            speaker.start == start
            or (opening > first and toks[opening - 1].lower in _CLAUSE_OPENERS)
            # "… a list of veteran MPs who say CLAUSE" (a cue opening the tokens reads the last one)
            or toks[before_cue - 1 if before_cue > first else -1].lower == "who"
        )
        if k - first >= MAX_SUBJECT_TOKENS and not opens_clause:
            continue  # deep in a long sentence only "…, X said" or "… — X said CLAUSE" is reported speech
        if speaker is None and before_cue > first and toks[before_cue - 1].lower in _JOINERS:
            speaker = sentence_subject(
                text, _opening(toks, before_cue - 1, first)
            )  # "X met Y and (has) told them …"
        speaker = speaker or _fronted_subject(text, toks, before_cue, first)
        if speaker is None or rest is None or not clause_follows:
            continue
        return (yield from _clauses_steps(text, toks, rest, end, speaker, tok.lower))
    return []


def _characterisation(text: str, start: int, end: int) -> list[Extraction]:
    """What someone called something: "They called it a bandage solution that won't close the
    gap", "The institute called the program one of the biggest commitments in its history", "Mr.
    Fry describes himself as the most left-leaning member of council", "what he calls the
    taking away of free speech". The description is the subject's claim."""
    if not _NAMING_RE.search(text, start, end):
        return []  # most sentences name nothing: skip tokenising them again
    toks = tokens(text, start, end)
    for k, tok in enumerate(toks):
        if tok.lower not in _NAMING_VERBS or not tok.text[0].islower() or k == 0:
            continue
        speaker = speaker_ending_at(text, _window_before(toks, k))
        if speaker is None and toks[k - 1].lower in _JOINERS:  # "… but described her as"
            speaker = sentence_subject(text, _opening(toks, k - 1))
        if speaker is None:
            continue
        opening = _index_of(toks, speaker, k)
        describe = tok.lower.startswith("describ")
        if opening and toks[opening - 1].lower == "what":  # "what he calls X": no object
            described: int | None = k + 1
        else:
            described = _after_object(toks, k + 1, as_follows=describe)
        if described is None or described >= len(toks) or toks[described].lower in _NOT_DESCRIPTIONS:
            continue
        if not describe and not _opens_description(toks[described]):
            continue  # "called it quits", "called her mother every day"
        asides = (n for n in range(described + 1, len(toks) - 1) if toks[n].text == ",")
        stop = next((n for n in asides if toks[n + 1].lower in _ASIDE_OPENERS), len(toks))  # "…, though"
        found = _extraction(text, toks[described].start, toks[stop - 1].end, speaker, tok.lower)
        return [found] if found else []
    return []


def _after_object(toks: list[Token], k: int, as_follows: bool) -> int | None:
    """Where the description begins after the object of "call" or "describe … as", at token
    ``k``: after a pronoun ("called it"), a name ("called Scheer") or a short noun phrase
    ("called the program"), and after "as" for "describe"."""
    if k >= len(toks):
        return None
    if as_follows:  # "described her as", "describes himself as"
        return next((n + 1 for n in range(k, min(k + 7, len(toks))) if toks[n].lower == "as"), None)
    possessive = toks[k].lower == "her" and k + 1 < len(toks) and descriptor(toks[k + 1])
    if toks[k].lower in _OBJECT_PRONOUNS and not possessive:  # "called her mother": her mother
        return k + 1
    n = k
    if toks[n].lower in _DETERMINERS:
        n += 1
    while n < min(k + 5, len(toks)) and (toks[n].capitalised or toks[n].text[:1].islower()):
        if n > k and _opens_description(toks[n]):
            return n  # "called the stop | the single clearest reference point"
        if toks[n].lower in FUNCTION_WORDS or toks[n].is_cue:
            return None
        n += 1
    return n if n < len(toks) and toks[n].text[:1] in _OPENING_MARKS else None


def _opens_description(tok: Token) -> bool:
    return tok.lower in _NOUN_PHRASE_OPENERS or tok.text[:1] in _OPENING_MARKS


def _window_before(toks: list[Token], k: int, first: int = 0) -> list[Token]:
    """The tokens a speaker phrase ending before ``toks[k]`` may take, from ``toks[first]`` on (a
    long sentence is not copied for every cue in it)."""
    return toks[max(first, k - SPEAKER_WINDOW) : k]


def _opening(toks: list[Token], k: int, first: int = 0) -> list[Token]:
    """The tokens a subject opening at ``toks[first]`` may take, before ``toks[k]``."""
    return toks[first : min(k, first + SPEAKER_WINDOW)]


def _index_of(toks: list[Token], phrase: Phrase | None, k: int, first: int = 0) -> int:
    """The index of the token ``phrase`` starts at, looking back from ``toks[k]`` to ``toks[first]``
    (``first`` for none)."""
    if phrase is None:
        return first
    return next((n for n in range(k - 1, first - 1, -1) if toks[n].start == phrase.start), first)


def _has_claim_words(text: str, toks: list[Token], rest: int, end: int) -> bool:
    """Whether the words from ``toks[rest]`` to ``end`` are enough for a claim, reading no further
    than needed."""
    return has_words(text, MIN_CLAIM_WORDS, toks[rest].start, end)


def _end_before_comma(toks: list[Token], n: int, first: int = 0) -> int | None:
    """Where the clause before the comma at ``toks[n]`` ends, when ``toks[n]`` is one: a comma, or
    a closing quotation mark after one (``… at them "like snipers," he said``), kept in the clause;
    the tokens read begin at ``toks[first]``."""
    if toks[n].text == ",":
        return toks[n].start
    if toks[n].text in _CLOSING_MARKS and n > first and toks[n - 1].text == ",":
        return toks[n].end
    return None


def _relative_claim(
    text: str, toks: list[Token], k: int, opening: int, speaker: Phrase, first: int
) -> Extraction | None:
    """The words a relative clause attributes to its speaker, who opens at token ``opening``
    before the cue at ``k``: "a move the company said was needed to keep the business going",
    "reductions that the panel says are needed to avert catastrophe", "what it says is a $14.5
    billion deficit". The claim runs from the verb after the cue to the end of the clause."""
    if k + 1 >= len(toks) or toks[k + 1].lower not in _FINITE_VERBS or opening <= first:
        return None
    if k + 2 < len(toks) and toks[k + 2].lower == "that":
        return None  # "what he would say is that …" says it in the clause after "that"
    marker = toks[opening - 1]
    antecedent = marker.lower in _RELATIVE_MARKERS or (  # "a poem she said was …": no "that"
        marker.text.isalpha() and marker.text.islower() and descriptor(marker) and not marker.is_cue
    )
    if not antecedent:
        return None
    stop = next((n for n in range(k + 2, len(toks)) if toks[n].text in _CLAUSE_ENDS), len(toks))
    return _extraction(text, toks[k + 1].start, toks[stop - 1].end, speaker, toks[k].lower)


def _trailing_subject(text: str, toks: list[Token], k: int, first: int) -> tuple[Phrase | None, int]:
    """The subject of an attribution that ends the sentence, between its last comma and the cue
    at ``toks[k]``: any short noun phrase ("…, the utility said", "…, a security guard present
    during the attack told Reuters"), with the index of its first token."""
    window = range(k - 1, max(first - 1, k - SPEAKER_WINDOW), -1)
    comma = next((n for n in window if _end_before_comma(toks, n, first)), None)
    if comma is None or comma - first < 3:
        return None, 0
    subject = toks[comma + 1 : k]
    while subject and skippable_before_cue(subject[-1]):
        subject = subject[:-1]
    determined = bool(subject) and subject[0].lower in _NOUN_PHRASE_OPENERS
    bare_plural = 0 < len(subject) <= 2 and plural_noun(subject[-1])  # "…, city officials said"
    if not (determined or bare_plural) or any(t.lower in _COORDINATORS for t in subject):
        return None, 0  # "…, and strong gusts (said)": not a subject
    return subject_span(text, subject), comma + 1


def _clauses_steps(text: str, toks: list[Token], rest: int, end: int, speaker: Phrase, cue: str) -> _Steps:
    """The reported clause from token ``rest`` to ``end``, or two when a second cue of the same
    speaker follows: "He said CLAUSE, and added (that) CLAUSE", "…, saying CLAUSE", "The suit
    says CLAUSE and alleges that CLAUSE"."""
    for m in range(rest + MIN_CLAIM_WORDS, len(toks) - 2):
        if toks[m].lower in _SPEAKER_BREAKS:  # "CLAUSE — but the leaders say CLAUSE": another speaker
            closed = toks[m].text == "," and toks[m + 1].text in _CLOSING_MARKS  # 'ties were "developing,"'
            following = yield m + 1 + closed  # what is reported from there on
            first = (
                _extraction(
                    text, toks[rest].start, toks[m + closed].end if closed else toks[m].start, speaker, cue
                )
                if following
                else None
            )
            if first:
                return [first, *following]
        if toks[m].text != "," and toks[m].lower not in _JOINERS:
            continue
        n = m + 2 if toks[m].text == "," and toks[m + 1].lower in _JOINERS else m + 1
        second = toks[n] if n < len(toks) else None
        if second is None or not (_is_speech_verb(second) or _is_participle_cue(second)):
            continue
        clause = _clause_start(toks, n + 1)
        if clause is None or clause >= len(toks):
            continue
        said_that = toks[clause - 1].lower == "that"
        if (
            second.lower.endswith("ing")
            and second.lower not in _SAYING
            and not _reads_as_clause(toks, clause)
        ):
            continue  # "…, insisting his government won't pay", not "…, citing the report"
        if toks[m].lower in _JOINERS and not said_that:
            continue  # without a comma only "and alleges that", "but warned that" (not "met X and told him")
        first = _extraction(text, toks[rest].start, toks[m].start, speaker, cue)
        added = _extraction(text, toks[clause].start, end, speaker, second.lower)
        if first and added:
            return [first, added]
        break
    found = _extraction(text, toks[rest].start, end, speaker, cue)
    return [found] if found else []


def _around_attribution(
    text: str, toks: list[Token], start: int, end: int, opening: int, k: int, speaker: Phrase, first: int
) -> list[Extraction]:
    """The claims around an attribution set in commas, its speaker opening at token ``opening``
    and its cue at ``k``: "CLAUSE, X said." is CLAUSE; "CLAUSE, X said, CLAUSE" both clauses, or
    the whole sentence when either is too short to stand alone; "CLAUSE, X said, adding that
    CLAUSE" both clauses, the second with its own cue."""
    cue = toks[k].lower
    clause_end = _end_before_comma(toks, opening - 1, first)
    claim_before = (
        opening - first >= 3
        and clause_end
        and has_words(text, MIN_FRONTED_CLAIM_WORDS, start, clause_end)
        and not _describes_a_person(toks[first : opening - 1])
    )
    before = _extraction(text, start, clause_end, speaker, cue) if claim_before and clause_end else None
    after = toks[k + 2 : k + 6] if k + 2 < len(toks) and toks[k + 1].text == "," else []  # as far as read
    if after and after[0].is_cue and after[0].lower.endswith("ing"):
        clause = _clause_start(toks, k + 3)
        added = _extraction(text, toks[clause].start, end, speaker, after[0].lower) if clause else None
        return [e for e in (before, added) if e]
    if not after or after[0].lower.endswith("ing") or _aside(after):  # "…, X said, raising fears of …"
        return [before] if before else []
    resumed = _extraction(text, after[0].start, end, speaker, cue)
    if before and resumed:
        return [before, resumed]
    whole = _extraction(text, start, end, speaker, cue)
    return [whole] if whole else []


def _describes_a_person(toks: list[Token]) -> bool:
    """Whether the words before "…, Mark Delaney, said" only describe him ("The state's attorney
    general", "Director, security response at Symantec"): a short noun phrase ending in a role,
    or a title and a comma opening it, with no verb."""
    titled = len(toks) > 1 and toks[0].lower in TITLES and toks[1].text == ","
    return (
        0 < len(toks) <= MAX_DESCRIPTION_TOKENS
        and (toks[-1].lower in _ROLES or titled)
        and not any(tok.is_cue or tok.lower in _VERB_WORDS for tok in toks)
    )


def _participle_claim(
    text: str,
    toks: list[Token],
    k: int,
    end: int,
    subject: list[Token] | None = None,
    first: int = 0,
    issued: bool = False,
) -> Extraction | None:
    """ "The ministry released the figures on Monday, saying CLAUSE" (or "noting that CLAUSE"):
    the clause after a participle cue set off by a comma, said by the subject of the sentence
    (which opens ``subject`` when given, else ``toks`` from ``toks[first]``). Other cues than
    "saying" and "telling" take a noun phrase as often, so need "that". With ``issued``, the cue
    follows a text (:func:`_after_a_text`): the text is the speaker ("to settle a lawsuit alleging
    that …"), or the subject that issued it ("The ministry issued a statement saying …")."""
    rest = _clause_start(toks, k + 1)
    if (
        rest is None
        or rest >= len(toks)
        or (toks[k].lower not in _SAYING and not _reads_as_clause(toks, rest))
    ):
        return None  # "explaining the warm winter", "emphasizing the need for …": an object
    the_text = speaker_ending_at(text, _window_before(toks, k, first)) if issued else None
    if the_text is not None and not _issued_by_the_subject(toks, _index_of(toks, the_text, k, first)):
        return _extraction(text, toks[rest].start, end, the_text, toks[k].lower)
    speaker = sentence_subject(
        text, _opening(subject, len(subject)) if subject else _opening(toks, k - 1, first)
    )
    return _extraction(text, toks[rest].start, end, speaker, toks[k].lower) if speaker else None


def _issued_by_the_subject(toks: list[Token], opening: int) -> bool:
    """Whether the text opening at ``toks[opening]`` is the object of a verb of issuing ("issued a
    statement", "released a report"), so its words are the subject's."""
    verb = opening - 1
    return verb >= 0 and toks[verb].lower in _ISSUING_VERBS


_ISSUING_VERBS = frozenset(
    """issued issues released releases published publishes posted posts sent sends wrote writes
    filed files circulated circulates tweeted tweets""".split()
)


_ROLES = TITLES | PERSON_ROLES | PERSON_NOUNS | SPEAKER_NOUNS
_VERB_WORDS = frozenset("is was are were be been has have had will would can could may might should".split())


def _after_a_text(toks: list[Token], k: int) -> bool:
    """Whether the cue at ``k`` follows a text that carries speech, a day between allowed: "issued
    a statement saying …", "published a notice Tuesday saying …"."""
    j = k - 1
    while j > 0 and j >= k - 3 and toks[j].lower in TIME_WORDS:
        j -= 1  # "a statement on Friday saying"
    return j >= 0 and toks[j].lower in SPEAKING_TEXTS


def _aside(toks: list[Token]) -> bool:
    """Whether the words after "…, X said," are the writer's, not more speech: "though he named
    no one", "his voice breaking with emotion"."""
    if toks[0].lower in _ASIDE_OPENERS:
        return True
    return toks[0].lower in _POSSESSIVES and any(t.lower.endswith("ing") for t in toks[1:4])


def _is_speech_verb(tok: Token) -> bool:
    return tok.is_finite_cue and tok.lower not in _NOT_SPEECH


def _noun_before_its_verb(toks: list[Token], k: int) -> bool:
    """Whether a cue ending in -s is a plural noun followed by its verb: "member states refused",
    "reports indicated there were problems" (a reported clause never opens with a verb, but a
    relative one does: "a lack of leadership he says has left …")."""
    following = toks[k + 1] if k + 1 < len(toks) else None
    if toks[k].lower == "says" or not toks[k].lower.endswith("s"):
        return False  # "says" is never a noun; a plural noun takes "are", not "is" ("claims is …")
    if following is None or not following.text[:1].islower():
        return False
    return following.lower.endswith("ed") or following.lower in _FINITE_AFTER_A_NOUN


def _passive(toks: list[Token], k: int, first: int) -> bool:
    """Whether the cue at ``k`` is a participle after a form of "be" ("were reminded", "was told"),
    reading back to ``toks[first]``."""
    n = k - 1
    while n >= first and is_adverb(toks[n].lower) and toks[n].text.islower():
        n -= 1  # "were rudely reminded"
    return n >= first and toks[n].lower in _FORMS_OF_BE and not toks[k].lower.endswith(("s", "ing"))


def _speech_act(toks: list[Token], rest: int) -> bool:
    """Whether the words after a cue name what was said as an act, not a claim: "goodbye", "a
    prayer", "thanks"."""
    head = rest + 1 if rest + 1 < len(toks) and toks[rest].lower in _DETERMINERS else rest
    return head < len(toks) and toks[head].lower in _SPEECH_ACTS


_SPEECH_ACTS = frozenset("goodbye goodbyes hello thanks sorry grace prayer prayers amen farewell".split())


def _progressive(toks: list[Token], k: int) -> bool:
    """Whether the cue at ``k`` is speech going on: "doctors have been saying", "residents are
    telling officials"."""
    return k > 0 and _is_participle_cue(toks[k]) and toks[k - 1].lower in _FORMS_OF_BE


def _bare_cue_after_plural(previous: Token, tok: Token) -> bool:
    """ "The shelter residents report …", "they argue …": a bare cue verb after a plural subject
    (a bare "report" or "claim" after anything else is a noun)."""
    if tok.lower not in BARE_REPORTING_VERBS or not tok.text[0].islower():
        return False
    plural = previous.lower.endswith("s") and not previous.lower.endswith(("ss", "'s", "’s", "us"))
    return previous.lower in _PLURAL_PRONOUNS or (plural and previous.text[:1].isalpha())


def _is_participle_cue(tok: Token) -> bool:
    return tok.is_cue and tok.text[0].islower() and tok.lower.endswith("ing") and tok.lower not in _NOT_SPEECH


def _fronted_subject(text: str, toks: list[Token], end: int, first: int) -> Phrase | None:
    """The whole subject before the cue at ``toks[end]``, in a sentence read from ``toks[first]``,
    after a fronted phrase ending in a comma (a long one only before "the" or a name: "In response
    to a request, which …, the WHL commissioner said"), or after a conjunction opening a clause of
    its own ("…, but city staff confirmed …"). A subject is a few words, so only the last of them
    are read."""
    for k in range(end - 1, max(first - 1, end - MAX_SUBJECT_SPAN - 2), -1):
        if toks[k].lower in _CONTRASTS or (
            toks[k].lower in _CLAUSE_CONJUNCTIONS and (k == first or toks[k - 1].text == ",")
        ):
            return subject_span(text, toks[k + 1 : end])
        if toks[k].text == ",":
            after = toks[k + 1 : end]
            named = bool(after) and (after[0].lower in _SUBJECT_OPENERS or after[0].capitalised)
            return subject_span(text, after) if k - first < 6 or named else None
    return subject_span(text, toks[first:end]) if end - first <= MAX_SUBJECT_SPAN else None


def _reads_as_clause(toks: list[Token], rest: int) -> bool:
    """Whether the words after a cue open a clause, not a noun phrase: most cues but "say" also
    take an object ("denied the report", "reported a profit"). A clause opens with "that" or a
    subject pronoun, or shows a finite verb, a subject pronoun or "that" early on ("told
    investigators he shot …"), or is an infinitive after a short object ("urged people to …"),
    or follows "told NAME" with a subject of its own ("told HuffPost Canada the laws favour …")."""
    if toks[rest - 1].lower == "that" or toks[rest].lower in _CLAUSE_SUBJECTS:
        return True
    if toks[rest - 1].capitalised and toks[rest].lower in _DETERMINERS:
        return True  # a clause after the name told: "told HuffPost Canada | the laws favour …"
    early = toks[rest + 1 : rest + _VERB_WITHIN]
    comma = next((n for n, t in enumerate(early) if t.text == "," or t.text in _CLAUSE_BREAKS), len(early))
    early = early[:comma]  # "added sugar, and it is …": the verb after a comma or dash is another clause's
    if any(
        t.lower == "to" and before.lower not in _INTENT_NOUNS
        for before, t in zip(toks[rest:], early[:4], strict=False)
    ):
        return True  # "urged people to …", but not "announced plans to …"
    return any(
        t.lower in _CLAUSE_WORDS or t.lower.endswith("ed") or _present_after_subject(toks[n - 1], before, t)
        for n, (before, t) in enumerate(zip(toks[rest:], early, strict=False), start=rest)
    )


def _present_after_subject(previous: Token, before: Token, tok: Token) -> bool:
    """A present-tense verb after a name or an adverb: "China fully understands", "Ottawa says";
    not a plural noun after an adjective in -ly ("the early days")."""
    verb = (
        tok.text[:1].islower()
        and tok.lower.endswith("s")
        and not tok.lower.endswith(("ss", "us", "'s", "’s"))
    )
    adverb = is_adverb(before.lower) and previous.lower not in _DETERMINERS
    return verb and (before.capitalised or adverb)


def _object_then(toks: list[Token], rest: int, word: str) -> bool:
    """Whether a short object after the cue is followed by ``word`` before any clause begins:
    "told an audience about …", "added the drug to its list" (but "told a crowd of about 100
    members that …")."""
    for k in range(rest, min(rest + 5, len(toks))):
        if toks[k].lower == word:
            following = toks[k + 1] if k + 1 < len(toks) else None
            amount = following is not None and (
                following.text[:1].isdigit() or following.lower in NUMBER_WORDS
            )
            return k > rest and not amount
        if toks[k].lower in _CLAUSE_WORDS:
            return False
    return False


def _clause_start(toks: list[Token], rest: int) -> int | None:
    """Where the reported clause begins after the cue: past time words, an object ("told
    reporters"), a short phrase before "that" ("said in an interview that")."""
    cue = toks[rest - 1]
    while rest < len(toks) and (toks[rest].lower in TIME_WORDS or toks[rest].lower in _OBJECTS):
        if toks[rest].lower == "this" and rest + 1 < len(toks) and toks[rest + 1].lower in _CLAUSE_WORDS:
            break  # "said this would …": the subject, not a time ("said this week")
        rest += 1
    if rest < len(toks) and toks[rest].text in _CLAUSE_BREAKS:
        return None  # "…, Foster writes; to challenge …": the words came before
    if (cue.lower in _TELLS and _object_then(toks, rest, "about")) or (
        cue.lower in _ADD and _object_then(toks, rest, "to")
    ):
        return None  # "told an audience about the first time …", "added the drug to its list"
    if cue.lower in _TELLS:  # "told HuffPost Canada the laws …": past the name told
        after_name = next((k for k in range(rest, len(toks)) if not toks[k].capitalised), len(toks))
        if rest < after_name < len(toks) and toks[after_name].lower in _DETERMINERS | PRONOUNS:
            rest = after_name
        elif (
            rest + 1 < len(toks)
            and plural_noun(toks[rest])
            and not plural_noun(toks[rest + 1])
            and toks[rest + 1].lower != "to"  # "told workers to install …" tells them to
        ):
            rest += 1  # "told psychologists mass shooters were his idols": past the people told
    if toks[rest - 1].lower in _TIME_PREPOSITIONS and rest < len(toks) and toks[rest].lower in _TIME_NOUNS:
        rest += 1  # "said last week", "said on Tuesday morning"
    for k in range(rest, min(rest + 6, len(toks))):
        copula_that = toks[k].lower in _COPULAS and k + 1 < len(toks) and toks[k + 1].lower == "that"
        if toks[k].lower in _CLAUSE_WORDS and toks[k].lower != "that" and not copula_that:
            break  # "says the system is designed for that": the clause has begun ("say is that" has not)
        if toks[k].lower == "that":  # "said in an interview that", "notes, however, that"
            between = toks[rest:k]
            asides = [t for t in between if t.text != ","]  # one adverb set off by commas
            aside = (
                len(asides) == 1 and asides[0].text.islower() and not asides[0].is_cue and len(between) > 1
            )
            if aside or all(t.text[:1].isalnum() for t in between):
                return k + 1
            break
    if rest < len(toks) and toks[rest].lower in _PLACE_PREPOSITIONS:
        after = _past_adverbial(toks, rest)
        if after is not None:
            return after
    if rest >= len(toks) or toks[rest].text in {",", ":"} or toks[rest].lower in _NOT_A_CLAUSE_START:
        return None  # "which Beijing claims is …", "said in a statement", "told to leave"
    if toks[rest].lower in _QUESTION_WORDS and not any(t.lower in _COPULAS for t in toks[rest + 2 :]):
        return None  # "explained how it will work": a question answered elsewhere, if at all
        # (but "said what the country needs is a plan" claims something)
    if toks[rest - 1].lower in _TIME_PREPOSITIONS:  # no date after it: "said in his speech (he) …"
        pronoun = next((k for k in range(rest, min(rest + 6, len(toks))) if toks[k].lower in PRONOUNS), None)
        return pronoun or _past_adverbial(toks, rest - 1)  # "said in an interview at her home": none
    if cue.lower in _ADD and (toks[rest].lower in _QUANTITY_WORDS or toks[rest].text[:1] in _AMOUNT_STARTS):
        return None  # "the index added 0.4 per cent", "Vrbata added a goal": a sum, not speech
    following = toks[rest + 1] if rest + 1 < len(toks) else None
    if toks[rest].lower in _INDEFINITES and not (following and following.lower in _CLAUSE_WORDS):
        return None  # "must have said something to redeem himself", but "said nothing had changed"
    return rest


def _past_adverbial(toks: list[Token], rest: int) -> int | None:
    """Where a clause begins after a short phrase opening with a preposition at ``rest``: after
    a comma ("admits in this instance, there were fatalities") or after the means of saying it
    ("said by text message the weather had been fine"); ``None`` if no clause follows."""
    for k in range(rest + 1, min(rest + 6, len(toks) - 1)):
        following = toks[k + 1]
        opens = (
            following.lower in _CLAUSE_SUBJECTS or following.lower in _DETERMINERS or following.capitalised
        )
        if (toks[k].text == "," or toks[k].lower in _MEANS) and opens:
            return k + 1
        if not toks[k].text[:1].isalnum():
            return None
    return None


@hookimpl
def register_extractors() -> list[Extractor]:
    return [AttributionExtractor()]
