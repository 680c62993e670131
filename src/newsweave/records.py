"""Typed records passed between pipeline stages.

`RawDocument` is what ingest yields (one input item, decoded, not yet cleaned); `Article` is what
extraction produces and the store keeps. An article keeps every line of its input: each line ends
up in the title, in a kept paragraph, or in a removed block that says why it was removed, and the
untouched input is kept in `raw`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

DocumentKind = Literal["text", "html"]


@dataclass(slots=True)
class RawDocument:
    """One input item as read: decoded content plus whatever metadata the container gave."""

    locator: str  # where it came from: a path, "path:LINE" for JSONL, a URL, "feed#N"
    content: str  # decoded text or HTML, untouched
    kind: DocumentKind
    source_path: str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = None  # as given by the container (JSONL field, feed entry); parsed later
    source: str | None = None  # outlet name as given (JSONL `source`, feed title, HTML site name)
    author: str | None = None
    # Which articles count as "one source" for cross-document boilerplate evidence: the outlet when
    # known, else the folder a file came from (a folder of files is usually one scrape of one site).
    source_key: str = ""

    @property
    def article_id(self) -> str:
        return article_id(self.content, self.url)


def article_id(content: str, url: str | None = None) -> str:
    """Content hash: the same input ingested twice gets the same id and is stored once.

    The URL is part of the identity (the same wire text published at two addresses is two
    articles, which the dedup stage then relates), the local file path is not (moving a folder
    and re-ingesting it must not double anything).
    """
    h = hashlib.sha256()
    h.update((url or "").encode("utf-8", "surrogatepass"))
    h.update(b"\0")
    h.update(content.encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:16]


@dataclass(slots=True)
class Block:
    """One paragraph-sized line of an article, kept (`reason` is None) or removed (with why)."""

    text: str
    lang: str | None = None
    reason: str | None = None

    @property
    def kept(self) -> bool:
        return self.reason is None


@dataclass(slots=True)
class Article:
    id: str
    raw: str
    kind: DocumentKind
    blocks: list[Block]
    title: str | None = None
    published: str | None = None  # ISO 8601 date (YYYY-MM-DD) or None
    lang: str | None = None
    source: str | None = None
    source_path: str | None = None
    url: str | None = None
    author: str | None = None
    source_key: str = ""
    ingested_at: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def paragraphs(self) -> list[Block]:
        return [b for b in self.blocks if b.reason is None]

    @property
    def removed(self) -> list[Block]:
        return [b for b in self.blocks if b.reason is not None]

    @property
    def text(self) -> str:
        return "\n\n".join(b.text for b in self.blocks if b.reason is None)

    def to_dict(self) -> dict[str, Any]:
        """The export record (docs/FORMAT.md, `articles.jsonl`)."""
        return {
            "id": self.id,
            "source_path": self.source_path,
            "url": self.url,
            "source": self.source,
            "title": self.title,
            "published": self.published,
            "lang": self.lang,
            "author": self.author,
            "text": self.text,
            "raw": self.raw,
            "paragraphs": [{"text": b.text, "lang": b.lang} for b in self.paragraphs],
            "removed": [{"text": b.text, "reason": b.reason} for b in self.removed],
            "ingested_at": self.ingested_at,
        }


@dataclass(slots=True)
class Relation:
    """Two articles that are one report: identical, near_duplicate, excerpt or translation."""

    a: str
    b: str
    kind: str
    score: float
    original: str | None = None  # id of the one the other was copied or translated from, if told
    evidence: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b, "kind": self.kind, "score": round(self.score, 4),
                "original": self.original, "evidence": self.evidence}


@dataclass(slots=True)
class Story:
    """A group of articles reporting one event, in any number of languages."""

    id: str
    title: str  # the title in the story's most frequent language
    titles: dict[str, str]  # language -> the title of its article nearest the story's centre
    article_ids: list[str]
    first_seen: str | None  # earliest and latest publication date of its dated articles
    last_seen: str | None
    languages: list[str]  # most frequent first

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "titles": self.titles, "article_ids": self.article_ids,
                "first_seen": self.first_seen, "last_seen": self.last_seen, "languages": self.languages}


@dataclass(slots=True)
class StoryState:
    """What the stories stage keeps of a story between articles: sums, not member lists, so an
    article joins in constant time whatever the story's size."""

    seq: int  # key in the story vector index
    id: str
    vec_sum: np.ndarray  # float32 sum of member article vectors
    n: int
    first_seen: str | None
    last_seen: str | None
    names: dict[str, int]  # normalised name -> member articles naming it (most frequent kept)
    langs: dict[str, int]
    titles: dict[str, list]  # language -> [title, cosine to the centre when chosen, article id]
    merged_into: str | None = None

    @property
    def centroid(self) -> np.ndarray:
        norm = float(np.linalg.norm(self.vec_sum))
        return self.vec_sum / norm if norm > 0 else self.vec_sum

    def to_story(self, article_ids: list[str]) -> Story:
        langs = sorted(self.langs, key=lambda k: (-self.langs[k], k))
        titles = {lang: t[0] for lang, t in sorted(self.titles.items())}
        title = next((titles[lg] for lg in langs if lg in titles), next(iter(titles.values()), ""))
        return Story(self.id, title, titles, article_ids, self.first_seen, self.last_seen, langs)


@dataclass(slots=True)
class SearchHit:
    kind: Literal["article", "story"]
    id: str
    score: float  # cosine similarity (semantic), -bm25 (full text), or fused rank score (hybrid)
    title: str
    languages: list[str]
    snippet: str | None = None  # full-text matches: the passage, matched words between \x02 and \x03

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "score": round(self.score, 4), "title": self.title,
                "languages": self.languages, "snippet": self.snippet}


@dataclass
class Event:
    """One action between actors reported in one sentence, with its evidence (docs/FORMAT.md,
    `events.jsonl`). Actor, target and location are mention references: text, key, entity_id, type."""

    id: str
    article_id: str
    type: str  # PLOVER event type (REQUEST, AID, SUPPORT, ...)
    mode: str | None  # military, economic, humanitarian, diplomatic, where the sentence says so
    object: str | None  # what is requested or given ("surface-to-surface missiles")
    actor: dict
    target: dict | None
    location: dict | None
    date: str | None  # of the action, resolved against the article's date (YYYY-MM-DD or YYYY-MM)
    date_text: str | None  # the words that gave it
    published: str | None  # the article's date
    sentence: str  # the evidence
    start: int  # offsets of the sentence in the article's text
    end: int
    trigger: str | None
    attribution: dict | None  # speaker, kind (named/anonymous/...), cue, via, keys, entity_ids, inherited
    quote: str | None
    lang: str | None
    via: str  # "rule" (trigger words) or "embedding" (typed by the encoder)
    confidence: float
    basis: str | None = None  # how it was found: the class its confidence is measured for

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass
class Claim:
    """Events that make one assertion across articles (same actor, action and target, compatible
    dates), with how many independent sources report it (docs/FORMAT.md, `claims.jsonl`)."""

    id: str
    type: str
    mode: str | None
    actor: dict
    target: dict | None
    event_ids: list[str]
    article_ids: list[str]
    story_ids: list[str]
    first_date: str | None
    last_date: str | None
    independent_sources: int  # provenance groups: copies and translations of one report count once
    provenance: list[list[str]]  # the groups
    cited_sources: list[dict]  # {name, id, chains}: whom the reports cite, in how many groups
    sole_source: str | None  # set when every independent report cites this one source
    # the highest confidence among its events (None: built before claims kept one; reported as is)
    confidence: float | None = None

    def reaches(self, floor: float) -> bool:
        """Whether the claim is reported at this least confidence: its most confident event reaches
        it (a claim stored before claims kept a confidence is, there being nothing to weigh)."""
        return self.confidence is None or self.confidence >= floor

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}
