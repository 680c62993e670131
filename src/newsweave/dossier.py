"""Story dossiers: everything known about one story, in the reader's language where possible.

A dossier is built from the store only (no model is loaded, so a page renders in milliseconds):
headline and summary from the story's article nearest its centre in the chosen language (news
leads are summaries; the first sentences of that article are the extract), else the original with
its language marked; the timeline of articles and dated events; actors (canonical entities by the
number of the story's articles naming them); claims with independent-source counts; the
provenance graph (who copied or translated whom) from the dedup relations; languages and outlets.

Rendered as JSON (`to_dict`), Markdown (`to_markdown`) and standalone HTML (`web.render_report`).
"""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .events import RELIABLE, resolve_entities, sentences
from .records import Article, Claim, Event, Story

SUMMARY_SENTENCES = 3


@dataclass
class Dossier:
    story: Story
    lang: str | None  # the language asked for
    headline: str
    headline_lang: str | None
    summary: list[str]
    summary_lang: str | None
    summary_article: str | None  # the article the summary is taken from
    articles: list[dict]  # id, title, lang, published, source, url, joined (new/similar/copy), score
    timeline: list[dict]  # date, kind (article/event), article_id, text, lang
    actors: list[dict]  # id, name, type, articles (count in this story)
    events: list[Event]
    claims: list[Claim]
    provenance: list[dict]  # a, b, kind, original, score
    languages: dict[str, int]
    outlets: dict[str, int]
    undated: int = 0  # articles without a date (not on the timeline)
    notes: list[str] = field(default_factory=list)
    records: list[Article] = field(default_factory=list, repr=False)  # the articles themselves, as listed

    def to_dict(self) -> dict[str, Any]:
        return {
            "story": self.story.to_dict(), "lang": self.lang, "headline": self.headline,
            "headline_lang": self.headline_lang, "summary": self.summary, "summary_lang": self.summary_lang,
            "summary_article": self.summary_article, "articles": self.articles, "timeline": self.timeline,
            "actors": self.actors, "events": [e.to_dict() for e in self.events],
            "claims": [c.to_dict() for c in self.claims], "provenance": self.provenance,
            "languages": self.languages, "outlets": self.outlets, "undated": self.undated, "notes": self.notes,
        }

    @functools.cached_property
    def _confidence(self) -> dict[str, float]:
        return {e.id: e.confidence for e in self.events}

    def low_confidence(self, claim: Claim) -> bool:
        """Whether no event of the claim reaches the reliable tier (events.RELIABLE): only shown
        when the floor is set below the tier."""
        if claim.confidence is not None:
            return claim.confidence < RELIABLE
        return max((self._confidence.get(i, 0.0) for i in claim.event_ids), default=0.0) < RELIABLE

    def to_markdown(self) -> str:
        out = [f"# {_md(self.headline)}" + (f" [{self.headline_lang}]" if self.lang and self.headline_lang != self.lang else ""), ""]
        st = self.story
        out.append(f"Story `{st.id}` · {len(st.article_ids)} article(s) · languages: "
                   + ", ".join(f"{k} ({v})" for k, v in self.languages.items())
                   + (f" · {st.first_seen} – {st.last_seen}" if st.first_seen else ""))
        out.append("")
        out += [f"_{_md(n)}_" for n in self.notes] + ([""] if self.notes else [])
        if self.summary:
            out += ["## Summary" + (f" [{self.summary_lang}]" if self.lang and self.summary_lang != self.lang else ""), ""]
            out += [" ".join(_md(s) for s in self.summary), ""]
        out += ["## Timeline", ""]
        for t in self.timeline:
            out.append(f"- **{t['date']}** {t['kind']}: {_md(t['text'])} ({t['lang']}, `{t['article_id'][:12]}`)")
        if self.undated:
            out.append(f"- {self.undated} undated article(s)")
        out += ["", "## Actors", ""]
        out += [f"- {_md(a['name'])} ({a['type']}, {a['articles']} article(s))" for a in self.actors] or ["- none found"]
        out += ["", "## Claims", ""]
        if not self.claims:
            out.append("- none found")
        for c in self.claims:
            cited = "; ".join(_md(x["name"]) for x in c.cited_sources) or "no attribution"
            out.append(f"- {_md(c.actor['text'])} → {c.type}{' (' + c.mode + ')' if c.mode else ''} → "
                       f"{_md(c.target['text']) if c.target else '—'}: **{c.independent_sources} independent "
                       f"source(s)**, {len(c.article_ids)} article(s); cites: {cited}"
                       + (" (low confidence)" if self.low_confidence(c) else "")
                       + (f"; every report cites {_md(c.sole_source)}" if c.sole_source else ""))
        out += ["", "## Provenance", ""]
        if not self.provenance:
            out.append("- no copies or translations among these articles")
        for p in self.provenance:
            src, dst = (p["original"], p["b"] if p["original"] == p["a"] else p["a"]) if p["original"] else (p["a"], p["b"])
            out.append(f"- `{src[:12]}` → `{dst[:12]}`: {p['kind']}" + ("" if p["original"] else " (direction unknown)"))
        out += ["", "## Articles", ""]
        for a in self.articles:
            out.append(f"- `{a['id'][:12]}` [{a['lang']}] {a['published'] or 'undated'} · {_md(a['source'] or '?')} · "
                       f"{_md(a['title'] or '(no title)')} — joined: {a['joined']}")
        out += ["", "## Outlets", ""]
        out += [f"- {_md(k)}: {v}" for k, v in self.outlets.items()]
        return "\n".join(out) + "\n"


def _md(text: str) -> str:
    """Untrusted text in Markdown: no HTML, no links or emphasis it did not have as plain text."""
    return (text.replace("\\", "\\\\").replace("<", "&lt;").replace(">", "&gt;").replace("[", "\\[")
            .replace("]", "\\]").replace("*", "\\*").replace("_", "\\_").replace("`", "\\`").replace("\n", " "))


def build_dossier(nw, story_id: str, lang: str | None = None, max_actors: int = 15,
                  min_confidence: float | None = None) -> Dossier:
    """The dossier of a story (id or prefix), with headline and summary in `lang` where an article
    in it exists; events and claims from `nw.confidence_floor(min_confidence)` up."""
    store = nw.store
    story = nw.story(story_id)
    ids = story.article_ids
    articles: dict[str, Article] = {aid: a for aid in ids if (a := store.get_article(aid)) is not None}
    members = {aid: (score, reason) for aid, score, reason in store.story_members(story.id)}
    state = store.get_story_states(ids=[story.id])[0]
    # Headline and summary: the article nearest the centre in the asked language, else in the
    # story's main language.
    pick_lang = lang if lang and lang in state.titles else (story.languages[0] if story.languages else None)
    central = state.titles.get(pick_lang) if pick_lang else None
    source_article = articles.get(central[2]) if central else None
    if source_article is None and articles:
        source_article = next(iter(articles.values()))
        pick_lang = source_article.lang
    headline = (central[0] if central and central[0] else (source_article.title if source_article else story.title)) or story.title
    summary: list[str] = []
    if source_article is not None:
        text = source_article.text
        title = (source_article.title or "").strip()
        for s, e in sentences(text):
            sent = text[s:e].strip()
            if sent and sent != title and len(sent.split()) >= 5:
                summary.append(sent)
            if len(summary) >= SUMMARY_SENTENCES:
                break
    # What the other views report (Newsweave.confidence_floor): the rest is counted, not shown.
    floor = nw.confidence_floor(min_confidence)
    events = [e for e in resolve_entities(store.events_of(ids), nw._entity_of_key) if e.confidence >= floor]
    every_claim = store.list_claims(story_id=story.id)
    claims = [c for c in every_claim if c.reaches(floor)]
    # Timeline: dated articles and dated events.
    timeline = []
    for a in articles.values():
        if a.published:
            timeline.append({"date": a.published[:10], "kind": "article", "article_id": a.id,
                             "text": a.title or "(no title)", "lang": a.lang})
    for e in events:
        if e.date:
            timeline.append({"date": e.date, "kind": "event", "article_id": e.article_id, "lang": e.lang,
                             "text": f"{e.actor['text']} → {e.type} → {e.target['text'] if e.target else '—'}",
                             "event_id": e.id})
    timeline.sort(key=lambda t: (t["date"], t["kind"], t["article_id"]))
    # Actors: entities named in the story's articles.
    counts: Counter = Counter()
    for aid in ids:
        seen = set()
        for m in store.mentions_of(aid):
            eid = nw._entity_of_key(m.key) if m.key else None
            if eid and eid not in seen:
                seen.add(eid)
                counts[eid] += 1
    actors = []
    for eid, n in counts.most_common(max_actors):
        ent = store.get_entity(eid)
        if ent is not None:
            actors.append({"id": ent.id, "name": ent.name, "type": ent.type, "articles": n})
    idset = set(ids)
    provenance = [{"a": r.a, "b": r.b, "kind": r.kind, "original": r.original, "score": round(r.score, 3)}
                  for aid in ids for r in store.relations(aid) if r.a == aid and r.b in idset]
    art_rows = []
    for aid in ids:
        a = articles.get(aid)
        if a is None:
            continue
        score, reason = members.get(aid, (None, None))
        art_rows.append({"id": a.id, "title": a.title, "lang": a.lang, "published": a.published, "source": a.source,
                         "url": a.url, "joined": reason, "score": round(score, 3) if score is not None else None})
    art_rows.sort(key=lambda r: (r["published"] or "9999", r["id"]))
    languages = dict(Counter(a.lang or "und" for a in articles.values()).most_common())
    outlets = dict(Counter(a.source or "unknown" for a in articles.values()).most_common())
    notes = []
    if lang and pick_lang != lang:
        notes.append(f"no article in {lang}: headline and summary are in {pick_lang}")
    if hidden := len(every_claim) - len(claims):
        notes.append(f"{hidden} claim(s) below confidence {floor:.2f} not shown (min_confidence=0 / --all shows them)")
    return Dossier(story=story, lang=lang, headline=headline, headline_lang=pick_lang, summary=summary,
                   summary_lang=pick_lang if summary else None, summary_article=source_article.id if source_article else None,
                   articles=art_rows, timeline=timeline, actors=actors, events=events, claims=claims,
                   provenance=provenance, languages=languages, outlets=outlets,
                   undated=sum(1 for a in articles.values() if not a.published), notes=notes,
                   records=[articles[r["id"]] for r in art_rows])
