"""RSS/Atom feeds, parsed with feedparser; each entry becomes one `RawDocument`."""

from __future__ import annotations

import re
from collections.abc import Iterator

import feedparser

from .clean import valid_text
from .config import Config
from .errors import ItemError
from .fetch import url_host
from .records import RawDocument

# Feeds never need DTD entity declarations; they are how "billion laughs" and external-entity
# attacks arrive, so a feed that declares any is refused before it reaches a parser.
_ENTITY_DECL = re.compile(rb"<!ENTITY", re.I)


def parse_feed(data: bytes, locator: str, config: Config) -> Iterator[RawDocument | ItemError]:
    if _ENTITY_DECL.search(data[:65536]):
        yield ItemError("E112", locator, "feed declares XML entities (<!ENTITY>); refused as unsafe")
        return
    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    if not parsed.entries:
        why = f" ({_short(parsed.get('bozo_exception'))})" if parsed.get("bozo") else ""
        what = "a feed with no entries" if parsed.get("version") else "not an RSS or Atom feed"
        yield ItemError("E107", locator, what + why)
        return
    feed_title = (parsed.feed.get("title") or "").strip() or None
    feed_link = parsed.feed.get("link") or ""
    feed_host = url_host(feed_link)
    for i, entry in enumerate(parsed.entries):
        entry_locator = f"{locator}#{i}"
        content, kind = _entry_content(entry)
        link = entry.get("link") or None
        if not content.strip():
            if config.follow_feed_links and link:
                content, kind = "", "html"  # filled in by the ingest step that follows links
            else:
                yield ItemError("E111", entry_locator, "feed entry has no content or summary")
                continue
        host = url_host(link)
        key = (f"source:{feed_title}" if feed_title else f"host:{feed_host or host}" if (feed_host or host)
               else f"feed:{locator}")
        yield RawDocument(
            locator=link or entry_locator,
            content=valid_text(content),
            kind=kind,
            url=link,
            title=valid_text(entry.get("title") or "").strip() or None,
            published=entry.get("published") or entry.get("updated") or None,
            source=feed_title,
            author=entry.get("author") or None,
            source_key=key,
        )


def _entry_content(entry) -> tuple[str, str]:
    # Prefer the full content over the summary; each comes with its MIME type.
    for part in entry.get("content") or []:
        value = part.get("value") or ""
        if value.strip():
            return value, "html" if "html" in (part.get("type") or "html") else "text"
    summary = entry.get("summary") or ""
    detail = entry.get("summary_detail") or {}
    return summary, "html" if "html" in (detail.get("type") or "html") else "text"


def _short(exc: object) -> str:
    return str(exc).splitlines()[0][:160] if exc else "unknown reason"
