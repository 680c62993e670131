"""Embedded SQLite backend: one file, WAL journal, one transaction per batch.

A run killed at any point leaves every committed batch intact and nothing of the batch it was in;
re-running skips what is stored (ids are content hashes), so nothing is lost or doubled.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from contextlib import contextmanager
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np

from ..clean import norm
from ..errors import NewsweaveError
from ..records import Article, Block, Relation, StoryState
from . import ArticleFilter

SCHEMA_VERSION = "3"
# An event's or claim's confidence, read from its record inside the query (the PostgreSQL backend
# rewrites json_extract): a confidence floor filters and pages in the database, not in Python.
# DOUBLE PRECISION, not REAL: PostgreSQL's REAL is 4 bytes, and 0.94 would fall below a floor of 0.94.
_CONFIDENCE = "CAST(json_extract({}, '$.confidence') AS DOUBLE PRECISION)"
# Older schemas this version upgrades in place (each step only adds tables).
_UPGRADES = {"1": "3", "2": "3"}

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
-- The dedup candidate index kept in the store, so its memory does not grow with the corpus: MinHash
-- LSH band keys and long-paragraph keys of every compared article.
CREATE TABLE IF NOT EXISTS dedup_bands (band_key INTEGER NOT NULL, article_id TEXT NOT NULL,
    PRIMARY KEY (band_key, article_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS dedup_paragraphs (key BLOB NOT NULL, article_id TEXT NOT NULL,
    PRIMARY KEY (key, article_id)) WITHOUT ROWID;
-- Sources that received articles the cross-document boilerplate stage has not looked at yet.
CREATE TABLE IF NOT EXISTS pending_sources (source_key TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS relations (
    a TEXT NOT NULL, b TEXT NOT NULL, kind TEXT NOT NULL, score REAL NOT NULL, original TEXT,
    evidence TEXT NOT NULL, PRIMARY KEY (a, b)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS relations_b ON relations(b);
-- Stories: running sums, so an article joins in constant time (records.StoryState).
CREATE TABLE IF NOT EXISTS stories (
    seq INTEGER PRIMARY KEY,            -- key in the story vector index
    id TEXT NOT NULL UNIQUE,
    model TEXT NOT NULL, n_articles INTEGER NOT NULL, first_seen TEXT, last_seen TEXT,
    vec_sum BLOB NOT NULL,              -- float32 sum of member article vectors
    names TEXT NOT NULL, langs TEXT NOT NULL, titles TEXT NOT NULL,  -- JSON
    merged_into TEXT,                   -- set when merged into another story (members moved there)
    dirty INTEGER NOT NULL DEFAULT 0    -- a member's text changed: sums are recomputed
);
CREATE INDEX IF NOT EXISTS stories_last_seen ON stories(last_seen);
-- The story list's order, so a page is read from the index instead of sorting every story.
CREATE INDEX IF NOT EXISTS stories_listing ON stories((last_seen IS NULL), last_seen DESC, n_articles DESC, seq)
    WHERE merged_into IS NULL;
CREATE TABLE IF NOT EXISTS story_members (
    article_id TEXT PRIMARY KEY, story_id TEXT NOT NULL, score REAL NOT NULL, reason TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS story_members_story ON story_members(story_id);
-- In how many articles each normalised name occurs (idf of the names signal).
CREATE TABLE IF NOT EXISTS name_df (name TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
-- Entities: mentions per article (redone when the extraction version changes), acronyms defined
-- in the text, and the canonical entities rebuilt from all mentions (entity_keys: key -> entity).
CREATE TABLE IF NOT EXISTS entity_done (article_id TEXT PRIMARY KEY, version TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS mentions (
    article_id TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL, text TEXT NOT NULL,
    type TEXT NOT NULL, lang TEXT, via TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (article_id, start, end, via)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS mentions_key ON mentions(key);
CREATE TABLE IF NOT EXISTS acronyms (
    article_id TEXT NOT NULL, acronym TEXT NOT NULL, expansion TEXT NOT NULL,
    PRIMARY KEY (article_id, acronym, expansion)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS entities (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, type TEXT NOT NULL, country TEXT,
    aliases TEXT NOT NULL, article_ids TEXT NOT NULL, n_articles INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS entity_keys (key TEXT PRIMARY KEY, entity_id TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS entity_keys_entity ON entity_keys(entity_id);
-- Events per article (records.Event as JSON; entity ids resolved from keys when read) and the
-- claims rebuilt from all events (records.Claim as JSON; claim_events: event -> claim).
CREATE TABLE IF NOT EXISTS event_done (article_id TEXT PRIMARY KEY, version TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS events (
    id TEXT PRIMARY KEY, article_id TEXT NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS events_article ON events(article_id);
CREATE TABLE IF NOT EXISTS claims (
    id TEXT PRIMARY KEY, type TEXT NOT NULL, n_sources INTEGER NOT NULL, n_articles INTEGER NOT NULL, data TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS claim_stories (story_id TEXT NOT NULL, claim_id TEXT NOT NULL, PRIMARY KEY (story_id, claim_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS claim_events (event_id TEXT PRIMARY KEY, claim_id TEXT NOT NULL) WITHOUT ROWID;
-- Feed watching: per polled URL the validators of its last answer, and the entries already taken.
CREATE TABLE IF NOT EXISTS watch_state (
    url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, last_poll TEXT, last_status TEXT
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS watch_seen (url TEXT NOT NULL, entry TEXT NOT NULL, PRIMARY KEY (url, entry)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS watch_fired (alert TEXT NOT NULL, item TEXT NOT NULL, at TEXT NOT NULL,
    PRIMARY KEY (alert, item)) WITHOUT ROWID;
-- Full-text index of titles and kept text (rowid = articles.seq), for keyword search.
CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(title, body, tokenize='unicode61 remove_diacritics 2');
"""

_COLUMNS = ("id", "kind", "source_path", "url", "source", "source_key", "title", "published", "lang",
            "author", "raw", "blocks", "ingested_at", "meta")


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def query_words(query: str) -> list[str]:
    """The words of a full-text query (quotes dropped: no query syntax), on every backend. Control
    characters separate words too: FTS5 reads a NUL inside a quoted word as the end of the query
    ("unterminated string")."""
    return _CONTROL.sub(" ", query.replace('"', " ")).split()


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
            # SQLite's default page cache (2 MB) is far smaller than a large store's indexes; 64 MB
            # keeps their upper levels in memory (a bound, not a preallocation).
            self.conn.execute("PRAGMA cache_size=-65536")
            self.conn.executescript(_SCHEMA)
            self._check_schema_version()
        except sqlite3.DatabaseError as exc:
            raise NewsweaveError("E202", f"{self.path} is not a newsweave store ({exc})") from exc
        if self.get_meta("fts_built") != "1":
            self._build_fulltext()

    @property
    def label(self) -> str:
        """How messages name this store."""
        return self.path

    def _check_schema_version(self) -> None:
        row = self.conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        if row is None:
            self.conn.execute("INSERT INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,))
        elif _UPGRADES.get(row[0]) == SCHEMA_VERSION:
            # The new tables were created above; nothing stored changes meaning.
            self.conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (SCHEMA_VERSION,))
        elif row[0] != SCHEMA_VERSION:
            raise NewsweaveError("E202", f"{self.label} has store schema {row[0]}, this newsweave reads "
                                         f"{SCHEMA_VERSION}; export with the old version and re-ingest")

    def _build_fulltext(self) -> None:
        """Index the articles of a store made before the full-text index existed (once)."""
        last = 0
        while True:
            rows = self.conn.execute("SELECT seq, id FROM articles WHERE seq > ? ORDER BY seq LIMIT 1000", (last,)).fetchall()
            if not rows:
                break
            arts = [(seq, self.get_article(aid)) for seq, aid in rows]
            with self._tx() as cur:
                self._index_text(cur, [(a.id, a.title or "", a.text) for _, a in arts if a is not None])
            last = rows[-1][0]
        self.set_meta("fts_built", "1")

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
            added = self._insert_new(
                cur, f"INSERT OR IGNORE INTO articles ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})",
                [_row(a) for a in articles])
            cur.executemany("INSERT OR IGNORE INTO block_keys VALUES (?, ?, ?)",
                            [(a.source_key, k, a.id) for a in articles for k in {block_key(b.text) for b in a.blocks}])
            cur.executemany("INSERT OR IGNORE INTO sightings VALUES (?, ?)", sightings)
            cur.executemany("INSERT OR IGNORE INTO pending_sources VALUES (?)", {(a.source_key,) for a in articles})
            self._index_text(cur, [(a.id, a.title or "", a.text) for a in articles])
        return added

    def _insert_new(self, cur, sql: str, rows: list[tuple]) -> int:
        """Run an insert that ignores rows already stored; returns how many were new."""
        before = self.conn.total_changes
        cur.executemany(sql, rows)
        return self.conn.total_changes - before

    def _index_text(self, cur, docs: list[tuple[str, str, str]], replace: bool = False) -> None:
        """Full-text index rows (article id, title, kept text); `replace` drops the old row first."""
        if replace:
            cur.executemany("DELETE FROM articles_fts WHERE rowid = (SELECT seq FROM articles WHERE id = ?)",
                            [(aid,) for aid, _, _ in docs])
        cur.executemany("INSERT INTO articles_fts(rowid, title, body) SELECT seq, ?, ? FROM articles a WHERE id = ? "
                        "AND NOT EXISTS (SELECT 1 FROM articles_fts f WHERE f.rowid = a.seq)",
                        [(title, body, aid) for aid, title, body in docs])

    def pending_source_keys(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT source_key FROM pending_sources ORDER BY source_key")]

    def clear_pending_sources(self, keys: list[str]) -> None:
        with self._tx() as cur:
            cur.executemany("DELETE FROM pending_sources WHERE source_key = ?", [(k,) for k in keys])

    def update_blocks(self, updates: list[tuple[str, list[Block]]]) -> None:
        with self._tx() as cur:
            cur.executemany("UPDATE articles SET blocks = ? WHERE id = ?",
                            [(_dump_blocks(blocks), aid) for aid, blocks in updates])
            titles = dict(self._rows_in("SELECT id, coalesce(title, '') FROM articles WHERE id IN ({marks})",
                                        [aid for aid, _ in updates]))
            self._index_text(cur, [(aid, titles.get(aid, ""), "\n\n".join(b.text for b in blocks if b.reason is None))
                                   for aid, blocks in updates], replace=True)
            # What was derived from the old text is dropped, so the later stages redo it.
            ids = [(aid,) for aid, _ in updates]
            cur.executemany("DELETE FROM embeddings WHERE article_id = ?", ids)
            cur.executemany("DELETE FROM dedup WHERE article_id = ?", ids)
            # Its candidate keys stay (they are indexed by key, not by article): a candidate with
            # no dedup row is skipped, and the article's new keys are added when it is compared again.
            cur.executemany("DELETE FROM relations WHERE a = ? OR b = ?", [(i, i) for (i,) in ids])
            # Its story loses it (the stories stage recomputes that story) and it is placed anew.
            cur.executemany("UPDATE stories SET dirty = 1 WHERE id = (SELECT story_id FROM story_members "
                            "WHERE article_id = ?)", ids)
            cur.executemany("DELETE FROM story_members WHERE article_id = ?", ids)
            for table in ("entity_done", "mentions", "acronyms", "event_done", "events"):
                cur.executemany(f"DELETE FROM {table} WHERE article_id = ?", ids)

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
        if flt.entity_id is not None:
            where.append("id IN (SELECT m.article_id FROM mentions m JOIN entity_keys k ON k.key = m.key "
                         "WHERE k.entity_id = ?)")
            args.append(flt.entity_id)
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
        for aid, vec in self.iter_doc_vectors(model):
            ids.append(aid)
            vecs.append(vec)
        return ids, (np.vstack(vecs).astype(np.float32) if vecs else np.zeros((0, 0), dtype=np.float32))

    def iter_doc_vectors(self, model: str) -> Iterator[tuple[str, np.ndarray]]:
        """(article id, article vector as float16) in arrival order, one row at a time."""
        for aid, doc in self.conn.execute("SELECT e.article_id, e.doc FROM embeddings e JOIN articles a "
                                          "ON a.id = e.article_id WHERE e.model = ? ORDER BY a.seq", (model,)):
            yield aid, np.frombuffer(doc, dtype=np.float16)

    # --- dedup ----------------------------------------------------------------------------------

    def dedup_pending(self) -> list[str]:
        return [r[0] for r in self.conn.execute(
            "SELECT id FROM articles WHERE id NOT IN (SELECT article_id FROM dedup) ORDER BY seq")]

    def put_dedup(self, rows: list[tuple[str, str, str, bytes, bytes, int]], relations: list[Relation],
                  bands: list[tuple[int, str]] = (), paragraphs: list[tuple[bytes, str]] = ()) -> None:
        with self._tx() as cur:
            cur.executemany("INSERT OR REPLACE INTO dedup VALUES (?, ?, ?, ?, ?, ?)", rows)
            cur.executemany("INSERT OR REPLACE INTO relations VALUES (?, ?, ?, ?, ?, ?)",
                            [(r.a, r.b, r.kind, r.score, r.original, json.dumps(r.evidence, ensure_ascii=False))
                             for r in relations])
            self._insert_dedup_keys(cur, bands, paragraphs)

    def put_dedup_keys(self, bands: list[tuple[int, str]], paragraphs: list[tuple[bytes, str]]) -> None:
        with self._tx() as cur:
            self._insert_dedup_keys(cur, bands, paragraphs)

    @staticmethod
    def _insert_dedup_keys(cur, bands: list[tuple[int, str]], paragraphs: list[tuple[bytes, str]]) -> None:
        cur.executemany("INSERT OR IGNORE INTO dedup_bands VALUES (?, ?)", bands)
        cur.executemany("INSERT OR IGNORE INTO dedup_paragraphs VALUES (?, ?)", paragraphs)

    def dedup_band_matches(self, band_keys: list[int]) -> list[str]:
        return [r[0] for r in self._rows_in("SELECT DISTINCT article_id FROM dedup_bands WHERE band_key IN ({marks})",
                                            band_keys)]

    def dedup_paragraph_matches(self, key: bytes, limit: int) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT article_id FROM dedup_paragraphs WHERE key = ? "
                                                "ORDER BY article_id LIMIT ?", (key, limit))]

    def dedup_first_with_hash(self, text_hash: str) -> str | None:
        row = self.conn.execute("SELECT d.article_id FROM dedup d JOIN articles a ON a.id = d.article_id "
                                "WHERE d.text_hash = ? ORDER BY a.seq LIMIT 1", (text_hash,)).fetchone()
        return row[0] if row else None

    def dedup_entries(self, ids: list[str]) -> dict[str, tuple[str | None, bytes, int]]:
        """Compared article id -> (language, MinHash signature, shingle count)."""
        return {aid: (lang, sig, n) for aid, lang, sig, n in self._rows_in(
            "SELECT article_id, lang, minhash, n_shingles FROM dedup WHERE article_id IN ({marks})", ids)}

    def compared_vectors(self, model: str) -> Iterator[tuple[str, str | None, np.ndarray]]:
        """(id, language, article vector as float16) of every compared article, in arrival order."""
        for aid, lang, doc in self.conn.execute(
                "SELECT d.article_id, d.lang, e.doc FROM dedup d JOIN articles a ON a.id = d.article_id "
                "JOIN embeddings e ON e.article_id = d.article_id AND e.model = ? ORDER BY a.seq", (model,)):
            yield aid, lang, np.frombuffer(doc, dtype=np.float16)

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

    # --- stories --------------------------------------------------------------------------------

    def _rows_in(self, sql: str, keys: list, before: tuple = ()) -> Iterator[tuple]:
        """Rows of `sql` (with one `{marks}` for an IN list) over `keys`, 500 at a time (SQLite
        caps the number of parameters of one statement)."""
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            yield from self.conn.execute(sql.format(marks=",".join("?" * len(chunk))), [*before, *chunk])

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        with self._tx() as cur:
            cur.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def stories_pending(self, model: str) -> list[str]:
        # Dated articles in date order, then undated in arrival order: a corpus loaded at once is
        # clustered as if it had arrived day by day, whatever order its files were read in.
        return [r[0] for r in self.conn.execute(
            "SELECT a.id FROM articles a JOIN embeddings e ON e.article_id = a.id AND e.model = ? "
            "WHERE a.id NOT IN (SELECT article_id FROM story_members) "
            "ORDER BY a.published IS NULL, substr(a.published, 1, 10), a.seq", (model,))]

    def story_inputs(self, model: str, ids: list[str]) -> dict[str, tuple[int, np.ndarray]]:
        """Article id -> (arrival seq, article vector)."""
        return {aid: (seq, np.frombuffer(doc, dtype=np.float16).astype(np.float32)) for aid, seq, doc in self._rows_in(
            "SELECT a.id, a.seq, e.doc FROM articles a JOIN embeddings e ON e.article_id = a.id AND e.model = ? "
            "WHERE a.id IN ({marks})", ids, (model,))}

    def story_of(self, article_ids: Iterable[str]) -> dict[str, str]:
        return dict(self._rows_in("SELECT article_id, story_id FROM story_members WHERE article_id IN ({marks})",
                                  list(article_ids)))

    def get_story_states(self, *, ids: Iterable[str] = (), seqs: Iterable[int] = ()) -> list[StoryState]:
        return [_story_state(r) for col, keys in (("id", list(ids)), ("seq", list(seqs)))
                for r in self._rows_in(f"SELECT {_STORY_COLUMNS} FROM stories WHERE {col} IN ({{marks}})", keys)]

    def resolve_story_id(self, id_or_prefix: str) -> str | None:
        """A story id (or unique prefix) -> the live story holding its articles (merges followed)."""
        rows = self.conn.execute("SELECT id, merged_into FROM stories WHERE id >= ? AND id < ? ORDER BY id LIMIT 2",
                                 (id_or_prefix, id_or_prefix + "\uffff")).fetchall()
        if len(rows) != 1 and not (rows and rows[0][0] == id_or_prefix):
            return None
        sid, merged = rows[0]
        for _ in range(100):  # merges form a chain toward the live story
            if merged is None:
                return sid
            row = self.conn.execute("SELECT id, merged_into FROM stories WHERE id = ?", (merged,)).fetchone()
            if row is None:
                return None
            sid, merged = row
        return None

    def story_member_ids(self, story_id: str) -> list[str]:
        return [r[0] for r in self.conn.execute(
            "SELECT m.article_id FROM story_members m JOIN articles a ON a.id = m.article_id "
            "WHERE m.story_id = ? ORDER BY a.published IS NOT NULL, substr(a.published, 1, 10), a.seq", (story_id,))]

    def story_members(self, story_id: str) -> list[tuple[str, float, str]]:
        """(article id, score when it joined, why it joined) per member."""
        return list(self.conn.execute("SELECT article_id, score, reason FROM story_members WHERE story_id = ?",
                                      (story_id,)))

    def dirty_stories(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT id FROM stories WHERE dirty = 1 AND merged_into IS NULL")]

    def name_df(self, names: Iterable[str]) -> dict[str, int]:
        return dict(self._rows_in("SELECT name, df FROM name_df WHERE name IN ({marks})", list(names)))

    def put_stories(self, model: str, states: list[StoryState], members: list[tuple[str, str, float, str]],
                    moved: list[tuple[str, str]], deleted: list[str], name_counts: dict[str, int],
                    generation: int, articles_placed: int) -> None:
        """One transaction: story sums, new members (article, story, score, reason), members moved
        by merges (from story, to story), emptied stories, name counts, the new generation and the
        count of articles placed so far (the idf denominator)."""
        with self._tx() as cur:
            cur.executemany(
                "INSERT INTO stories (seq, id, model, n_articles, first_seen, last_seen, vec_sum, names, langs, "
                "titles, merged_into, dirty) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0) ON CONFLICT(seq) DO UPDATE "
                "SET n_articles = excluded.n_articles, first_seen = excluded.first_seen, "
                "last_seen = excluded.last_seen, vec_sum = excluded.vec_sum, names = excluded.names, "
                "langs = excluded.langs, titles = excluded.titles, merged_into = excluded.merged_into, dirty = 0",
                [(s.seq, s.id, model, s.n, s.first_seen, s.last_seen, np.asarray(s.vec_sum, np.float32).tobytes(),
                  json.dumps(s.names, ensure_ascii=False), json.dumps(s.langs),
                  json.dumps(s.titles, ensure_ascii=False), s.merged_into) for s in states])
            cur.executemany("UPDATE story_members SET story_id = ? WHERE story_id = ?", [(b, a) for a, b in moved])
            cur.executemany("INSERT OR REPLACE INTO story_members VALUES (?, ?, ?, ?)", members)
            cur.executemany("DELETE FROM stories WHERE id = ?", [(d,) for d in deleted])
            cur.executemany("INSERT INTO name_df VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET df = name_df.df + excluded.df",
                            list(name_counts.items()))
            cur.execute("INSERT OR REPLACE INTO meta VALUES ('stories_generation', ?)", (str(generation),))
            cur.execute("INSERT OR REPLACE INTO meta VALUES ('stories_articles', ?)", (str(articles_placed),))

    def next_story_seq(self) -> int:
        return (self.conn.execute("SELECT MAX(seq) FROM stories").fetchone()[0] or 0) + 1

    def story_vectors(self) -> Iterator[tuple[int, np.ndarray]]:
        for seq, blob in self.conn.execute("SELECT seq, vec_sum FROM stories WHERE merged_into IS NULL"):
            v = np.frombuffer(blob, dtype=np.float32)
            yield seq, v / max(float(np.linalg.norm(v)), 1e-12)

    def member_vectors(self, model: str) -> Iterator[tuple[int, np.ndarray]]:
        """(article seq, article vector) of every article placed in a story: the article index."""
        for seq, doc in self.conn.execute(
                "SELECT a.seq, e.doc FROM story_members m JOIN articles a ON a.id = m.article_id "
                "JOIN embeddings e ON e.article_id = a.id AND e.model = ?", (model,)):
            yield seq, np.frombuffer(doc, dtype=np.float16).astype(np.float32)

    def article_ids_by_seq(self, seqs: list[int]) -> dict[int, str]:
        return dict(self._rows_in("SELECT seq, id FROM articles WHERE seq IN ({marks})", list(seqs)))

    def list_stories(self, limit: int | None = None, offset: int = 0, lang: str | None = None,
                     since: str | None = None, until: str | None = None) -> list[StoryState]:
        # Page through the listing index for seqs only; the rows (with their vector sums) are read
        # for the page alone.
        sql = "SELECT seq FROM stories WHERE merged_into IS NULL"
        args: list = []
        if lang:
            sql += " AND langs LIKE ?"
            args.append(f'%"{lang}"%')
        if since:
            sql += " AND last_seen >= ?"
            args.append(since)
        if until:
            sql += " AND first_seen <= ?"
            args.append(until)
        sql += " ORDER BY last_seen IS NULL, last_seen DESC, n_articles DESC, seq LIMIT ? OFFSET ?"
        args += [-1 if limit is None else limit, offset]
        seqs = [r[0] for r in self.conn.execute(sql, args)]
        states = {s.seq: s for s in self.get_story_states(seqs=seqs)}
        return [states[q] for q in seqs if q in states]

    def count_stories(self) -> int:
        return self.conn.execute("SELECT COUNT(*) FROM stories WHERE merged_into IS NULL").fetchone()[0]

    # --- entities -------------------------------------------------------------------------------

    def entities_pending(self, version: str) -> list[str]:
        return [r[0] for r in self.conn.execute(
            "SELECT a.id FROM articles a LEFT JOIN entity_done d ON d.article_id = a.id "
            "WHERE d.article_id IS NULL OR d.version != ? ORDER BY a.seq", (version,))]

    def put_mentions(self, article_ids: list[str], mentions: list, acronyms: list[tuple[str, str, str]],
                     version: str) -> None:
        with self._tx() as cur:
            for table in ("mentions", "acronyms"):
                cur.executemany(f"DELETE FROM {table} WHERE article_id = ?", [(a,) for a in article_ids])
            cur.executemany("INSERT OR IGNORE INTO mentions VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                            [(m.article_id, m.start, m.end, m.text, m.type, m.lang, m.via, m.key) for m in mentions])
            cur.executemany("INSERT OR IGNORE INTO acronyms VALUES (?, ?, ?)", acronyms)
            cur.executemany("INSERT OR REPLACE INTO entity_done VALUES (?, ?)", [(a, version) for a in article_ids])
            gen = int(self.get_meta("mentions_generation", "0") or 0) + 1
            cur.execute("INSERT OR REPLACE INTO meta VALUES ('mentions_generation', ?)", (str(gen),))

    def all_mentions(self) -> list:
        from ..entities import Mention

        return [Mention(*r) for r in self.conn.execute(
            "SELECT article_id, start, end, text, type, lang, via FROM mentions ORDER BY article_id, start, end, via")]

    def mentions_of(self, article_id: str) -> list:
        from ..entities import Mention

        return [Mention(*r) for r in self.conn.execute(
            "SELECT article_id, start, end, text, type, lang, via FROM mentions WHERE article_id = ? ORDER BY start, end, via",
            (article_id,))]

    def all_acronyms(self) -> list[tuple[str, str, str]]:
        return list(self.conn.execute("SELECT article_id, acronym, expansion FROM acronyms ORDER BY article_id, acronym, expansion"))

    def put_entities(self, entities: list, key_to_id: dict[str, str]) -> None:
        """Replace the canonical entities (they are rebuilt from all mentions each time)."""
        with self._tx() as cur:
            cur.execute("DELETE FROM entities")
            cur.execute("DELETE FROM entity_keys")
            cur.executemany("INSERT INTO entities VALUES (?, ?, ?, ?, ?, ?, ?)",
                            [(e.id, e.name, e.type, e.country, json.dumps(e.aliases, ensure_ascii=False),
                              json.dumps(e.article_ids), len(e.article_ids)) for e in entities])
            cur.executemany("INSERT INTO entity_keys VALUES (?, ?)", list(key_to_id.items()))
            cur.execute("INSERT OR REPLACE INTO meta VALUES ('entities_built', "
                        "COALESCE((SELECT value FROM meta WHERE key = 'mentions_generation'), '0'))")

    def list_entities(self, type: str | None = None, limit: int | None = None, offset: int = 0) -> list:
        from ..entities import Entity

        rows = self._page("SELECT id, name, type, aliases, article_ids, country FROM entities",
                          [("type = ?", type)] if type else [], "n_articles DESC, name", limit, offset)
        return [Entity(i, n, t, json.loads(al), json.loads(ids), c) for i, n, t, al, ids, c in rows]

    def _page(self, select: str, where: list[tuple[str, object]], order: str, limit: int | None, offset: int):
        """Rows of `select` that meet every condition of `where` (SQL with one ? mark, its value), in
        `order`, one page."""
        sql = select + (" WHERE " + " AND ".join(cond for cond, _ in where) if where else "")
        sql += f" ORDER BY {order} LIMIT ? OFFSET ?"
        return self.conn.execute(sql, [*(value for _, value in where), -1 if limit is None else limit, offset])

    def get_entity(self, entity_id: str):
        from ..entities import Entity

        row = self.conn.execute("SELECT id, name, type, aliases, article_ids, country FROM entities WHERE id = ?",
                                (entity_id,)).fetchone()
        return Entity(row[0], row[1], row[2], json.loads(row[3]), json.loads(row[4]), row[5]) if row else None

    def entity_keys(self) -> list[tuple[str, str]]:
        return list(self.conn.execute("SELECT key, entity_id FROM entity_keys"))

    def entity_key_types(self) -> dict[str, str]:
        """Mention key -> the type of the canonical entity it belongs to."""
        return dict(self.conn.execute("SELECT k.key, e.type FROM entity_keys k JOIN entities e ON e.id = k.entity_id"))

    def entity_for_country(self, code: str) -> str | None:
        row = self.conn.execute("SELECT id FROM entities WHERE country = ? ORDER BY n_articles DESC, id LIMIT 1",
                                (code,)).fetchone()
        return row[0] if row else None

    def entity_for_key(self, key: str) -> str | None:
        row = self.conn.execute("SELECT entity_id FROM entity_keys WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    # --- feed watching --------------------------------------------------------------------------

    def watch_state(self, url: str) -> tuple[str | None, str | None]:
        row = self.conn.execute("SELECT etag, last_modified FROM watch_state WHERE url = ?", (url,)).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def watch_seen(self, url: str, entries: list[str]) -> set[str]:
        return {r[0] for r in self._rows_in("SELECT entry FROM watch_seen WHERE url = ? AND entry IN ({marks})",
                                            entries, (url,))}

    def put_watch(self, url: str, etag: str | None, last_modified: str | None, status: str, entries: list[str],
                  at: str) -> None:
        """After the new entries are stored: the validators and the entries taken, in one transaction
        (a poll killed before this re-reads them; the articles' content ids keep them single)."""
        with self._tx() as cur:
            cur.execute("INSERT OR REPLACE INTO watch_state VALUES (?, ?, ?, ?, ?)", (url, etag, last_modified, at, status))
            cur.executemany("INSERT OR IGNORE INTO watch_seen VALUES (?, ?)", [(url, e) for e in entries])

    def fired(self, alert: str, items: list[str]) -> set[str]:
        return {r[0] for r in self._rows_in("SELECT item FROM watch_fired WHERE alert = ? AND item IN ({marks})",
                                            items, (alert,))}

    def put_fired(self, alert: str, items: list[str], at: str) -> None:
        with self._tx() as cur:
            cur.executemany("INSERT OR IGNORE INTO watch_fired VALUES (?, ?, ?)", [(alert, i, at) for i in items])

    # --- full text ------------------------------------------------------------------------------

    def search_text(self, query: str, limit: int = 20, offset: int = 0) -> list[tuple[str, float, str]]:
        """(article id, bm25 score — lower is better —, snippet with \x02...\x03 around matches) for
        the articles containing every word of `query` (words are quoted: no query syntax)."""
        words = query_words(query)
        if not words:
            return []
        match = " ".join(f'"{w}"' for w in words)
        sql = ("SELECT a.id, bm25(articles_fts, 2.0, 1.0) AS score, "
               "snippet(articles_fts, 1, char(2), char(3), '…', 16) FROM articles_fts "
               "JOIN articles a ON a.seq = articles_fts.rowid WHERE articles_fts MATCH ? "
               "ORDER BY score LIMIT ? OFFSET ?")
        return [(aid, score, snip) for aid, score, snip in self.conn.execute(sql, (match, limit, offset))]

    # --- events and claims ---------------------------------------------------------------------

    def events_pending(self, version: str) -> list[str]:
        return [r[0] for r in self.conn.execute(
            "SELECT a.id FROM articles a LEFT JOIN event_done d ON d.article_id = a.id "
            "WHERE d.article_id IS NULL OR d.version != ? ORDER BY a.seq", (version,))]

    def put_events(self, article_ids: list[str], events: list, version: str) -> None:
        with self._tx() as cur:
            cur.executemany("DELETE FROM events WHERE article_id = ?", [(a,) for a in article_ids])
            cur.executemany("INSERT OR REPLACE INTO events VALUES (?, ?, ?, ?)",
                            [(e.id, e.article_id, e.type, json.dumps(e.to_dict(), ensure_ascii=False)) for e in events])
            cur.executemany("INSERT OR REPLACE INTO event_done VALUES (?, ?)", [(a, version) for a in article_ids])
            gen = int(self.get_meta("events_generation", "0") or 0) + 1
            cur.execute("INSERT OR REPLACE INTO meta VALUES ('events_generation', ?)", (str(gen),))

    def all_events(self) -> list:
        from ..records import Event

        return [Event(**json.loads(r[0])) for r in self.conn.execute(
            "SELECT e.data FROM events e JOIN articles a ON a.id = e.article_id ORDER BY a.seq, e.id")]

    def events_of(self, article_ids: list[str]) -> list:
        from ..records import Event

        out = [Event(**json.loads(r[0])) for r in self._rows_in(
            "SELECT data FROM events WHERE article_id IN ({marks})", list(article_ids))]
        return sorted(out, key=lambda e: (article_ids.index(e.article_id) if len(article_ids) < 50 else 0, e.start))

    def get_events(self, event_ids: list[str]) -> list:
        from ..records import Event

        return [Event(**json.loads(r[0])) for r in self._rows_in(
            "SELECT data FROM events WHERE id IN ({marks})", list(event_ids))]

    def list_events(self, type: str | None = None, limit: int | None = None, offset: int = 0,
                    min_confidence: float = 0.0) -> list:
        """Events in article order, one page; of one type; from `min_confidence` up, filtered and
        paged here, so that a floor over a large store does not load every event."""
        from ..records import Event

        where: list[tuple[str, object]] = [("e.type = ?", type)] if type else []
        if min_confidence:
            where.append((f"{_CONFIDENCE.format('e.data')} >= ?", min_confidence))
        rows = self._page("SELECT e.data FROM events e JOIN articles a ON a.id = e.article_id", where,
                          "a.seq, e.id", limit, offset)
        return [Event(**json.loads(r[0])) for r in rows]

    def story_membership(self) -> list[tuple[str, str]]:
        return list(self.conn.execute("SELECT article_id, story_id FROM story_members"))

    def put_claims(self, claims: list, built: str) -> None:
        """Replace the claims (rebuilt from all events each time)."""
        with self._tx() as cur:
            for table in ("claims", "claim_stories", "claim_events"):
                cur.execute(f"DELETE FROM {table}")
            cur.executemany("INSERT INTO claims VALUES (?, ?, ?, ?, ?)",
                            [(c.id, c.type, c.independent_sources, len(c.article_ids),
                              json.dumps(c.to_dict(), ensure_ascii=False)) for c in claims])
            cur.executemany("INSERT OR IGNORE INTO claim_stories VALUES (?, ?)",
                            [(s, c.id) for c in claims for s in c.story_ids])
            cur.executemany("INSERT OR REPLACE INTO claim_events VALUES (?, ?)",
                            [(e, c.id) for c in claims for e in c.event_ids])
            cur.execute("INSERT OR REPLACE INTO meta VALUES ('claims_built', ?)", (built,))

    def list_claims(self, story_id: str | None = None, limit: int | None = None, offset: int = 0,
                    min_confidence: float = 0.0) -> list:
        """Claims, most independent sources first, one page; of one story; those that reach
        `min_confidence` (records.Claim.reaches), filtered and paged here."""
        from ..records import Claim

        select, where = "SELECT c.data FROM claims c", []
        if story_id:
            select += " JOIN claim_stories s ON s.claim_id = c.id"
            where.append(("s.story_id = ?", story_id))
        if min_confidence:
            confidence = _CONFIDENCE.format("c.data")
            where.append((f"({confidence} IS NULL OR {confidence} >= ?)", min_confidence))
        rows = self._page(select, where, "c.n_sources DESC, c.n_articles DESC, c.id", limit, offset)
        return [Claim(**json.loads(r[0])) for r in rows]

    def claims_of_events(self, event_ids: list[str]) -> list:
        ids = sorted({r[0] for r in self._rows_in("SELECT claim_id FROM claim_events WHERE event_id IN ({marks})",
                                                  list(event_ids))})
        return [c for cid in ids if (c := self.get_claim(cid)) is not None]

    def get_claim(self, claim_id: str):
        from ..records import Claim

        row = self.conn.execute("SELECT data FROM claims WHERE id = ?", (claim_id,)).fetchone()
        return Claim(**json.loads(row[0])) if row else None

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
        return [r[0] for r in self.conn.execute("PRAGMA integrity_check") if r[0] != "ok"] + self._consistency()

    def _consistency(self) -> list[str]:
        """What the tables must agree on, whatever the backend."""
        problems = []
        orphans = self.conn.execute(
            "SELECT COUNT(*) FROM sightings WHERE article_id NOT IN (SELECT id FROM articles)").fetchone()[0]
        if orphans:
            problems.append(f"{orphans} sightings of articles that are not stored")
        bad_members = self.conn.execute(
            "SELECT COUNT(*) FROM story_members m LEFT JOIN stories s ON s.id = m.story_id "
            "WHERE s.id IS NULL OR s.merged_into IS NOT NULL").fetchone()[0]
        if bad_members:
            problems.append(f"{bad_members} story members in a missing or merged story")
        miscounted = self.conn.execute(
            "SELECT COUNT(*) FROM stories s WHERE s.merged_into IS NULL AND s.dirty = 0 AND s.n_articles != "
            "(SELECT COUNT(*) FROM story_members m WHERE m.story_id = s.id)").fetchone()[0]
        if miscounted:
            problems.append(f"{miscounted} stories whose article count disagrees with their members")
        return problems

    def close(self) -> None:
        self.conn.close()


_STORY_COLUMNS = "seq, id, n_articles, first_seen, last_seen, vec_sum, names, langs, titles, merged_into"


def _story_state(row: tuple) -> StoryState:
    seq, sid, n, first, last, vec, names, langs, titles, merged = row
    return StoryState(seq, sid, np.frombuffer(vec, dtype=np.float32).copy(), n, first, last, json.loads(names),
                      json.loads(langs), json.loads(titles), merged)


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
