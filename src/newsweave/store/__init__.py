"""One store interface; backends are chosen by URL: a file path or sqlite:///path for the embedded
SQLite store (the default), postgresql://... for a PostgreSQL server (store/postgres.py).

Every stage reads and writes through `Store`, never through SQL of its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

from ..errors import NewsweaveError
import numpy as np

from ..records import Article, Block, Relation


@dataclass(slots=True)
class ArticleFilter:
    lang: str | None = None
    source: str | None = None
    since: str | None = None  # ISO date, inclusive, on `published`
    until: str | None = None
    limit: int | None = None
    offset: int = 0
    entity_id: str | None = None  # only articles mentioning this canonical entity


class Store(Protocol):
    label: str  # how messages name the store (a URL without its password)

    def existing_ids(self, ids: Iterable[str]) -> set[str]: ...

    def add_articles(self, articles: list[Article], sightings: list[tuple[str, str]]) -> int:
        """Insert new articles and where each input was seen, in one transaction; returns how many
        articles were new. Ids already stored are left as they are."""

    def get_article(self, id_or_prefix: str) -> Article | None: ...

    def iter_articles(self, flt: ArticleFilter | None = None) -> Iterator[Article]: ...

    def count_articles(self) -> int: ...

    def sightings(self, article_id: str) -> list[str]: ...

    def update_blocks(self, updates: list[tuple[str, list[Block]]]) -> None:
        """Replace articles' blocks; drops what later stages derived from them (embeddings, dedup
        state, relations) in the same transaction, so those stages redo it."""

    def pending_source_keys(self) -> list[str]:
        """Sources that got new articles since the boilerplate stage last looked at them."""

    def clear_pending_sources(self, keys: list[str]) -> None: ...

    def recurring_block_keys(self, source_key: str, min_articles: int) -> dict[str, list[str]]:
        """Block keys found in at least `min_articles` articles of one source -> those article ids."""

    # --- embeddings (cached per model; never computed twice) ---
    def missing_embeddings(self, model: str) -> list[str]: ...

    def put_embeddings(self, model: str, rows: list[tuple[str, np.ndarray, np.ndarray]]) -> None:
        """(article id, article vector, paragraph vectors) per article."""

    def get_embeddings(self, model: str, ids: list[str]) -> dict[str, tuple[np.ndarray, np.ndarray]]: ...

    def doc_vectors(self, model: str) -> tuple[list[str], np.ndarray]: ...

    def iter_doc_vectors(self, model: str) -> Iterator[tuple[str, np.ndarray]]: ...

    # --- dedup state ---
    def dedup_pending(self) -> list[str]:
        """Ids of articles the dedup stage has not compared yet, in arrival order."""

    def put_dedup(self, rows: list[tuple[str, str, str, bytes, bytes, int]], relations: list[Relation]) -> None:
        """Mark articles compared -- (id, lang, text hash, MinHash signature, paragraph keys,
        shingle count) --
        with the relations found for them, in one transaction."""

    def dedup_signatures(self) -> list[tuple[str, str, str, bytes, bytes, int]]: ...

    def relations(self, article_id: str | None = None) -> list[Relation]: ...

    def integrity_check(self) -> list[str]: ...

    def close(self) -> None: ...


def open_store(url: str) -> Store:
    if url.startswith(("postgresql://", "postgres://")):
        from .postgres import PostgresStore

        return PostgresStore(url)
    if "://" in url and not url.startswith("sqlite:///"):
        raise NewsweaveError("E201", f"unknown store URL {url!r}: give a file path, sqlite:///path or "
                                     "postgresql://user:password@host/dbname")
    from .sqlite import SQLiteStore

    return SQLiteStore(url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else url)
