"""Ingest: turn paths, folders, stdin, URLs and feeds into `RawDocument`s (or per-item errors).

Nothing here cleans text; it only finds the input items, decodes them and keeps whatever metadata
the container carries (JSON fields, feed entries, HTTP headers).
"""

from __future__ import annotations


import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import charset_normalizer

from .clean import valid_text
from .config import Config
from .errors import ItemError
from .feeds import parse_feed
from .fetch import fetch, is_url, url_host
from .records import RawDocument

TEXT_EXT = {".txt", ".text", ".md"}
HTML_EXT = {".html", ".htm", ".xhtml", ".shtml"}
JSONL_EXT = {".jsonl", ".ndjson"}
JSON_EXT = {".json"}
FEED_EXT = {".rss", ".atom", ".xml"}
KNOWN_EXT = TEXT_EXT | HTML_EXT | JSONL_EXT | JSON_EXT | FEED_EXT

Item = RawDocument | ItemError

_FEED_SNIFF = re.compile(rb"<(rss|feed|rdf:RDF)[\s>]", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


class IngestStats:
    def __init__(self) -> None:
        self.skipped_files: list[str] = []  # files in folders with an extension we do not read


def iter_inputs(inputs: Iterable[str], config: Config, stats: IngestStats | None = None) -> Iterator[Item]:
    """Yield every input item of every path / URL / '-' (stdin), in a stable order."""
    stats = stats or IngestStats()
    for spec in inputs:
        if spec == "-":
            yield from _from_bytes(sys.stdin.buffer.read(config.max_item_bytes + 1), "<stdin>", None, config,
                                   source_key="stdin")
        elif is_url(spec):
            yield from _from_url(spec, config)
        else:
            path = Path(spec)
            if path.is_dir():
                for file in _walk(path, stats):
                    yield from _from_file(file, config)
            elif path.is_file():
                yield from _from_file(path, config, explicit=True)
            else:
                yield ItemError("E101", spec, "no such file or folder")


def _walk(root: Path, stats: IngestStats) -> Iterator[Path]:
    # Sorted walk so that runs are reproducible; hidden files and folders are skipped.
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            file = Path(dirpath) / name
            if file.suffix.lower() in KNOWN_EXT:
                yield file
            else:
                stats.skipped_files.append(str(file))


def _from_file(path: Path, config: Config, explicit: bool = False) -> Iterator[Item]:
    locator = str(path)
    try:
        size = path.stat().st_size
        if size > config.max_item_bytes and path.suffix.lower() not in JSONL_EXT | JSON_EXT | FEED_EXT:
            yield ItemError("E109", locator, f"file is {size:,} bytes, over the {config.max_item_bytes:,}-byte "
                                             "limit (max_item_bytes)")
            return
        if path.suffix.lower() in JSONL_EXT:
            yield from _read_jsonl_file(path, config)
            return
        data = path.read_bytes()
    except OSError as exc:
        yield ItemError("E113", locator, f"cannot read ({exc.strerror or exc})")
        return
    ext = path.suffix.lower()
    kind = ("text" if ext in TEXT_EXT else "html" if ext in HTML_EXT else "json" if ext in JSON_EXT
            else "feed" if ext in FEED_EXT else None)
    yield from _from_bytes(data, locator, kind, config, source_path=str(path),
                           source_key="dir:" + str(path.resolve().parent))


def _from_url(url: str, config: Config) -> Iterator[Item]:
    result = fetch(url, config)
    if isinstance(result, ItemError):
        yield result
        return
    yield from items_from_response(url, result, config)


def items_from_response(url: str, result, config: Config) -> Iterator[Item]:
    """The items of a fetched page or feed (`fetch.FetchResult`)."""
    ctype = result.content_type
    kind = ("feed" if ("rss" in ctype or "atom" in ctype or ctype.endswith("/xml")) else
            "html" if "html" in ctype else "json" if "json" in ctype else
            "text" if ctype.startswith("text/plain") else None)
    host = url_host(result.url) or ""
    yield from _from_bytes(result.body, url, kind, config, url=result.url, source_key="host:" + host,
                           encoding_hint=result.encoding)


def _from_bytes(data: bytes, locator: str, kind: str | None, config: Config, *, source_path: str | None = None,
                url: str | None = None, source_key: str = "", encoding_hint: str | None = None) -> Iterator[Item]:
    if len(data) > config.max_item_bytes and kind not in ("json", "feed"):
        yield ItemError("E109", locator, f"input is over the {config.max_item_bytes:,}-byte limit (max_item_bytes)")
        return
    if kind is None:
        kind = sniff_kind(data)
    if kind == "feed":
        for item in parse_feed(data, locator, config):
            if isinstance(item, RawDocument):
                item.source_path = item.source_path or source_path
                if config.follow_feed_links and item.url and is_url(item.url):
                    item = _follow_link(item, config)
            yield item
        return
    text = decode(data, locator, encoding_hint)
    if isinstance(text, ItemError):
        yield text
        return
    if kind == "json":
        yield from _read_json_text(text, locator, config, source_path)
        return
    yield RawDocument(locator=locator, content=text, kind="html" if kind == "html" else "text",
                      source_path=source_path, url=url, source_key=source_key)


_robots_caches: dict[int, object] = {}


def _robots(config: Config):
    """One robots.txt cache per config object (one run), so each site's file is read once."""
    from .fetch import RobotsCache

    cache = _robots_caches.get(id(config))
    if cache is None or cache.config is not config:
        _robots_caches.clear()
        cache = _robots_caches[id(config)] = RobotsCache(config)
    return cache


def _follow_link(entry: RawDocument, config: Config) -> RawDocument:
    """Replace a feed entry's summary by the linked page, keeping the summary if the fetch fails
    or the site's robots.txt disallows it (following links is crawling)."""
    if config.respect_robots and not _robots(config).allowed(entry.url or ""):
        return entry
    result = fetch(entry.url or "", config)
    if isinstance(result, ItemError) or "html" not in result.content_type:
        return entry
    page = decode(result.body, entry.url or "", result.encoding)
    if isinstance(page, ItemError):
        return entry
    entry.content, entry.kind = page, "html"
    return entry


def sniff_kind(data: bytes) -> str:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"{", b"[")):
        return "json"
    if head.startswith(b"<"):
        return "feed" if _FEED_SNIFF.search(data[:4096]) else "html"
    return "text"


def decode(data: bytes, locator: str, hint: str | None = None) -> str | ItemError:
    """Bytes -> str. UTF-8 first; BOMs honoured; legacy encodings detected with charset-normalizer."""
    if not data.strip():
        return ItemError("E102", locator, "empty or whitespace-only input")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            return ItemError("E104", locator, "starts with a UTF-16 byte-order mark but is not valid UTF-16")
        return _check_text(text, locator)
    if b"\x00" in data:
        return ItemError("E103", locator, "binary data (NUL bytes), not text")
    try:
        return _check_text(data.decode("utf-8-sig"), locator)
    except UnicodeDecodeError:
        pass
    if hint:
        try:
            return _check_text(data.decode(hint), locator)
        except (UnicodeDecodeError, LookupError):
            pass
    # Mostly UTF-8 with a few broken bytes (a truncated download, a bad paste): keep UTF-8 and
    # replace the broken bytes, rather than letting a detector guess a legacy encoding.
    lossy = data.decode("utf-8", errors="replace")
    if lossy.count("\ufffd") <= max(2, len(lossy) // 1000) and _has_utf8_multibyte(data):
        return _check_text(lossy, locator)
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        return ItemError("E104", locator, "not valid UTF-8 and no other text encoding fits")
    return _check_text(str(best), locator)


def _has_utf8_multibyte(data: bytes) -> bool:
    return re.search(rb"[\xc2-\xf4][\x80-\xbf]", data) is not None


def _check_text(text: str, locator: str) -> str | ItemError:
    if not text.strip():
        return ItemError("E102", locator, "empty or whitespace-only input")
    controls = len(_CONTROL.findall(text[:100_000]))
    if controls > max(8, len(text[:100_000]) // 50):
        return ItemError("E103", locator, f"binary data ({controls} control characters), not text")
    return _CONTROL.sub(" ", valid_text(text))


# --- JSON and JSONL ---------------------------------------------------------------------------

def _read_jsonl_file(path: Path, config: Config) -> Iterator[Item]:
    with open(path, "rb") as fh:
        any_line = False
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            any_line = True
            locator = f"{path}:{lineno}"
            if len(line) > config.max_item_bytes:
                yield ItemError("E109", locator, f"record is over the {config.max_item_bytes:,}-byte limit "
                                                 "(max_item_bytes)")
                continue
            text = decode(line, locator)
            if isinstance(text, ItemError):
                yield text
                continue
            try:
                obj = json.loads(text)
            except json.JSONDecodeError as exc:
                yield ItemError("E105", locator, f"malformed JSON ({exc.msg} at column {exc.colno})")
                continue
            yield _from_record(obj, locator, str(path))
        if not any_line:
            yield ItemError("E102", str(path), "empty or whitespace-only input")


def _read_json_text(text: str, locator: str, config: Config, source_path: str | None) -> Iterator[Item]:
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        # A .json file that is really JSON Lines is common enough to accept.
        lines = [ln for ln in text.splitlines() if ln.strip()]
        if len(lines) > 1 and exc.lineno > 1:
            for lineno, line in enumerate(text.splitlines(), start=1):
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as line_exc:
                    yield ItemError("E105", f"{locator}:{lineno}", f"malformed JSON ({line_exc.msg} at column "
                                                                   f"{line_exc.colno})")
                    continue
                yield _from_record(rec, f"{locator}:{lineno}", source_path)
            return
        yield ItemError("E105", locator, f"malformed JSON ({exc.msg} at line {exc.lineno} column {exc.colno})")
        return
    records = obj if isinstance(obj, list) else [obj]
    for i, rec in enumerate(records):
        yield _from_record(rec, f"{locator}[{i}]" if isinstance(obj, list) else locator, source_path)


def _from_record(obj: object, locator: str, source_path: str | None) -> Item:
    if not isinstance(obj, dict):
        return ItemError("E105", locator, f"expected a JSON object, got {type(obj).__name__}")
    text, html = obj.get("text"), obj.get("html")
    if isinstance(text, str) and text.strip():
        content, kind = text, "text"
    elif isinstance(html, str) and html.strip():
        content, kind = html, "html"
    else:
        return ItemError("E106", locator, "record has no non-empty 'text' or 'html' string field")

    def field(name: str) -> str | None:
        value = obj.get(name)
        return valid_text(str(value)).strip() or None if isinstance(value, (str, int, float)) else None

    url = field("url")
    source = field("source")
    host = url_host(url) if url and is_url(url) else None
    key = f"source:{source}" if source else f"host:{host}" if host else f"file:{source_path}"
    return RawDocument(locator=locator, content=_CONTROL.sub(" ", valid_text(content)), kind=kind, source_path=source_path,
                       url=url, title=field("title"), published=field("published") or field("date"),
                       source=source, author=field("author"), source_key=key)
