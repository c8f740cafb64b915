"""The extraction harness locates gold quotes the way its metric needs, and scores the JSON report
per passage (a quotation as printed is one prediction). Texts here are written for the tests."""

import json
import shutil
from pathlib import Path
from typing import Any

from bench.extraction import (
    Scores,
    labelled,
    load,
    locate,
    report_passages,
    run_service,
    score,
    score_report,
)
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
