"""The figure extractor: values, units and what is counted, on hand-written sentences."""

import pytest

from provenance.domain import ArticleText, Extraction
from provenance.extractors.figures import FigureExtractor


def figures(text: str) -> list[Extraction]:
    found = list(FigureExtractor().extract(ArticleText(text)))
    for f in found:
        assert text[f.start : f.end] == f.text
    return found


def only(text: str) -> Extraction:
    found = figures(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "printed", "value", "unit", "counted"),
    [
        ("Twelve ministers resigned on Friday.", "Twelve ministers", 12, None, "ministers"),
        ("About 1,200 troops crossed the border.", "About 1,200 troops", 1200, None, "troops"),
        ("Inflation hit 7.5% in March.", "7.5%", 7.5, "%", None),
        ("Turnout was 64 per cent this time.", "64 per cent", 64, "%", None),
        ("The deal is worth $4.5 billion in total.", "$4.5 billion", 4.5e9, "USD", None),
        ("Fines reached 300 million euros last year.", "300 million euros", 3e8, "EUR", None),
        ("The plant employs twenty-five engineers.", "twenty-five engineers", 25, None, "engineers"),
        ("Fifteen heads of state attended.", "Fifteen heads of state", 15, None, "heads of state"),
        ("He ruled for nearly three decades.", "nearly three decades", 3, None, "decades"),
        ("The army sent hundreds of troops north.", "hundreds of troops", 100, None, "troops"),
        ("They spent billions of dollars on it.", "billions of dollars", 1e9, "USD", None),
        ("The war lasted two and a half years.", "two and a half years", 2.5, None, "years"),
        ("The treaty was signed in 2013 in Astana.", "2013", 2013, "year", None),
        ("It happened on September 15, 2022 at dawn.", "September 15, 2022", 20220915, "date", None),
        ("It happened on 15 September 2022 at dawn.", "15 September 2022", 20220915, "date", None),
        ("The club paid US$12 million for him.", "US$12 million", 1.2e7, "USD", None),
        ("Tickets cost £40 at the door.", "£40", 40, "GBP", None),
        ("Ottawa pledged more than C$2 billion.", "more than C$2 billion", 2e9, "CAD", None),
    ],
)
def test_figure_values(text: str, printed: str, value: float, unit: str | None, counted: str | None) -> None:
    figure = only(text)
    assert (figure.text, figure.value, figure.unit, figure.counted) == (printed, value, unit, counted)
    assert figure.context == text


@pytest.mark.parametrize("clock", ["3.40 pm", "3.40pm", "3:40 p.m.", "3:40pm"])
def test_clock_times_in_any_style_have_one_value(clock: str) -> None:
    figure = only(f"Leaders will meet at {clock} on Friday.")
    assert (figure.value, figure.unit) == (15.4, "time")


@pytest.mark.parametrize(
    "text",
    [
        "It was the first time the two leaders met.",  # ordinal; "the two leaders" refers back
        "No one expected it.",  # the pronoun "one"
        "The COVID-19 pandemic changed travel.",  # part of a name
        "He scored 3 and left.",  # a bare small number counts nothing
    ],
)
def test_not_figures(text: str) -> None:
    assert figures(text) == []
