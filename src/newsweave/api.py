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

from . import embed as _embed
from . import entities as _entities
from . import events as _events
from . import export as _export
from . import stories as _stories
from .config import Config
from .dedup import provenance_chains
from .errors import ItemError, NewsweaveError
from .pipeline import STAGES, Progress, RunReport, StageProgress, get_executor
from .pipeline import run as _run
from .entities import Entity
from .records import Article, Claim, Event, Relation, SearchHit, Story
from .store import ArticleFilter, Store, open_store

DEFAULT_DB = "newsweave.db"


class Newsweave:
    def __init__(self, db: str | Path = DEFAULT_DB, config: Config | None = None):
        self.config = config or Config()
        self.store: Store = open_store(str(db))

    def run(self, inputs: Iterable[str] | str, workers: int = 0, progress: Progress | None = None,
            on_error: Callable[[ItemError], None] | None = None, until: str | None = None,
            stage_progress: StageProgress | None = None, items: Iterable | None = None,
            executor: str = "local", ray_address: str | None = None) -> RunReport:
        """Ingest paths / folders / URLs / '-' (stdin) -- or `items` already read (documents and
        item errors) -- and run every stage built so far (or up to and including the stage named
        `until`; `newsweave.STAGES` lists them). `executor` is "local" (processes on this machine)
        or "ray" (a local Ray, or the cluster at `ray_address`)."""
        if isinstance(inputs, (str, Path)):
            inputs = [str(inputs)]
        ex = get_executor(executor, workers, ray_address)
        try:
            return _run([str(i) for i in inputs], self.store, self.config, ex, progress, on_error,
                        until=until or STAGES[-1].name, stage_progress=stage_progress, items=items)
        finally:
            ex.shutdown()

    def relations(self, article_id: str | None = None) -> list[Relation]:
        """Duplicate, excerpt and translation relations (of one article, or all)."""
        return self.store.relations(article_id)

    def provenance(self) -> list[dict]:
        """Groups of copies and translations with who copied whom (`dedup.provenance_chains`)."""
        return provenance_chains(self.store.relations())

    def articles(self, lang: str | None = None, source: str | None = None, since: str | None = None,
                 until: str | None = None, limit: int | None = None, offset: int = 0,
                 entity: str | None = None) -> list[Article]:
        """Stored articles; `entity` (any alias, in any language or spelling, or an entity id)
        keeps those mentioning that canonical entity."""
        entity_id = self.entity(entity).id if entity else None
        return list(self.iter_articles(ArticleFilter(lang, source, since, until, limit, offset, entity_id)))

    # --- entities -----------------------------------------------------------------------------

    def entities(self, type: str | None = None, limit: int | None = None, offset: int = 0) -> list[Entity]:
        """Canonical entities, most articles first."""
        return self.store.list_entities(type=type, limit=limit, offset=offset)

    def entity(self, name_or_id: str) -> Entity:
        """The canonical entity for an id, or for any alias ("Sisi", "al-Sissi", "Égypte")."""
        found = self.store.get_entity(name_or_id)
        if found is None:
            eid = self.store.entity_for_key(_entities.mention_key(name_or_id))
            if eid is None:  # a curated entity by its preferred name
                eid = _entities.curated_entity_id(name_or_id, self.config.entity_aliases_file or None)
                eid = eid if eid and self.store.get_entity(eid) else None
            if eid is None:  # a country under a name the texts do not use ("Russie" for "Russia")
                code = _entities.demonym_country(name_or_id)
                eid = self.store.entity_for_country(code) if code else None
            if eid is None:  # a short form never seen alone ("Sisi"): the one entity whose names end so
                eid = self._entity_by_last_word(_entities.mention_key(name_or_id))
            found = self.store.get_entity(eid) if eid else None
        if found is None:
            raise NewsweaveError("E206", f"no entity named {name_or_id!r}; `newsweave entities` lists them")
        return found

    def _entity_by_last_word(self, key: str) -> str | None:
        from rapidfuzz import fuzz

        words = key.split()
        if not words:
            return None
        wanted = {words[-1], "al" + words[-1], "el" + words[-1]}
        found = {eid for k, eid in self.store.entity_keys()
                 if max(fuzz.ratio(k.split()[-1], w) for w in wanted) >= 90}
        return found.pop() if len(found) == 1 else None

    def iter_articles(self, flt: ArticleFilter | None = None) -> Iterator[Article]:
        return self.store.iter_articles(flt)

    def article(self, id_or_prefix: str) -> Article:
        article = self.store.get_article(id_or_prefix)
        if article is None:
            raise NewsweaveError("E203", f"no article with id or unique id prefix {id_or_prefix!r}; "
                                         "`newsweave articles` lists them")
        return article

    # --- stories ------------------------------------------------------------------------------

    def stories(self, lang: str | None = None, since: str | None = None, until: str | None = None,
                limit: int | None = None, offset: int = 0) -> list[Story]:
        """Stories, latest first (by their last dated article), each with its member article ids."""
        states = self.store.list_stories(limit=limit, offset=offset, lang=lang, since=since, until=until)
        return [s.to_story(self.store.story_member_ids(s.id)) for s in states]

    def iter_stories(self) -> Iterator[Story]:
        return _export.iter_stories(self.store)

    def story(self, id_or_prefix: str) -> Story:
        """One story by id or unique prefix; an id merged into another story gives that story."""
        sid = self.store.resolve_story_id(id_or_prefix)
        states = self.store.get_story_states(ids=[sid]) if sid else []
        if not states:
            raise NewsweaveError("E205", f"no story with id or unique id prefix {id_or_prefix!r}; "
                                         "`newsweave stories` lists them")
        return states[0].to_story(self.store.story_member_ids(states[0].id))

    def story_of(self, article_id: str) -> Story | None:
        aid = self.article(article_id).id
        sid = self.store.story_of([aid]).get(aid)
        return self.story(sid) if sid else None

    def story_members(self, story_id: str) -> list[tuple[str, float, str]]:
        """Why each article is in the story: (article id, score when placed, reason), where reason
        is new (opened it), similar (scored above the bar), or copy (a copy/translation of a member)."""
        return self.store.story_members(self.story(story_id).id)

    def entity_stories(self, name_or_id: str) -> list[Story]:
        """The stories whose articles mention the entity, largest first."""
        e = self.entity(name_or_id)
        sids = set(self.store.story_of(e.article_ids).values())
        stories = [self.story(sid) for sid in sorted(sids)]
        return sorted(stories, key=lambda st: (-len(st.article_ids), st.id))

    # --- events and claims -------------------------------------------------------------------

    def confidence_floor(self, min_confidence: float | None = None, reliable: bool = False) -> float:
        """The least confidence of the events and claims reported: `min_confidence` when given, else
        the config's `event_min_confidence` (0, every event, unless set); `reliable` raises it to
        the tier (events.RELIABLE)."""
        floor = self.config.event_min_confidence if min_confidence is None else min_confidence
        return max(floor, _events.RELIABLE) if reliable else floor

    def events(self, article: str | None = None, story: str | None = None, type: str | None = None,
               entity: str | None = None, limit: int | None = None, offset: int = 0,
               min_confidence: float | None = None, reliable: bool = False) -> list[Event]:
        """Events, in article order; filtered by article, story, PLOVER type, an entity taking
        part (as actor or target, any spelling), and confidence: from `confidence_floor` up
        (precision rises with confidence: bench/RESULTS.md); `min_confidence=0` gives every event
        the stage found whatever the config says."""
        min_confidence = self.confidence_floor(min_confidence, reliable)
        if article or story:
            ids = [self.article(article).id] if article else self.story(story).article_ids
            evs = self.store.events_of(ids)
            if type:
                evs = [e for e in evs if e.type == type.upper()]
        elif entity is None:
            return _events.resolve_entities(self.store.list_events(
                type=type.upper() if type else None, limit=limit, offset=offset, min_confidence=min_confidence),
                self._entity_of_key)
        else:
            evs = self.store.events_of(self.entity(entity).article_ids)
            if type:
                evs = [e for e in evs if e.type == type.upper()]
        if min_confidence:
            evs = [e for e in evs if e.confidence >= min_confidence]
        evs = _events.resolve_entities(evs, self._entity_of_key)
        if entity is not None:
            eid = self.entity(entity).id
            evs = [e for e in evs if eid in ((e.actor or {}).get("entity_id"), (e.target or {}).get("entity_id"))]
        return evs[offset: None if limit is None else offset + limit]

    def _entity_of_key(self, key: str) -> str | None:
        return self.store.entity_for_key(key)

    def claims(self, story: str | None = None, entity: str | None = None, limit: int | None = None,
               offset: int = 0, min_confidence: float | None = None) -> list[Claim]:
        """Claims, most independent sources first; of one story, or with an entity as actor or
        target; those whose most confident event reaches `confidence_floor` (as `events`)."""
        floor = self.confidence_floor(min_confidence)
        story_id = self.story(story).id if story else None
        if entity is None:
            return self.store.list_claims(story_id=story_id, limit=limit, offset=offset, min_confidence=floor)
        eid = self.entity(entity).id
        rows = [c for c in self.store.list_claims(story_id=story_id, min_confidence=floor)
                if eid in ((c.actor or {}).get("entity_id"), (c.target or {}).get("entity_id"))]
        return rows[offset: None if limit is None else offset + limit]

    def claim(self, claim_id: str) -> Claim:
        c = self.store.get_claim(claim_id)
        if c is None:
            raise NewsweaveError("E207", f"no claim with id {claim_id!r}; `newsweave claims` lists them")
        return c

    def claim_events(self, claim_id: str) -> list[Event]:
        """The evidence of a claim: its events, each with its sentence and attribution."""
        return _events.resolve_entities(self.store.get_events(self.claim(claim_id).event_ids), self._entity_of_key)

    def dossier(self, story_id: str, lang: str | None = None, min_confidence: float | None = None):
        """The story's dossier (`dossier.Dossier`): headline and summary in `lang` where an article
        in it exists, timeline, actors, claims (from `confidence_floor` up), provenance, languages
        and outlets."""
        from .dossier import build_dossier

        return build_dossier(self, story_id, lang, min_confidence=min_confidence)

    def fulltext(self, query: str, limit: int = 20, offset: int = 0) -> list[SearchHit]:
        """Articles containing every word of `query` (SQLite FTS5, accents folded), best first."""
        if not query.strip():
            raise NewsweaveError("E204", "empty search query")
        out = []
        for aid, score, snippet in self.store.search_text(query, limit, offset):
            if (a := self.store.get_article(aid)) is not None:
                out.append(SearchHit("article", a.id, -score, _stories.title_of(a), [a.lang] if a.lang else [], snippet))
        return out

    def search(self, query: str, k: int = 10, kind: str = "articles", entity: str | None = None,
               mode: str = "semantic") -> list[SearchHit]:
        """Search in any language the embedder reads: nearest articles or story centres
        (`mode="semantic"`), articles containing the words (`"fulltext"`), or both fused by
        reciprocal rank (`"hybrid"`: short keyword queries embed poorly, paraphrases and other
        languages have no shared words); `entity` (any alias) keeps articles mentioning it, or
        stories with such an article."""
        if mode not in ("semantic", "fulltext", "hybrid"):
            raise NewsweaveError("E204", f"search mode must be semantic, fulltext or hybrid, not {mode!r}")
        if kind not in ("articles", "stories"):
            raise NewsweaveError("E204", f"search kind must be 'articles' or 'stories', not {kind!r}")
        if not query.strip():
            raise NewsweaveError("E204", "empty search query")
        if entity:
            e = self.entity(entity)
            wanted = set(e.article_ids) if kind == "articles" else set(self.store.story_of(e.article_ids).values())
            hits = self.search(query, k=max(200, 10 * k), kind=kind, mode=mode)
            return [h for h in hits if h.id in wanted][:k]
        if mode != "semantic":
            text_hits = self.fulltext(query, limit=max(50, k))
            if kind == "stories":
                sids = self.store.story_of([h.id for h in text_hits])
                seen: dict[str, SearchHit] = {}
                for h in text_hits:
                    sid = sids.get(h.id)
                    if sid and sid not in seen:
                        st = self.story(sid)
                        seen[sid] = SearchHit("story", st.id, h.score, st.title, st.languages, h.snippet)
                text_hits = list(seen.values())
            if mode == "fulltext":
                return text_hits[:k]
            sem = self.search(query, k=max(50, k), kind=kind, mode="semantic")
            fused: dict[str, float] = {}
            by_id = {h.id: h for h in sem}
            for hits in (text_hits, sem):
                for rank, h in enumerate(hits):
                    fused[h.id] = fused.get(h.id, 0.0) + 1.0 / (60 + rank)
            by_id.update({h.id: h for h in text_hits})  # keep the snippet
            ranked = sorted(fused, key=lambda i: (-fused[i], i))[:k]
            return [SearchHit(by_id[i].kind, i, fused[i], by_id[i].title, by_id[i].languages, by_id[i].snippet)
                    for i in ranked]
        embedder = _embed.get_embedder(self.config.embedder)
        story_index, article_index = _stories.load_indexes(self.store, embedder.name, embedder.dim)
        vec = embedder.encode([query])[0]
        if kind == "stories":
            hits = story_index.search(vec, k)
            states = {s.seq: s for s in self.store.get_story_states(seqs=[key for key, _ in hits])}
            out = []
            for key, score in hits:
                if key in states and states[key].merged_into is None:
                    st = states[key].to_story([])
                    out.append(SearchHit("story", st.id, score, st.title, st.languages))
            return out
        # An article's vector is the mean of its paragraphs', which dilutes a query that one
        # paragraph answers: the nearest articles are re-ranked by their best paragraph.
        hits = article_index.search(vec, max(50, k))
        ids = self.store.article_ids_by_seq([key for key, _ in hits])
        vectors = self.store.get_embeddings(embedder.name, list(ids.values()))
        ranked = []
        for key, score in hits:
            if key in ids and ids[key] in vectors:
                paras = vectors[ids[key]][1]
                best = float((paras @ vec).max()) if len(paras) else score
                ranked.append((max(score, best), ids[key]))
        ranked.sort(key=lambda t: (-t[0], t[1]))
        out = []
        for score, aid in ranked[:k]:
            if (a := self.store.get_article(aid)) is not None:
                out.append(SearchHit("article", a.id, score, _stories.title_of(a), [a.lang] if a.lang else []))
        return out

    def sightings(self, article_id: str) -> list[str]:
        """Every path / URL / record at which this article's text was ingested."""
        return self.store.sightings(article_id)

    def count(self) -> int:
        return self.store.count_articles()

    def export(self, out: str | Path, format: str = "jsonl", min_confidence: float | None = None) -> dict[str, Path]:
        """Write the store to files (docs/FORMAT.md); events and claims from `confidence_floor` up."""
        return _export.export(self.store, out, format, self.confidence_floor(min_confidence))

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> "Newsweave":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open(db: str | Path = DEFAULT_DB, config: Config | None = None) -> Newsweave:  # noqa: A001
    return Newsweave(db, config)


def run(inputs: Iterable[str] | str, db: str | Path = DEFAULT_DB, config: Config | None = None,
        workers: int = 0, executor: str = "local", ray_address: str | None = None) -> RunReport:
    with Newsweave(db, config) as nw:
        return nw.run(inputs, workers=workers, executor=executor, ray_address=ray_address)
