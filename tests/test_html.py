"""HTML input: the main text of a page, its metadata, and pages with no article in them."""

from datetime import UTC, datetime

import pytest

from provenance.articles import InvalidArticle
from provenance.html import WebPage

PAGE = """<html><head><title>Council backs tram plan | City Ledger</title>
<meta name="author" content="Ines Wood">
<meta property="article:published_time" content="2025-04-02T08:30:00Z">
<meta property="og:site_name" content="City Ledger"></head>
<body><nav><a href="/">Home</a> <a href="/politics">Politics</a> <a href="/send">Send to a friend</a></nav>
<article><h1>Council backs tram plan</h1>
<p>The city council voted 9-4 on Tuesday to fund a tram line to the airport, at a cost of
$310 million over six years.</p>
<p>“This is the biggest decision this council will take,” Mayor Olu Adeyemi said after the vote.</p>
<p>Opponents said the budget left no money for bus routes in the outer suburbs.</p></article>
<aside><h3>Related</h3><ul><li><a href="/a">Bus fares to rise</a></li>
<li><a href="/b">Airport expands</a></li></ul></aside>
<footer>© City Ledger. Sign up for our newsletter.</footer></body></html>"""


def test_the_main_text_without_chrome_in_paragraphs() -> None:
    article = WebPage(PAGE).article()
    assert "The city council voted 9-4" in article.text
    assert "Mayor Olu Adeyemi said" in article.text
    for chrome in ("Home", "Send to a friend", "Bus fares to rise", "newsletter"):
        assert chrome not in article.text
    assert "\n\n“This is the biggest decision" in article.text


def test_metadata_comes_from_the_page_unless_given() -> None:
    article = WebPage(PAGE).article()
    assert article.title == "Council backs tram plan"
    assert article.author == "Ines Wood"
    assert article.outlet == "City Ledger"
    assert article.published_at == datetime(2025, 4, 2, 8, 30, tzinfo=UTC)
    given = WebPage(
        PAGE, title="Tram plan approved", outlet="Ledger", url="https://ledger.example/1"
    ).article()
    assert (given.title, given.outlet, given.url) == (
        "Tram plan approved",
        "Ledger",
        "https://ledger.example/1",
    )


@pytest.mark.parametrize("html", ["", "   ", "<html><body></body></html>", "<p>"])
def test_a_page_without_an_article_is_refused_with_a_reason(html: str) -> None:
    with pytest.raises(InvalidArticle, match="html"):
        WebPage(html).article()


def test_metadata_from_json_ld_and_open_graph_with_the_time_of_day_in_utc() -> None:
    body = "<body><article>" + PAGE.split("<article>")[1].split("</article>")[0] + "</article></body>"
    news_article = (
        '{"@context": "https://schema.org", "@graph": [{"@type": "NewsArticle", "headline": "Trams approved",'
        ' "datePublished": "2025-04-02T10:30:00+02:00", "author": {"@type": "Person", "name": "Ines Wood"},'
        ' "publisher": {"@type": "Organization", "name": "City Ledger"}}]}'
    )
    json_ld = f'<html><head><script type="application/ld+json">{news_article}</script></head>{body}</html>'
    open_graph = (
        '<html><head><meta property="og:title" content="Trams approved">'
        '<meta property="og:site_name" content="City Ledger"><meta name="author" content="Ines Wood">'
        f'<meta property="article:published_time" content="2025-04-02T04:30:00-04:00"></head>{body}</html>'
    )
    for html in (json_ld, open_graph):
        article = WebPage(html).article()
        assert (article.title, article.author, article.outlet) == (
            "Trams approved",
            "Ines Wood",
            "City Ledger",
        )
        assert article.published_at == datetime(2025, 4, 2, 8, 30, tzinfo=UTC)
