"""Fuzz targets: every parser of untrusted input, each a function of raw bytes that must return
(an article, an item error, a value or None) and never raise. Shared by the atheris runner
(bench/fuzz/run.py, outside CI) and the regression test over the kept corpus
(tests/test_fuzz_regressions.py, in CI)."""

from __future__ import annotations

from datetime import date

from newsweave.config import Config
from newsweave.errors import ItemError
from newsweave.records import Article, RawDocument

CONFIG = Config(max_item_bytes=200_000, max_blocks=500, max_block_chars=5_000)


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="surrogateescape")


def _check(result) -> None:
    assert isinstance(result, (Article, ItemError)), type(result)
    if isinstance(result, Article):
        # Nothing lost: every kept and removed line comes from the input's blocks.
        assert all(isinstance(b.text, str) for b in result.blocks)


def text_cleaner(data: bytes) -> None:
    """Plain text through segmentation, cleaning and language identification."""
    from newsweave.extract import extract
    from newsweave.ingest import decode

    text = decode(data, "fuzz")
    if isinstance(text, ItemError):
        return
    _check(extract(RawDocument("fuzz", text, "text"), CONFIG))


def html_extraction(data: bytes) -> None:
    """HTML through trafilatura and the cleaner."""
    from newsweave.extract import extract
    from newsweave.ingest import decode

    text = decode(data, "fuzz")
    if isinstance(text, ItemError):
        return
    _check(extract(RawDocument("fuzz", text, "html"), CONFIG))


def json_reader(data: bytes) -> None:
    """JSON and JSON-lines records (as a file's bytes)."""
    from newsweave.ingest import _from_bytes

    for item in _from_bytes(data, "fuzz.jsonl", "json", CONFIG):
        assert isinstance(item, (RawDocument, ItemError))


def feed_reader(data: bytes) -> None:
    """RSS/Atom through defusedxml and feedparser."""
    from newsweave.ingest import _from_bytes

    for item in _from_bytes(data, "fuzz.xml", "feed", CONFIG):
        assert isinstance(item, (RawDocument, ItemError))


def date_resolution(data: bytes) -> None:
    """Date lines, container dates, and event dates relative to an article's date."""
    from newsweave.dates import dateline, parse_published
    from newsweave.events import resolve_date

    text = _text(data)[:2000]
    for value in (dateline(text, "fr"), dateline(text, None), parse_published(text, "en")):
        assert value is None or isinstance(value, str)
    when, words = resolve_date(text, date(2019, 5, 30))
    assert when is None or isinstance(when, str)
    resolve_date(text, None)


def language_id(data: bytes) -> None:
    """The language identification wrapper: whole text and per paragraph."""
    from newsweave.language import shared

    text = _text(data)
    ident = shared()
    lang, conf = ident.classify(text)
    assert isinstance(lang, str)
    paras = [p for p in text.split("\n\n") if p] or [text]
    blocks = ident.blocks(paras)
    blocks.article()
    blocks.row_languages(list(range(len(paras))))


TARGETS = {f.__name__: f for f in (text_cleaner, html_extraction, json_reader, feed_reader, date_resolution,
                                   language_id)}


def event_rules(data: bytes) -> None:
    """Sentences, attribution cues, triggers and roles (French rules and parse) on any text, with
    every capitalised word taken as a mention."""
    import re

    from newsweave.entities import Mention
    from newsweave.events import Extractor, load_rules
    from newsweave.records import Block

    # Text as ingest hands it on: decoded, lone surrogates already replaced (clean.valid_text).
    text = data.decode("utf-8", errors="replace")[:20_000].replace("\x00", " ")
    if not text.strip():
        return
    art = Article(id="fuzz", raw=text, kind="text", blocks=[Block(p, "fr") for p in text.split("\n\n") if p.strip()] or
                  [Block(text, "fr")], lang="fr", published="2019-05-30")
    full = art.text
    mentions = [Mention("fuzz", m.start(), m.end(), m.group(), "PER", "fr", "ner")
                for m in re.finditer(r"\b[A-ZÀ-Ö][\w'-]+", full)][:200]
    for ev in Extractor(load_rules(), None).extract(art, mentions):
        assert full[ev.start:ev.end] == ev.sentence


TARGETS["event_rules"] = event_rules
