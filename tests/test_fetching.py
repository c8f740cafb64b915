"""Ingest by URL: the guarded fetch (addresses, redirects, size, type, time) against a local HTTP
server on 127.0.0.1, never the internet, and ``POST /v1/articles {"url"}`` on both stores."""

from __future__ import annotations

import asyncio
import gzip
import shutil
import ssl
import subprocess
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from ipaddress import ip_address
from pathlib import Path

import httpx
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from provenance import fetching
from provenance.api.app import create_app
from provenance.fetching import Address, FetchedPage, FetchFailed, FetchTimedOut, fetch_page, forbidden
from provenance.plugins import PluginRegistry
from provenance.settings import Settings
from tests.conftest import with_key

LOOPBACK = ("127.0.0.1",)
BODY = """<article><h1>Harbour council approves ferry link</h1>
<p>The harbour council voted on Tuesday to fund a ferry link across the bay, at a cost of
$42 million over four years, after a debate that ran past midnight.</p>
<p>“This ferry will change how people get to work,” Mayor Lena Park said after the vote.</p>
<p>Opponents said the plan left no money for the bus routes in the northern suburbs.</p></article>"""
PAGE = f"""<!doctype html><html lang="en"><head><title>Ferry link | Bay Courier</title>
<meta property="og:title" content="Harbour council approves ferry link">
<meta property="og:site_name" content="Bay Courier">
<meta name="author" content="Maya Ortiz">
<meta property="article:published_time" content="2025-05-06T14:20:00+02:00">
<script type="application/ld+json">{{"@context": "https://schema.org", "@type": "NewsArticle",
"headline": "Harbour council approves ferry link", "datePublished": "2025-05-06T14:20:00+02:00",
"author": {{"@type": "Person", "name": "Maya Ortiz"}},
"publisher": {{"@type": "Organization", "name": "Bay Courier"}}}}</script></head>
<body><nav><a href="/">Home</a> <a href="/local">Local</a></nav>{BODY}
<footer>© Bay Courier. Sign up for our newsletter.</footer></body></html>"""
HTML = "text/html; charset=utf-8"


@dataclass
class Reply:
    """What the test server answers on one path."""

    status: int = 200
    body: bytes = PAGE.encode()
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": HTML})
    delay: float = 0.0  # seconds before the body
    dribble: float = 0.0  # seconds between the body's bytes (no Content-Length then)
    length: bool = True  # whether to send Content-Length


class PageServer:
    """An HTTP server on 127.0.0.1 in a thread, answering each path as its :class:`Reply` says
    and noting the ``Host`` header of every request."""

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.replies: dict[str, Reply] = {}
        self.hosts: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.hosts.append(self.headers.get("Host", ""))
                reply = server.replies.get(self.path, Reply(404, b"not here", {"Content-Type": "text/plain"}))
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    if reply.length and not reply.dribble:
                        self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    time.sleep(reply.delay)
                    for start in range(0, len(reply.body), 1 if reply.dribble else len(reply.body) or 1):
                        self.wfile.write(reply.body[start : start + 1] if reply.dribble else reply.body)
                        self.wfile.flush()
                        time.sleep(reply.dribble)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up, as it should have

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        if tls is not None:
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
        self.scheme = "https" if tls is not None else "http"
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"{self.scheme}://{host}:{self.port}{path}"

    def redirect(self, path: str, to: str, status: int = 302) -> None:
        self.replies[path] = Reply(status, b"", {"Location": to, "Content-Type": HTML})

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[PageServer]:
    server = PageServer()
    server.replies["/article"] = Reply()
    yield server
    server.close()


ALLOWED = Settings(fetch_allow=LOOPBACK, fetch_timeout=5, fetch_read_timeout=2, fetch_connect_timeout=2)


def fetch(url: str, settings: Settings = ALLOWED) -> FetchedPage:
    return asyncio.run(fetch_page(url, settings))


def refusal(url: str, settings: Settings = ALLOWED) -> str:
    with pytest.raises(FetchFailed) as raised:
        fetch(url, settings)
    return str(raised.value)


def fake_resolver(answers: dict[str, list[str]]) -> Callable[[str, int], Awaitable[list[Address]]]:
    """A resolver answering ``answers`` (host: addresses), and no other name."""

    async def resolve(host: str, port: int) -> list[Address]:
        if host not in answers:
            raise OSError(f"unknown host {host}")
        return [ip_address(a) for a in answers[host]]

    return resolve


# --- which addresses are refused


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.9", "private"),
        ("192.168.1.1", "private"),
        ("fd12:3456::1", "private"),
        ("169.254.169.254", "cloud metadata"),
        ("fd00:ec2::254", "cloud metadata"),
        ("168.63.129.16", "cloud metadata"),
        ("100.100.100.200", "cloud metadata"),
        ("169.254.1.1", "link-local"),
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("239.255.255.250", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "non-public"),
        ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped
        ("64:ff9b::a9fe:a9fe", "cloud metadata"),  # NAT64 of 169.254.169.254
        ("2002:0a00:0001::1", "private"),  # 6to4 of 10.0.0.1
    ],
)
def test_non_public_addresses_are_forbidden(address: str, kind: str) -> None:
    assert forbidden(ip_address(address)) == kind


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"])
def test_public_addresses_are_not(address: str) -> None:
    assert forbidden(ip_address(address)) is None


def test_the_allow_list_names_addresses_and_networks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROVENANCE_FETCH_ALLOW", "127.0.0.1, 10.0.0.0/8,fd00::/8")
    allow = Settings.from_env().fetch_allow
    assert allow == ("127.0.0.1/32", "10.0.0.0/8", "fd00::/8")
    assert forbidden(ip_address("127.0.0.1"), allow) is None
    assert forbidden(ip_address("10.200.3.4"), allow) is None
    assert forbidden(ip_address("fd00:ec2::254"), allow) is None  # named, so allowed
    assert forbidden(ip_address("127.0.0.2"), allow) == "loopback"
    assert forbidden(ip_address("192.168.0.1"), allow) == "private"
    monkeypatch.setenv("PROVENANCE_FETCH_ALLOW", "localhost")
    with pytest.raises(ValueError, match="PROVENANCE_FETCH_ALLOW"):
        Settings.from_env()


# --- the fetch


def test_a_page_is_fetched_from_an_allowed_address(server: PageServer) -> None:
    page = fetch(server.url("/article"))
    assert page.url == server.url("/article")
    assert "Mayor Lena Park" in page.html


def test_loopback_is_refused_without_the_allow_list(server: PageServer) -> None:
    message = refusal(server.url("/article"), Settings())
    assert "127.0.0.1, a loopback address" in message
    assert "PROVENANCE_FETCH_ALLOW" in message
    assert server.hosts == []  # nothing was sent


@pytest.mark.parametrize(
    ("url", "named"),
    [
        ("http://10.0.0.8/", "10.0.0.8, a private address"),
        ("http://192.168.0.1:8080/admin", "192.168.0.1, a private address"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254, a cloud metadata address"),
        ("http://[fd00:ec2::254]/latest/meta-data/", "fd00:ec2::254, a cloud metadata address"),
        ("http://[::1]:8000/", "::1, a loopback address"),
        ("http://0.0.0.0:8000/", "0.0.0.0, an unspecified address"),
    ],
)
def test_private_and_metadata_addresses_are_refused(url: str, named: str) -> None:
    assert named in refusal(url)


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.org/a.html", "gopher://x/", "http:///a"]
)
def test_only_http_and_https_urls_are_fetched(url: str) -> None:
    assert "only http and https URLs" in refusal(url)


def test_a_name_resolving_to_a_private_address_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fetching, "resolve", fake_resolver({"intranet.example": ["10.20.30.40"]}))
    message = refusal("https://intranet.example/wiki")
    assert "intranet.example resolves to 10.20.30.40, a private address" in message


def test_a_name_with_any_private_answer_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    answers = {"mixed.example": ["93.184.216.34", "169.254.169.254"]}
    monkeypatch.setattr(fetching, "resolve", fake_resolver(answers))
    assert "169.254.169.254, a cloud metadata address" in refusal("http://mixed.example/")


def test_a_name_is_connected_to_at_the_address_vetted(
    server: PageServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No second lookup (DNS rebinding): the request goes to the vetted address, with the name in
    ``Host``. The name resolves nowhere but through the resolver the check used."""
    calls: list[str] = []

    async def resolve(host: str, port: int) -> list[Address]:
        calls.append(host)
        return [ip_address("127.0.0.1")]

    monkeypatch.setattr(fetching, "resolve", resolve)
    page = fetch(server.url("/article", host="news.invalid"))
    assert "Mayor Lena Park" in page.html
    assert calls == ["news.invalid"]
    assert server.hosts == [f"news.invalid:{server.port}"]


def test_https_names_the_host_and_checks_its_certificate_though_sent_to_the_address(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The TLS server name is the URL's host (SNI) and the certificate is checked against it, not
    against the vetted address the request goes to."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("no openssl to make a certificate with")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subject = ["-subj", "/CN=news.invalid", "-addext", "subjectAltName=DNS:news.invalid"]
    command = [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", *subject]
    subprocess.run([*command, "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    served = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    served.load_cert_chain(cert, key)
    names: list[str | None] = []
    served.sni_callback = lambda _socket, name, _context: names.append(name)
    server = PageServer(tls=served)
    server.replies["/article"] = Reply()
    trusting = partial(httpx.AsyncClient, verify=ssl.create_default_context(cafile=str(cert)))
    monkeypatch.setattr(httpx, "AsyncClient", trusting)
    monkeypatch.setattr(fetching, "resolve", fake_resolver({"news.invalid": ["127.0.0.1"]}))
    try:
        assert "Mayor Lena Park" in fetch(server.url("/article", host="news.invalid")).html
        assert names == ["news.invalid"]
        assert server.hosts == [f"news.invalid:{server.port}"]
        assert "certificate verify failed" in refusal(server.url("/article"))  # not the address's
    finally:
        server.close()


def test_a_redirect_is_followed_and_checked_again(server: PageServer) -> None:
    server.redirect("/old", "/moved")
    server.redirect("/moved", server.url("/article"), status=301)
    page = fetch(server.url("/old"))
    assert page.url == server.url("/article")
    assert len(server.hosts) == 3


@pytest.mark.parametrize(
    ("to", "named"),
    [
        ("http://169.254.169.254/latest/meta-data/iam/", "169.254.169.254, a cloud metadata address"),
        ("http://10.0.0.1:9200/_cat/indices", "10.0.0.1, a private address"),
        ("http://internal.example/", "internal.example resolves to 192.168.7.7, a private address"),
    ],
)
def test_a_redirect_from_an_allowed_host_to_a_forbidden_one_is_refused(
    server: PageServer, monkeypatch: pytest.MonkeyPatch, to: str, named: str
) -> None:
    monkeypatch.setattr(fetching, "resolve", fake_resolver({"internal.example": ["192.168.7.7"]}))
    server.redirect("/jump", to)
    message = refusal(server.url("/jump"))
    assert named in message
    assert f"refused to fetch {to}" in message


def test_too_many_redirects_are_refused(server: PageServer) -> None:
    for hop in range(4):
        server.redirect(f"/hop{hop}", f"/hop{hop + 1}")
    server.replies["/hop4"] = Reply()
    assert fetch(server.url("/hop0"), replace(ALLOWED, fetch_max_redirects=4)).url.endswith("/hop4")
    message = refusal(server.url("/hop0"), replace(ALLOWED, fetch_max_redirects=3))
    assert "redirects more than 3 times" in message
    assert "PROVENANCE_FETCH_MAX_REDIRECTS" in message


def test_a_redirect_loop_ends(server: PageServer) -> None:
    server.redirect("/loop", "/loop")
    assert "redirects more than 5 times" in refusal(server.url("/loop"))


@pytest.mark.parametrize("length", [True, False])
def test_a_page_over_the_size_cap_is_refused(server: PageServer, length: bool) -> None:
    """Refused on its Content-Length, or, without one, once the stream passes the cap."""
    server.replies["/big"] = Reply(body=b"<html><body>" + b"<p>word</p>" * 100_000, length=length)
    message = refusal(server.url("/big"), replace(ALLOWED, fetch_max_bytes=100_000))
    assert "larger than 100000 bytes (PROVENANCE_FETCH_MAX_BYTES)" in message
    assert fetch(server.url("/big"), replace(ALLOWED, fetch_max_bytes=2_000_000)).html.endswith("</p>")


def test_a_gzipped_page_is_inflated_but_never_past_the_cap(server: PageServer) -> None:
    gzipped = {"Content-Type": HTML, "Content-Encoding": "gzip"}
    server.replies["/gz"] = Reply(body=gzip.compress(PAGE.encode()), headers=gzipped)
    assert fetch(server.url("/gz")).html == PAGE
    bomb = gzip.compress(b"<html>" + b" " * 50_000_000)  # 50 MB in about 50 kB
    server.replies["/bomb"] = Reply(body=bomb, headers=gzipped)
    assert "larger than 5000000 bytes" in refusal(server.url("/bomb"))


def test_an_encoding_not_asked_for_is_refused(server: PageServer) -> None:
    server.replies["/br"] = Reply(headers={"Content-Type": HTML, "Content-Encoding": "br"})
    assert "came encoded as br, which was not asked for" in refusal(server.url("/br"))


@pytest.mark.parametrize(
    "content_type", ["application/json", "application/pdf", "text/plain; charset=utf-8", "image/png", None]
)
def test_a_page_that_is_not_html_is_refused(server: PageServer, content_type: str | None) -> None:
    server.replies["/data"] = Reply(headers={"Content-Type": content_type} if content_type else {})
    message = refusal(server.url("/data"))
    assert "is not an HTML page" in message
    assert (content_type or "not given").split(";")[0] in message


def test_xhtml_is_html(server: PageServer) -> None:
    server.replies["/x"] = Reply(headers={"Content-Type": "application/xhtml+xml"})
    assert "Mayor Lena Park" in fetch(server.url("/x")).html


@pytest.mark.parametrize("status", [404, 500, 403])
def test_a_page_that_does_not_answer_2xx_is_refused(server: PageServer, status: int) -> None:
    server.replies["/gone"] = Reply(status=status)
    assert f"the page at {server.url('/gone')} answered {status}" in refusal(server.url("/gone"))


def test_a_slow_server_times_out(server: PageServer) -> None:
    server.replies["/slow"] = Reply(delay=2)
    with pytest.raises(FetchTimedOut, match="PROVENANCE_FETCH_READ_TIMEOUT"):
        fetch(server.url("/slow"), replace(ALLOWED, fetch_read_timeout=0.3))


def test_a_page_that_dribbles_runs_out_of_the_whole_fetchs_time(server: PageServer) -> None:
    """Every byte within the read timeout, but the page as a whole too slow."""
    server.replies["/drip"] = Reply(dribble=0.05)
    started = time.monotonic()
    with pytest.raises(FetchTimedOut, match=r"within 0\.5 seconds"):
        fetch(server.url("/drip"), replace(ALLOWED, fetch_timeout=0.5))
    assert time.monotonic() - started < 2


def test_a_closed_port_is_refused_with_the_reason() -> None:
    listener = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    port = listener.server_address[1]
    listener.server_close()
    assert "could not be fetched" in refusal(f"http://127.0.0.1:{port}/")


def test_a_name_that_does_not_resolve_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fetching, "resolve", fake_resolver({}))
    assert "nowhere.example: its name does not resolve" in refusal("https://nowhere.example/")


def test_the_page_is_decoded_in_its_own_character_set(server: PageServer) -> None:
    page = '<html><head><meta charset="windows-1252"></head><body><p>“Café”, she said.</p></body></html>'
    server.replies["/cp1252"] = Reply(body=page.encode("cp1252"), headers={"Content-Type": "text/html"})
    assert "“Café”" in fetch(server.url("/cp1252")).html
    server.replies["/latin1"] = Reply(
        body="<p>Zürich</p>".encode("latin-1"), headers={"Content-Type": "text/html; charset=ISO-8859-1"}
    )
    assert "Zürich" in fetch(server.url("/latin1")).html


# --- through the API, on both stores


@pytest.fixture
def api(database_url: str) -> Iterator[TestClient[Litestar]]:
    """The API on the test store, allowed to fetch from 127.0.0.1."""
    settings = replace(ALLOWED, database_url=database_url)
    app = create_app(settings, PluginRegistry.create(settings, load_entrypoints=False))
    with with_key(TestClient(app), database_url) as client:
        yield client


def test_an_article_is_ingested_from_its_url_with_the_pages_metadata(
    api: TestClient[Litestar], server: PageServer
) -> None:
    url = server.url("/article")
    response = api.post("/v1/articles", json={"url": url})
    assert response.status_code == 201, response.text
    created = response.json()
    article = created["article"]
    assert created["outcome"] == "created"
    assert article["url"] == url
    assert article["title"] == "Harbour council approves ferry link"
    assert article["outlet"] == "Bay Courier"
    assert article["author"] == "Maya Ortiz"
    assert article["published_at"].startswith("2025-05-06T12:20:00")  # 14:20 at +02:00
    assert "Mayor Lena Park said" in article["text"]
    assert "Home" not in article["text"] and "newsletter" not in article["text"]
    assert any("This ferry will change" in claim["text"] for claim in created["claims"])

    again = api.post("/v1/articles", json={"url": url})
    assert (again.status_code, again.json()["outcome"]) == (200, "unchanged")
    assert again.json()["article"]["id"] == article["id"]

    corrected = PAGE.replace("$42 million", "$44 million")
    server.replies["/article"] = Reply(body=corrected.encode())
    revised = api.post("/v1/articles", json={"url": url})
    assert (revised.status_code, revised.json()["outcome"]) == (201, "new_version")
    assert revised.json()["article"]["previous_version_id"] == article["id"]
    assert "$44 million" in revised.json()["article"]["text"]


def test_fields_the_client_gives_override_the_pages(api: TestClient[Litestar], server: PageServer) -> None:
    given = {
        "url": server.url("/article"),
        "title": "Ferry link wins council vote",
        "outlet": "The Bay Courier (print)",
        "author": "M. Ortiz",
        "published_at": "2025-05-07T06:00:00Z",
    }
    response = api.post("/v1/articles", json=given)
    assert response.status_code == 201, response.text
    article = response.json()["article"]
    assert {key: article[key] for key in given if key != "published_at"} == {
        key: value for key, value in given.items() if key != "published_at"
    }
    assert article["published_at"].startswith("2025-05-07T06:00:00")


def test_a_url_with_text_is_not_fetched(api: TestClient[Litestar], server: PageServer) -> None:
    text = "“We will open three new clinics this year,” the health minister said on Monday."
    response = api.post("/v1/articles", json={"url": server.url("/article"), "text": text})
    assert response.status_code == 201, response.text
    assert response.json()["article"]["text"] == text
    assert server.hosts == []


@pytest.mark.parametrize(
    ("reply", "detail"),
    [
        (Reply(status=404), "answered 404 Not Found"),
        (Reply(headers={"Content-Type": "application/json"}), "is not an HTML page"),
        (Reply(body=b"<html>" + b"x" * 6_000_000), "larger than 5000000 bytes"),
        (Reply(body=b"<html><head><title>Empty</title></head><body> </body></html>"), "no article text"),
    ],
)
def test_a_page_that_cannot_be_ingested_is_a_422_saying_why(
    api: TestClient[Litestar],
    server: PageServer,
    reply: Reply,
    detail: str,
) -> None:
    server.replies["/bad"] = reply
    response = api.post("/v1/articles", json={"url": server.url("/bad")})
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert detail in response.json()["detail"]
    assert api.get("/v1/articles").json()["total"] == 0


def test_a_forbidden_address_is_a_422_naming_it_and_the_setting(database_url: str) -> None:
    settings = Settings(database_url=database_url)
    app = create_app(settings, PluginRegistry.create(settings, load_entrypoints=False))
    with with_key(TestClient(app), database_url) as client:
        for url, named in [
            ("http://127.0.0.1:9/", "127.0.0.1, a loopback address"),
            ("http://169.254.169.254/latest/meta-data/", "169.254.169.254, a cloud metadata address"),
        ]:
            response = client.post("/v1/articles", json={"url": url})
            assert response.status_code == 422, response.text
            assert named in response.json()["detail"]
            assert "PROVENANCE_FETCH_ALLOW" in response.json()["detail"]


def test_a_page_too_slow_is_a_504(api: TestClient[Litestar], server: PageServer) -> None:
    server.replies["/slow"] = Reply(delay=3)
    response = api.post("/v1/articles", json={"url": server.url("/slow")})
    assert response.status_code == 504, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "did not arrive in time" in response.json()["detail"]


def test_a_slow_fetch_never_holds_other_requests(api: TestClient[Litestar], server: PageServer) -> None:
    """The fetch awaits on the event loop: /health answers while a page is on its way."""
    server.replies["/slow"] = Reply(delay=1.5)
    posted: list[int] = []
    poster = threading.Thread(
        target=lambda: posted.append(api.post("/v1/articles", json={"url": server.url("/slow")}).status_code)
    )
    poster.start()
    while not server.hosts:
        time.sleep(0.01)
    started = time.monotonic()
    assert api.get("/health").status_code == 200
    assert time.monotonic() - started < 1
    poster.join()
    assert posted == [201]


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({}, "or only its 'url' to fetch the page"),
        ({"title": "No article"}, "or only its 'url' to fetch the page"),
        ({"text": "a", "html": "<p>a</p>", "url": "https://n.example/1"}, "exactly one of"),
    ],
)
def test_a_body_without_text_html_or_url_is_a_400(
    api: TestClient[Litestar],
    body: dict[str, str],
    detail: str,
) -> None:
    response = api.post("/v1/articles", json=body)
    assert response.status_code == 400, response.text
    assert detail in response.json()["detail"]
