"""Stories stage: online, cross-lingual clustering of articles into stories.

Each article, in publication order, joins the best of its nearest stories or opens one (as the
online clusterers of Europe Media Monitor and Miranda et al. 2018 do). The score is the cosine
between the article's multilingual vector and the story's centre, plus a bonus for the names,
acronyms and numbers the story already carries (they survive translation), among stories whose
dated articles lie within a time window of it. Copies and translations found by the dedup stage
always join their original's story. After each batch, stories whose centres came close are merged,
which is what keeps the result from depending much on arrival order.

Stories keep running sums (records.StoryState), and candidates come from a vector index of story
centres (vectors.VectorIndex), so an article costs the same in a store of 1k or 1M articles. The
same pass keeps an index of article vectors for semantic search.
"""

from __future__ import annotations

import hashlib
import math
import re
import time
from collections import Counter, OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
from anyascii import anyascii

from .config import Config
from .records import Article, StoryState
from .store import Store
from .vectors import VectorIndex

REQUIRES = ("embeddings", "published", "text", "relations")
ASSIGNS = ("stories",)

COPY_KINDS = frozenset({"identical", "near_duplicate", "excerpt", "translation"})
INDEX_TOLERANCE = 0.005  # a story centre is re-indexed once it moved this far (cosine distance)
MAX_STORY_NAMES = 200  # names kept per story: the most frequent (bounded state per story)
_SENTENCE = re.compile(r"(?<=[.!?\u3002\uff01\uff1f])\s+|\n+")
_WORD = re.compile(r"[^\W_][\w'\u2019-]*", re.UNICODE)
_NUMBER = re.compile(r"^\d[\d.,]*$")


def salient_names(text: str) -> set[str]:
    """Names, acronyms and numbers an article states, normalised to survive spelling and language:
    transliterated to ASCII (anyascii), lower-cased, cut to 5 characters ("Égypte", "Egypt" and
    "Egyptian" meet at "egypt"). A capitalised word is a name unless it opens a sentence; numbers
    of 2 or more digits count (years, tolls, sums). Scripts without capitals give numbers only."""
    out: set[str] = set()
    for sentence in _SENTENCE.split(text):
        for i, m in enumerate(_WORD.finditer(sentence)):
            w = m.group()
            if _NUMBER.match(w):
                digits = re.sub(r"\D", "", w)
                if len(digits) >= 2:
                    out.add(digits[:6])
                continue
            if i == 0 or not w[0].isupper() or len(w) < 2:
                continue
            key = re.sub(r"[^a-z0-9]", "", anyascii(w).lower())
            if len(key) >= 2:
                out.add(key[:5])
    return out


def _day(iso: str | None) -> int | None:
    if not iso:
        return None
    try:
        return date.fromisoformat(iso[:10]).toordinal()
    except ValueError:
        return None


def title_of(article: Article, max_chars: int = 140) -> str:
    """The article's title, else its first sentence (cut at a word, marked with an ellipsis)."""
    title = (article.title or "").strip()
    if not title:
        text = article.text.strip()
        title = _SENTENCE.split(text, maxsplit=1)[0].strip() if text else ""
    if len(title) > max_chars:
        title = title[:max_chars].rsplit(" ", 1)[0].rstrip(",;:") + "\u2026"
    return title


@dataclass(slots=True)
class StoriesReport:
    placed: int = 0  # articles placed in a story
    opened: int = 0  # stories opened
    merged: int = 0  # stories merged into another
    seconds: float = 0.0


@dataclass(slots=True)
class _Placed:
    aid: str
    seq: int
    vec: np.ndarray
    day: int | None
    published: str | None
    lang: str | None
    title: str
    names: set[str]


@dataclass
class _Batch:
    touched: dict[str, StoryState] = field(default_factory=dict)
    members: list[tuple[str, str, float, str]] = field(default_factory=list)
    moved: list[tuple[str, str]] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    name_counts: Counter = field(default_factory=Counter)


class StoryClusterer:
    """The stage's state over one run: the indexes, a bounded cache of story states, name counts."""

    def __init__(self, store: Store, model: str, dim: int, config: Config,
                 languages: frozenset[str] | None = None):
        self.store, self.model, self.config = store, model, config
        self.languages = languages  # the embedder's trained languages (None: all)
        self.generation = int(store.get_meta("stories_generation", "0") or 0)
        self.stories, self.articles = load_indexes(store, model, dim)
        self.cache: OrderedDict[str, StoryState] = OrderedDict()  # LRU of story states
        self.by_seq: dict[int, str] = {}
        self.next_seq = store.next_story_seq()
        self.n_articles = int(store.get_meta("stories_articles", "0") or 0)
        self.df_cache: dict[str, int] = {}
        self.story_of: dict[str, str] = {}  # this run's placements (the store has the rest)

    # --- story states -----------------------------------------------------------------------------

    def _remember(self, s: StoryState) -> StoryState:
        self.cache[s.id] = s
        self.cache.move_to_end(s.id)
        self.by_seq[s.seq] = s.id
        while len(self.cache) > 20_000:
            old, st = self.cache.popitem(last=False)
            self.by_seq.pop(st.seq, None)
        return s

    def _states_by_seq(self, seqs: list[int], batch: _Batch) -> list[StoryState]:
        out, missing = [], []
        for q in seqs:
            sid = self.by_seq.get(q)
            s = batch.touched.get(sid) or self.cache.get(sid) if sid else None
            (out.append(s) if s is not None else missing.append(q))
        if missing:
            # A state this batch changed wins over the stored one (it may have left the cache).
            out += [self._remember(batch.touched.get(s.id, s)) for s in self.store.get_story_states(seqs=missing)]
        return [s for s in out if s.merged_into is None and s.n > 0]

    def _state(self, sid: str, batch: _Batch) -> StoryState | None:
        s = batch.touched.get(sid) or self.cache.get(sid)
        if s is None:
            found = self.store.get_story_states(ids=[sid])
            s = self._remember(found[0]) if found else None
        return s

    def _idf(self, names: set[str]) -> dict[str, float]:
        missing = [n for n in names if n not in self.df_cache]
        if missing:
            got = self.store.name_df(missing)
            for n in missing:
                self.df_cache[n] = got.get(n, 0)
        total = self.n_articles + 1
        return {n: math.log((total + 1) / (self.df_cache[n] + 1)) + 0.1 for n in names}

    # --- scoring ----------------------------------------------------------------------------------

    def _names_score(self, names: set[str], idf: dict[str, float], story: StoryState) -> float:
        if not names:
            return 0.0
        total = sum(idf[n] for n in names)
        shared = sum(idf[n] for n in names if n in story.names)
        return shared / total if total else 0.0

    def _in_window(self, day: int | None, s: StoryState) -> bool | None:
        """True or False when the window applies; None when it cannot (no date on one side)."""
        w = self.config.story_window_days
        first, last = _day(s.first_seen), _day(s.last_seen)
        if not w or day is None or first is None or last is None:
            return None
        return first - w <= day <= last + w

    def _min_score(self, window: bool | None) -> float:
        return self.config.story_min_score if window else self.config.story_min_score_undated

    def _trained(self, lang: str | None) -> bool:
        return self.languages is None or (lang or "und") in self.languages

    def _mostly_untrained(self, s: StoryState) -> bool:
        untrained = sum(c for lg, c in s.langs.items() if not self._trained(lg))
        return untrained * 2 > sum(s.langs.values())

    def _score(self, p: _Placed, idf: dict[str, float], s: StoryState) -> float | None:
        """The joining score, or None when the article may not join this story at all."""
        cos = float(p.vec @ s.centroid)
        names = self._names_score(p.names, idf, s)
        if not self._trained(p.lang) and names < self.config.story_min_names_untrained:
            return None
        return cos + self.config.story_names_weight * names

    # --- placing ----------------------------------------------------------------------------------

    def place(self, p: _Placed, copies_of: list[str], batch: _Batch) -> None:
        idf = self._idf(p.names)
        target, score, reason = None, 0.0, "new"
        # Copies and translations share their original's story, whatever the scores say.
        by_id: dict[str, StoryState] = {}
        for other in copies_of:
            sid = self.story_of.get(other) or self.store.story_of([other]).get(other)
            if sid and (s := self._state(sid, batch)) is not None:
                s = self._live(s, batch)
                by_id[s.id] = s
        copy_stories = [by_id[k] for k in sorted(by_id)]
        if copy_stories:
            target = max(copy_stories, key=lambda s: (s.n, -s.seq))
            score, reason = self._score(p, idf, target) or 0.0, "copy"
            for other in copy_stories:
                if other is not target:
                    self._merge(other, target, batch)
        else:
            want = self.config.story_candidates
            hits = self.stories.search(p.vec, want)
            states = self._states_by_seq([k for k, _ in hits], batch)
            if (p.day is not None and len(hits) >= want and states
                    and all(self._in_window(p.day, s) is False for s in states)):
                # A text that recurs every year can fill every candidate slot with stories out of
                # the time window (seen at a million generated articles): look further once.
                states = self._states_by_seq([k for k, _ in self.stories.search(p.vec, 8 * want)], batch)
            best = None
            for s in states:
                window = self._in_window(p.day, s)
                if window is False:
                    continue
                sc = self._score(p, idf, s)
                if sc is None:
                    continue
                # Ranked by the margin over the bar that applies to it.
                margin = sc - self._min_score(window)
                if best is None or margin > best[0] or (margin == best[0] and s.seq < best[2].seq):
                    best = (margin, sc, s)
            if best is not None and best[0] >= 0:
                _, score, target = best
                reason = "similar"
            elif best is not None:
                score = best[1]  # kept to explain why it opened a story: its best was this far off
        if target is None:
            target = StoryState(self.next_seq, self._new_story_id(p.aid, batch), np.zeros_like(p.vec), 0, None, None,
                                {}, {}, {})
            self.next_seq += 1
        self._add(target, p, batch)
        batch.members.append((p.aid, target.id, round(score, 4), reason))
        self.story_of[p.aid] = target.id
        self.articles.upsert(p.seq, p.vec)
        batch.name_counts.update(p.names)
        for n in p.names:
            self.df_cache[n] = self.df_cache.get(n, 0) + 1
        self.n_articles += 1

    def _live(self, s: StoryState, batch: _Batch) -> StoryState:
        for _ in range(100):
            if s.merged_into is None:
                return s
            nxt = self._state(s.merged_into, batch)
            if nxt is None:
                return s
            s = nxt
        return s

    def _add(self, s: StoryState, p: _Placed, batch: _Batch) -> None:
        s.vec_sum = s.vec_sum + p.vec
        s.n += 1
        if p.published:
            d = p.published[:10]
            s.first_seen = min(s.first_seen or d, d)
            s.last_seen = max(s.last_seen or d, d)
        for n in p.names:
            s.names[n] = s.names.get(n, 0) + 1
        if len(s.names) > MAX_STORY_NAMES * 2:
            s.names = dict(Counter(s.names).most_common(MAX_STORY_NAMES))
        lang = p.lang or "und"
        s.langs[lang] = s.langs.get(lang, 0) + 1
        # The title per language is the one nearest the centre at the time it was seen.
        cos = float(p.vec @ s.centroid)
        if p.title and (lang not in s.titles or cos > s.titles[lang][1]):
            s.titles[lang] = [p.title, round(cos, 4), p.aid]
        batch.touched[s.id] = self._remember(s)
        self.stories.upsert(s.seq, s.centroid, tolerance=INDEX_TOLERANCE)

    def _merge(self, loser: StoryState, winner: StoryState, batch: _Batch) -> None:
        winner.vec_sum = winner.vec_sum + loser.vec_sum
        winner.n += loser.n
        vals = [v for v in (winner.first_seen, loser.first_seen) if v]
        winner.first_seen = min(vals) if vals else None
        vals = [v for v in (winner.last_seen, loser.last_seen) if v]
        winner.last_seen = max(vals) if vals else None
        for n, c in loser.names.items():
            winner.names[n] = winner.names.get(n, 0) + c
        if len(winner.names) > MAX_STORY_NAMES * 2:
            winner.names = dict(Counter(winner.names).most_common(MAX_STORY_NAMES))
        for lg, c in loser.langs.items():
            winner.langs[lg] = winner.langs.get(lg, 0) + c
        for lg, t in loser.titles.items():
            if lg not in winner.titles or t[1] > winner.titles[lg][1]:
                winner.titles[lg] = t
        loser.merged_into = winner.id
        batch.moved.append((loser.id, winner.id))
        # This batch's new members are written after the move, so they are pointed at the winner
        # here; `story_of` may keep the loser's id: lookups follow `merged_into` (_live).
        batch.members[:] = [(a, winner.id if s == loser.id else s, sc, r) for a, s, sc, r in batch.members]
        batch.touched[loser.id] = loser
        batch.touched[winner.id] = self._remember(winner)
        self.stories.remove(loser.seq)
        self.stories.upsert(winner.seq, winner.centroid)

    def merge_close(self, batch: _Batch) -> int:
        """Merge stories of this batch whose centres came within story_merge_score of another's."""
        merged = 0
        for sid in sorted(batch.touched):
            s = batch.touched[sid]
            if s.merged_into is not None or s.n == 0:
                continue
            c = s.centroid
            for other in self._states_by_seq([k for k, _ in self.stories.search(c, 6)], batch):
                if other.id == s.id or other.merged_into is not None:
                    continue
                windows = (self._in_window(_day(other.first_seen), s), self._in_window(_day(other.last_seen), s))
                if False in windows and True not in windows:
                    continue
                undated = None in windows
                idf = self._idf(set(s.names) | set(other.names))
                names = min(self._names_score(set(s.names), idf, other), self._names_score(set(other.names), idf, s))
                if ((self._mostly_untrained(s) or self._mostly_untrained(other))
                        and names < self.config.story_min_names_untrained):
                    continue
                sc = float(c @ other.centroid) + self.config.story_names_weight * names
                bar = self.config.story_merge_score + (
                    self.config.story_min_score_undated - self.config.story_min_score if undated else 0.0)
                if sc >= bar:
                    winner, loser = (s, other) if (s.n, -s.seq) >= (other.n, -other.seq) else (other, s)
                    self._merge(loser, winner, batch)
                    merged += 1
                    if loser is s:
                        break
                    c = s.centroid
        return merged

    def _new_story_id(self, aid: str, batch: "_Batch") -> str:
        """"s" + the id of the article that opens the story; if a story already has that id (the
        article left it when its text changed, and others still hold it), one derived from the
        story's seq instead."""
        sid = "s" + aid
        if sid in batch.touched or sid in self.cache or self.store.get_story_states(ids=[sid]):
            sid = "s" + hashlib.sha256(f"{aid}|{self.next_seq}".encode()).hexdigest()[:16]
        return sid

    def fix_dirty(self) -> None:
        """Recompute stories that lost an article whose text changed (store.update_blocks)."""
        for sid in self.store.dirty_stories():
            batch = _Batch()
            found = self.store.get_story_states(ids=[sid])
            if not found:
                continue
            s = found[0]
            ids = self.store.story_member_ids(sid)
            inputs = self.store.story_inputs(self.model, ids)
            s.vec_sum = np.zeros_like(s.vec_sum)
            s.n, s.first_seen, s.last_seen, s.names, s.langs, s.titles = 0, None, None, {}, {}, {}
            for aid in ids:
                a = self.store.get_article(aid)
                if a is None or aid not in inputs:
                    continue
                self._add(s, self.article_input(a, *inputs[aid]), batch)
            if s.n == 0:
                batch.deleted.append(s.id)
                batch.touched.pop(s.id, None)
                self.stories.remove(s.seq)
                self.cache.pop(s.id, None)
            else:
                batch.touched[s.id] = s
            self.commit(batch)

    def article_input(self, a: Article, seq: int, vec: np.ndarray) -> _Placed:
        return _Placed(a.id, seq, vec, _day(a.published), a.published, a.lang, title_of(a),
                       salient_names(f"{a.title or ''}\n{a.text}"))

    def commit(self, batch: _Batch) -> None:
        self.generation += 1
        self.store.put_stories(self.model, list(batch.touched.values()), batch.members, batch.moved, batch.deleted,
                               dict(batch.name_counts), self.generation, self.n_articles)

    def save_indexes(self) -> None:
        self.stories.save(self.generation)
        self.articles.save(self.generation)


def load_indexes(store: Store, model: str, dim: int) -> tuple[VectorIndex, VectorIndex]:
    """The story and article indexes as the last run left them (rebuilt in memory if stale)."""
    gen = int(store.get_meta("stories_generation", "0") or 0)
    in_store = getattr(store, "vector_index", None)  # PostgreSQL with pgvector keeps them itself
    stories = in_store("stories", dim) if in_store else None
    articles = in_store("articles", dim) if in_store else None
    if stories is None or articles is None:
        d = index_dir(store)
        stories = VectorIndex(dim, f"{d}/stories.usearch" if d else None)
        articles = VectorIndex(dim, f"{d}/articles.usearch" if d else None)
    if not stories.load(gen):
        stories.rebuild(store.story_vectors())
    if not articles.load(gen):
        articles.rebuild(store.member_vectors(model))
    return stories, articles


def index_dir(store: Store) -> str | None:
    """Indexes live next to the store file (none for an in-memory store)."""
    path = getattr(store, "path", None)
    if not path or path == ":memory:":
        return None
    d = Path(f"{path}.index")
    d.mkdir(parents=True, exist_ok=True)
    return str(d)


def run_stories(store: Store, model: str, dim: int, config: Config,
                progress: Callable[[int, int], None] | None = None,
                languages: frozenset[str] | None = None) -> StoriesReport:
    """Place every article that has a vector and no story yet; returns what changed."""
    started = time.perf_counter()
    report = StoriesReport()
    pending = store.stories_pending(model)
    dirty = store.dirty_stories()
    if not pending and not dirty:
        return report
    clusterer = StoryClusterer(store, model, dim, config, languages)
    clusterer.fix_dirty()
    saved_at = time.perf_counter()
    batch_articles = config.batch_size  # one store transaction per batch, as in every stage
    for i in range(0, len(pending), batch_articles):
        ids = pending[i:i + batch_articles]
        inputs = store.story_inputs(model, ids)
        batch = _Batch()
        opened_before = clusterer.next_seq
        for aid in ids:
            a = store.get_article(aid)
            if a is None or aid not in inputs:
                continue
            copies = [r.b if r.a == aid else r.a for r in store.relations(aid) if r.kind in COPY_KINDS]
            clusterer.place(clusterer.article_input(a, *inputs[aid]), copies, batch)
            report.placed += 1
        report.opened += clusterer.next_seq - opened_before
        report.merged += clusterer.merge_close(batch)
        clusterer.commit(batch)
        # The indexes are derived data: saved now and then, rebuilt from the store after a crash.
        if time.perf_counter() - saved_at > 60:
            clusterer.save_indexes()
            saved_at = time.perf_counter()
        if progress:
            progress(min(i + batch_articles, len(pending)), len(pending))
    clusterer.save_indexes()
    report.seconds = time.perf_counter() - started
    return report
