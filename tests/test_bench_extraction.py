"""The extraction harness locates gold quotes the way its metric needs."""

from bench.extraction import locate


def test_a_quote_labelled_twice_counts_once_and_a_quote_printed_twice_twice() -> None:
    text = "“We will win,” she said. Later: “We  will\nwin,” he said."
    taken: set[tuple[int, int]] = set()
    first = locate(text, "“We will win,”", taken)
    second = locate(text, "“We will win,”", taken)
    assert first == (0, 14) and second is not None and text[second[0] :].startswith("“We  will\nwin,”")
    assert locate(text, "“We will win,”", taken) is None  # a third label for two printings
