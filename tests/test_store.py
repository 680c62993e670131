"""Store: idempotent ingest, resume after SIGKILL, filters, export formats."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time

import pyarrow.parquet as pq
import pytest

import newsweave
from conftest import count_rows
from newsweave.config import Config
from newsweave.errors import NewsweaveError

WORDS = ("gouvernement ministre accord réunion budget élection armée frontière sommet président conseil "
         "ville région sécurité économie rapport enquête tribunal marché énergie").split()


def make_corpus(folder, n, seed=0):
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        paras = [" ".join(rng.choice(WORDS) for _ in range(25)).capitalize() + f" numéro {i}-{j}."
                 for j in range(4)]
        (folder / f"{i:05d}.txt").write_text(f"Titre {i}\n" + "\n".join(paras), encoding="utf-8")


def test_killed_run_resumes_with_nothing_lost_or_doubled(tmp_path, make_db):
    make_corpus(tmp_path / "in", 600)
    db = make_db("k")
    (tmp_path / "cfg.toml").write_text("[newsweave]\nbatch_size = 10\n")
    cmd = [sys.executable, "-m", "newsweave.cli", "run", str(tmp_path / "in"), "--db", str(db),
           "--config", str(tmp_path / "cfg.toml"), "-q"]
    killed_with = []
    for cycle in range(3):
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 60
        before = _count(db)
        while time.time() < deadline and proc.poll() is None and _count(db) < before + 60 + cycle * 40:
            time.sleep(0.05)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            killed_with.append(_count(db))
        proc.wait()
    assert killed_with, "the run finished before it could be killed: make the corpus larger"
    assert 0 < killed_with[0] < 600
    done = subprocess.run(cmd, capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr
    with newsweave.open(db) as nw:
        arts = nw.articles()
        assert nw.store.integrity_check() == []
    assert len(arts) == 600 == len({a.id for a in arts})
    assert sorted(a.title for a in arts) == sorted(f"Titre {i}" for i in range(600))


def _count(db, table: str = "articles") -> int:
    return count_rows(db, table)


def test_filters_prefix_lookup_and_export_formats(tmp_path, seed_store, seeds_dir, make_db):
    db = make_db("s")
    newsweave.run([str(seeds_dir)], db=db)
    with newsweave.open(db) as nw:
        assert [a.lang for a in nw.articles(lang="en")] == ["en"]
        assert [a.published for a in nw.articles(since="2019-01-01", until="2019-12-31")] == ["2019-05-30"]
        assert len(nw.articles(limit=2)) == 2 and len(nw.articles(limit=2, offset=4)) == 1
        first = nw.articles()[0]
        assert nw.article(first.id[:5]).id == first.id
        with pytest.raises(NewsweaveError) as exc:
            nw.article("nope")
        assert exc.value.code == "E203"
        for fmt in ("jsonl", "csv", "parquet"):
            nw.export(tmp_path / "out", fmt)
    rows = [json.loads(line) for line in (tmp_path / "out" / "articles.jsonl").read_text().splitlines()]
    assert len(rows) == 5
    need = {"id", "source_path", "title", "published", "lang", "text", "raw", "paragraphs", "removed"}
    assert all(need <= set(r) for r in rows)
    en = next(r for r in rows if r["lang"] == "en")
    assert en["published"] == "2019-05-30"
    assert {"text": "Creating new perspectives since 2009", "reason": "site_slogan"} in en["removed"]
    assert all(set(p) == {"text", "lang"} for r in rows for p in r["paragraphs"])
    table = pq.read_table(tmp_path / "out" / "articles.parquet")
    assert table.num_rows == 5 and set(table.column_names) >= need
    import csv

    with open(tmp_path / "out" / "articles.csv", newline="", encoding="utf-8") as fh:
        csv_rows = list(csv.DictReader(fh))
    assert [r["id"] for r in csv_rows] == [r["id"] for r in rows]
    assert json.loads(csv_rows[0]["paragraphs"]) == rows[0]["paragraphs"]


def test_bad_store_and_bad_options_are_clear(tmp_path):
    bogus = tmp_path / "not.db"
    bogus.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(NewsweaveError) as exc:
        newsweave.open(bogus)
    assert exc.value.code == "E202"
    with pytest.raises(NewsweaveError) as exc:
        newsweave.open("mysql://x")
    assert exc.value.code == "E201"
    with pytest.raises(NewsweaveError) as exc:
        Config.from_dict({"batch_sise": 3})
    assert exc.value.code == "E204" and "batch_sise" in str(exc.value)
    with pytest.raises(NewsweaveError):
        Config.from_dict({"batch_size": "many"})


def _members(db) -> int:
    return _count(db, "story_members")


def test_run_killed_while_placing_stories_resumes_consistently(tmp_path, make_db):
    make_corpus(tmp_path / "in", 400, seed=3)
    db = make_db("k")
    (tmp_path / "cfg.toml").write_text("[newsweave]\nbatch_size = 10\n")
    base = [sys.executable, "-m", "newsweave.cli", "run", "--db", str(db), "--config", str(tmp_path / "cfg.toml"), "-q"]
    assert subprocess.run(base + [str(tmp_path / "in"), "--until", "dedup"], capture_output=True,
                          timeout=600).returncode == 0
    killed_at = []
    for cycle in range(3):
        proc = subprocess.Popen(base, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 120
        target = _members(db) + 30 + 40 * cycle
        while time.time() < deadline and proc.poll() is None and _members(db) < target:
            time.sleep(0.02)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            killed_at.append(_members(db))
        proc.wait()
    assert killed_at and 0 < killed_at[0] < 400, killed_at
    done = subprocess.run(base, capture_output=True, timeout=600)
    assert done.returncode == 0, done.stderr
    with newsweave.open(db) as nw:
        assert nw.store.integrity_check() == []
        members = [aid for st in nw.iter_stories() for aid in st.article_ids]
        assert sorted(members) == sorted(a.id for a in nw.articles())
        assert nw.run([]).stories_placed == 0


def test_a_confidence_floor_filters_and_pages_in_the_store(seed_db):
    """Events and claims from a floor up come filtered and paged by the store's query (not loaded
    whole and filtered in Python): the same rows, in the same order, as filtering every row."""
    with newsweave.open(seed_db) as nw:
        store = nw.store
        events = store.list_events()
        claims = store.list_claims()
        confidences = sorted({e.confidence for e in events})
        assert len(confidences) >= 3, "the seeds should give events of several confidences"
        for floor in (0.0, confidences[1], confidences[-1], 1.0):
            want = [e.id for e in events if e.confidence >= floor]
            assert [e.id for e in store.list_events(min_confidence=floor)] == want
            assert [e.id for e in store.list_events(min_confidence=floor, limit=2, offset=1)] == want[1:3]
            kind = events[0].type
            assert [e.id for e in store.list_events(type=kind, min_confidence=floor)] == [
                e.id for e in events if e.type == kind and e.confidence >= floor]
            want_claims = [c.id for c in claims if c.reaches(floor)]
            assert [c.id for c in store.list_claims(min_confidence=floor)] == want_claims
            assert [c.id for c in nw.claims(min_confidence=floor, limit=1, offset=1)] == want_claims[1:2]
            assert [e.id for e in nw.events(min_confidence=floor, limit=3)] == want[:3]
        assert store.list_events(min_confidence=1.0) == []
        story = claims[0].story_ids[0]
        assert [c.id for c in store.list_claims(story_id=story, min_confidence=confidences[-1])] == [
            c.id for c in store.list_claims(story_id=story) if c.reaches(confidences[-1])]
