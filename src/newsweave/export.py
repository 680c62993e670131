"""Export the store to files (docs/FORMAT.md): articles.jsonl, .csv or .parquet, and the derived
records (duplicates, provenance, stories, entities, events, claims) as jsonl.

Files are written to a temporary name and renamed when complete, so an interrupted export never
leaves a truncated file that looks finished.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterator
from pathlib import Path

from .dedup import provenance_chains
from .errors import NewsweaveError
from .records import Article, Story
from .store import Store

FORMATS = ("jsonl", "csv", "parquet")
EXPORT_FIELDS = ["id", "source_path", "url", "source", "title", "published", "lang", "author", "text", "raw",
                 "paragraphs", "removed", "ingested_at"]


def export(store: Store, out: str | Path, fmt: str = "jsonl", min_confidence: float = 0.0) -> dict[str, Path]:
    """Write every file; events and claims from `min_confidence` up (Config.event_min_confidence
    through the API: what the other views report)."""
    if fmt not in FORMATS:
        raise NewsweaveError("E204", f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"articles.{fmt}"
    tmp = target.with_name(target.name + ".partial")
    rows = (a.to_dict() for a in store.iter_articles())
    if fmt == "jsonl":
        _write_jsonl(rows, tmp)
    elif fmt == "csv":
        _write_csv(rows, tmp)
    else:
        _write_parquet(store.iter_articles(), tmp)
    os.replace(tmp, target)
    files = {"articles": target}
    for name in ("duplicates", "provenance", "stories", "entities", "events", "claims"):
        path = out / f"{name}.jsonl"
        _write_jsonl(jsonl_rows(store, name, min_confidence), path.with_name(path.name + ".partial"))
        os.replace(path.with_name(path.name + ".partial"), path)
        files[name] = path
    return files


def jsonl_rows(store: Store, name: str, min_confidence: float = 0.0):
    """The rows of one export file by name (articles, duplicates, provenance, stories, entities,
    events, claims; events and claims from `min_confidence` up), or None for an unknown name."""
    if name == "articles":
        return (a.to_dict() for a in store.iter_articles())
    if name in ("duplicates", "provenance"):
        relations = store.relations()
        return (r.to_dict() for r in relations) if name == "duplicates" else iter(provenance_chains(relations))
    if name == "stories":
        return (st.to_dict() for st in iter_stories(store))
    if name == "entities":
        return (e.to_dict() for e in store.list_entities())
    if name == "events":
        return (e.to_dict() for e in _resolved_events(store) if e.confidence >= min_confidence)
    if name == "claims":
        return (c.to_dict() for c in store.list_claims(min_confidence=min_confidence))
    return None


def _resolved_events(store: Store):
    from .events import resolve_entities

    return resolve_entities(store.all_events(), dict(store.entity_keys()).get)


def iter_stories(store: Store, page: int = 1000) -> Iterator[Story]:
    offset = 0
    while states := store.list_stories(limit=page, offset=offset):
        for s in states:
            yield s.to_story(store.story_member_ids(s.id))
        offset += page


def _write_jsonl(rows: Iterator[dict], path: Path) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def _write_csv(rows: Iterator[dict], path: Path) -> None:
    # Nested fields (paragraphs, removed) are JSON strings in their cells.
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=EXPORT_FIELDS)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v
                             for k, v in row.items()})


def _write_parquet(articles: Iterator[Article], path: Path, chunk: int = 1000) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    para = pa.list_(pa.struct([("text", pa.string()), ("lang", pa.string())]))
    removed = pa.list_(pa.struct([("text", pa.string()), ("reason", pa.string())]))
    schema = pa.schema([
        ("id", pa.string()), ("source_path", pa.string()), ("url", pa.string()), ("source", pa.string()),
        ("title", pa.string()), ("published", pa.string()), ("lang", pa.string()), ("author", pa.string()),
        ("text", pa.string()), ("raw", pa.string()), ("paragraphs", para), ("removed", removed),
        ("ingested_at", pa.string()),
    ])
    with pq.ParquetWriter(path, schema) as writer:
        buf: list[dict] = []
        for a in articles:
            buf.append(a.to_dict())
            if len(buf) >= chunk:
                writer.write_table(pa.Table.from_pylist(buf, schema=schema))
                buf = []
        writer.write_table(pa.Table.from_pylist(buf, schema=schema))  # empty store: valid empty file
