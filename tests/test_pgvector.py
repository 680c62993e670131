"""PostgreSQL with pgvector (the `pgserver` package's bundled server): the story and article
vector indexes live in the database, and the results equal SQLite's."""

from __future__ import annotations

import json

import pytest

import newsweave


@pytest.fixture(scope="module")
def pgvector_url(tmp_path_factory):
    import pgserver

    srv = pgserver.get_server(tmp_path_factory.mktemp("pgserver"), cleanup_mode="stop")
    yield srv.get_uri()
    srv.cleanup()


def _rows(folder):
    return {f.name: [{k: v for k, v in json.loads(line).items() if k != "ingested_at"}
                     for line in f.read_text().splitlines()] for f in sorted(folder.glob("*.jsonl"))}


def test_indexes_in_the_database_and_same_results(pgvector_url, seeds_dir, tmp_path):
    url = pgvector_url + ("&" if "?" in pgvector_url else "?") + "schema=seeds"
    newsweave.run([str(seeds_dir)], db=url)
    newsweave.run([str(seeds_dir)], db=tmp_path / "s.db")
    with newsweave.open(url) as nw:
        assert nw.store.pgvector
        stories_index = nw.store.vector_index("stories", 512)
        articles_index = nw.store.vector_index("articles", 512)
        assert len(stories_index) == nw.store.count_stories() == 4 and len(articles_index) == 5
        gen = int(nw.store.get_meta("stories_generation"))
        assert stories_index.load(gen) and articles_index.load(gen)  # saved after the run: no rebuild
        nw.export(tmp_path / "pg")
        hits = nw.search("missiles sol-sol Haftar Egypte", kind="stories")
        story_of_002 = nw.story_of(next(a.id for a in nw.articles() if a.lang == "en")).id
    with newsweave.open(tmp_path / "s.db") as nw:
        nw.export(tmp_path / "sq")
        sq_hits = nw.search("missiles sol-sol Haftar Egypte", kind="stories")
    assert _rows(tmp_path / "pg") == _rows(tmp_path / "sq")
    assert [h.id for h in hits] == [h.id for h in sq_hits] and story_of_002 in [h.id for h in hits[:2]]
    assert [round(h.score, 3) for h in hits] == [round(h.score, 3) for h in sq_hits]


def test_index_rebuilt_when_its_generation_is_stale(pgvector_url, seeds_dir, tmp_path):
    url = pgvector_url + ("&" if "?" in pgvector_url else "?") + "schema=stale"
    newsweave.run([str(seeds_dir)], db=url)
    with newsweave.open(url) as nw:
        index = nw.store.vector_index("stories", 512)
        index.remove(next(iter(s.seq for s in nw.store.list_stories())))  # as if a run died mid-batch
        nw.store.set_meta("vec_stories_512_generation", "-1")
    with newsweave.open(url) as nw:
        from newsweave import stories

        rebuilt, _ = stories.load_indexes(nw.store, "use-multilingual-v3", 512)
        assert len(rebuilt) == nw.store.count_stories() == 4
