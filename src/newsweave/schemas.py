"""Response and request models of the REST API: the Python API's records (`records.py`,
`entities.Entity`, `dossier.Dossier`) in their `to_dict` shape, typed for validation and the
OpenAPI schema. Field meanings are those of docs/FORMAT.md."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field, model_validator

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    limit: int
    offset: int
    next_offset: int | None = Field(None, description="offset of the next page, or null on the last page")


def page(items: list, limit: int, offset: int) -> dict:
    """A page from `limit + 1` fetched items (the extra one tells that a next page exists)."""
    more = len(items) > limit
    return {"items": items[:limit], "limit": limit, "offset": offset, "next_offset": offset + limit if more else None}


class Paragraph(BaseModel):
    text: str
    lang: str | None


class Removed(BaseModel):
    text: str
    reason: str | None


class ArticleSummary(BaseModel):
    id: str
    title: str | None
    published: str | None
    lang: str | None
    source: str | None
    url: str | None

    @classmethod
    def of(cls, a) -> "ArticleSummary":
        return cls(id=a.id, title=a.title, published=a.published, lang=a.lang, source=a.source, url=a.url)


class RelationOut(BaseModel):
    a: str
    b: str
    kind: str
    score: float
    original: str | None
    evidence: dict[str, Any]


class ArticleOut(BaseModel):
    id: str
    source_path: str | None
    url: str | None
    source: str | None
    title: str | None
    published: str | None
    lang: str | None
    author: str | None
    text: str
    raw: str
    paragraphs: list[Paragraph]
    removed: list[Removed]
    ingested_at: str | None
    story_id: str | None = None
    relations: list[RelationOut] = []

    @classmethod
    def of(cls, a, story_id: str | None, relations: list) -> "ArticleOut":
        return cls(**a.to_dict(), story_id=story_id, relations=[RelationOut(**r.to_dict()) for r in relations])


class StoryOut(BaseModel):
    id: str
    title: str
    titles: dict[str, str]
    article_ids: list[str]
    first_seen: str | None
    last_seen: str | None
    languages: list[str]


class AliasOut(BaseModel):
    name: str
    count: int
    languages: list[str]
    reason: str


class EntityOut(BaseModel):
    id: str
    name: str
    type: str
    aliases: list[str]
    alias_details: list[AliasOut]
    article_ids: list[str]
    country: str | None


class MentionRef(BaseModel):
    text: str
    key: str
    entity_id: str | None
    type: str
    group: str | None = None


class EventOut(BaseModel):
    id: str
    article_id: str
    type: str
    mode: str | None
    object: str | None
    actor: MentionRef
    target: MentionRef | None
    location: MentionRef | None
    date: str | None
    date_text: str | None
    published: str | None
    sentence: str
    start: int
    end: int
    trigger: str | None
    attribution: dict[str, Any] | None
    quote: str | None
    lang: str | None
    via: str
    confidence: float


class CitedSource(BaseModel):
    name: str
    id: str | None
    chains: int


class ClaimOut(BaseModel):
    id: str
    type: str
    mode: str | None
    actor: MentionRef
    target: MentionRef | None
    event_ids: list[str]
    article_ids: list[str]
    story_ids: list[str]
    first_date: str | None
    last_date: str | None
    independent_sources: int
    provenance: list[list[str]]
    cited_sources: list[CitedSource]
    sole_source: str | None
    confidence: float | None = None


class ClaimDetail(ClaimOut):
    evidence: list[EventOut]


class SearchHitOut(BaseModel):
    kind: str
    id: str
    score: float
    title: str
    languages: list[str]
    snippet: str | None = Field(None, description="full-text passage; matched words between \\u0002 and \\u0003")


class DossierArticle(BaseModel):
    id: str
    title: str | None
    lang: str | None
    published: str | None
    source: str | None
    url: str | None
    joined: str | None
    score: float | None


class TimelineItem(BaseModel):
    date: str
    kind: str
    article_id: str
    text: str
    lang: str | None
    event_id: str | None = None


class Actor(BaseModel):
    id: str
    name: str
    type: str
    articles: int


class ProvenanceEdge(BaseModel):
    a: str
    b: str
    kind: str
    original: str | None
    score: float


class DossierOut(BaseModel):
    story: StoryOut
    lang: str | None
    headline: str
    headline_lang: str | None
    summary: list[str]
    summary_lang: str | None
    summary_article: str | None
    articles: list[DossierArticle]
    timeline: list[TimelineItem]
    actors: list[Actor]
    events: list[EventOut]
    claims: list[ClaimOut]
    provenance: list[ProvenanceEdge]
    languages: dict[str, int]
    outlets: dict[str, int]
    undated: int
    notes: list[str]


class IngestItem(BaseModel):
    text: str | None = Field(None, max_length=1_000_000)
    html: str | None = Field(None, max_length=1_000_000)
    url: str | None = Field(None, max_length=2000, description="an http(s) page or feed to fetch, or the article's address")
    title: str | None = Field(None, max_length=1000)
    published: str | None = Field(None, max_length=40)
    source: str | None = Field(None, max_length=300)
    author: str | None = Field(None, max_length=300)

    @model_validator(mode="after")
    def _something(self) -> "IngestItem":
        if not (self.text or self.html or self.url):
            raise ValueError("an item needs text, html or url")
        return self


class IngestRequest(BaseModel):
    items: list[IngestItem] = Field(..., min_length=1, max_length=1000)


class IngestReport(BaseModel):
    added: int
    already_stored: int
    errors: list[str]
    stories_placed: int
    seconds: float
