"""Long pathological articles: readings that hold however long the input, on a shallow stack.

How fast they are is for benchmarks; these check what is read: no recursion the input can deepen
(each test runs with a recursion limit just above the current depth), offsets that point at what
they name, and the same claims as the short text repeated would give. The generators below write
the texts; each takes a number of repetitions.
"""

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from provenance.articles import ArticleInput
from provenance.cleaning import clean
from provenance.domain import ArticleText, ClaimKind, Extraction
from provenance.extractors.attributions import AttributionExtractor
from provenance.extractors.figures import FigureExtractor
from provenance.extractors.quotes import QuoteExtractor
from provenance.pipeline import prepare
from provenance.plugins import PluginRegistry
from provenance.settings import Settings
from provenance.speakers import ArticleSpeakers
from provenance.text import sentence_bounds, sentence_spans

FIRST_NAMES = "Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen".split()


def surname(k: int) -> str:
    """A made-up surname, different for every ``k`` ("Okafa", "Okafb", …)."""
    letters = ""
    while True:
        letters += "abcdefghijklmnopqrstuvwxyz"[k % 26]
        k //= 26
        if not k:
            return "Okaf" + letters


def repeated_attribution(n: int) -> str:
    """One sentence (a single initial does not end one) chaining speakers ``n`` times."""
    return '"Yes," said Mr. A, who said that B said that C told D. ' * n


def results_table(rows: int) -> str:
    """Ward election results: names and vote counts, one row a line, in one hard-wrapped paragraph."""
    lines = ["Ward election results", ""]
    for k in range(rows):
        if k % 10 == 0:
            lines.append(
                f"The results in ward {k // 10 + 1} are in the table below, and the turnout was high."
            )
        lines.append(f"{FIRST_NAMES[k % 10]} {surname(k)} {votes(k):,} {k % 97}.{k % 10}%")
    return "\n".join(lines)


def votes(k: int) -> int:
    return 1000 + 37 * k % 9000


def short_quotes(n: int) -> str:
    return "".join(f"“We will go now, all {k} of us,” he said. " for k in range(n))


def names_and_pronouns(n: int) -> str:
    """``n`` women, each named once and then referred to as "she"."""
    return "".join(
        f"{FIRST_NAMES[k % 10]} {surname(k)} arrived in the city on Friday. "
        "She said the vote had been won by a wide margin. "
        for k in range(n)
    )


def according_to(n: int) -> str:
    return "".join(
        f"The budget rose by {k % 9} per cent last year, according to the ministry of finance. "
        f"According to officials in ward {k}, the new plan is late again. "
        for k in range(n)
    )


def speaker_chain(head: str, link: str, n: int) -> str:
    """A quote whose speaker is read back through ``n`` links (" ,", ", who spoke,", " with X")."""
    return head + link * n + " said “we will build the new bridge next year.”"


def hyphenated_wraps(n: int) -> str:
    """A text copied out of a PDF: hard-wrapped lines, words hyphenated across them."""
    lines = ["The council met on Monday and the mayor said that the plan was late.", ""]
    lines += [
        "the negoti-",
        "ations on the con-",
        "tracts with the self-",
        "made resi-",
        "dents went on and",
    ] * n
    return "\n".join(lines) + " ended."


def one_huge_sentence(n: int) -> str:
    """A sentence with no full stop: clauses, numbers, quote marks that never close."""
    return "".join(
        f"the council said the {k} plans would cost $ {k % 50} million, “and officials told reporters that "
        for k in range(n)
    )


@contextmanager
def shallow_stack(room: int = 150) -> Iterator[None]:
    """Run with a recursion limit ``room`` frames above the current depth."""
    frame, depth = sys._getframe(), 0
    while frame is not None:
        frame, depth = frame.f_back, depth + 1  # type: ignore[assignment]
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(depth + room)
    try:
        yield
    finally:
        sys.setrecursionlimit(limit)


def extract(
    extractor: QuoteExtractor | AttributionExtractor | FigureExtractor, text: str
) -> list[Extraction]:
    with shallow_stack():
        found = list(extractor.extract(ArticleText(text, None, "en")))
    assert all(text[e.start : e.end] == e.text for e in found)
    return found


def test_a_chain_of_speakers_in_one_sentence_is_read_on_a_shallow_stack() -> None:
    text = repeated_attribution(4000)
    found = extract(AttributionExtractor(), text)
    assert len(found) == 4000
    assert all(e.start == 45 + 55 * n for n, e in enumerate(found))
    assert all((e.speaker, e.cue) == ("B", "said") for e in found)
    assert {e.text for e in found[:-1]} == {'C told D. "Yes,"'}
    assert found[-1].end == len(text) - 2  # the last claim runs to the end, but its full stop


def test_a_speaker_read_back_through_thousands_of_links() -> None:
    chains = [("The mayor", " ,", "The mayor"), ("The mayor", ", who spoke,", "The mayor")]
    chains.append(("Jane Okafa", " with Acme Group", "Jane Okafa" + " with Acme Group" * 3000))
    for head, link, speaker in chains:
        (quote,) = extract(QuoteExtractor(), speaker_chain(head, link, 3000))
        assert quote.text == "“we will build the new bridge next year.”"
        assert (quote.speaker, quote.cue) == (speaker, "said")


def test_figures_of_a_long_results_table_keep_their_offsets() -> None:
    text = clean(results_table(3000)).text
    found = extract(FigureExtractor(), text)
    shares = {e.start: e for e in found}
    at = 0
    for k in range(3000):
        share = f"{k % 97}.{k % 10}%"
        at = text.index(f"{surname(k)} {votes(k):,} {share}", at) + len(f"{surname(k)} {votes(k):,} ")
        assert shares[at].value == float(share[:-1]) and shares[at].text == share
    assert len(found) == 3000  # a bare vote count counts nothing printed: not a figure claim
    for figure in found:
        start, end = sentence_bounds(text, figure.start)
        assert figure.context == text[start:end]


def test_thousands_of_words_hyphenated_at_line_ends_are_rejoined() -> None:
    text = clean(hyphenated_wraps(3000)).text
    assert text.count("the negotiations on the contracts with the self-made residents went on and") == 3000


def test_sentence_bounds_are_the_sentences_of_the_line() -> None:
    unit = "Mr. A met Dr. B in the U.S. today. C. D. said no!\nIt rained. “Yes,” she said.\n\nE. "
    text = unit * 300
    lines, start = [], 0
    for line in text.split("\n"):
        lines.append((start, start + len(line), list(sentence_spans(text, start, start + len(line)))))
        start += len(line) + 1
    for line_start, line_end, spans in lines:
        for offset in range(line_start, line_end + 1, 7):
            expected = next((s for s in reversed(spans) if s[0] <= offset), (line_start, line_end))
            assert sentence_bounds(text, offset) == expected


def test_thousands_of_short_quotes_keep_their_speakers() -> None:
    text = short_quotes(3000)
    found = extract(QuoteExtractor(), text)
    assert [e.text for e in found] == [f"“We will go now, all {k} of us,”" for k in range(3000)]
    assert all((e.speaker, e.cue) == ("he", "said") for e in found)


def test_pronouns_after_thousands_of_names_take_the_last_one() -> None:
    text = names_and_pronouns(2000)
    found = extract(AttributionExtractor(), text)
    assert len(found) == 2000
    with shallow_stack():
        people = ArticleSpeakers(text, (e.speaker for e in found))
        resolved = [people.resolve(e.speaker, e.speaker_offset, (e.start, e.end)) for e in found]
    assert resolved == [(f"{FIRST_NAMES[k % 10]} {surname(k)}", "She") for k in range(2000)]


def test_thousands_of_according_to() -> None:
    found = extract(AttributionExtractor(), according_to(2000))
    assert [(e.text, e.speaker) for e in found] == [
        pair
        for k in range(2000)
        for pair in [
            (f"The budget rose by {k % 9} per cent last year", "the ministry of finance"),
            ("the new plan is late again", f"officials in ward {k}"),
        ]
    ]


def test_a_long_pathological_article_is_prepared_on_a_shallow_stack() -> None:
    text = "\n\n".join(
        [one_huge_sentence(600), repeated_attribution(600), short_quotes(600), names_and_pronouns(300)]
    )
    assert 100_000 < len(text) < 200_000
    registry = PluginRegistry.create(Settings(database_url="sqlite://"), load_entrypoints=False)
    with shallow_stack():
        prepared = prepare(registry, ArticleInput(text=text))
    kinds = {e.kind for e in prepared.extractions}
    assert kinds == {ClaimKind.QUOTE, ClaimKind.ATTRIBUTION, ClaimKind.FIGURE}
    assert all(prepared.text[e.start : e.end] == e.text for e in prepared.extractions)
