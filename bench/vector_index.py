"""Which vector index for story centroids and article search: usearch, hnswlib, faiss-cpu, sqlite-vec.

What the stories stage needs of it: add one vector at a time, *replace* a vector (a story's
centroid moves each time an article joins), top-k cosine search, save/load next to the store.
Measured on clustered 512-d vectors shaped like USE article vectors (unit length, topics as
directions), on this machine's 2 cores:

    python bench/vector_index.py --n 100000

Reports add rate, query latency (one query at a time, as the online stage asks), recall@10
against exact search, replace support and rate, save+load time.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import tempfile
import time

import numpy as np


def make_vectors(n: int, dim: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((max(1, n // 20), dim)).astype(np.float32)
    x = centres[rng.integers(0, len(centres), n)] + 0.9 * rng.standard_normal((n, dim)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def exact_top(x: np.ndarray, q: np.ndarray, k: int) -> np.ndarray:
    return np.argsort(-(q @ x.T), axis=1)[:, :k]


def recall(found: list[list[int]], truth: np.ndarray) -> float:
    return float(np.mean([len(set(f) & set(t)) / len(t) for f, t in zip(found, truth)]))


def bench_usearch(x, q, k, tmp):
    from usearch.index import Index
    idx = Index(ndim=x.shape[1], metric="cos", dtype="f16", connectivity=16, expansion_add=128, expansion_search=64)
    t = time.perf_counter()
    for i in range(len(x)):
        idx.add(i, x[i])
    add = len(x) / (time.perf_counter() - t)
    t = time.perf_counter()
    found = [list(idx.search(v, k).keys) for v in q]
    lat = (time.perf_counter() - t) / len(q)
    t = time.perf_counter()
    for i in range(1000):
        idx.remove(i)
        idx.add(i, x[i])
    rep = 1000 / (time.perf_counter() - t)
    path = os.path.join(tmp, "u.usearch")
    t = time.perf_counter()
    idx.save(path)
    idx2 = Index.restore(path)
    sl = time.perf_counter() - t
    assert len(idx2) == len(x)
    return add, lat, found, rep, sl


def bench_hnswlib(x, q, k, tmp):
    import hnswlib
    idx = hnswlib.Index(space="cosine", dim=x.shape[1])
    idx.init_index(max_elements=len(x) + 1000, ef_construction=128, M=16, allow_replace_deleted=True)
    idx.set_ef(64)
    t = time.perf_counter()
    for i in range(len(x)):
        idx.add_items(x[i:i + 1], [i])
    add = len(x) / (time.perf_counter() - t)
    t = time.perf_counter()
    found = [list(idx.knn_query(v, k)[0][0]) for v in q]
    lat = (time.perf_counter() - t) / len(q)
    t = time.perf_counter()
    for i in range(1000):
        idx.add_items(x[i:i + 1], [i])  # same label: hnswlib updates the vector in place
    rep = 1000 / (time.perf_counter() - t)
    path = os.path.join(tmp, "h.bin")
    t = time.perf_counter()
    idx.save_index(path)
    idx2 = hnswlib.Index(space="cosine", dim=x.shape[1])
    idx2.load_index(path)
    sl = time.perf_counter() - t
    return add, lat, found, rep, sl


def bench_faiss(x, q, k, tmp):
    import faiss
    idx = faiss.IndexHNSWFlat(x.shape[1], 16, faiss.METRIC_INNER_PRODUCT)
    idx.hnsw.efConstruction = 128
    idx.hnsw.efSearch = 64
    t = time.perf_counter()
    for i in range(len(x)):
        idx.add(x[i:i + 1])
    add = len(x) / (time.perf_counter() - t)
    t = time.perf_counter()
    found = [list(idx.search(v[None, :], k)[1][0]) for v in q]
    lat = (time.perf_counter() - t) / len(q)
    # HNSW in faiss cannot remove or replace a vector: a moving centroid needs a rebuild.
    path = os.path.join(tmp, "f.faiss")
    t = time.perf_counter()
    faiss.write_index(idx, path)
    faiss.read_index(path)
    sl = time.perf_counter() - t
    return add, lat, found, None, sl


def bench_sqlite_vec(x, q, k, tmp):
    import sqlite_vec
    db = sqlite3.connect(os.path.join(tmp, "v.db"))
    if not hasattr(db, "enable_load_extension"):
        raise RuntimeError("this Python's sqlite3 cannot load extensions (built without them)")
    db.enable_load_extension(True)
    sqlite_vec.load(db)
    db.execute(f"CREATE VIRTUAL TABLE v USING vec0(embedding float[{x.shape[1]}] distance_metric=cosine)")
    t = time.perf_counter()
    with db:
        for i in range(len(x)):
            db.execute("INSERT INTO v(rowid, embedding) VALUES (?, ?)", (i, x[i].tobytes()))
    add = len(x) / (time.perf_counter() - t)
    t = time.perf_counter()
    found = [[r[0] for r in db.execute("SELECT rowid FROM v WHERE embedding MATCH ? AND k = ?", (v.tobytes(), k))]
             for v in q]
    lat = (time.perf_counter() - t) / len(q)
    t = time.perf_counter()
    with db:
        for i in range(1000):
            db.execute("UPDATE v SET embedding = ? WHERE rowid = ?", (x[i].tobytes(), i))
    rep = 1000 / (time.perf_counter() - t)
    return add, lat, found, rep, 0.0  # lives in the database: nothing to save or load


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--dim", type=int, default=512)
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--only", nargs="*")
    args = ap.parse_args()
    x = make_vectors(args.n, args.dim)
    rng = np.random.default_rng(1)
    q = x[rng.integers(0, len(x), args.queries)] + 0.05 * rng.standard_normal((args.queries, args.dim)).astype(np.float32)
    q = (q / np.linalg.norm(q, axis=1, keepdims=True)).astype(np.float32)
    truth = exact_top(x, q, 10)
    t = time.perf_counter()
    exact_top(x, q[:50], 10)
    exact_ms = (time.perf_counter() - t) / 50 * 1000
    print(f"n={args.n} dim={args.dim}; exact numpy scan per query: {exact_ms:.2f} ms")
    print("| library | add/s | query ms | recall@10 | replace/s | save+load s |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for name, fn in (("usearch", bench_usearch), ("hnswlib", bench_hnswlib), ("faiss-cpu HNSW", bench_faiss),
                         ("sqlite-vec", bench_sqlite_vec)):
            if args.only and not any(o in name for o in args.only):
                continue
            try:
                add, lat, found, rep, sl = fn(x, q, 10, tmp)
            except (RuntimeError, ImportError) as exc:
                print(f"| {name} | unusable here: {exc} | | | | |", flush=True)
                continue
            print(f"| {name} | {add:,.0f} | {lat * 1000:.2f} | {recall(found, truth):.3f} | "
                  f"{'no' if rep is None else f'{rep:,.0f}'} | {sl:.2f} |", flush=True)


if __name__ == "__main__":
    main()
