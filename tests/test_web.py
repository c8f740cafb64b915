"""The explorer's pages: rendered through Litestar's test client on both stores, and driven in a
real headless browser (Debian's chromium through Playwright) against a live server on SQLite."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from html import unescape

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine, select
from sqlmodel import Session, col

from provenance import keys
from provenance.api.app import create_app
from provenance.articles import ArticleInput
from provenance.db import create_db_engine, upgrade
from provenance.lineage import word_changes
from provenance.models import Claim
from provenance.plugins import PluginRegistry
from provenance.services import ArticleService, EditorialService
from provenance.settings import Settings
from provenance.web import pages
from provenance.web.markup import Span, highlighted, wording
from provenance.web.serving import serving

BALANCED = "balanced position of our Chinese friends"
TAG_RE = re.compile(r"<[^>]+>")


def ingest_seeds(engine: Engine, registry: PluginRegistry, seed_texts: dict[str, str]) -> None:
    """The five seeds, in order, each under a file URL named after it (seed 000 is article 1)."""
    service = ArticleService(engine, registry)
    for name, text in seed_texts.items():
        service.ingest(ArticleInput(text=text, url=f"file:///seeds/{name}"))


def balanced_claim(engine: Engine) -> int:
    with Session(engine) as session:
        return session.execute(select(col(Claim.id)).where(col(Claim.text).contains(BALANCED))).scalar_one()


def words(html: str) -> str:
    """The visible words of a piece of HTML."""
    return " ".join(unescape(TAG_RE.sub(" ", html)).split())


@pytest.fixture
def seeded(
    engine: Engine, registry: PluginRegistry, settings: Settings, seed_texts: dict[str, str]
) -> Iterator[TestClient]:  # type: ignore[type-arg]
    """The app through the test client, on a store holding the seeds."""
    ingest_seeds(engine, registry, seed_texts)
    with TestClient(create_app(settings, registry)) as client:
        yield client


def test_highlighting_marks_every_span_in_place_and_overlaps_once() -> None:
    text = "He said “we will build 300 homes” on Monday."
    quote = Span(text.index("we"), text.index("”"), claim_id=7, number=1, kind="quote", mention_id=70)
    figure = Span(
        text.index("300"), text.index(" homes") + 6, claim_id=8, number=2, kind="figure", mention_id=80
    )
    html = str(highlighted(text, [figure, quote]))
    assert unescape(TAG_RE.sub("", html.replace('">1<', '"><').replace('">2<', '"><'))) == text
    assert '<a class="ref" id="m70" href="#c7" aria-label="claim 1">1</a>' in html
    assert '<mark class="claim kind-figure kind-quote nested">300 homes</mark>' in html
    assert '<mark class="claim kind-quote">we will build </mark>' in html
    assert str(highlighted("<b>", [])) == "&lt;b&gt;"


def test_wording_marks_the_words_changed_against_the_first() -> None:
    first = "We highly appreciate the balanced position"
    this = "We highly value the well-balanced position, <really>"
    html = str(wording(this, word_changes(first, this)))
    assert '<del><span class="visually-hidden">first printed: </span>appreciate</del>' in html
    assert '<ins><span class="visually-hidden">printed here: </span>value</ins>' in html
    assert '<ins><span class="visually-hidden">printed here: </span>well-balanced</ins>' in html
    assert "&lt;really&gt;" in html


def test_search_finds_a_quote_by_its_words_and_by_pasting_it(seeded: TestClient, engine: Engine) -> None:  # type: ignore[type-arg]
    claim_id = balanced_claim(engine)
    page = seeded.get("/", params={"q": "balanced position"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert f'href="/claims/{claim_id}"' in page.text and "4 mentions in 4 articles" in page.text
    assert "/v1/exports/csv?text=balanced+position" in page.text and "/v1/exports/json?" in page.text
    pasted = seeded.get("/", params={"q": "We highly value the balanced position of our Chinese friends"})
    assert f'href="/claims/{claim_id}"' in pasted.text and "excerpt" in words(pasted.text)
    by_speaker = seeded.get("/", params={"speaker": "Putin", "kind": "quote"})
    assert f'href="/claims/{claim_id}"' in by_speaker.text
    assert "/v1/exports/csv?kind=quote&amp;speaker=Putin" in by_speaker.text
    nothing = seeded.get("/", params={"q": "balanced position", "from": "2030-01-01", "to": ""})
    assert f'href="/claims/{claim_id}"' not in nothing.text and "No claim holds these words" in nothing.text


def test_a_search_counts_no_further_than_it_must(
    seeded: TestClient,  # type: ignore[type-arg]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    everything = words(seeded.get("/", params={"speaker": "Putin"}).text)
    total = int(re.search(r"of (\d+)", everything).group(1))  # type: ignore[union-attr]
    monkeypatch.setattr(pages, "COUNTED", total - 1)
    capped = words(seeded.get("/", params={"speaker": "Putin"}).text)
    assert f"of {total - 1}+ (refine the search to count them all)" in capped


def test_two_letters_are_matched_but_not_listed(seeded: TestClient) -> None:  # type: ignore[type-arg]
    page = words(seeded.get("/", params={"q": "Xi"}).text)
    assert "Type three characters or more to list the claims holding these words." in page
    assert "Claims containing these words" not in page


def test_a_claim_shows_its_appearances_in_order_with_their_wording_changes(
    seeded: TestClient, engine: Engine
) -> None:  # type: ignore[type-arg]
    claim_id = balanced_claim(engine)
    page = seeded.get(f"/claims/{claim_id}").text
    appearances = re.findall(r'<li class="appearance.*?</li>', page, re.S)
    assert len(appearances) == 4 and "First appearance" in appearances[0]
    assert [re.search(r'href="/articles/(\d+)#m\d+"', a).group(1) for a in appearances] == [
        "1",
        "2",
        "3",
        "4",
    ]  # type: ignore[union-attr]
    assert "ingested (no publication time)" in appearances[0] and "Vladimir Putin" in page
    assert "<del>" not in appearances[0]
    assert all("<del>" in a and "<ins>" in a for a in appearances[1:])
    assert "value</ins>" in appearances[1]


def test_an_article_marks_its_claims_and_shows_what_it_rewrote(seeded: TestClient) -> None:  # type: ignore[type-arg]
    page = seeded.get("/articles/1").text
    related = re.findall(r'<li class="related-article relation-(\w+)">.*?href="/articles/(\d+)"', page, re.S)
    assert ("rewrite", "2") in related
    assert "This article is a rewrite of" in page or "A likely rewrite" in page
    marked = re.findall(r'<a class="ref" id="m(\d+)" href="#c(\d+)"', page)
    assert len(marked) >= 20
    assert all(f'<li id="c{claim}">' in page for _, claim in marked)
    assert "/v1/exports/csv?article_id=1" in page


def test_the_review_queue_lists_suggestions_best_first_with_both_texts(seeded: TestClient) -> None:  # type: ignore[type-arg]
    page = seeded.get("/review").text
    scores = [float(s) for s in re.findall(r"<span>score (\d\.\d\d)</span>", page)]
    assert scores and scores == sorted(scores, reverse=True)
    assert page.count('aria-keyshortcuts="c"') == len(scores) == page.count("<blockquote>") // 2
    assert 'id="api-key"' in page


def test_a_claim_page_shows_its_suggestions_and_then_the_decision(seeded: TestClient, engine: Engine) -> None:  # type: ignore[type-arg]
    suggestion = seeded.get("/v1/suggestions").json()["items"][0]
    target = suggestion["claim"]["id"]
    before = seeded.get(f"/claims/{target}").text
    assert f'data-suggestion="{suggestion["id"]}"' in before and 'aria-keyshortcuts="r"' in before
    assert "No editorial decision has named this claim" in before
    _, token = keys.create(engine, "desk editor", {keys.Scope.REVIEW})
    confirmed = seeded.post(
        f"/v1/suggestions/{suggestion['id']}/confirm", json={}, headers={"X-API-Key": token}
    )
    assert confirmed.status_code == 200, confirmed.text
    after = seeded.get(f"/claims/{target}").text
    assert after.count('<li class="appearance') == before.count('<li class="appearance') + 1
    assert "<strong>confirm</strong> by desk editor" in after
    assert f'data-suggestion="{suggestion["id"]}"' not in after


def test_a_merged_claim_leads_to_the_claim_it_joined(
    seeded: TestClient, engine: Engine, registry: PluginRegistry
) -> None:  # type: ignore[type-arg]
    kept = balanced_claim(engine)
    other = kept + 1
    EditorialService(engine, registry).merge(kept, other, "desk editor", "one statement")
    moved = seeded.get(f"/claims/{other}", follow_redirects=False)
    assert moved.status_code in (301, 302, 307, 308) and moved.headers["location"] == f"/claims/{kept}"
    page = seeded.get(f"/claims/{kept}").text
    assert "<strong>merge</strong> by desk editor" in page and f'href="/claims/{other}"' in page
    assert "one statement" in page


def test_the_article_list_filters_by_outlet_and_date_and_exports_their_claims(
    client: TestClient, engine: Engine, registry: PluginRegistry
) -> None:  # type: ignore[type-arg]
    service = ArticleService(engine, registry)
    for n, (outlet, month) in enumerate([("Daily", 3), ("Herald", 5)]):
        service.ingest(
            ArticleInput(
                text=f"“The bridge will reopen in {n + 2} weeks,” the mayor of Town{n} said on Monday.",
                url=f"https://n.example/{n}",
                outlet=outlet,
                published_at=datetime(2024, month, 1, 9, tzinfo=UTC),
            )
        )
    listed = client.get("/articles", params={"outlet": "Herald", "from": "2024-04-01", "to": "2024-05-01"})
    assert listed.status_code == 200 and "n.example/1" not in listed.text and ">1<" in listed.text
    assert "Town1" not in listed.text and 'href="/articles/2"' in listed.text
    (export,) = re.findall(r'href="(/v1/exports/csv\?[^"]+)"', listed.text)
    csv = client.get(unescape(export)).text
    assert "Town1" in csv and "Town0" not in csv
    searched = client.get("/", params={"outlet": "Daily", "to": "2024-03-01"})
    assert "Town0" in searched.text and "Town1" not in searched.text
    api = client.get("/v1/claims", params={"outlet": "Daily", "published_after": "2024-04-01T00:00:00Z"})
    assert api.status_code == 200 and api.json()["total"] == 0


@pytest.mark.parametrize(
    ("url", "status", "says"),
    [
        ("/claims/999999", 404, "no claim with id 999999"),
        ("/articles/999999", 404, "no article with id 999999"),
        ("/claims/0", 400, ""),
        ("/?from=15/09/2022", 400, "from must be a date"),
        ("/?kind=rumour", 400, "kind must be one of"),
    ],
)
def test_refused_pages_are_pages(client: TestClient, url: str, status: int, says: str) -> None:  # type: ignore[type-arg]
    page = client.get(url)
    assert page.status_code == status and page.headers["content-type"].startswith("text/html")
    assert says in unescape(page.text) and 'href="/"' in page.text


def test_where_reads_are_keyed_the_pages_ask_for_a_key_and_read_it_from_the_cookie(
    settings: Settings, registry: PluginRegistry, engine: Engine
) -> None:
    keyed = Settings(database_url=settings.database_url, reads="keyed")
    _, reader = keys.create(engine, "desk reader", {keys.Scope.READ})
    with TestClient(create_app(keyed, registry)) as client:
        refused = client.get("/")
        assert refused.status_code == 401 and "needs an API key" in refused.text
        assert "data-key-form" in refused.text  # the page asks for it
        assert client.get("/static/explorer.js").status_code == 200  # what asks for it is public
        assert client.get("/health").status_code == 200
        assert client.get("/articles", headers={"X-API-Key": reader}).status_code == 200
        client.cookies.set("provenance_key", "prov_not-a-key")
        assert client.get("/").status_code == 401
        client.cookies.set("provenance_key", reader)
        assert client.get("/").status_code == 200
        # the API never takes the cookie: another site's page cannot act with a browser's key
        assert client.get("/v1/claims").status_code == 401


def test_pages_are_left_out_of_the_openapi_document(client: TestClient) -> None:  # type: ignore[type-arg]
    paths = client.get("/schema/openapi.json").json()["paths"]
    assert all(path.startswith("/v1/") or path == "/health" for path in paths)
    assert client.get("/static/explorer.js").status_code == 200


# In a real browser -------------------------------------------------------------------------


def chromium() -> str:
    """Debian's chromium, or skip: the browser tests drive a real browser (CI installs one)."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.skip("no chromium installed (apt-get install chromium; .ci/run installs it)")
    return found


@pytest.fixture(scope="module")
def live(
    tmp_path_factory: pytest.TempPathFactory, seed_texts: dict[str, str]
) -> Iterator[tuple[str, str, Engine]]:
    """A live server on a SQLite store holding the seeds; yields its URL, a review key's token
    and the store's engine."""
    chromium()
    url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'store.db'}"
    upgrade(url)
    settings = Settings(database_url=url)
    registry = PluginRegistry.create(settings, load_entrypoints=False)
    engine = create_db_engine(url)
    ingest_seeds(engine, registry, seed_texts)
    _, token = keys.create(engine, "desk editor", {keys.Scope.REVIEW})
    with serving(create_app(settings, registry)) as base:
        yield base, token, engine
    engine.dispose()


@pytest.fixture
def page(live: tuple[str, str, Engine]) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium())
        context = browser.new_context(base_url=live[0], viewport={"width": 1280, "height": 900})
        yield context.new_page()
        browser.close()


def test_browser_traces_a_quote_to_its_four_appearances_and_the_rewrite(page, live) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    page.goto("/")
    page.get_by_label("Paste a quote or type words").fill("balanced position")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name=re.compile(BALANCED)).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(BALANCED)
    appearances = page.locator("li.appearance")
    expect(appearances).to_have_count(4)
    expect(appearances.nth(0)).to_contain_text("First appearance")
    labels = [appearances.nth(n).locator(".where a").inner_text() for n in range(4)]
    assert labels[0] == "000_13b5eb0d5458f789.txt" and labels[2:] == [
        "002_a135feee11866434.txt",
        "003_21813e5746ce38d4.txt",
    ]
    expect(appearances.nth(1).locator("ins").first).to_have_text(re.compile("value"))
    expect(appearances.nth(1).locator("del").first).to_have_text(re.compile("appreciate"))
    expect(appearances.nth(2)).to_contain_text("changes of wording against the first")

    appearances.nth(0).locator(".where a").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("000_13b5eb0d5458f789.txt")
    rewrite = page.locator("li.related-article.relation-rewrite")
    expect(rewrite).to_have_count(1)
    expect(rewrite.locator(".badge")).to_have_text("rewrite")
    expect(rewrite.get_by_role("link").first).to_have_attribute("href", "/articles/2")
    expect(page.locator("mark.claim").first).to_be_visible()


def test_browser_confirms_a_suggestion_in_one_keystroke_and_the_claim_changes(page, live) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    token = live[1]
    page.goto("/review")
    first = page.locator("li.suggestion").first
    claim_link = first.locator(".side a").nth(1)
    target = claim_link.get_attribute("href")
    page.goto(target)
    before = page.locator("li.appearance").count()

    page.goto("/review")
    first = page.locator("li.suggestion").first
    first.focus()
    page.keyboard.press("c")  # no key yet: refused, and the key field is offered
    expect(page.locator("#flash")).to_contain_text("needs an API key")
    expect(page.get_by_label(re.compile("API key"))).to_be_focused()
    page.get_by_label(re.compile("API key")).fill(token)
    first.focus()
    page.keyboard.press("c")
    expect(page.locator("#flash")).to_contain_text("Confirmed")
    expect(first).to_have_class(re.compile("decided"))

    page.goto(target)
    expect(page.locator("li.appearance")).to_have_count(before + 1)
    expect(page.locator("ul.decisions")).to_contain_text("confirm by desk editor")


def test_browser_pages_fit_a_phone(live) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    base, _, engine = live
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium())
        phone = browser.new_page(base_url=base, viewport={"width": 390, "height": 844})
        for url in [
            "/",
            "/?q=balanced+position",
            f"/claims/{balanced_claim(engine)}",
            "/articles",
            "/articles/1",
            "/review",
        ]:
            phone.goto(url)
            overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, (url, overflow)
        browser.close()
