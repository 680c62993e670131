"""A persisted cosine vector index (usearch HNSW), derived from the store and rebuilt from it.

Why usearch (bench/vector_index.py, 2 cores): it replaces a vector in place (a story centroid moves
each time an article joins; faiss's HNSW cannot remove), saves and loads one file in milliseconds,
stores half-precision vectors, and searches in well under a millisecond at 100k vectors with full
recall@10. sqlite-vec would live inside the store, but this Python's sqlite3 cannot load extensions
and it scans every vector. Below `exact_below` vectors the search is exact (a scan is cheap there,
and small corpora then cluster identically on every machine).

The store is the source of truth: the file carries the store generation it matches, and an index
whose generation differs (a run killed between the store commit and the index save) is rebuilt.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

import numpy as np


class VectorIndex:
    def __init__(self, dim: int, path: str | None = None, exact_below: int = 2_000):
        from usearch.index import Index

        self.dim = dim
        self.path = path
        self.exact_below = exact_below
        self._new = lambda: Index(ndim=dim, metric="cos", dtype="f16", connectivity=16, expansion_add=64,
                                  expansion_search=96)
        self.index = self._new()
        self.generation = -1

    # --- persistence ---------------------------------------------------------------------------

    def load(self, generation: int) -> bool:
        """Load the saved index if it matches `generation`; False means: rebuild it."""
        if not self.path or not os.path.exists(self.path) or not os.path.exists(self.path + ".json"):
            return False
        try:
            meta = json.loads(Path(self.path + ".json").read_text())
            if meta.get("generation") != generation or meta.get("dim") != self.dim:
                return False
            self.index.load(self.path)
        except (OSError, ValueError, RuntimeError):
            self.index = self._new()
            return False
        self.generation = generation
        return True

    def save(self, generation: int) -> None:
        self.generation = generation
        if not self.path:
            return
        # Index first, then the generation that vouches for it: a crash between the two leaves an
        # old generation, and the next run rebuilds.
        tmp = self.path + ".partial"
        self.index.save(tmp)
        os.replace(tmp, self.path)
        Path(self.path + ".json.partial").write_text(json.dumps({"generation": generation, "dim": self.dim}))
        os.replace(self.path + ".json.partial", self.path + ".json")

    def rebuild(self, rows: Iterable[tuple[int, np.ndarray]]) -> None:
        self.index = self._new()
        keys, vecs = [], []
        for key, vec in rows:
            keys.append(key)
            vecs.append(vec)
            if len(keys) >= 10_000:
                self.index.add(np.asarray(keys, dtype=np.uint64), np.vstack(vecs).astype(np.float32))
                keys, vecs = [], []
        if keys:
            self.index.add(np.asarray(keys, dtype=np.uint64), np.vstack(vecs).astype(np.float32))

    # --- updates and search ----------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.index)

    def upsert(self, key: int, vec: np.ndarray, tolerance: float = 0.0) -> None:
        """Add or replace; with `tolerance`, a stored vector still within that cosine distance of
        `vec` is kept (a big story's centre barely moves per article, and replacing is the costly
        part of an update; candidates are re-scored against the exact centre anyway)."""
        vec = np.asarray(vec, dtype=np.float32)
        if key in self.index:
            if tolerance > 0:
                old = np.asarray(self.index.get(key), dtype=np.float32)
                denom = float(np.linalg.norm(old) * np.linalg.norm(vec))
                if denom > 0 and 1.0 - float(old @ vec) / denom <= tolerance:
                    return
            self.index.remove(key)
        self.index.add(key, vec)

    def remove(self, key: int) -> None:
        if key in self.index:
            self.index.remove(key)

    def search(self, vec: np.ndarray, k: int) -> list[tuple[int, float]]:
        """(key, cosine similarity) of the `k` nearest, best first."""
        if len(self.index) == 0:
            return []
        m = self.index.search(np.asarray(vec, dtype=np.float32), min(k, len(self.index)),
                              exact=len(self.index) < self.exact_below)
        return [(int(key), 1.0 - float(d)) for key, d in zip(m.keys, m.distances)]
