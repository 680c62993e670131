"""Cross-document boilerplate: a line recurring in several articles of one source.

Word lists cannot know every site's slogan, newsletter pitch or footer; repetition across one
source's articles can. A paragraph found in at least `source_boilerplate_min_articles` different
articles of one source is removed from them as "recurring_in_source" -- unless those articles share
so much text that they are copies of one story (syndication, updates), which the dedup stage must
see intact. Runs after each ingest on the sources that received new articles, so it is incremental.
"""

from __future__ import annotations

from collections.abc import Iterable

from .config import Config
from .records import Article
from .store import Store
from .store.sqlite import block_key

REQUIRES = ("blocks", "source_key")
ASSIGNS = ("blocks.reason",)
REASON = "recurring_in_source"


def remove_source_boilerplate(store: Store, source_keys: Iterable[str], config: Config) -> int:
    """Mark recurring lines in the given sources; returns how many blocks were newly marked."""
    marked = 0
    for source_key in sorted(set(source_keys)):
        if not source_key:
            continue
        recurring = store.recurring_block_keys(source_key, config.source_boilerplate_min_articles)
        if not recurring:
            continue
        ids = sorted({aid for aids in recurring.values() for aid in aids})
        articles = {aid: a for aid in ids if (a := store.get_article(aid)) is not None}
        shared = {aid: _shared_fraction(a, recurring.keys()) for aid, a in articles.items()}
        boiler = {
            key for key, aids in recurring.items()
            if sum(1 for aid in aids if shared.get(aid, 1.0) <= config.source_boilerplate_max_shared_fraction)
            >= config.source_boilerplate_min_articles
        }
        if not boiler:
            continue
        updates = []
        for aid, article in articles.items():
            hits = [b for b in article.blocks if b.reason is None and block_key(b.text) in boiler]
            if hits and len(hits) < len(article.paragraphs):  # never empty an article completely
                for b in hits:
                    b.reason = REASON
                marked += len(hits)
                updates.append((aid, article.blocks))
        if updates:
            store.update_blocks(updates)
    return marked


def _shared_fraction(article: Article, recurring: Iterable[str]) -> float:
    """Share of the article's text (kept or recurring lines) that recurs in other articles."""
    recurring = set(recurring)
    total = shared = 0
    for b in article.blocks:
        key = block_key(b.text)
        if b.reason is None or key in recurring:
            total += len(b.text)
            if key in recurring:
                shared += len(b.text)
    return shared / total if total else 1.0
