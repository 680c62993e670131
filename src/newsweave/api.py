"""The Python API. The CLI (and later the REST server) are thin shells over this class.

    import newsweave
    report = newsweave.run(["../shared/corpus/seeds"], db="newsweave.db")
    with newsweave.open("newsweave.db") as nw:
        for article in nw.articles(lang="fr"):
            print(article.id, article.title)
        nw.export("out", format="jsonl")
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from . import export as _export
from .config import Config
from .dedup import provenance_chains
from .errors import ItemError, NewsweaveError
from .pipeline import STAGES, LocalExecutor, Progress, RunReport, StageProgress
from .pipeline import run as _run
from .records import Article, Relation
from .store import ArticleFilter, Store, open_store

DEFAULT_DB = "newsweave.db"


class Newsweave:
    def __init__(self, db: str | Path = DEFAULT_DB, config: Config | None = None):
        self.config = config or Config()
        self.store: Store = open_store(str(db))

    def run(self, inputs: Iterable[str] | str, workers: int = 0, progress: Progress | None = None,
            on_error: Callable[[ItemError], None] | None = None, until: str | None = None,
            stage_progress: StageProgress | None = None) -> RunReport:
        """Ingest paths / folders / URLs / '-' (stdin) and run every stage built so far (or up to
        and including the stage named `until`; `newsweave.STAGES` lists them)."""
        if isinstance(inputs, (str, Path)):
            inputs = [str(inputs)]
        return _run([str(i) for i in inputs], self.store, self.config, LocalExecutor(workers), progress, on_error,
                    until=until or STAGES[-1].name, stage_progress=stage_progress)

    def relations(self, article_id: str | None = None) -> list[Relation]:
        """Duplicate, excerpt and translation relations (of one article, or all)."""
        return self.store.relations(article_id)

    def provenance(self) -> list[dict]:
        """Groups of copies and translations with who copied whom (`dedup.provenance_chains`)."""
        return provenance_chains(self.store.relations())

    def articles(self, lang: str | None = None, source: str | None = None, since: str | None = None,
                 until: str | None = None, limit: int | None = None, offset: int = 0) -> list[Article]:
        return list(self.iter_articles(ArticleFilter(lang, source, since, until, limit, offset)))

    def iter_articles(self, flt: ArticleFilter | None = None) -> Iterator[Article]:
        return self.store.iter_articles(flt)

    def article(self, id_or_prefix: str) -> Article:
        article = self.store.get_article(id_or_prefix)
        if article is None:
            raise NewsweaveError("E203", f"no article with id or unique id prefix {id_or_prefix!r}; "
                                         "`newsweave articles` lists them")
        return article

    def sightings(self, article_id: str) -> list[str]:
        """Every path / URL / record at which this article's text was ingested."""
        return self.store.sightings(article_id)

    def count(self) -> int:
        return self.store.count_articles()

    def export(self, out: str | Path, format: str = "jsonl") -> dict[str, Path]:
        return _export.export(self.store, out, format)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> "Newsweave":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open(db: str | Path = DEFAULT_DB, config: Config | None = None) -> Newsweave:  # noqa: A001
    return Newsweave(db, config)


def run(inputs: Iterable[str] | str, db: str | Path = DEFAULT_DB, config: Config | None = None,
        workers: int = 0) -> RunReport:
    with Newsweave(db, config) as nw:
        return nw.run(inputs, workers=workers)
