"""PostgreSQL backend: the SQL rewriting, URLs and errors, and the same results as SQLite.

The store-level tests of the other modules run on both backends too (the `make_db` and `seed_db`
fixtures); these are what only concerns PostgreSQL."""

from __future__ import annotations

import json
import multiprocessing as mp

import pytest
from conftest import PG_BASE, _drop, _new_db

import newsweave
from newsweave.errors import NewsweaveError
from newsweave.store.postgres import translate


@pytest.fixture()
def pg(tmp_path):
    if not PG_BASE:
        pytest.fail("NEWSWEAVE_TEST_PG is not set: run the tests with `make test` (it starts PostgreSQL)")
    made = []

    def make(name: str) -> str:
        made.append(_new_db("postgresql", tmp_path, name))
        return made[-1]

    yield make
    for url in made:
        _drop(url)


def test_sqlite_spelling_is_rewritten():
    assert translate("SELECT id FROM articles WHERE id = ? LIMIT ? OFFSET ?") == \
        "SELECT id FROM articles WHERE id = %s LIMIT NULLIF(%s::bigint, -1) OFFSET %s"
    assert translate("INSERT OR IGNORE INTO sightings VALUES (?, ?)") == \
        "INSERT INTO sightings VALUES (%s, %s) ON CONFLICT DO NOTHING"
    assert translate("INSERT OR REPLACE INTO embeddings VALUES (?, ?, ?, ?, ?, ?)").endswith(
        "ON CONFLICT (article_id, model) DO UPDATE SET dim = EXCLUDED.dim, n_paragraphs = EXCLUDED.n_paragraphs, "
        "doc = EXCLUDED.doc, paragraphs = EXCLUDED.paragraphs")
    assert translate("SELECT a FROM t WHERE x LIKE '50%' AND y = ?") == "SELECT a FROM t WHERE x LIKE '50%%' AND y = %s"
    assert translate("SELECT start, end, text FROM mentions ORDER BY start, end, via") == \
        'SELECT start, "end", text FROM mentions ORDER BY start, "end", via'


def test_seeds_give_the_same_export_as_sqlite(seeds_dir, tmp_path, pg):
    out = {}
    for name, db in (("sqlite", str(tmp_path / "s.db")), ("postgresql", pg("same"))):
        report = newsweave.run([str(seeds_dir)], db=db)
        assert report.added == 5 and not report.errors
        with newsweave.open(db) as nw:
            assert nw.store.integrity_check() == []
            nw.export(tmp_path / name)
            out[name] = {f.name: [_stable(json.loads(line)) for line in f.read_text().splitlines()]
                         for f in sorted((tmp_path / name).glob("*.jsonl"))}
    assert set(out["sqlite"]) >= {"articles.jsonl", "stories.jsonl", "entities.jsonl", "events.jsonl", "claims.jsonl",
                                  "duplicates.jsonl"}
    for f, rows in out["sqlite"].items():
        assert rows == out["postgresql"][f], f


def _stable(row: dict) -> dict:
    row.pop("ingested_at", None)  # the clock, not the store
    return row


def test_urls_and_connection_errors_are_clear(pg):
    with pytest.raises(NewsweaveError) as exc:
        newsweave.open(PG_BASE + ("&" if "?" in PG_BASE else "?") + "schema=bad;drop")
    assert exc.value.code == "E201"
    # Nothing listens on port 1: a clear error naming the server, with the password hidden.
    with pytest.raises(NewsweaveError) as exc:
        newsweave.open("postgresql://someone:s3cret@127.0.0.1:1/nodb")
    assert exc.value.code == "E213" and "127.0.0.1:1" in str(exc.value) and "s3cret" not in str(exc.value)
    db = pg("label")
    with newsweave.open(db) as nw:
        assert "newsweave_test" in nw.store.label and ":***@" in nw.store.label


def _open_and_add(url: str, n: int) -> int:
    from newsweave.records import Article, Block

    with newsweave.open(url) as nw:
        arts = [Article(id=f"{n:04d}{i:012d}", kind="text", blocks=[Block(f"texte {n} {i}")], raw=f"texte {n} {i}")
                for i in range(20)]
        return nw.store.add_articles(arts, [(f"p{n}/{a.id}", a.id) for a in arts])


def test_processes_creating_one_store_at_once(pg):
    # Two processes open a store that does not exist yet and write to it: one creates it, both add.
    url = pg("race")
    with mp.get_context("spawn").Pool(2) as pool:
        added = pool.starmap(_open_and_add, [(url, 1), (url, 2)])
    assert added == [20, 20]
    with newsweave.open(url) as nw:
        assert nw.count() == 40 and nw.store.integrity_check() == []
