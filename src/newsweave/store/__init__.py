"""One store interface; backends are chosen by URL (a file path or sqlite:///path for SQLite).

Every stage reads and writes through `Store`, never through SQL of its own, so a second backend
(PostgreSQL, issue 8) only has to implement this protocol.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

from ..errors import NewsweaveError
from ..records import Article, Block


@dataclass(slots=True)
class ArticleFilter:
    lang: str | None = None
    source: str | None = None
    since: str | None = None  # ISO date, inclusive, on `published`
    until: str | None = None
    limit: int | None = None
    offset: int = 0


class Store(Protocol):
    def existing_ids(self, ids: Iterable[str]) -> set[str]: ...

    def add_articles(self, articles: list[Article], sightings: list[tuple[str, str]]) -> int:
        """Insert new articles and where each input was seen, in one transaction; returns how many
        articles were new. Ids already stored are left as they are."""

    def get_article(self, id_or_prefix: str) -> Article | None: ...

    def iter_articles(self, flt: ArticleFilter | None = None) -> Iterator[Article]: ...

    def count_articles(self) -> int: ...

    def sightings(self, article_id: str) -> list[str]: ...

    def update_blocks(self, updates: list[tuple[str, list[Block]]]) -> None: ...

    def recurring_block_keys(self, source_key: str, min_articles: int) -> dict[str, list[str]]:
        """Block keys found in at least `min_articles` articles of one source -> those article ids."""

    def integrity_check(self) -> list[str]: ...

    def close(self) -> None: ...


def open_store(url: str) -> Store:
    if url.startswith(("postgresql://", "postgres://")):
        raise NewsweaveError("E201", "the PostgreSQL backend is not built yet (issue 8); use a SQLite file path")
    if "://" in url and not url.startswith("sqlite:///"):
        raise NewsweaveError("E201", f"unknown store URL {url!r}: give a file path or sqlite:///path")
    from .sqlite import SQLiteStore

    return SQLiteStore(url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else url)
