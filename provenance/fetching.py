"""Fetch a web page to ingest from its URL, guarded against being turned on the service's own network.

Every hop (the URL given, then each redirect) is vetted before anything is sent: an ``http`` or
``https`` URL whose host resolves only to public addresses. Private, loopback, link-local,
multicast, reserved and cloud-metadata addresses are refused unless ``Settings.fetch_allow``
names them (an address or a network). The request then goes to the vetted address itself (the
URL's host kept in the ``Host`` header and as the TLS server name, so certificates are still
checked against it), never resolved again: DNS rebinding cannot swap the address between the
check and the connection, and no connection is kept alive for another host to reuse. Redirects
are followed by hand, up to ``fetch_max_redirects``; the answer must be 2xx, HTML or XHTML, and
no longer than ``fetch_max_bytes`` (read as a stream and cut off there; gzip, the one encoding
asked for, is inflated no further than that, so a small bomb stays small). Connecting and each
read have their own timeouts, the whole fetch ``fetch_timeout``.

A page that cannot be fetched raises :class:`FetchFailed` (422), one too slow
:class:`FetchTimedOut` (504); both say which URL and why.
"""

from __future__ import annotations

import re
import socket
import zlib
from contextlib import suppress
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv6Address, ip_address, ip_network

import anyio
import httpx
from trafilatura.utils import decode_file

from provenance import __version__
from provenance.articles import InvalidArticle
from provenance.settings import Settings

Address = IPv4Address | IPv6Address

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
USER_AGENT = f"provenance/{__version__} (claim provenance; fetches one page when asked)"
METADATA_ADDRESSES = frozenset(
    ip_address(a)
    for a in (
        "169.254.169.254",  # AWS, GCP, Azure, OpenStack, DigitalOcean instance metadata
        "169.254.170.2",  # AWS ECS task metadata
        "fd00:ec2::254",  # AWS instance metadata over IPv6
        "100.100.100.200",  # Alibaba Cloud
        "192.0.0.192",  # Oracle Cloud
        "168.63.129.16",  # Azure's wire server: a public address
    )
)
NAT64 = ip_network("64:ff9b::/96")
_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)


class FetchFailed(InvalidArticle):
    """The page at a URL cannot be fetched as an article; the message says which URL and why."""


class FetchTimedOut(FetchFailed):
    """The page's server did not answer, or not all of the page, in time."""


@dataclass(frozen=True)
class FetchedPage:
    """A fetched HTML page: where the redirects ended, and its markup decoded."""

    url: str
    html: str


async def resolve(host: str, port: int) -> list[Address]:
    """Every address ``host`` resolves to, in the resolver's order of preference (an IPv6 zone
    dropped: a URL cannot carry it)."""
    answers = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(ip_address(str(answer[4][0]).partition("%")[0]) for answer in answers))


def forbidden(address: Address, allow: tuple[str, ...] = ()) -> str | None:
    """What kind of address ``address`` is when it may not be fetched from ("loopback", "cloud
    metadata"…), or None when it is public or ``allow`` (addresses and networks, as
    ``Settings.fetch_allow``) names it. An IPv4 address inside an IPv6 one (mapped, NAT64,
    6to4) is judged as the IPv4 address it carries."""
    if any(address in ip_network(network, strict=False) for network in allow):
        return None
    if address in METADATA_ADDRESSES:
        return "cloud metadata"
    if isinstance(address, IPv6Address):
        carried = address.ipv4_mapped or address.sixtofour
        if carried is None and address in NAT64:
            carried = IPv4Address(int(address) & 0xFFFFFFFF)
        if carried is not None:
            return forbidden(carried, allow)
    kinds = (
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("unspecified", address.is_unspecified),
        ("reserved", address.is_reserved),
        ("private", address.is_private),
        ("non-public", not address.is_global),
    )
    return next((kind for kind, found in kinds if found), None)


async def fetch_page(url: str, settings: Settings) -> FetchedPage:
    """The HTML page at ``url``, fetched as the module docstring says (raises :class:`FetchFailed`)."""
    try:
        with anyio.fail_after(settings.fetch_timeout):
            return await _fetch(url, settings)
    except TimeoutError as exc:
        raise FetchTimedOut(
            f"the page at {url} was not fetched within {settings.fetch_timeout:g} seconds "
            "(PROVENANCE_FETCH_TIMEOUT)"
        ) from exc


async def _fetch(url: str, settings: Settings) -> FetchedPage:
    timeout = httpx.Timeout(settings.fetch_read_timeout, connect=settings.fetch_connect_timeout)
    async with httpx.AsyncClient(
        timeout=timeout,
        follow_redirects=False,
        trust_env=False,  # no proxy from the environment: the request goes where it was vetted to go
        limits=httpx.Limits(max_keepalive_connections=0),  # a connection is never reused for another host
        headers={
            "User-Agent": USER_AGENT,
            "Accept": "text/html,application/xhtml+xml;q=0.9",
            "Accept-Encoding": "gzip",  # the one encoding _body inflates, within the size cap
        },
    ) as client:
        target = _parsed(url)
        for _ in range(settings.fetch_max_redirects + 1):
            response = await _send(client, target, settings)
            try:
                if not response.has_redirect_location:
                    return FetchedPage(str(target), await _html(response, target, settings.fetch_max_bytes))
                try:
                    target = target.join(response.headers["location"])
                except httpx.InvalidURL as exc:
                    raise FetchFailed(f"the page at {target} redirects to an invalid URL: {exc}") from exc
            finally:
                await response.aclose()
    raise FetchFailed(
        f"the page at {url} redirects more than {settings.fetch_max_redirects} times "
        "(PROVENANCE_FETCH_MAX_REDIRECTS)"
    )


def _parsed(url: str) -> httpx.URL:
    try:
        return httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise FetchFailed(f"cannot fetch {url}: {exc}") from exc


async def _send(client: httpx.AsyncClient, target: httpx.URL, settings: Settings) -> httpx.Response:
    """Send a GET for ``target`` to one of its host's vetted addresses, the next one when an
    address refuses the connection."""
    if target.scheme not in ("http", "https") or not target.raw_host:
        raise FetchFailed(f"cannot fetch {target}: only http and https URLs with a host are fetched")
    host = target.raw_host.decode("ascii")
    extensions = {}
    try:
        addresses: list[Address] = [ip_address(host)]
    except ValueError:
        addresses = await _resolved(host, target.port or (443 if target.scheme == "https" else 80))
        extensions["sni_hostname"] = host  # TLS: the server name, and the name its certificate must bear
    for address in addresses:
        if (kind := forbidden(address, settings.fetch_allow)) is not None:
            where = f"{host} resolves to {address}" if str(address) != host else str(address)
            article = "an" if kind[0] in "aeiou" else "a"
            raise FetchFailed(
                f"refused to fetch {target}: {where}, {article} {kind} address; PROVENANCE_FETCH_ALLOW "
                "may name the addresses and networks that may be fetched from (such as 10.0.0.0/8)"
            )
    headers = {"Host": target.netloc.decode("ascii")}

    def request(address: Address) -> httpx.Request:
        pinned = target.copy_with(host=str(address))
        return client.build_request("GET", pinned, headers=headers, extensions=extensions)

    try:
        for address in addresses[:-1]:
            with suppress(httpx.ConnectError, httpx.ConnectTimeout):  # the next address, then
                return await client.send(request(address), stream=True)
        return await client.send(request(addresses[-1]), stream=True)
    except httpx.HTTPError as exc:
        raise _failure(target, exc) from exc


async def _resolved(host: str, port: int) -> list[Address]:
    try:
        addresses = await resolve(host, port)
    except (OSError, UnicodeError) as exc:
        raise FetchFailed(f"cannot fetch from {host}: its name does not resolve ({exc})") from exc
    if not addresses:
        raise FetchFailed(f"cannot fetch from {host}: its name resolves to no address")
    return addresses


async def _html(response: httpx.Response, target: httpx.URL, max_bytes: int) -> str:
    """The page ``response`` carries, decoded, once it is known to be a whole HTML page."""
    if not response.is_success:
        raise FetchFailed(f"the page at {target} answered {response.status_code} {response.reason_phrase}")
    media_type = response.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media_type not in HTML_TYPES:
        raise FetchFailed(
            f"the page at {target} is not an HTML page (Content-Type {media_type or 'not given'}; "
            "text/html or application/xhtml+xml are fetched)"
        )
    too_large = FetchFailed(
        f"the page at {target} is larger than {max_bytes} bytes (PROVENANCE_FETCH_MAX_BYTES)"
    )
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    if encoding not in ("identity", "gzip", "x-gzip"):
        raise FetchFailed(f"the page at {target} came encoded as {encoding}, which was not asked for")
    declared = response.headers.get("content-length", "")
    if encoding == "identity" and declared.isdigit() and int(declared) > max_bytes:
        raise too_large
    inflate = zlib.decompressobj(wbits=31) if encoding != "identity" else None  # 31: a gzip stream
    body = bytearray()
    try:
        async for chunk in response.aiter_raw():
            # never more than one byte past the cap, however well the page compresses
            body += inflate.decompress(chunk, max_bytes + 1 - len(body)) if inflate else chunk
            if len(body) > max_bytes:
                raise too_large
    except httpx.HTTPError as exc:
        raise _failure(target, exc) from exc
    except zlib.error as exc:
        raise FetchFailed(f"the page at {target} is not the gzip stream it says it is: {exc}") from exc
    return _decoded(bytes(body), response.charset_encoding, max_bytes)


def _decoded(body: bytes, charset: str | None, max_bytes: int) -> str:
    """``body`` in the character set its ``Content-Type`` or its own ``<meta charset>`` names,
    else in the one it appears to be in."""
    declared = _META_CHARSET_RE.search(body[:4096])
    for name in (charset, declared.group(1).decode("ascii") if declared else None):
        if name:
            with suppress(LookupError):  # a character set Python does not know
                return body.decode(name, errors="replace")
    return decode_file(body, max_size=max_bytes)


def _failure(target: httpx.URL, exc: httpx.HTTPError) -> FetchFailed:
    """What an error of httpx's means for the page at ``target``."""
    if isinstance(exc, httpx.ConnectTimeout):
        return FetchTimedOut(
            f"the server of {target} was not reached in time (PROVENANCE_FETCH_CONNECT_TIMEOUT)"
        )
    if isinstance(exc, httpx.TimeoutException):
        return FetchTimedOut(f"the page at {target} did not arrive in time (PROVENANCE_FETCH_READ_TIMEOUT)")
    return FetchFailed(f"the page at {target} could not be fetched: {exc or type(exc).__name__}")
