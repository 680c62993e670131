"""Fetching over http(s) with a time limit, a size cap and a bounded number of redirects; no
private, loopback or link-local address (SSRF) unless the config allows it; robots.txt respected
when following links.

Redirects are followed here, one hop at a time, so every hop's scheme and address are checked
before it is requested. The address check resolves the host name and refuses it if any address it
resolves to is not public (a host name can resolve to several); a host that changes its answer
between the check and the connection (DNS rebinding) is not caught — run newsweave behind an
egress proxy where that matters.
"""

from __future__ import annotations

import functools
import ipaddress
import socket
import urllib.robotparser
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests

from .config import Config
from .errors import ItemError


@dataclass(slots=True)
class FetchResult:
    url: str  # final URL after redirects
    body: bytes
    content_type: str
    encoding: str | None  # charset named by the server, if any
    status: int = 200  # 304 when a conditional request found nothing new (body empty)
    etag: str | None = None
    last_modified: str | None = None


def url_host(url: str | None) -> str | None:
    """The host of a URL, or None when there is none or the URL is malformed ("http://x.e]ample",
    an unclosed IPv6 bracket: urlsplit raises on those)."""
    if not url:
        return None
    try:
        return urlsplit(url).hostname
    except ValueError:
        return None


def is_url(value: str) -> bool:
    return "://" in value[:12]


def check_scheme(url: str) -> ItemError | None:
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError as exc:
        return ItemError("E110", url[:200], f"malformed URL ({exc})")
    if scheme not in ("http", "https"):
        return ItemError("E110", url, f"only http and https URLs are fetched, not {scheme or 'this'}:")
    return None


def check_address(url: str, config: Config) -> ItemError | None:
    """Refuse hosts that resolve to a non-public address (loopback, private, link-local, multicast,
    reserved), unless `fetch_allow_private` is set."""
    if config.fetch_allow_private:
        return None
    host = url_host(url)
    if not host:
        return ItemError("E110", url, "no host in URL (or a malformed one)")
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        return ItemError("E108", url, f"cannot resolve {host} ({exc})")
    for info in infos:
        addr = ipaddress.ip_address(info[4][0].split("%")[0])
        if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped:
            addr = addr.ipv4_mapped
        if not addr.is_global or addr.is_multicast:
            return ItemError("E114", url, f"{host} resolves to {addr}, a non-public address: refused "
                                          "(set fetch_allow_private to fetch from your own network)")
    return None


_REDIRECTS = (301, 302, 303, 307, 308)


def fetch(url: str, config: Config, session: requests.Session | None = None,
          headers: dict[str, str] | None = None) -> FetchResult | ItemError:
    """GET `url` within the config's limits; `headers` adds request headers (If-None-Match,
    If-Modified-Since for conditional polling: a 304 comes back as a result with status 304)."""
    if err := check_scheme(url):
        return err
    own = session is None
    session = session or requests.Session()
    try:
        for _hop in range(config.fetch_max_redirects + 1):
            if err := check_address(url, config):
                return err
            resp = session.get(url, timeout=(config.fetch_timeout, config.fetch_timeout), stream=True,
                               headers={"User-Agent": config.user_agent, "Accept-Encoding": "gzip, deflate",
                                        **(headers or {})},
                               allow_redirects=False)
            if resp.status_code in _REDIRECTS and resp.headers.get("Location"):
                resp.close()
                try:
                    nxt = urljoin(url, resp.headers["Location"])
                except ValueError as exc:
                    return ItemError("E108", url, f"malformed redirect ({exc})")
                # A redirect may not leave http(s), nor reach an address the first URL could not.
                if err := check_scheme(nxt):
                    return err
                url = nxt
                continue
            break
        else:
            return ItemError("E108", url, f"more than {config.fetch_max_redirects} redirects")
        with resp:
            if resp.status_code == 304:
                return FetchResult(resp.url, b"", "", None, 304, resp.headers.get("ETag"), resp.headers.get("Last-Modified"))
            if resp.status_code >= 400:
                return ItemError("E108", url, f"HTTP {resp.status_code} {resp.reason or ''}".strip())
            declared = resp.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > config.fetch_max_bytes:
                return ItemError("E109", url, f"response is {int(declared):,} bytes, over the "
                                              f"{config.fetch_max_bytes:,}-byte limit (fetch_max_bytes)")
            chunks, size = [], 0
            for chunk in resp.iter_content(chunk_size=65536):
                size += len(chunk)
                if size > config.fetch_max_bytes:
                    return ItemError("E109", url, f"response exceeds the {config.fetch_max_bytes:,}-byte "
                                                  f"limit (fetch_max_bytes)")
                chunks.append(chunk)
            ctype = resp.headers.get("Content-Type", "").split(";")[0].strip().lower()
            return FetchResult(resp.url, b"".join(chunks), ctype,
                               requests.utils.get_encoding_from_headers(resp.headers) if ctype else None,
                               resp.status_code, resp.headers.get("ETag"), resp.headers.get("Last-Modified"))
    except requests.exceptions.Timeout:
        return ItemError("E108", url, f"timed out after {config.fetch_timeout:g}s")
    except requests.exceptions.ConnectionError as exc:
        return ItemError("E108", url, f"cannot connect ({_short(exc)})")
    except requests.exceptions.RequestException as exc:
        return ItemError("E108", url, _short(exc))
    finally:
        if own:
            session.close()


class RobotsCache:
    """robots.txt per site, fetched once (with the same limits and checks) and asked before
    following links to pages of that site."""

    def __init__(self, config: Config):
        self.config = config
        self.parsers: dict[str, urllib.robotparser.RobotFileParser | None] = {}

    def allowed(self, url: str) -> bool:
        try:
            parts = urlsplit(url)
        except ValueError:
            return False
        site = f"{parts.scheme}://{parts.netloc}"
        if site not in self.parsers:
            result = fetch(site + "/robots.txt", self.config)
            parser = None
            if isinstance(result, FetchResult):
                parser = urllib.robotparser.RobotFileParser()
                parser.parse(result.body.decode("utf-8", "replace").splitlines())
            self.parsers[site] = parser  # no robots.txt (or unreadable): everything allowed
        parser = self.parsers[site]
        return parser is None or parser.can_fetch(self.config.user_agent.split("/")[0], url)


def _short(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:200]
