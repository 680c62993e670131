"""Embedded SQLite backend: one file, WAL journal, one transaction per batch.

A run killed at any point leaves every committed batch intact and nothing of the batch it was in;
re-running skips what is stored (ids are content hashes), so nothing is lost or doubled.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..clean import norm
from ..errors import NewsweaveError
from ..records import Article, Block
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
        cur = self.conn.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            before = self.conn.total_changes
            cur.executemany(
                f"INSERT OR IGNORE INTO articles ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})",
                [_row(a) for a in articles],
            )
            added = self.conn.total_changes - before
            cur.executemany("INSERT OR IGNORE INTO block_keys VALUES (?, ?, ?)",
                            [(a.source_key, k, a.id) for a in articles for k in {block_key(b.text) for b in a.blocks}])
            cur.executemany("INSERT OR IGNORE INTO sightings VALUES (?, ?)", sightings)
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        return added

    def update_blocks(self, updates: list[tuple[str, list[Block]]]) -> None:
        cur = self.conn.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            cur.executemany("UPDATE articles SET blocks = ? WHERE id = ?",
                            [(_dump_blocks(blocks), aid) for aid, blocks in updates])
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise

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
