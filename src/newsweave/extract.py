"""Extract stage: `RawDocument` -> `Article` (clean paragraphs, title, date, source, languages).

HTML goes through trafilatura (main text, title, date via htmldate, author, site name); its text
and plain text then go through the same paragraph cleaner (`clean.py`), so related links, captions
and repeated paragraphs are removed from both. Languages are assigned here too, because date lines
are read in the article's language and the per-paragraph marks reuse the same n-gram counts.
"""

from __future__ import annotations

from datetime import datetime, timezone

import trafilatura

from .clean import clean, segment, words
from .config import Config
from .dates import parse_published
from .errors import ItemError
from .language import UNDETERMINED, LanguageID, shared
from .records import Article, RawDocument

REQUIRES = ("raw",)
ASSIGNS = ("title", "published", "source", "author", "blocks", "blocks.reason", "blocks.lang", "lang")


def extract(doc: RawDocument, config: Config, langid: LanguageID | None = None) -> Article | ItemError:
    langid = langid or shared()
    title_hint, published, source, author = doc.title, None, doc.source, doc.author
    if doc.kind == "html":
        try:
            result = trafilatura.bare_extraction(
                doc.content, url=doc.url, with_metadata=True, include_comments=False,
                include_images=False, include_links=False, max_tree_size=200_000,
            )
        except Exception as exc:  # trafilatura/lxml raise many kinds of errors on hostile HTML
            return ItemError("E111", doc.locator, f"HTML could not be parsed ({type(exc).__name__})")
        text = getattr(result, "text", None) if result is not None else None
        if not text or not text.strip():
            return ItemError("E111", doc.locator, "no article text found in the HTML")
        title_hint = title_hint or _clean_meta(result.title)
        published = parse_published(getattr(result, "date", None))
        source = source or _clean_meta(result.sitename) or _clean_meta(result.hostname)
        author = author or _clean_meta(result.author)
    else:
        text = doc.content

    lines = segment(text, config.max_block_chars)
    if not lines:
        return ItemError("E102", doc.locator, "no text (only whitespace or markup)")
    feats = [langid.features(line) for line in lines[: config.max_blocks]]
    first_lang, _ = langid.decide(langid.merge(feats))
    cleaned = clean(lines, lang=None if first_lang == UNDETERMINED else first_lang,
                    known_title=title_hint, max_blocks=config.max_blocks)
    blocks = cleaned.blocks
    kept = [i for i, b in enumerate(blocks) if b.reason is None]
    if not kept:
        return ItemError("E111", doc.locator, "nothing left after removing boilerplate "
                                              f"({len(blocks)} lines, all boilerplate or markup)")

    # Article language from what is kept; each paragraph inherits it unless it is clearly another.
    lang, _ = langid.decide(langid.merge([feats[i] for i in kept if i < len(feats)]))
    for i, block in enumerate(blocks):
        block.lang = lang
        if i < len(feats) and len(words(block.text)) >= config.lang_min_words:
            other = langid.other_language(feats[i], lang, config.lang_min_ratio)
            if other:
                block.lang = other

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


def _clean_meta(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None
