"""REST API and web UI in one FastAPI app (`newsweave serve`), over the same Python API as the CLI.

- `/api/...`: JSON; every response has a typed model (`schemas.py`), the OpenAPI schema is at
  `/openapi.json` and its browsable form at `/docs`. Lists are paginated (`limit`, `offset`) and
  filtered (time range, language, entity, source). Errors are JSON `{"error": code, "detail": ...}`
  with 400 (bad filter), 404 (unknown id), 401 (missing token), 413 (body too large), 422
  (malformed parameter) — never a 500 for bad input.
- `/`, `/stories/{id}`, `/entities/{id}`, `/articles/{id}`, `/search`: server-rendered pages
  (Jinja2 with autoescaping: article text is untrusted and is never marked safe), with a small
  script that refreshes the story list as articles arrive.

Each worker thread keeps its own store connection (SQLite connections belong to one thread);
writes (ingest) are serialised by a lock. A token (`--token` or NEWSWEAVE_TOKEN) guards the write
endpoints; it is required when the server listens beyond loopback.
"""

from __future__ import annotations

import ipaddress
import json
import os
import tempfile
import threading
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, StreamingResponse
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from . import schemas
from .api import Newsweave
from .config import Config
from .errors import NewsweaveError
from .events import RELIABLE

TEMPLATES = Path(__file__).parent / "templates"
NOT_FOUND = {"E203", "E205", "E206", "E207"}
ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
LANG = r"^[a-z]{2,3}$"
EVENT_TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE", "REJECT",
               "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")

Limit = Annotated[int, Query(ge=1, le=500, description="At most this many items.")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Skip this many items.")]
Lang = Annotated[str | None, Query(pattern=LANG, description="ISO 639-1 language code.")]
Since = Annotated[str | None, Query(pattern=ISO_DATE, description="Published on or after (YYYY-MM-DD).")]
Until = Annotated[str | None, Query(pattern=ISO_DATE, description="Published on or before (YYYY-MM-DD).")]
EntityName = Annotated[str | None, Query(min_length=1, max_length=200, description="An entity id or any of its names.")]
MinConfidence = Annotated[float | None, Query(ge=0.0, le=1.0, description=(
    "Only events (claims: with an event) at least this confident; confidence is the share of right events of the "
    "event's class on the judged sets, or on fresh text where lower. Default: the server's event_min_confidence (0 unless configured; "
    f"the reliable tier is {RELIABLE}); 0 gives every event found."))]


def is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def create_app(db: str | Path, config: Config | None = None, token: str | None = None,
               host: str = "127.0.0.1") -> FastAPI:
    config = config or Config()
    token = token or os.environ.get("NEWSWEAVE_TOKEN") or None
    if not is_loopback(host) and not token:
        raise NewsweaveError("E208", f"serving on {host} (beyond loopback) needs an API token for the write "
                                     "endpoints: pass --token or set NEWSWEAVE_TOKEN")
    local = threading.local()
    write_lock = threading.Lock()
    # Each connection is opened once per worker thread and reused.
    app = FastAPI(title="newsweave", version="0.1.0",
                  description="Local-first multilingual news stories: articles, stories, entities, events, claims.")
    templates = Jinja2Templates(directory=str(TEMPLATES))
    templates.env.autoescape = True
    templates.env.filters["marks"] = _marks

    def nw() -> Newsweave:
        if getattr(local, "nw", None) is None:
            local.nw = Newsweave(db, config)
        return local.nw

    def require_token(authorization: Annotated[str | None, Header()] = None) -> None:
        if token and authorization != f"Bearer {token}":
            raise _Error(401, "E209", "this endpoint writes: send 'Authorization: Bearer <token>'")

    @app.middleware("http")
    async def limit_body(request: Request, call_next):
        # Refuse oversized bodies before reading them (Content-Length), and while reading them.
        size = request.headers.get("content-length")
        if size is not None and (not size.isdigit() or int(size) > config.max_request_bytes):
            return _json_error(413, "E210", f"request body over {config.max_request_bytes} bytes")
        return await call_next(request)

    @app.exception_handler(NewsweaveError)
    async def newsweave_error(_request: Request, exc: NewsweaveError):
        return _json_error(404 if exc.code in NOT_FOUND else 400, exc.code, exc.message)

    @app.exception_handler(_Error)
    async def own_error(_request: Request, exc: _Error):
        return _json_error(exc.status, exc.code, exc.detail)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_request: Request, exc: RequestValidationError):
        parts = []
        for e in exc.errors()[:5]:
            where = ".".join(str(x) for x in e.get("loc", ()) if x != "body")
            parts.append(f"{where}: {e.get('msg', 'invalid')}")
        return _json_error(422, "E211", "; ".join(parts) or "invalid request")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException):
        return _json_error(exc.status_code, f"HTTP{exc.status_code}", str(exc.detail))

    # --- REST -------------------------------------------------------------------------------------

    @app.get("/api/articles", response_model=schemas.Page[schemas.ArticleSummary], tags=["articles"])
    def list_articles(lang: Lang = None, source: Annotated[str | None, Query(max_length=300)] = None,
                      since: Since = None, until: Until = None, entity: EntityName = None,
                      limit: Limit = 50, offset: Offset = 0):
        items = nw().articles(lang=lang, source=source, since=since, until=until, entity=entity,
                              limit=limit + 1, offset=offset)
        return schemas.page([schemas.ArticleSummary.of(a) for a in items], limit, offset)

    @app.get("/api/articles/{article_id}", response_model=schemas.ArticleOut, tags=["articles"])
    def get_article(article_id: Annotated[str, _id_path()]):
        a = nw().article(article_id)
        return schemas.ArticleOut.of(a, nw().store.story_of([a.id]).get(a.id), nw().relations(a.id))

    @app.get("/api/stories", response_model=schemas.Page[schemas.StoryOut], tags=["stories"])
    def list_stories(lang: Lang = None, since: Since = None, until: Until = None, limit: Limit = 50, offset: Offset = 0):
        items = nw().stories(lang=lang, since=since, until=until, limit=limit + 1, offset=offset)
        return schemas.page([schemas.StoryOut(**s.to_dict()) for s in items], limit, offset)

    @app.get("/api/stories/{story_id}", response_model=schemas.StoryOut, tags=["stories"])
    def get_story(story_id: Annotated[str, _id_path()]):
        return schemas.StoryOut(**nw().story(story_id).to_dict())

    @app.get("/api/stories/{story_id}/dossier", response_model=schemas.DossierOut, tags=["stories"])
    def get_dossier(story_id: Annotated[str, _id_path()], lang: Lang = None, min_confidence: MinConfidence = None):
        return schemas.DossierOut(**nw().dossier(story_id, lang, min_confidence=min_confidence).to_dict())

    @app.get("/api/stories/{story_id}/report", tags=["stories"], response_class=PlainTextResponse,
             responses={200: {"content": {"text/markdown": {}, "text/html": {}}}})
    def get_report(story_id: Annotated[str, _id_path()], lang: Lang = None,
                   format: Annotated[str, Query(pattern="^(md|html)$")] = "md",  # noqa: A002
                   min_confidence: MinConfidence = None):
        d = nw().dossier(story_id, lang, min_confidence=min_confidence)
        if format == "html":
            return HTMLResponse(render_report(d, nw()))
        return PlainTextResponse(d.to_markdown(), media_type="text/markdown; charset=utf-8")

    @app.get("/api/entities", response_model=schemas.Page[schemas.EntityOut], tags=["entities"])
    def list_entities(type: Annotated[str | None, Query(pattern="^(PER|ORG|LOC|MISC)$")] = None,  # noqa: A002
                      limit: Limit = 50, offset: Offset = 0):
        items = nw().entities(type=type, limit=limit + 1, offset=offset)
        return schemas.page([schemas.EntityOut(**e.to_dict()) for e in items], limit, offset)

    @app.get("/api/entities/{name_or_id}", response_model=schemas.EntityOut, tags=["entities"])
    def get_entity(name_or_id: Annotated[str, _id_path(200)]):
        return schemas.EntityOut(**nw().entity(name_or_id).to_dict())

    @app.get("/api/events", response_model=schemas.Page[schemas.EventOut], tags=["events"])
    def list_events(article: Annotated[str | None, Query(max_length=64)] = None,
                    story: Annotated[str | None, Query(max_length=64)] = None,
                    type: Annotated[str | None, Query(pattern="^(" + "|".join(EVENT_TYPES) + ")$")] = None,  # noqa: A002
                    entity: EntityName = None,
                    min_confidence: MinConfidence = None,
                    reliable: Annotated[bool, Query(description=f"Only the reliable tier (confidence >= {RELIABLE}).")] = False,
                    limit: Limit = 50, offset: Offset = 0):
        items = nw().events(article=article, story=story, type=type, entity=entity, limit=limit + 1, offset=offset,
                            min_confidence=min_confidence, reliable=reliable)
        return schemas.page([schemas.EventOut(**e.to_dict()) for e in items], limit, offset)

    @app.get("/api/claims", response_model=schemas.Page[schemas.ClaimOut], tags=["events"])
    def list_claims(story: Annotated[str | None, Query(max_length=64)] = None, entity: EntityName = None,
                    min_confidence: MinConfidence = None, limit: Limit = 50, offset: Offset = 0):
        items = nw().claims(story=story, entity=entity, limit=limit + 1, offset=offset, min_confidence=min_confidence)
        return schemas.page([schemas.ClaimOut(**c.to_dict()) for c in items], limit, offset)

    @app.get("/api/claims/{claim_id}", response_model=schemas.ClaimDetail, tags=["events"])
    def get_claim(claim_id: Annotated[str, _id_path()]):
        c = nw().claim(claim_id)
        return schemas.ClaimDetail(**c.to_dict(), evidence=[schemas.EventOut(**e.to_dict()) for e in nw().claim_events(c.id)])

    @app.get("/api/search", response_model=list[schemas.SearchHitOut], tags=["search"])
    def search(q: Annotated[str, Query(min_length=1, max_length=500, description="Words or a sentence, any language.")],
               kind: Annotated[str, Query(pattern="^(articles|stories)$")] = "articles",
               mode: Annotated[str, Query(pattern="^(semantic|fulltext|hybrid)$")] = "hybrid",
               entity: EntityName = None, k: Annotated[int, Query(ge=1, le=100)] = 10):
        if not q.strip():
            raise _Error(400, "E204", "empty search query")
        return [schemas.SearchHitOut(**h.to_dict()) for h in nw().search(q, k=k, kind=kind, entity=entity, mode=mode)]

    @app.post("/api/ingest", response_model=schemas.IngestReport, tags=["ingest"], dependencies=[Depends(require_token)])
    def ingest(body: schemas.IngestRequest):
        """Add articles (text, HTML, a URL or a feed URL) and run every stage on them."""
        with write_lock, tempfile.TemporaryDirectory(prefix="newsweave-ingest-") as tmp:
            inputs: list[str] = []
            records = []
            for item in body.items:
                if item.url and not (item.text or item.html):
                    if not item.url.startswith(("http://", "https://")):
                        raise _Error(400, "E110", f"only http(s) URLs can be fetched, not {item.url[:80]!r}")
                    inputs.append(item.url)
                else:
                    records.append({k: v for k, v in item.model_dump().items() if v is not None})
            if records:
                path = Path(tmp) / "items.jsonl"
                path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
                inputs.append(str(path))
            report = nw().run(inputs, workers=1)
        return schemas.IngestReport(
            added=report.added, already_stored=report.already_stored,
            errors=[str(e).replace(tmp, "request") for e in report.errors],
            stories_placed=report.stories_placed, seconds=round(report.seconds, 3))

    @app.get("/api/export/{name}", tags=["export"], response_class=PlainTextResponse,
             responses={200: {"content": {"application/x-ndjson": {}}}})
    def export(name: Annotated[str, _id_path(20)]):
        """One export file (docs/FORMAT.md) as JSON lines: articles, duplicates, provenance,
        stories, entities, events or claims."""
        from .export import jsonl_rows

        own = Newsweave(db, config)  # its own connection: the stream outlives this thread's call
        store = own.store
        rows = jsonl_rows(store, name, own.confidence_floor())
        if rows is None:
            store.close()
            raise _Error(404, "E204", f"no export named {name!r}; choose articles, duplicates, provenance, stories, "
                                      "entities, events or claims")

        def lines():
            try:
                for r in rows:
                    yield json.dumps(r, ensure_ascii=False) + "\n"
            finally:
                store.close()

        return StreamingResponse(lines(), media_type="application/x-ndjson")

    @app.get("/api/health", tags=["meta"])
    def health() -> dict[str, Any]:
        return {"ok": True, "articles": nw().count()}

    # --- pages ------------------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def page_stories(request: Request, lang: Lang = None, offset: Offset = 0):
        rows = nw().stories(lang=lang, limit=51, offset=offset)
        return templates.TemplateResponse(request, "stories.html", {
            "stories": rows[:50], "more": len(rows) > 50, "offset": offset, "lang": lang,
            "articles": nw().count()})

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def page_story(request: Request, story_id: Annotated[str, _id_path()], lang: Lang = None):
        d = nw().dossier(story_id, lang)
        return templates.TemplateResponse(request, "story.html", {"d": d, **_story_view(nw(), d)})

    @app.get("/entities/{name_or_id}", response_class=HTMLResponse, include_in_schema=False)
    def page_entity(request: Request, name_or_id: Annotated[str, _id_path(200)]):
        e = nw().entity(name_or_id)
        return templates.TemplateResponse(request, "entity.html", {
            "e": e, "stories": nw().entity_stories(e.id)[:50], "events": nw().events(entity=e.id, limit=50), "reliable": RELIABLE})

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def page_article(request: Request, article_id: Annotated[str, _id_path()]):
        a = nw().article(article_id)
        return templates.TemplateResponse(request, "article.html", {
            "a": a, "story": nw().store.story_of([a.id]).get(a.id), "relations": nw().relations(a.id)})

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def page_search(request: Request, q: Annotated[str, Query(max_length=500)] = "",
                    kind: Annotated[str, Query(pattern="^(articles|stories)$")] = "articles"):
        hits = nw().search(q, k=20, kind=kind, mode="hybrid") if q.strip() else []
        return templates.TemplateResponse(request, "search.html", {"q": q, "kind": kind, "hits": hits})

    app.state.newsweave = nw
    return app


class _Error(Exception):
    def __init__(self, status: int, code: str, detail: str):
        self.status, self.code, self.detail = status, code, detail


def _json_error(status: int, code: str, detail: str) -> JSONResponse:
    return JSONResponse({"error": code, "detail": detail}, status_code=status)


def _id_path(max_length: int = 64):
    from fastapi import Path as PathParam

    return PathParam(min_length=1, max_length=max_length)


def _marks(snippet: str | None):
    """A full-text snippet as HTML: the text escaped, then only our \\x02/\\x03 markers made <mark>."""
    from markupsafe import Markup, escape

    if not snippet:
        return ""
    return Markup(str(escape(snippet)).replace("\x02", "<mark>").replace("\x03", "</mark>"))


# --- story page and report: plots computed here, drawn as inline SVG by the template --------------

LANG_COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"]


def _story_view(nw: Newsweave, d) -> dict:
    from datetime import date

    langs = list(d.languages)
    colour = {lg: LANG_COLOURS[i % len(LANG_COLOURS)] for i, lg in enumerate(langs)}
    points = []
    dates = []
    for t in d.timeline:
        try:
            dates.append(date.fromisoformat(t["date"][:10] if len(t["date"]) >= 10 else t["date"] + "-01"))
        except ValueError:
            dates.append(None)
    known = [x for x in dates if x]
    lo, hi = (min(known), max(known)) if known else (None, None)
    span = max(1, (hi - lo).days) if known else 1
    width, pad = 640, 30
    for t, dt in zip(d.timeline, dates):
        if dt is None:
            continue
        x = pad + (width - 2 * pad) * ((dt - lo).days / span if span else 0.5)
        points.append({"x": round(x, 1), "y": 30 if t["kind"] == "article" else 60, "kind": t["kind"], "date": t["date"],
                       "text": t["text"], "colour": colour.get(t["lang"] or "", "#555"), "article_id": t["article_id"]})
    # Provenance graph: the story's articles on a circle, arrows from original to copy.
    ids = [a["id"] for a in d.articles]
    involved = [i for i in ids if any(i in (p["a"], p["b"]) for p in d.provenance)]
    import math

    n = len(involved)
    pos = {aid: (160 + 110 * math.cos(2 * math.pi * k / max(1, n) - math.pi / 2),
                 130 + 100 * math.sin(2 * math.pi * k / max(1, n) - math.pi / 2)) for k, aid in enumerate(involved)}
    by_id = {a["id"]: a for a in d.articles}
    nodes = [{"id": aid, "x": round(x, 1), "y": round(y, 1), "lang": by_id[aid]["lang"],
              "colour": colour.get(by_id[aid]["lang"] or "", "#555"), "label": aid[:6]} for aid, (x, y) in pos.items()]
    edges = []
    for p in d.provenance:
        src, dst = (p["original"], p["b"] if p["original"] == p["a"] else p["a"]) if p["original"] else (p["a"], p["b"])
        if src in pos and dst in pos:
            (x1, y1), (x2, y2) = pos[src], pos[dst]
            # stop short of the target circle so the arrow head shows
            dx, dy = x2 - x1, y2 - y1
            dist = math.hypot(dx, dy) or 1
            edges.append({"x1": round(x1 + dx * 18 / dist, 1), "y1": round(y1 + dy * 18 / dist, 1),
                          "x2": round(x2 - dx * 22 / dist, 1), "y2": round(y2 - dy * 22 / dist, 1),
                          "kind": p["kind"], "directed": bool(p["original"]), "src": src, "dst": dst})
    articles_full = d.records
    return {"points": points, "first": lo.isoformat() if lo else None, "last": hi.isoformat() if hi else None,
            "colour": colour, "nodes": nodes, "edges": edges, "articles_full": articles_full, "width": width}


def render_report(d, nw: Newsweave) -> str:
    """A standalone HTML dossier (one file, inline CSS and SVG, no script)."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(default=True))
    env.filters["marks"] = _marks
    return env.get_template("report.html").render(d=d, standalone=True, **_story_view(nw, d))
