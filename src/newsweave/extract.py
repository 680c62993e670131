"""Extract stage: `RawDocument` -> `Article` (clean paragraphs, title, date, source, languages).

HTML goes through trafilatura (main text, title, date via htmldate, author, site name); its text
and plain text then go through the same paragraph cleaner (`clean.py`), so related links, captions
and repeated paragraphs are removed from both. Languages are assigned here too, because date lines
are read in the article's language and the per-paragraph marks reuse the same n-gram counts.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timezone
from functools import lru_cache

import trafilatura

from .clean import clean, segment, words
from .config import Config
from .dates import parse_published
from .errors import ItemError
from .language import UNDETERMINED, LanguageID, shared
from .records import Article, RawDocument

# trafilatura logs every page it cannot use at ERROR level; we report those as item errors instead.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
logging.getLogger("htmldate").setLevel(logging.CRITICAL)

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")

REQUIRES = ("raw",)
ASSIGNS = ("title", "published", "source", "author", "blocks", "blocks.reason", "blocks.lang", "lang")


def extract(doc: RawDocument, config: Config, langid: LanguageID | None = None) -> Article | ItemError:
    langid = langid or shared()
    title_hint, published, source, author = doc.title, None, doc.source, doc.author
    if doc.kind == "html":
        try:
            result = trafilatura.bare_extraction(
                doc.content, url=doc.url, with_metadata=True, include_comments=False,
                include_images=False, include_links=False, config=_trafilatura_config(),
            )
        except Exception as exc:  # trafilatura/lxml raise many kinds of errors on hostile HTML
            return ItemError("E111", doc.locator, f"HTML could not be parsed ({type(exc).__name__})")
        text = getattr(result, "text", None) if result is not None else None
        if result is not None:
            title_hint = title_hint or _clean_meta(result.title)
            published = parse_published(getattr(result, "date", None))
            source = source or _clean_meta(result.sitename) or _clean_meta(result.hostname)
            author = author or _clean_meta(result.author)
        if not text or not text.strip():
            # trafilatura wants a page; feed entries and JSON records often carry a fragment
            # ("<p>...</p>") or a page shorter than its minimum: take its block-level text.
            text = html_fragment_text(doc.content)
        if not text.strip():
            return ItemError("E111", doc.locator, "no article text found in the HTML")
    else:
        text = doc.content

    lines = segment(text, config.max_block_chars)
    if not lines:
        return ItemError("E102", doc.locator, "no text (only whitespace or markup)")
    scored = langid.blocks(lines[: config.max_blocks])
    first_lang, _ = scored.article()
    cleaned = clean(lines, lang=None if first_lang == UNDETERMINED else first_lang,
                    known_title=title_hint, max_blocks=config.max_blocks)
    blocks = cleaned.blocks
    kept = [i for i, b in enumerate(blocks) if b.reason is None]
    if not kept:
        return ItemError("E111", doc.locator, "nothing left after removing boilerplate "
                                              f"({len(blocks)} lines, all boilerplate or markup)")

    # Article language from what is kept; each paragraph inherits it unless it is clearly another.
    lang, _ = scored.article([i for i in kept if i < config.max_blocks])
    candidates = [i for i, b in enumerate(blocks[: config.max_blocks])
                  if len(words(b.text)) >= config.lang_min_words
                  or len(_CJK.findall(b.text)) >= 2 * config.lang_min_words]  # no spaces between words
    others = scored.others(lang, config.lang_min_ratio, candidates)
    for i, block in enumerate(blocks):
        block.lang = others.get(i, lang)

    published = parse_published(doc.published, lang) or published or cleaned.published
    return Article(
        id=doc.article_id,
        raw=doc.content,
        kind=doc.kind,
        blocks=blocks,
        title=cleaned.title,
        published=published,
        lang=None if lang == UNDETERMINED else lang,
        source=source,
        source_path=doc.source_path,
        url=doc.url,
        author=author,
        source_key=doc.source_key or (f"source:{source}" if source else ""),
        ingested_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
    )


_DROP_TAGS = ("script", "style", "noscript", "template", "nav", "footer", "aside", "form", "iframe", "svg",
              "button", "select", "head")
_BLOCK_TAGS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr", "br", "section",
               "article", "header", "figcaption", "dd", "dt", "td", "th", "ul", "ol", "table"}


def html_fragment_text(html: str) -> str:
    """Block-level text of an HTML fragment, one line per paragraph-like element."""
    import lxml.etree
    import lxml.html

    try:
        root = lxml.html.fromstring(html[:2_000_000])
    except (lxml.etree.ParserError, ValueError):
        return ""
    for el in root.iter(*_DROP_TAGS):
        el.drop_tree() if el.getparent() is not None else None
    parts: list[str] = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag in _BLOCK_TAGS:
            parts.append("\n")
        if el.text:
            parts.append(el.text)
        if el.tail:
            if el.tag in _BLOCK_TAGS:
                parts.append("\n")
            parts.append(el.tail)
    return "\n".join(" ".join(line.split()) for line in "".join(parts).split("\n") if line.strip())


@lru_cache(maxsize=1)
def _trafilatura_config():
    from trafilatura.settings import use_config

    cfg = use_config()
    cfg.set("DEFAULT", "MAX_TREE_SIZE", "200000")  # bound work on gigantic or deeply nested pages
    cfg.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")  # its timeout uses signals: main thread only
    return cfg


def _clean_meta(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None
