"""Fetching over http(s) with a time limit, a size cap and a bounded number of redirects."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import requests

from .config import Config
from .errors import ItemError


@dataclass(slots=True)
class FetchResult:
    url: str  # final URL after redirects
    body: bytes
    content_type: str
    encoding: str | None  # charset named by the server, if any


def is_url(value: str) -> bool:
    return "://" in value[:12]


def check_scheme(url: str) -> ItemError | None:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        return ItemError("E110", url, f"only http and https URLs are fetched, not {scheme or 'this'}:")
    return None


def fetch(url: str, config: Config, session: requests.Session | None = None) -> FetchResult | ItemError:
    if err := check_scheme(url):
        return err
    own = session is None
    session = session or requests.Session()
    session.max_redirects = config.fetch_max_redirects
    try:
        with session.get(
            url,
            timeout=(config.fetch_timeout, config.fetch_timeout),
            stream=True,
            headers={"User-Agent": config.user_agent, "Accept-Encoding": "gzip, deflate"},
            allow_redirects=True,
        ) as resp:
            # A redirect may not leave http(s) either (requests only follows http(s), but be explicit).
            if err := check_scheme(resp.url):
                return err
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
                               requests.utils.get_encoding_from_headers(resp.headers) if ctype else None)
    except requests.exceptions.TooManyRedirects:
        return ItemError("E108", url, f"more than {config.fetch_max_redirects} redirects")
    except requests.exceptions.Timeout:
        return ItemError("E108", url, f"timed out after {config.fetch_timeout:g}s")
    except requests.exceptions.ConnectionError as exc:
        return ItemError("E108", url, f"cannot connect ({_short(exc)})")
    except requests.exceptions.RequestException as exc:
        return ItemError("E108", url, _short(exc))
    finally:
        if own:
            session.close()


def _short(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:200]
