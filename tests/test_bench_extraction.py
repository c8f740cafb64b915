"""The extraction harness locates gold quotes the way its metric needs, and scores the JSON report
per passage (a quotation as printed is one prediction). Texts here are written for the tests."""

import json
import shutil
from pathlib import Path
from typing import Any

from bench.extraction import (
    Prediction,
    Scores,
    extras,
    gold_quotes,
    labelled,
    load,
    locate,
    names_someone,
    polnear_article,
    polnear_speaker_right,
    printed_quotations,
    report_passages,
    run_service,
    score,
    score_report,
)
from provenance.cleaning import clean
from provenance.extractors.attributions import AttributionExtractor
from provenance.extractors.quotes import QuoteExtractor


def test_a_quote_labelled_twice_counts_once_and_a_quote_printed_twice_twice() -> None:
    text = "“We will win,” she said. Later: “We  will\nwin,” he said."
    taken: set[tuple[int, int]] = set()
    first = locate(text, "“We will win,”", taken)
    second = locate(text, "“We will win,”", taken)
    assert first == (0, 14) and second is not None and text[second[0] :].startswith("“We  will\nwin,”")
    assert locate(text, "“We will win,”", taken) is None  # a third label for two printings


def test_a_one_word_label_is_found_as_a_word_and_an_empty_label_nowhere() -> None:
    text = "He did not say yes. Asked again, he said no."
    assert locate(text, "no", set()) == (text.rindex("no"), len(text) - 1)  # not the "no" of "not"
    assert locate(text, "ot sa", set()) == (8, 13)  # a label cutting words is still found
    assert locate(text, "  ", set()) is None


def _mention(
    mention_id: int, article: int, span: tuple[int, int], passage: tuple[int, int], text: str, speaker: str
) -> dict[str, Any]:
    return {
        "id": mention_id,
        "article": {"id": article},
        "start": span[0],
        "end": span[1],
        "text": text[span[0] : span[1]],
        "passage": {"start": passage[0], "end": passage[1], "text": text[passage[0] : passage[1]]},
        "speaker": speaker,
        "resolved_speaker": {"id": 1, "name": speaker},
    }


def test_a_passage_is_one_prediction_whatever_its_mentions() -> None:
    text = "“One. Two three four.” Ann said. Bo said it cost 5 dollars."
    quote = (0, 22)
    claims: list[dict[str, Any]] = [
        {"kind": "quote", "mentions": [_mention(1, 7, (0, 5), quote, text, "Ann")]},
        {"kind": "quote", "mentions": [_mention(2, 7, (6, 22), quote, text, "Bo")]},  # disagrees
        {"kind": "attribution", "mentions": [_mention(3, 7, (41, 58), (41, 58), text, "Bo")]},
        {"kind": "figure", "mentions": [_mention(4, 7, (49, 58), (49, 58), text, "Bo")]},
    ]
    passages = report_passages(claims, {7: text})
    assert passages.mentions == 3  # the figure is no quote
    assert [(p.start, p.end, p.speaker) for p in passages.by_article[7]] == [(0, 22, "Ann"), (41, 58, "Bo")]
    assert len(passages.disagreeing) == 1 and not passages.misplaced
    claims[0]["mentions"][0]["start"] = 1  # words no longer at their offsets
    assert len(report_passages(claims, {7: text}).misplaced) == 1


ARTICLES = [
    {
        "id": "bridge",
        "text": "“We will finish the bridge by spring. The money is already there,” said Mayor Ana Lopez."
        "\n .\nCouncillor Ben Hart said the plan was far too expensive for a town of this size."
        "\n .\nThe weather was cold on Tuesday.",
        "quotes": [
            {
                "quote": "“We will finish the bridge by spring. The money is already there,”",
                "speaker": "Mayor Ana Lopez",
                "reference": "Ana Lopez",
            },
            {
                "quote": "the plan was far too expensive for a town of this size",
                "speaker": "Councillor Ben Hart",
                "reference": "Ben Hart",
            },
            {"quote": "The weather was cold", "speaker": "", "reference": "nobody"},  # missed
        ],
    },
    {
        "id": "market",
        "text": "Prices at the harbour market rose again in March.\n\n“Nobody can afford fish any more,” "
        "said trader Rosa Klein, who has run a stall there for twenty years.\n\nKlein said the rents "
        "had doubled since last year.\n\n“We will review the rents next month,” the market manager, "
        "Paul Dunn, told reporters.",
        "quotes": [
            {
                "quote": "“Nobody can afford fish any more,”",
                "speaker": "trader Rosa Klein",
                "reference": "Rosa Klein",
            },
            {"quote": "“We will review the rents next month,”", "speaker": "", "reference": "Omar Said"},
        ],  # the rents sentence is unlabelled: spurious; Omar Said is not who the text names
    },
]


def test_the_report_is_scored_per_passage_and_agrees_with_the_extractors(
    tmp_path: Path, sqlite_template: Path
) -> None:
    path = tmp_path / "tiny.jsonl"
    path.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    shutil.copy(sqlite_template, tmp_path / "store.db")
    run = run_service(labelled(path), f"sqlite:///{tmp_path / 'store.db'}", "https://example.test/tiny", 0)
    scores, passages = score_report(run)

    assert sorted(run.ids) == ["bridge", "market"] and not run.refused
    assert passages.mentions == 6  # the two-sentence quote is two mentions of one passage
    assert sum(map(len, passages.by_article.values())) == 5
    assert not passages.disagreeing and not passages.misplaced
    tally = scores.tallies[(0.3, "all")]
    assert (tally.gold, tally.predicted, tally.matched, tally.predicted_matched) == (5, 5, 4, 4)
    assert tally.speaker_right == 3
    direct = scores.tallies[(0.8, "direct")]
    assert (direct.gold, direct.predicted, direct.matched) == (3, 3, 3)
    errors = scores.errors
    assert [e.split("]")[0] for e in errors.missed + errors.spurious + errors.speaker] == [
        "[bridge",
        "[market",
        "[market",
    ]
    assert "The weather was cold" in errors.missed[0] and "doubled" in errors.spurious[0]
    assert "Paul Dunn" in errors.speaker[0]

    internal = Scores()  # the extractors' own output gives the same figures on these articles
    for key, text, golds, predictions, _ in load(path, [QuoteExtractor(), AttributionExtractor()]):
        score(internal, key, text, golds, predictions)
    assert {k: vars(t) for k, t in internal.tallies.items()} == {
        k: vars(t) for k, t in scores.tallies.items()
    }


# PolNeAR: the quoted parts of direct attributions, from a record shaped like the corpus's

POLNEAR_TEXT = (
    "Mayor Ana Cruz spoke to residents on Monday.\n\n"
    "“The new reservoir will be finished by June. The money is already there,” said Ana Cruz, "
    "former head of the county water board.\n\n"
    "He called the plan “fine work” and said the council “will vote on it next week.”\n\n"
    "''We are not ready for this,'' said Ben Hart.\n\n"
    '"First we fix the old pipes.\n\n'
    '"Then we build the tank," the engineer said.\n\n'
    "Officials said the project was “on time and on budget” last week.\n\n"
    "”Nobody asked us about it first,” said resident Omar Diaz.\n\n"
    '"He told me “wait a whole year” and left," said Lina Park.'
)


def _role(phrase: str, occurrence: int = 0) -> list[dict[str, Any]]:
    start = -1
    for _ in range(occurrence + 1):
        start = POLNEAR_TEXT.index(phrase, start + 1)
    return [{"spans": [[start, start + len(phrase)]], "text": phrase}]


def _attribution(source: str, cue: str, content: str, direct: bool = True) -> dict[str, Any]:
    return {
        "source": _role(source) if source else [],
        "cue": _role(cue),
        "content": _role(content),
        "direct": direct,
    }


POLNEAR_RECORD = {
    "article": "polnear-like",
    "split": "dev",
    "text": POLNEAR_TEXT,
    "attributions": [  # one quote given an attribution per sentence: still one quotation
        _attribution(
            "Ana Cruz, former head of the county water board",
            "said",
            "“The new reservoir will be finished by June.",
        ),
        _attribution(
            "Ana Cruz, former head of the county water board", "said", "The money is already there,”"
        ),
        _attribution("He", "called", "the plan “fine work”"),  # two quoted words: no gold
        _attribution("He", "said", "the council “will vote on it next week.”"),  # a pronoun: not scored
        _attribution("said", "Ben Hart", "''We are not ready for this,''"),  # source and cue swapped
        _attribution("the engineer", "said", '"First we fix the old pipes.\n\n"Then we build the tank,"'),
        _attribution("Officials", "said", "the project was “on time and on budget” last week", direct=False),
        _attribution("resident Omar Diaz", "said", "”Nobody asked us about it first,”"),
        _attribution("Lina Park", "said", '"He told me “wait a whole year” and left,"'),
    ],
}


def test_printed_quotations_read_the_marks_as_printed() -> None:
    quoted = [POLNEAR_TEXT[start:end] for start, end in printed_quotations(POLNEAR_TEXT)]
    assert quoted == [
        "The new reservoir will be finished by June. The money is already there,",
        "fine work",
        "will vote on it next week.",
        "We are not ready for this,",  # two single marks as one double
        'First we fix the old pipes.\n\n"Then we build the tank,',  # reopened at each paragraph
        "on time and on budget",
        "Nobody asked us about it first,",  # a closing mark printed for an opening one
        "He told me “wait a whole year” and left,",  # a curly pair nested in a straight one
    ]


def test_polnear_gold_is_the_quoted_parts_of_direct_attributions_located_by_their_words() -> None:
    article = polnear_article(POLNEAR_RECORD)
    assert article.polnear and article.unquoted == 1  # "fine work": two words
    assert [(q["quote"], q["sources"]) for q in article.quotes] == [
        (
            "The new reservoir will be finished by June. The money is already there,",
            ["Ana Cruz, former head of the county water board"],
        ),
        ("will vote on it next week.", ["He"]),
        ("We are not ready for this,", ["Ben Hart"]),
        ('First we fix the old pipes.\n\n"Then we build the tank,', ["the engineer"]),
        ("Nobody asked us about it first,", ["resident Omar Diaz"]),
        ("He told me “wait a whole year” and left,", ["Lina Park"]),
    ]
    assert article.undirected == ["on time and on budget"]

    stored = clean(POLNEAR_TEXT).text  # what the service keeps: '' closing a quote becomes ”
    assert stored != POLNEAR_TEXT
    golds = gold_quotes(stored, article.quotes)
    assert [stored[g.start : g.end] for g in golds] == [q["quote"] for q in article.quotes]
    assert [g.scored for g in golds] == [True, False, True, True, True, True]  # "He" is not scored


def test_a_polnear_speaker_is_right_by_a_shared_name_word() -> None:
    source = ("Ana Cruz, former head of the county water board",)
    assert polnear_speaker_right(source, Prediction(0, 1, "Cruz", None))
    assert polnear_speaker_right(source, Prediction(0, 1, "she", "Ana Cruz"))
    assert not polnear_speaker_right(source, Prediction(0, 1, "the mayor", None))  # a title is no name
    assert not polnear_speaker_right(source, Prediction(0, 1, "Mr. Hart", "Ben Hart"))
    assert polnear_speaker_right(("the president",), Prediction(0, 1, "the President", None))  # titles only
    assert polnear_speaker_right(("Cruz's office",), Prediction(0, 1, "Ana Cruz", None))
    assert not names_someone("he") and not names_someone("They both") and names_someone("his aides")


def test_polnear_counts_quotation_passages_only_and_names_the_error_classes() -> None:
    article = polnear_article(POLNEAR_RECORD)
    text = clean(POLNEAR_TEXT).text
    golds = gold_quotes(text, article.quotes)

    def passage(words: str, speaker: str | None, quote: bool = True) -> Prediction:
        start = text.index(words)
        return Prediction(start, start + len(words), speaker, None, quote)

    predictions = [
        passage("“The new reservoir will be finished by June. The money is already there,”", "Ana Cruz"),
        passage("He called the plan “fine work” and said the council", "He", quote=False),  # not counted
        passage("“will vote on it next week.”", "he"),  # right or wrong, a pronoun source is not scored
        passage("We are not ready for this,", "Mr. Hart"),
        passage("“on time and on budget”", None),  # an attribution not marked direct: counted apart
        passage("”Nobody asked us about it first,”", None),  # no speaker found
        passage('"He told me “wait a whole year” and left,"', "Lina Park"),
    ]
    scores = Scores()
    score(scores, article.key, text, golds, predictions, extras(article, text))
    tally = scores.tallies[(0.3, "all")]
    assert (tally.gold, tally.predicted, tally.matched, tally.predicted_matched) == (6, 5, 5, 5)
    assert (tally.speaker_scored, tally.speaker_right, scores.unscored, scores.undirected) == (4, 3, 1, 1)
    assert {name: len(found) for name, found in scores.errors.classes.items()} == {
        "speaker: none found, words after the quote (“…” X said)": 1,
        "missed: not extracted": 1,  # the engineer's two paragraphs
    }


def test_the_report_of_a_polnear_file_is_scored_on_its_development_split(
    tmp_path: Path, sqlite_template: Path
) -> None:
    path = tmp_path / "polnear.jsonl"
    train = {**POLNEAR_RECORD, "article": "held-out", "split": "train"}
    path.write_text(json.dumps(train) + "\n" + json.dumps(POLNEAR_RECORD) + "\n", encoding="utf-8")
    articles = labelled(path)
    assert [a.key for a in articles] == ["polnear-like"]  # the development split only
    shutil.copy(sqlite_template, tmp_path / "store.db")
    run = run_service(articles, f"sqlite:///{tmp_path / 'store.db'}", "https://example.test/polnear", 0)
    scores, passages = score_report(run)

    assert not run.refused and not passages.misplaced
    tally = scores.tallies[(0.3, "all")]
    quotations = sum(p.quote for p in passages.by_article[run.ids["polnear-like"]])
    assert tally.gold == 6 and tally.predicted + scores.undirected == quotations
    assert tally.matched >= 2 and tally.speaker_right >= 1  # at least the plainest quote and speaker
