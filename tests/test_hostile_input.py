"""Arbitrary bytes through ingest and extraction: an article or a per-item error, never a crash."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsweave.config import Config
from newsweave.errors import ItemError
from newsweave.extract import extract
from newsweave.ingest import _from_bytes
from newsweave.records import Article, RawDocument

CONFIG = Config()
prefixes = st.sampled_from([b"", b"<html><body><p>", b"<?xml version='1.0'?><rss><channel><item><description>",
                            b'{"text": "', b"[", b"\xef\xbb\xbf", b"\xff\xfe"])
blobs = st.tuples(prefixes, st.binary(max_size=1500)).map(lambda t: t[0] + t[1])
texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=1500)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(blobs, st.sampled_from([None, "text", "html", "json", "feed"]))
def test_any_bytes_give_articles_or_item_errors(blob, kind):
    for item in _from_bytes(blob, "<fuzz>", kind, CONFIG):
        assert isinstance(item, (RawDocument, ItemError))
        if isinstance(item, RawDocument):
            out = extract(item, CONFIG)
            assert isinstance(out, (Article, ItemError))
            if isinstance(out, ItemError):
                assert out.locator and out.code.startswith("E")


@settings(max_examples=200, deadline=None)
@given(texts, st.sampled_from(["text", "html"]))
def test_any_text_gives_an_article_or_an_item_error(text, kind):
    out = extract(RawDocument(locator="<fuzz>", content=text, kind=kind), CONFIG)
    assert isinstance(out, (Article, ItemError))
    if isinstance(out, Article):
        assert out.paragraphs and all(p.lang for p in out.paragraphs)


def test_deeply_nested_and_huge_inputs_are_bounded():
    deep = "<div>" * 50_000 + "Texte profond au milieu de la page, assez long pour compter." + "</div>" * 50_000
    out = extract(RawDocument(locator="<deep>", content=deep, kind="html"), CONFIG)
    assert isinstance(out, (Article, ItemError))
    one_line = ("mot " * 300_000).strip()
    art = extract(RawDocument(locator="<long>", content=one_line, kind="text"), CONFIG)
    assert isinstance(art, Article)
    assert all(len(b.text) <= CONFIG.max_block_chars for b in art.blocks)
    mixed = "Titre\n" + "\u202eشسيب\u202c texte à l'envers " * 40 + "\u0301\u0301\u0301" * 100
    assert isinstance(extract(RawDocument(locator="<rtl>", content=mixed, kind="text"), CONFIG), (Article, ItemError))


@settings(max_examples=150, deadline=None)
@given(texts)
def test_date_resolution_never_raises(text):
    from datetime import date

    from newsweave.dates import dateline, parse_published
    from newsweave.events import resolve_date

    for value in (dateline(text, "fr"), parse_published(text, "en")):
        assert value is None or isinstance(value, str)
    for base in (date(2019, 5, 30), date(2000, 1, 1), None):
        when, words = resolve_date(text, base)
        assert (when is None) == (words is None)


@settings(max_examples=150, deadline=None)
@given(texts)
def test_language_id_never_raises(text):
    from newsweave.language import shared

    lang, conf = shared().classify(text)
    assert isinstance(lang, str) and 0.0 <= conf <= 1.0 or conf != conf


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000))
def test_event_rules_never_raise_and_keep_offsets(blob):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench" / "fuzz"))
    import targets

    targets.event_rules(blob)


def test_event_rules_on_a_pathological_sentence_are_fast():
    import time

    from newsweave.entities import Mention
    from newsweave.events import Extractor, load_rules

    text = ("Haftar a demandé " + "à l'Égypte, " * 3000 + "des missiles") + " selon " + "des sources " * 2000
    art = Article(id="p", raw=text, kind="text", blocks=[__import__("newsweave.records", fromlist=["Block"]).Block(text, "fr")],
                  lang="fr", published="2019-05-30")
    mentions = [Mention("p", 0, 6, "Haftar", "PER", "fr", "ner")]
    t = time.perf_counter()
    Extractor(load_rules(), None).extract(art, mentions)
    assert time.perf_counter() - t < 20  # bounded: no catastrophic backtracking


def test_an_item_over_its_time_limit_is_an_item_error(monkeypatch):
    import time as _time

    from newsweave import pipeline

    def slow(doc, config):
        _time.sleep(5)

    monkeypatch.setattr(pipeline.extract, "extract", slow)
    out = pipeline._process(RawDocument(locator="<slow>", content="x", kind="text"), Config(max_item_seconds=0.2))
    assert isinstance(out, ItemError) and out.code == "E116" and "max_item_seconds" in out.message


def test_lone_surrogates_from_json_do_not_stop_a_run(tmp_path, make_db):
    """Found by fuzzing: JSON may escape a lone surrogate, which no encoder accepts; spaCy, SQLite
    and the export would fail on it. Ingest replaces it with U+FFFD."""
    import newsweave

    rec = ('{"title": "Titre \\udcc3", "text": "Le pr\\u00e9sident Macron a rencontr\\u00e9 Angela Merkel '
           '\\udcc3 \\u00e0 Berlin pour discuter du budget europ\\u00e9en et de la d\\u00e9fense commune."}\n')
    (tmp_path / "s.jsonl").write_bytes(rec.encode("ascii"))
    report = newsweave.run([str(tmp_path / "s.jsonl")], db=make_db("s"))
    assert report.added == 1 and not report.errors
    with newsweave.open(make_db("s")) as nw:
        (a,) = nw.articles()
        assert "\ufffd" in a.text and "\ufffd" in a.title
        nw.export(tmp_path / "out")
