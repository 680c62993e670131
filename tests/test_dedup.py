"""Dedup: the seeds' one translation, and each same-language tier on copies made from a seed."""

from __future__ import annotations

import json

import newsweave


def test_seeds_exactly_one_translation_002_original(seed_store, tmp_path, seeds_dir, make_db):
    db = make_db("s")
    newsweave.run([str(seeds_dir)], db=db)
    with newsweave.open(db) as nw:
        rels = nw.relations()
    ids = {k: a.id for k, a in seed_store.items()}
    assert len(rels) == 1
    (r,) = rels
    assert {r.a, r.b} == {ids["000"], ids["002"]}
    assert r.kind == "translation" and r.original == ids["002"]
    assert r.evidence["coverage"] >= 0.8 and len(r.evidence["aligned_paragraphs"]) >= 5


def _records(seed_text: str) -> list[dict]:
    lines = [ln for ln in seed_text.splitlines() if ln.strip()]
    title, body = lines[0], lines[1:]
    edited = list(body)
    edited[3] = edited[3].replace("Haftar", "le maréchal Haftar").replace("soldats", "militaires")
    del edited[7]
    return [
        {"text": "\n".join(lines), "url": "https://a.example/1", "published": "2019-12-20", "source": "A"},
        # identical once case, spacing, punctuation and quotes are normalised
        {"text": "\n".join([title.upper()] + [b.replace("«", '"').replace("»", '"').replace(",", " ,") for b in body]),
         "url": "https://b.example/1", "published": "2019-12-21", "source": "B"},
        {"text": "\n".join([title, *edited]), "url": "https://c.example/1", "published": "2019-12-22", "source": "C"},
        {"text": "\n".join([title, *body[:4]]), "url": "https://d.example/1", "source": "D"},
    ]


def test_identical_near_duplicate_excerpt_and_direction(tmp_path, seeds_dir, make_db):
    seed = next(seeds_dir.glob("001_*.txt")).read_text(encoding="utf-8")
    recs = _records(seed)
    (tmp_path / "copies.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in recs))
    db = make_db("c")
    report = newsweave.run([str(tmp_path / "copies.jsonl"), str(seeds_dir)], db=db)
    assert report.added == 9
    with newsweave.open(db) as nw:
        by_url = {a.url: a.id for a in nw.articles() if a.url}
        seed_ids = {a.id for a in nw.articles() if not a.url}
        rels = {(r.kind, frozenset((r.a, r.b))): r for r in nw.relations()}
    a, b, c, d = (by_url[f"https://{x}.example/1"] for x in "abcd")
    # the seed 001 itself is identical to record a (same text, no url): one more identical pair
    seed001 = next(i for i in seed_ids if ("identical", frozenset((i, a))) in rels)
    assert rels[("identical", frozenset((a, b)))].original == a  # earlier publication
    near = rels[("near_duplicate", frozenset((a, c)))]
    assert 0.8 <= near.score < 1.0 and near.original == a
    ex = rels[("excerpt", frozenset((a, d)))]
    assert ex.score >= 0.95 and ex.original == a  # the longer one
    assert ex.evidence["shared_shingles"] > 20
    kinds = {(k, pair) for k, pair in rels}
    with newsweave.open(db) as nw:
        chains = nw.provenance()
    family = next(c for c in chains if a in c["article_ids"])
    assert set(family["article_ids"]) == {a, b, c, d, seed001}
    assert a in family["roots"] and not {b, c, d} & set(family["roots"])
    assert {"from": a, "to": d, "kind": "excerpt", "directed": True} in family["edges"]
    # the other seeds stay unrelated to these copies, and 000-002 is still the one translation
    others = seed_ids - {seed001}
    assert [k for k, pair in kinds if pair & others and not pair <= others] == []
    assert [k for k, pair in kinds if pair <= others] == ["translation"]


def test_incremental_runs_compare_new_with_stored_and_never_embed_twice(tmp_path, seeds_dir, make_db):
    db = make_db("i")
    src = tmp_path / "src"
    src.mkdir()
    for name in ("002", "001"):
        f = next(seeds_dir.glob(f"{name}_*.txt"))
        (src / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    r1 = newsweave.run([str(src)], db=db)
    assert (r1.embedded, r1.relations) == (2, 0)
    f = next(seeds_dir.glob("000_*.txt"))
    (src / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    r2 = newsweave.run([str(src)], db=db)
    assert (r2.added, r2.embedded, r2.relations) == (1, 1, 1)
    r3 = newsweave.run([str(src)], db=db)
    assert (r3.added, r3.embedded, r3.relations) == (0, 0, 0)
    with newsweave.open(db) as nw:
        assert [r.kind for r in nw.relations()] == ["translation"]
        assert nw.store.missing_embeddings("use-multilingual-v3") == []


def test_stopped_early_then_completed(tmp_path, seeds_dir, make_db):
    db = make_db("u")
    r1 = newsweave.open(db).run([str(seeds_dir)], until="extract")
    assert (r1.added, r1.embedded, r1.relations) == (5, 0, 0)
    r2 = newsweave.run([], db=db)  # no new input: the pending stages still run
    assert (r2.embedded, r2.relations) == (5, 1)


def test_export_and_cli_duplicates(tmp_path, seeds_dir, make_db):
    import subprocess
    import sys

    db = make_db("e")
    with newsweave.open(db) as nw:
        nw.run([str(seeds_dir)])
        nw.export(tmp_path / "out")
    rows = [json.loads(x) for x in (tmp_path / "out" / "duplicates.jsonl").read_text().splitlines()]
    assert len(rows) == 1 and set(rows[0]) == {"a", "b", "kind", "score", "original", "evidence"}
    assert rows[0]["kind"] == "translation"
    (chain,) = [json.loads(x) for x in (tmp_path / "out" / "provenance.jsonl").read_text().splitlines()]
    assert chain["roots"] == [rows[0]["original"]] and len(chain["article_ids"]) == 2
    res = subprocess.run([sys.executable, "-m", "newsweave.cli", "duplicates", "--db", str(db), "--json"],
                         capture_output=True, timeout=120)
    assert json.loads(res.stdout)["original"] == rows[0]["original"]


def test_translation_found_through_the_approximate_index(seed_store, seeds_dir, tmp_path, monkeypatch):
    # Past EXACT_VECTORS articles, candidates come from an HNSW index instead of a scan of every
    # vector (the million-article path): forced here from the second article on.
    from newsweave import dedup

    monkeypatch.setattr(dedup, "EXACT_VECTORS", 2)
    db = tmp_path / "ann.db"
    newsweave.run([str(seeds_dir)], db=db)
    with newsweave.open(db) as nw:
        rels = nw.relations()
    assert [(r.kind, r.original) for r in rels] == [("translation", seed_store["002"].id)]
    # A later run loads the compared articles from the store straight into the index.
    from newsweave.embed import get_embedder

    embedder = get_embedder()
    with newsweave.open(db) as nw:
        state = dedup._load_state(nw.store, embedder)
        vec = nw.store.get_embeddings(embedder.name, [seed_store["000"].id])[seed_store["000"].id][0]
    assert state.doc_index is not None and state.doc_matrix is None and len(state.doc_ids) == 5
    (row, cos), = state.nearest(vec, 1)
    assert state.doc_ids[row] == seed_store["000"].id and cos > 0.99
    best_other = max((c, state.doc_ids[r]) for r, c in state.nearest(vec, 5) if state.doc_ids[r] != seed_store["000"].id)
    assert best_other[1] == seed_store["002"].id


def test_batch_scan_finds_what_a_scan_per_article_finds():
    # run_dedup scans the stored vectors once per batch (`prepare`); the nearest articles it gives
    # must be the ones a scan per article gives, ties (copies have equal vectors) included.
    import numpy as np

    from newsweave import dedup

    rng = np.random.default_rng(3)
    base = rng.normal(size=(60, 16)).astype(np.float32)
    vecs = np.vstack([base, base[:20], base[5:25]])  # copies: equal vectors, tied similarities
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    order = rng.permutation(len(vecs))
    per_article, batched = dedup._State(store=None), dedup._State(store=None)
    for start in range(0, len(order), 7):
        rows = order[start:start + 7]
        batched.prepare({f"a{r}": vecs[r] for r in rows}, 10)
        for r in rows:
            got, want = batched.nearest(vecs[r], 10, f"a{r}"), per_article.nearest(vecs[r], 10)
            # same rows in the same order; the similarities differ in the last float bits only
            assert [row for row, _ in got] == [row for row, _ in want]
            assert np.allclose([s for _, s in got], [s for _, s in want], atol=1e-6)
            per_article.add_vector(f"a{r}", vecs[r], "en")
            batched.add_vector(f"a{r}", vecs[r], "en")
