"""Embedded SQLite backend: one file, WAL journal, one transaction per batch.

A run killed at any point leaves every committed batch intact and nothing of the batch it was in;
re-running skips what is stored (ids are content hashes), so nothing is lost or doubled.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from contextlib import contextmanager
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np

from ..clean import norm
from ..errors import NewsweaveError
from ..records import Article, Block, Relation
from . import ArticleFilter

SCHEMA_VERSION = "1"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    seq INTEGER PRIMARY KEY,            -- arrival order
    id TEXT NOT NULL UNIQUE,            -- content hash (records.article_id)
    kind TEXT NOT NULL,
    source_path TEXT, url TEXT, source TEXT, source_key TEXT NOT NULL DEFAULT '',
    title TEXT, published TEXT, lang TEXT, author TEXT,
    raw TEXT NOT NULL,
    blocks TEXT NOT NULL,               -- JSON [[text, lang, reason|null], ...]
    ingested_at TEXT,
    meta TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS articles_published ON articles(published);
CREATE INDEX IF NOT EXISTS articles_lang ON articles(lang);
CREATE INDEX IF NOT EXISTS articles_source_key ON articles(source_key);
-- Every place an input was seen (the same text in two files is one article seen twice).
CREATE TABLE IF NOT EXISTS sightings (
    locator TEXT NOT NULL, article_id TEXT NOT NULL, PRIMARY KEY (locator, article_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS sightings_article ON sightings(article_id);
-- Normalised paragraph hashes per source: the evidence for cross-document boilerplate.
CREATE TABLE IF NOT EXISTS block_keys (
    source_key TEXT NOT NULL, key TEXT NOT NULL, article_id TEXT NOT NULL,
    PRIMARY KEY (source_key, key, article_id)
) WITHOUT ROWID;
-- Vectors per article and model: the article's and its paragraphs' (float16, row-major).
CREATE TABLE IF NOT EXISTS embeddings (
    article_id TEXT NOT NULL, model TEXT NOT NULL, dim INTEGER NOT NULL, n_paragraphs INTEGER NOT NULL,
    doc BLOB NOT NULL, paragraphs BLOB NOT NULL, PRIMARY KEY (article_id, model)
) WITHOUT ROWID;
-- Articles the dedup stage has compared, with what later comparisons need of them.
CREATE TABLE IF NOT EXISTS dedup (
    article_id TEXT PRIMARY KEY, lang TEXT, text_hash TEXT NOT NULL, minhash BLOB NOT NULL,
    paragraph_keys BLOB NOT NULL,        -- 8-byte hashes of its normalised paragraphs (excerpt candidates)
    n_shingles INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS dedup_text_hash ON dedup(text_hash);
-- Sources that received articles the cross-document boilerplate stage has not looked at yet.
CREATE TABLE IF NOT EXISTS pending_sources (source_key TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS relations (
    a TEXT NOT NULL, b TEXT NOT NULL, kind TEXT NOT NULL, score REAL NOT NULL, original TEXT,
    evidence TEXT NOT NULL, PRIMARY KEY (a, b)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS relations_b ON relations(b);
"""

_COLUMNS = ("id", "kind", "source_path", "url", "source", "source_key", "title", "published", "lang",
            "author", "raw", "blocks", "ingested_at", "meta")


def block_key(text: str) -> str:
    return hashlib.blake2b(norm(text).encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


class SQLiteStore:
    def __init__(self, path: str | Path):
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self.conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self.conn.executescript(_SCHEMA)
            row = self.conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        except sqlite3.DatabaseError as exc:
            raise NewsweaveError("E202", f"{self.path} is not a newsweave store ({exc})") from exc
        if row is None:
            self.conn.execute("INSERT INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,))
        elif row[0] != SCHEMA_VERSION:
            raise NewsweaveError("E202", f"{self.path} has store schema {row[0]}, this newsweave reads "
                                         f"{SCHEMA_VERSION}; export with the old version and re-ingest")

    # --- writing -------------------------------------------------------------------------------

    def existing_ids(self, ids: Iterable[str]) -> set[str]:
        ids = list(ids)
        found: set[str] = set()
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            marks = ",".join("?" * len(chunk))
            found.update(r[0] for r in self.conn.execute(f"SELECT id FROM articles WHERE id IN ({marks})", chunk))
        return found

    def add_articles(self, articles: list[Article], sightings: list[tuple[str, str]]) -> int:
        with self._tx() as cur:
            before = self.conn.total_changes
            cur.executemany(
                f"INSERT OR IGNORE INTO articles ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})",
                [_row(a) for a in articles],
            )
            added = self.conn.total_changes - before
            cur.executemany("INSERT OR IGNORE INTO block_keys VALUES (?, ?, ?)",
                            [(a.source_key, k, a.id) for a in articles for k in {block_key(b.text) for b in a.blocks}])
            cur.executemany("INSERT OR IGNORE INTO sightings VALUES (?, ?)", sightings)
            cur.executemany("INSERT OR IGNORE INTO pending_sources VALUES (?)", {(a.source_key,) for a in articles})
        return added

    def pending_source_keys(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT source_key FROM pending_sources ORDER BY source_key")]

    def clear_pending_sources(self, keys: list[str]) -> None:
        with self._tx() as cur:
            cur.executemany("DELETE FROM pending_sources WHERE source_key = ?", [(k,) for k in keys])

    def update_blocks(self, updates: list[tuple[str, list[Block]]]) -> None:
        with self._tx() as cur:
            cur.executemany("UPDATE articles SET blocks = ? WHERE id = ?",
                            [(_dump_blocks(blocks), aid) for aid, blocks in updates])
            # What was derived from the old text is dropped, so the later stages redo it.
            ids = [(aid,) for aid, _ in updates]
            cur.executemany("DELETE FROM embeddings WHERE article_id = ?", ids)
            cur.executemany("DELETE FROM dedup WHERE article_id = ?", ids)
            cur.executemany("DELETE FROM relations WHERE a = ? OR b = ?", [(i, i) for (i,) in ids])

    # --- reading -------------------------------------------------------------------------------

    def get_article(self, id_or_prefix: str) -> Article | None:
        rows = self.conn.execute(
            f"SELECT {', '.join(_COLUMNS)} FROM articles WHERE id >= ? AND id < ? ORDER BY id LIMIT 2",
            (id_or_prefix, id_or_prefix + "\uffff"),
        ).fetchall()
        if len(rows) != 1 and not (rows and rows[0][0] == id_or_prefix):
            return None
        return _article(rows[0])

    def iter_articles(self, flt: ArticleFilter | None = None) -> Iterator[Article]:
        flt = flt or ArticleFilter()
        where, args = [], []
        for column, value, op in (("lang", flt.lang, "="), ("source", flt.source, "="),
                                  ("published", flt.since, ">="), ("published", flt.until, "<=")):
            if value is not None:
                where.append(f"{column} {op} ?")
                args.append(value)
        sql = f"SELECT {', '.join(_COLUMNS)} FROM articles"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY seq LIMIT ? OFFSET ?"
        args += [flt.limit if flt.limit is not None else -1, flt.offset]
        for row in self.conn.execute(sql, args):
            yield _article(row)

    def count_articles(self) -> int:
        return self.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]

    def sightings(self, article_id: str) -> list[str]:
        return [r[0] for r in self.conn.execute(
            "SELECT locator FROM sightings WHERE article_id = ? ORDER BY locator", (article_id,))]

    def recurring_block_keys(self, source_key: str, min_articles: int) -> dict[str, list[str]]:
        rows = self.conn.execute(
            "SELECT key, group_concat(article_id) FROM block_keys WHERE source_key = ? GROUP BY key "
            "HAVING COUNT(*) >= ?", (source_key, min_articles))
        return {key: ids.split(",") for key, ids in rows}

    def source_keys_of(self, ids: Iterable[str]) -> set[str]:
        ids = list(ids)
        keys: set[str] = set()
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            keys.update(r[0] for r in self.conn.execute(
                f"SELECT DISTINCT source_key FROM articles WHERE id IN ({','.join('?' * len(chunk))})", chunk))
        return keys

    # --- embeddings ---------------------------------------------------------------------------

    def missing_embeddings(self, model: str) -> list[str]:
        return [r[0] for r in self.conn.execute(
            "SELECT id FROM articles WHERE id NOT IN (SELECT article_id FROM embeddings WHERE model = ?) "
            "ORDER BY seq", (model,))]

    def put_embeddings(self, model: str, rows: list[tuple[str, np.ndarray, np.ndarray]]) -> None:
        with self._tx() as cur:
            cur.executemany(
                "INSERT OR REPLACE INTO embeddings VALUES (?, ?, ?, ?, ?, ?)",
                [(aid, model, int(doc.shape[0]), int(len(paras)), doc.astype(np.float16).tobytes(),
                  np.asarray(paras, dtype=np.float16).tobytes()) for aid, doc, paras in rows])

    def get_embeddings(self, model: str, ids: list[str]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        out = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            for aid, dim, n, doc, paras in self.conn.execute(
                    f"SELECT article_id, dim, n_paragraphs, doc, paragraphs FROM embeddings WHERE model = ? "
                    f"AND article_id IN ({','.join('?' * len(chunk))})", [model, *chunk]):
                out[aid] = (np.frombuffer(doc, dtype=np.float16).astype(np.float32),
                            np.frombuffer(paras, dtype=np.float16).astype(np.float32).reshape(n, dim))
        return out

    def doc_vectors(self, model: str) -> tuple[list[str], np.ndarray]:
        ids, vecs = [], []
        for aid, doc in self.conn.execute("SELECT e.article_id, e.doc FROM embeddings e JOIN articles a "
                                          "ON a.id = e.article_id WHERE e.model = ? ORDER BY a.seq", (model,)):
            ids.append(aid)
            vecs.append(np.frombuffer(doc, dtype=np.float16))
        return ids, (np.vstack(vecs).astype(np.float32) if vecs else np.zeros((0, 0), dtype=np.float32))

    # --- dedup ----------------------------------------------------------------------------------

    def dedup_pending(self) -> list[str]:
        return [r[0] for r in self.conn.execute(
            "SELECT id FROM articles WHERE id NOT IN (SELECT article_id FROM dedup) ORDER BY seq")]

    def put_dedup(self, rows: list[tuple[str, str, str, bytes, bytes, int]], relations: list[Relation]) -> None:
        with self._tx() as cur:
            cur.executemany("INSERT OR REPLACE INTO dedup VALUES (?, ?, ?, ?, ?, ?)", rows)
            cur.executemany("INSERT OR REPLACE INTO relations VALUES (?, ?, ?, ?, ?, ?)",
                            [(r.a, r.b, r.kind, r.score, r.original, json.dumps(r.evidence, ensure_ascii=False))
                             for r in relations])

    def dedup_signatures(self) -> list[tuple[str, str, str, bytes, bytes, int]]:
        return list(self.conn.execute("SELECT d.article_id, d.lang, d.text_hash, d.minhash, d.paragraph_keys, "
                                      "d.n_shingles "
                                      "FROM dedup d "
                                      "JOIN articles a ON a.id = d.article_id ORDER BY a.seq"))

    def relations(self, article_id: str | None = None) -> list[Relation]:
        sql = "SELECT a, b, kind, score, original, evidence FROM relations"
        args: tuple = ()
        if article_id is not None:
            sql += " WHERE a = ? OR b = ?"
            args = (article_id, article_id)
        return [Relation(a, b, kind, score, original, json.loads(ev))
                for a, b, kind, score, original, ev in self.conn.execute(sql + " ORDER BY a, b", args)]

    @contextmanager
    def _tx(self):
        cur = self.conn.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            yield cur
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise

    def integrity_check(self) -> list[str]:
        problems = [r[0] for r in self.conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
        orphans = self.conn.execute(
            "SELECT COUNT(*) FROM sightings WHERE article_id NOT IN (SELECT id FROM articles)").fetchone()[0]
        if orphans:
            problems.append(f"{orphans} sightings of articles that are not stored")
        return problems

    def close(self) -> None:
        self.conn.close()


def _dump_blocks(blocks: list[Block]) -> str:
    return json.dumps([[b.text, b.lang, b.reason] for b in blocks], ensure_ascii=False)


def _row(a: Article) -> tuple:
    return (a.id, a.kind, a.source_path, a.url, a.source, a.source_key, a.title, a.published, a.lang, a.author,
            a.raw, _dump_blocks(a.blocks), a.ingested_at, json.dumps(a.meta, ensure_ascii=False))


def _article(row: tuple) -> Article:
    d = dict(zip(_COLUMNS, row))
    d["blocks"] = [Block(text=t, lang=lg, reason=r) for t, lg, r in json.loads(d["blocks"])]
    d["meta"] = json.loads(d["meta"])
    return Article(**d)
