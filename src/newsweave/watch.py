"""Feed and page watching: poll URLs every so often, ingest only what is new, update stories,
entities, events and claims incrementally, and fire alerts.

What is new: each poll is a conditional GET (If-None-Match / If-Modified-Since from the last
answer: a 304 costs nothing), and feed entries already taken from that URL (by guid or link) are
skipped, so a feed that re-orders or re-dates old entries does not re-fetch their pages. The
validators and the taken entries are stored only after the new articles are, so a watcher killed
mid-poll reads them again and the articles' content ids keep them single.

Alerts: a query (every word in a new article of the story, full text) or an entity (named in a
new article, or actor/target of a claim) that matches a new story or a new claim fires once per
(alert, story/claim): a log line, and optionally a webhook POST (JSON) and a line in a JSONL file.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from .api import Newsweave
from .errors import ItemError, NewsweaveError
from .fetch import FetchResult, fetch
from .ingest import items_from_response
from .records import RawDocument


@dataclass(frozen=True)
class Alert:
    kind: str  # "query" or "entity"
    value: str

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.value}"


@dataclass
class PollReport:
    url: str
    status: str  # "new", "not modified", "unchanged entries", or the error
    entries: int = 0  # entries (or pages) in the answer
    new: int = 0  # taken this time
    added: int = 0  # new articles stored
    fired: list[dict] = field(default_factory=list)


def parse_every(text: str) -> float:
    """'10m', '30s', '2h', '1d' or a number of seconds -> seconds."""
    text = text.strip().lower()
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    try:
        if text and text[-1] in units:
            value = float(text[:-1]) * units[text[-1]]
        else:
            value = float(text)
    except ValueError:
        raise NewsweaveError("E204", f"--every takes a duration such as 30s, 10m or 2h, not {text!r}") from None
    if value < 1:
        raise NewsweaveError("E204", "--every must be at least 1 second")
    return value


class Watcher:
    def __init__(self, nw: Newsweave, urls: list[str], alerts: list[Alert] | None = None,
                 webhook: str | None = None, alert_file: str | Path | None = None,
                 log: Callable[[str], None] = print):
        self.nw, self.urls, self.alerts = nw, urls, alerts or []
        self.webhook, self.alert_file, self.log = webhook, Path(alert_file) if alert_file else None, log

    def poll(self) -> list[PollReport]:
        return [self.poll_url(url) for url in self.urls]

    def run_forever(self, every: float, stop: Callable[[], bool] = lambda: False) -> None:
        while not stop():
            started = time.monotonic()
            for r in self.poll():
                self.log(f"{_now()} {r.url}: {r.status}; {r.new} new entr{'y' if r.new == 1 else 'ies'}, "
                         f"{r.added} article(s) added, {len(r.fired)} alert(s)")
            while not stop() and time.monotonic() - started < every:
                time.sleep(min(1.0, every))

    def poll_url(self, url: str) -> PollReport:
        store, config = self.nw.store, self.nw.config
        etag, modified = store.watch_state(url)
        headers = {k: v for k, v in (("If-None-Match", etag), ("If-Modified-Since", modified)) if v}
        result = fetch(url, config, headers=headers)
        if isinstance(result, ItemError):
            return PollReport(url, f"error: {result}")
        if result.status == 304:
            store.put_watch(url, etag, modified, "not modified", [], _now())
            return PollReport(url, "not modified")
        items = list(items_from_response(url, result, config))
        docs = [i for i in items if isinstance(i, RawDocument)]
        keys = [_entry_key(d) for d in docs]
        seen = store.watch_seen(url, keys)
        fresh = [(d, k) for d, k in zip(docs, keys) if k not in seen]
        report = PollReport(url, "new" if fresh else "unchanged entries", len(docs), len(fresh))
        if fresh:
            known = store.existing_ids(d.article_id for d, _ in fresh)
            run = self.nw.run([], items=[d for d, _ in fresh])
            report.added = run.added
            new_ids = sorted(store.existing_ids(d.article_id for d, _ in fresh if d.article_id not in known))
            report.fired = self._alerts(new_ids) if self.alerts else []
        store.put_watch(url, result.etag, result.last_modified, report.status, [k for _, k in fresh], _now())
        return report

    # --- alerts ------------------------------------------------------------------------------------

    def _alerts(self, new_ids: list[str]) -> list[dict]:
        """Alerts over the stories and claims that the articles stored by this poll joined."""
        store = self.nw.store
        if not new_ids:
            return []
        story_of = store.story_of(new_ids)
        # claims as the other views report them (Newsweave.confidence_floor)
        floor = self.nw.confidence_floor()
        claims = [c for c in store.claims_of_events([e.id for e in store.events_of(new_ids)]) if c.reaches(floor)]
        fired: list[dict] = []
        for alert in self.alerts:
            hits: dict[str, dict] = {}
            if alert.kind == "query":
                matching = {aid for aid, _, _ in store.search_text(alert.value, limit=100_000)} & set(new_ids)
                for aid in matching:
                    if sid := story_of.get(aid):
                        hits.setdefault(sid, {"type": "story", "id": sid, "article_ids": []})["article_ids"].append(aid)
                words = [w.casefold() for w in alert.value.split()]
                for c in claims:
                    text = " ".join(e.sentence for e in store.get_events(c.event_ids)).casefold()
                    if all(w in text for w in words):
                        hits[c.id] = {"type": "claim", "id": c.id, "article_ids": c.article_ids}
            else:
                try:
                    ent = self.nw.entity(alert.value)
                except NewsweaveError:
                    continue  # not seen yet
                for aid in set(ent.article_ids) & set(new_ids):
                    if sid := story_of.get(aid):
                        hits.setdefault(sid, {"type": "story", "id": sid, "article_ids": []})["article_ids"].append(aid)
                for c in claims:
                    if ent.id in ((c.actor or {}).get("entity_id"), (c.target or {}).get("entity_id")):
                        hits[c.id] = {"type": "claim", "id": c.id, "article_ids": c.article_ids}
            already = store.fired(alert.key, list(hits))
            for item_id, hit in hits.items():
                if item_id in already:
                    continue
                if hit["type"] == "story":
                    hit["title"] = self.nw.story(item_id).title
                else:
                    c = store.get_claim(item_id)
                    hit["title"] = f"{c.actor['text']} {c.type} {c.target['text'] if c.target else ''}".strip()
                    hit["independent_sources"] = c.independent_sources
                payload = {"alert": {"kind": alert.kind, "value": alert.value}, **hit, "at": _now()}
                self._fire(payload)
                fired.append(payload)
            store.put_fired(alert.key, [h for h in hits if h not in already], _now())
        return fired

    def _fire(self, payload: dict) -> None:
        self.log(f"ALERT {payload['alert']['kind']}={payload['alert']['value']!r}: new {payload['type']} "
                 f"{payload['id']} {payload.get('title', '')!r}")
        if self.alert_file:
            with self.alert_file.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(payload, ensure_ascii=False) + "\n")
        if self.webhook:
            import requests

            try:
                requests.post(self.webhook, json=payload, timeout=self.nw.config.fetch_timeout)
            except requests.RequestException as exc:
                self.log(f"webhook {self.webhook} failed: {exc}")


def _entry_key(doc: RawDocument) -> str:
    return doc.url or doc.locator


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


__all__ = ["Alert", "PollReport", "Watcher", "parse_every", "FetchResult"]
