"""Command line: a thin shell over `newsweave.api.Newsweave`."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from .api import DEFAULT_DB, Newsweave
from .config import Config
from .errors import ItemError, NewsweaveError
from .events import RELIABLE
from .pipeline import STAGES

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Turn news articles in many languages into clean, language-tagged records (and, "
                       "as stages land, duplicates, stories, entities, events and claims).")
out = Console()
err = Console(stderr=True)

DbOption = Annotated[str, typer.Option("--db", envvar="NEWSWEAVE_DB", help="Store: a SQLite file path (the default), or postgresql://user:password@host/db[?schema=NAME].")]


def _open(db: str, config_file: Optional[Path] = None, **overrides) -> Newsweave:
    config = Config.from_toml(config_file) if config_file else Config()
    for key, value in overrides.items():
        if value is not None:
            setattr(config, key, value)
    return Newsweave(db, config)


@app.command()
def run(
    inputs: Annotated[Optional[list[str]], typer.Argument(
        help="Files, folders (recursive), http(s) URLs, feeds, or - for stdin. None: finish pending stages.")] = None,
    db: DbOption = DEFAULT_DB,
    config_file: Annotated[Optional[Path], typer.Option("--config", help="TOML file with Config options.")] = None,
    workers: Annotated[int, typer.Option(help="Processes for extraction (0: one per core).")] = 0,
    follow_links: Annotated[Optional[bool], typer.Option("--follow-links/--no-follow-links",
                                                         help="Fetch each feed entry's page.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only errors and the summary line.")] = False,
    until: Annotated[Optional[str], typer.Option(help="Stop after this stage (`newsweave stages`).")] = None,
    executor: Annotated[str, typer.Option(help="local (processes on this machine) or ray.")] = "local",
    ray_address: Annotated[Optional[str], typer.Option(
        envvar="RAY_ADDRESS", help="A Ray cluster to run on (with --executor ray); none: a local Ray.")] = None,
) -> None:
    """Ingest INPUTS and run every stage built so far. Safe to re-run: stored articles are skipped."""
    inputs = inputs or []
    with _open(db, config_file, follow_feed_links=follow_links) as nw:
        def on_error(e: ItemError) -> None:
            err.print(f"[red]error[/red] {escape(str(e))}", highlight=False, soft_wrap=True)

        progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                            TimeElapsedColumn(), console=err, transient=True,
                            disable=quiet or not err.is_terminal)
        with progress:
            task = progress.add_task("ingesting", total=None)
            stage_tasks: dict = {}

            def on_stage(stage: str, done: int, total: int) -> None:
                if stage not in stage_tasks:
                    stage_tasks[stage] = progress.add_task(stage, total=total)
                progress.update(stage_tasks[stage], completed=done, total=total)

            report = nw.run(inputs, workers=workers, on_error=on_error, until=until, stage_progress=on_stage,
                            executor=executor, ray_address=ray_address,
                            progress=lambda done, added: progress.update(task, completed=done))
        total = nw.count()
        where = nw.store.label  # a PostgreSQL URL without its password
    if report.skipped_files and not quiet:
        err.print(f"skipped {len(report.skipped_files)} file(s) with extensions newsweave does not read "
                  f"(first: {escape(report.skipped_files[0])})", highlight=False)
    out.print(f"{report.inputs_read} input(s): {report.added} new article(s), {report.already_stored} already "
              f"stored, {len(report.errors)} error(s); {report.boilerplate_marked} recurring line(s) marked; "
              f"{report.embedded} embedded; {report.relations} duplicate/translation relation(s) found; "
              f"{report.stories_placed} placed in stories ({report.stories_opened} opened, "
              f"{report.stories_merged} merged); {report.entities_articles} read for entities; "
              f"{report.events_articles} read for events; "
              f"{total} article(s) in {escape(where)} ({report.seconds:.1f}s)", highlight=False)
    if inputs and not report.ok:
        err.print("[red]nothing could be read[/red]")
        raise typer.Exit(1)


@app.command()
def articles(
    db: DbOption = DEFAULT_DB,
    lang: Annotated[Optional[str], typer.Option(help="Only this language (ISO 639-1).")] = None,
    source: Annotated[Optional[str], typer.Option(help="Only this source name.")] = None,
    since: Annotated[Optional[str], typer.Option(help="Published on or after (YYYY-MM-DD).")] = None,
    until: Annotated[Optional[str], typer.Option(help="Published on or before (YYYY-MM-DD).")] = None,
    entity: Annotated[Optional[str], typer.Option(help="Only articles mentioning this entity (any alias).")] = None,
    limit: Annotated[int, typer.Option(help="At most this many.")] = 100,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """List stored articles."""
    with _open(db) as nw:
        rows = nw.articles(lang=lang, source=source, since=since, until=until, limit=limit, entity=entity)
    if as_json:
        for a in rows:
            sys.stdout.write(json.dumps({k: v for k, v in a.to_dict().items() if k != "raw"}, ensure_ascii=False) + "\n")
        return
    if not out.is_terminal:  # piped or redirected: one tab-separated line per article
        for a in rows:
            where = a.source or a.url or a.source_path or ""
            sys.stdout.write("\t".join([a.id, a.published or "-", a.lang or "-", (a.title or "").replace("\t", " "),
                                        where]) + "\n")
        return
    table = Table(show_lines=False)
    table.add_column("id", no_wrap=True, min_width=16)
    table.add_column("published", no_wrap=True, min_width=10)
    table.add_column("lang", no_wrap=True, min_width=4)
    table.add_column("title", no_wrap=True, overflow="ellipsis", max_width=60)
    table.add_column("source", no_wrap=True, overflow="ellipsis", max_width=24)
    for a in rows:
        where = a.source or a.url or (Path(a.source_path).name if a.source_path else "")
        table.add_row(a.id, a.published or "", a.lang or "", escape(a.title or ""), escape(where))
    out.print(table)


@app.command()
def stories(
    db: DbOption = DEFAULT_DB,
    lang: Annotated[Optional[str], typer.Option(help="Only stories with an article in this language.")] = None,
    since: Annotated[Optional[str], typer.Option(help="Last seen on or after (YYYY-MM-DD).")] = None,
    until: Annotated[Optional[str], typer.Option(help="First seen on or before (YYYY-MM-DD).")] = None,
    limit: Annotated[int, typer.Option(help="At most this many.")] = 100,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line (stories.jsonl).")] = False,
) -> None:
    """List stories (articles reporting one event, in any language), latest first."""
    with _open(db) as nw:
        rows = nw.stories(lang=lang, since=since, until=until, limit=limit)
    if as_json:
        for st in rows:
            sys.stdout.write(json.dumps(st.to_dict(), ensure_ascii=False) + "\n")
        return
    if not out.is_terminal:
        for st in rows:
            sys.stdout.write("\t".join([st.id, st.first_seen or "-", st.last_seen or "-", str(len(st.article_ids)),
                                        ",".join(st.languages), st.title.replace("\t", " ")]) + "\n")
        return
    table = Table()
    for col, width in (("id", 17), ("first", 10), ("last", 10), ("n", 3), ("langs", 8)):
        table.add_column(col, no_wrap=True, min_width=width)
    table.add_column("title", no_wrap=True, overflow="ellipsis", max_width=70)
    for st in rows:
        table.add_row(st.id, st.first_seen or "", st.last_seen or "", str(len(st.article_ids)),
                      ",".join(st.languages), escape(st.title))
    out.print(table)


@app.command()
def entities(
    db: DbOption = DEFAULT_DB,
    kind: Annotated[Optional[str], typer.Option("--type", help="PER, ORG, LOC or MISC.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line (entities.jsonl).")] = False,
) -> None:
    """List canonical entities (persons, organisations, places), most articles first."""
    with _open(db) as nw:
        rows = nw.entities(type=kind, limit=limit)
    for e in rows:
        if as_json:
            sys.stdout.write(json.dumps(e.to_dict(), ensure_ascii=False) + "\n")
        else:
            names = ", ".join(sorted({a["name"] for a in e.aliases} - {e.name})[:6])
            out.print(f"{e.id}  {e.type:<4} {len(e.article_ids):>4}  [bold]{escape(e.name)}[/bold]"
                      f"{'  (' + escape(names) + ')' if names else ''}", highlight=False)


@app.command()
def entity(
    name: Annotated[str, typer.Argument(help="Any alias, in any language or spelling, or an entity id.")],
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, typer.Option("--json", help="The entity record as JSON.")] = False,
) -> None:
    """Show one entity: its aliases with counts, languages and why each was joined; its articles."""
    with _open(db) as nw:
        e = nw.entity(name)
        arts = {a.id: a for a in nw.articles(entity=e.id)}
        stories = nw.entity_stories(e.id)
    if as_json:
        sys.stdout.write(json.dumps(e.to_dict() | {"story_ids": [st.id for st in stories]}, ensure_ascii=False,
                                    indent=2) + "\n")
        return
    out.print(f"[bold]{escape(e.name)}[/bold]  {e.type}  {e.id}  {len(e.article_ids)} article(s)", highlight=False)
    for a in e.aliases:
        out.print(f"  {escape(a['name'])}  x{a['count']}  {escape(','.join(a['languages']))}  "
                  f"[dim]{escape(a['reason'])}[/dim]", highlight=False)
    for st in stories:
        out.print(f"  story {st.id} ({len(st.article_ids)} article(s)): {escape(st.title[:80])}", highlight=False)
    for aid in e.article_ids:
        a = arts.get(aid)
        out.print(f"  {aid}  {a.published or '-' if a else ''}  {escape((a.title or '')[:80]) if a else ''}",
                  highlight=False)


def _ref(ref: dict | None) -> str:
    return escape(ref["text"]) if ref else "-"


def _attribution_text(a: dict | None) -> str:
    if not a:
        return "unattributed"
    who = a["speaker"] + (f" (to {a['via']})" if a.get("via") else "")
    return f"{a['kind']}: {escape(who)}" + (" [inherited]" if a.get("inherited") else "")


ConfigFile = Annotated[Optional[Path], typer.Option("--config", help="TOML file with Config options "
                                                  "(event_min_confidence sets what is reported).")]
MinConfidence = Annotated[Optional[float], typer.Option(
    min=0.0, max=1.0, help="Only events (claims: with an event) at least this confident; an event's confidence is "
    "the share of right events of its class on the judged sets, or on fresh text where lower (bench/RESULTS.md). "
    "Default: the config's event_min_confidence (0: all).")]
EveryEvent = Annotated[bool, typer.Option("--all", help="Every event the stage found, whatever the config's "
                                          "event_min_confidence (about 0.71 right on fresh text, against 0.81-0.88 for "
                                          f"the reliable tier, {RELIABLE}: bench/RESULTS.md).")]


def _below_floor_note(what: str, floor: float, as_json: bool) -> None:
    """Say that less confident records exist and how to see them (on stderr: stdout stays data)."""
    if floor > 0 and not as_json:
        err.print(f"[dim]{what} below confidence {floor:.2f} are not listed: --all lists every one[/dim]", highlight=False)


@app.command()
def events(
    db: DbOption = DEFAULT_DB,
    article: Annotated[Optional[str], typer.Option(help="Events of this article (id or prefix).")] = None,
    story: Annotated[Optional[str], typer.Option(help="Events of this story's articles.")] = None,
    kind: Annotated[Optional[str], typer.Option("--type", help="A PLOVER type: REQUEST, AID, SUPPORT, ...")] = None,
    entity: Annotated[Optional[str], typer.Option(help="Only events with this entity as actor or target.")] = None,
    config_file: ConfigFile = None,
    min_confidence: MinConfidence = None,
    every: EveryEvent = False,
    reliable: Annotated[bool, typer.Option("--reliable", help=f"Only the reliable tier (confidence >= {RELIABLE}), "
                                           "whatever --min-confidence says.")] = False,
    limit: Annotated[int, typer.Option(help="At most this many.")] = 100,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line (events.jsonl).")] = False,
) -> None:
    """List events: who did what to whom, when, with the evidence sentence and who says so."""
    with _open(db, config_file) as nw:
        floor = nw.confidence_floor(0.0 if every else min_confidence, reliable)
        rows = nw.events(article=article, story=story, type=kind, entity=entity, limit=limit, min_confidence=floor)
    _below_floor_note("events", floor, as_json or reliable)  # --reliable asked for the tier: nothing to say
    for e in rows:
        if as_json:
            sys.stdout.write(json.dumps(e.to_dict(), ensure_ascii=False) + "\n")
            continue
        what = e.type + (f" ({e.mode})" if e.mode else "") + (f": {escape(e.object)}" if e.object else "")
        when = f"{e.date} ({escape(e.date_text)})" if e.date else (e.published or "undated")
        out.print(f"{e.id}  {e.article_id[:12]}  [bold]{_ref(e.actor)} -> {what} -> {_ref(e.target)}[/bold]"
                  f"{'  in ' + _ref(e.location) if e.location else ''}  {when}", highlight=False)
        tier = "" if e.confidence >= RELIABLE else "  [yellow]low confidence[/yellow]"
        out.print(f"    {_attribution_text(e.attribution)}  confidence {e.confidence:.2f}{tier}", highlight=False)
        out.print(f"    [dim]{escape(e.sentence[:300])}[/dim]", highlight=False)


@app.command()
def claims(
    story: Annotated[Optional[str], typer.Argument(help="Claims of this story (id or prefix); all when omitted.")] = None,
    db: DbOption = DEFAULT_DB,
    entity: Annotated[Optional[str], typer.Option(help="Only claims with this entity as actor or target.")] = None,
    evidence: Annotated[bool, typer.Option("--evidence", help="Show each report's sentence and attribution.")] = False,
    config_file: ConfigFile = None,
    min_confidence: MinConfidence = None,
    every: EveryEvent = False,
    limit: Annotated[int, typer.Option(help="At most this many.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line (claims.jsonl).")] = False,
) -> None:
    """List claims (one assertion across articles) with their independent-source counts."""
    with _open(db, config_file) as nw:
        floor = nw.confidence_floor(0.0 if every else min_confidence)
        rows = nw.claims(story=story, entity=entity, limit=limit, min_confidence=floor)
        _below_floor_note("claims", floor, as_json)
        for c in rows:
            if as_json:
                sys.stdout.write(json.dumps(c.to_dict(), ensure_ascii=False) + "\n")
                continue
            cited = "; ".join(f"{escape(x['name'])} ({x['chains']})" for x in c.cited_sources[:4]) or "no attribution"
            n = c.independent_sources
            out.print(f"{c.id}  [bold]{_ref(c.actor)} -> {c.type}{' (' + c.mode + ')' if c.mode else ''} -> {_ref(c.target)}"
                      f"[/bold]  {n} independent source{'s' if n != 1 else ''}, {len(c.article_ids)} article(s)"
                      f"{', ' + c.first_date if c.first_date else ''}", highlight=False)
            out.print(f"    cites: {cited}" + (f"  [yellow]all reports cite {escape(c.sole_source)}[/yellow]" if c.sole_source else "")
                      + (f"  copies: {' '.join('+'.join(a[:8] for a in g) for g in c.provenance if len(g) > 1)}"
                         if any(len(g) > 1 for g in c.provenance) else ""), highlight=False)
            if evidence:
                for e in nw.claim_events(c.id):
                    out.print(f"    - {e.article_id[:12]} [{e.lang}] {escape(e.sentence[:240])}", highlight=False)
                    out.print(f"      {_attribution_text(e.attribution)}", highlight=False)


@app.command()
def watch(
    urls: Annotated[list[str], typer.Argument(help="Feeds or pages to poll (http/https).")],
    db: DbOption = DEFAULT_DB,
    every: Annotated[str, typer.Option(help="Poll interval: 30s, 10m, 2h.")] = "10m",
    alert_query: Annotated[Optional[list[str]], typer.Option("--alert-query", help="Fire when a new story or claim has these words.")] = None,
    alert_entity: Annotated[Optional[list[str]], typer.Option("--alert-entity", help="Fire when a new story or claim involves this entity.")] = None,
    webhook: Annotated[Optional[str], typer.Option(help="POST each alert as JSON to this URL.")] = None,
    alert_file: Annotated[Optional[Path], typer.Option(help="Append each alert as a JSON line to this file.")] = None,
    once: Annotated[bool, typer.Option("--once", help="Poll once and exit (for cron).")] = False,
    config_file: Annotated[Optional[Path], typer.Option("--config", help="TOML file with Config options.")] = None,
) -> None:
    """Poll feeds and pages, ingest only what is new, update stories and claims, fire alerts."""
    from .watch import Alert, Watcher, parse_every

    try:
        seconds = parse_every(every)
    except NewsweaveError as exc:
        err.print(f"[red]{escape(str(exc))}[/red]")
        raise typer.Exit(2)
    alerts = [Alert("query", q) for q in alert_query or []] + [Alert("entity", e) for e in alert_entity or []]
    with _open(db, config_file) as nw:
        w = Watcher(nw, urls, alerts, webhook=webhook, alert_file=alert_file,
                    log=lambda line: out.print(escape(line), highlight=False))
        if once:
            for r in w.poll():
                out.print(escape(f"{r.url}: {r.status}; {r.new} new, {r.added} added, {len(r.fired)} alert(s)"),
                          highlight=False)
            return
        try:
            w.run_forever(seconds)
        except KeyboardInterrupt:
            pass


@app.command()
def serve(
    db: DbOption = DEFAULT_DB,
    host: Annotated[str, typer.Option(help="Address to listen on (beyond loopback needs --token).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    token: Annotated[Optional[str], typer.Option(help="API token for the write endpoints (or NEWSWEAVE_TOKEN).")] = None,
    config_file: ConfigFile = None,
) -> None:
    """Serve the REST API (/api, schema at /docs) and the web UI (/) over the store."""
    import uvicorn

    from .server import create_app

    try:
        app_ = create_app(db, Config.from_toml(config_file) if config_file else None, token=token, host=host)
    except NewsweaveError as exc:
        err.print(f"[red]{escape(str(exc))}[/red]")
        raise typer.Exit(2)
    out.print(f"newsweave on http://{host}:{port}/ (API schema at /docs)", highlight=False)
    uvicorn.run(app_, host=host, port=port, log_level="warning")


@app.command()
def report(
    story: Annotated[str, typer.Argument(help="Story id or unique prefix.")],
    db: DbOption = DEFAULT_DB,
    fmt: Annotated[str, typer.Option("--format", help="html or md.")] = "html",
    lang: Annotated[Optional[str], typer.Option(help="Headline and summary in this language where possible.")] = None,
    out_path: Annotated[Optional[Path], typer.Option("--out", help="File to write (default: STORY.html / .md).")] = None,
    config_file: ConfigFile = None,
    min_confidence: MinConfidence = None,
    every: EveryEvent = False,
) -> None:
    """Write a standalone dossier of a story: summary, timeline, actors, claims, provenance, articles."""
    if fmt not in ("html", "md"):
        err.print("[red]--format must be html or md[/red]")
        raise typer.Exit(2)
    with _open(db, config_file) as nw:
        d = nw.dossier(story, lang, min_confidence=0.0 if every else min_confidence)
        if fmt == "html":
            from .server import render_report

            text = render_report(d, nw)
        else:
            text = d.to_markdown()
    target = out_path or Path(f"{d.story.id}.{fmt}")
    tmp = target.with_name(target.name + ".partial")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(target)
    out.print(f"{target}", highlight=False)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words in any language the embedder reads.")],
    db: DbOption = DEFAULT_DB,
    stories_only: Annotated[bool, typer.Option("--stories", help="Search story centres, not articles.")] = False,
    entity: Annotated[Optional[str], typer.Option(help="Only hits mentioning this entity (any alias).")] = None,
    limit: Annotated[int, typer.Option(help="At most this many.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """Semantic search over articles (or stories), across languages."""
    with _open(db) as nw:
        hits = nw.search(query, k=limit, kind="stories" if stories_only else "articles", entity=entity)
    for h in hits:
        if as_json:
            sys.stdout.write(json.dumps(h.to_dict(), ensure_ascii=False) + "\n")
        else:
            langs = escape("[" + ",".join(h.languages) + "]")
            out.print(f"{h.score:.3f}  {h.id}  {langs}  {escape(h.title[:100])}", highlight=False)
    if not hits and not as_json:
        out.print("nothing found (run `newsweave run` first: search reads the stories stage's indexes)")


def _show_story(nw: Newsweave, story_id: str, as_json: bool) -> None:
    st = nw.story(story_id)
    members = {aid: (score, reason) for aid, score, reason in nw.story_members(st.id)}
    arts = [nw.article(aid) for aid in st.article_ids]
    rels = [r for aid in st.article_ids for r in nw.relations(aid) if r.a == aid]
    if as_json:
        sys.stdout.write(json.dumps(st.to_dict() | {
            "members": [{"id": a.id, "published": a.published, "lang": a.lang, "title": a.title,
                         "score": members[a.id][0], "reason": members[a.id][1]} for a in arts],
            "relations": [r.to_dict() for r in rels]}, ensure_ascii=False, indent=2) + "\n")
        return
    out.print(f"[bold]{escape(st.title or '(no title)')}[/bold]")
    out.print(f"story {st.id}  {len(st.article_ids)} article(s)  {st.first_seen or '-'} .. {st.last_seen or '-'}  "
              f"languages {', '.join(st.languages)}", highlight=False)
    for lang, title in st.titles.items():
        out.print(f"  {escape(f'[{lang}]')} {escape(title)}", highlight=False)
    table = Table("article", "published", "lang", "joined", "title")
    for a in arts:
        score, reason = members[a.id]
        table.add_row(a.id, a.published or "", a.lang or "", f"{reason} {score:.2f}", escape((a.title or "")[:70]))
    out.print(table)
    for r in rels:
        copy = r.b if r.original == r.a else r.a if r.original == r.b else None
        arrow = f"{copy} <- {r.original}" if copy else f"{r.a} ~ {r.b}"
        out.print(f"{r.kind} ({r.score:.2f}): {arrow}", highlight=False)


@app.command()
def show(
    item_id: Annotated[str, typer.Argument(help="Article id, or story id (s...), or a unique prefix.")],
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, typer.Option("--json", help="The export record as JSON.")] = False,
) -> None:
    """Show one article (paragraphs with their language, removed lines with why) or one story."""
    if item_id.startswith("s"):  # article ids are hexadecimal; story ids start with s
        with _open(db) as nw:
            _show_story(nw, item_id, as_json)
        return
    article_id = item_id
    with _open(db) as nw:
        a = nw.article(article_id)
        seen = nw.sightings(a.id)
        rels = nw.relations(a.id)
        story = nw.story_of(a.id)
    if as_json:
        sys.stdout.write(json.dumps(a.to_dict() | {"sightings": seen, "relations": [r.to_dict() for r in rels],
                                                   "story": story.id if story else None},
                                    ensure_ascii=False, indent=2) + "\n")
        return
    out.print(f"[bold]{escape(a.title or '(no title)')}[/bold]")
    out.print(f"id {a.id}  lang {a.lang}  published {a.published or '-'}  source {escape(a.source or '-')}",
              highlight=False)
    for loc in seen:
        out.print(f"seen at {escape(loc)}", highlight=False)
    if story:
        out.print(f"story {story.id} ({len(story.article_ids)} article(s)): {escape(story.title[:90])}",
                  highlight=False)
    for r in rels:
        other = r.b if r.a == a.id else r.a
        role = "original of" if r.original == a.id else "copy of" if r.original == other else "related to"
        out.print(f"{r.kind} ({r.score:.2f}): {role} {other}", highlight=False)
    out.print()
    for b in a.blocks:
        if b.reason is None:
            mark = f"[cyan]{b.lang}[/cyan] " if b.lang != a.lang else ""
            out.print(f"{mark}{escape(b.text)}", highlight=False)
            out.print()
    if a.removed:
        out.print("[bold]removed[/bold]")
        for b in a.removed:
            out.print(f"  [yellow]{b.reason}[/yellow]: {escape(b.text[:160])}", highlight=False)


@app.command()
def duplicates(
    db: DbOption = DEFAULT_DB,
    kind: Annotated[Optional[str], typer.Option(help="identical, near_duplicate, excerpt or translation.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line (duplicates.jsonl).")] = False,
) -> None:
    """List articles that are one report: identical, near-duplicate, excerpt, translation."""
    with _open(db) as nw:
        rels = [r for r in nw.relations() if kind is None or r.kind == kind]
        titles = {} if as_json else {a.id: (a.title or "", a.lang or "") for a in nw.iter_articles()}
    if as_json:
        for r in rels:
            sys.stdout.write(json.dumps(r.to_dict(), ensure_ascii=False) + "\n")
        return
    for r in rels:
        copy = r.b if r.original == r.a else r.a if r.original == r.b else None
        arrow = f"{copy} <- {r.original}" if copy else f"{r.a} ~ {r.b}"
        out.print(f"{r.kind:<15} {r.score:.3f}  {arrow}", highlight=False)
        for aid in (r.a, r.b):
            title, lang = titles.get(aid, ("", ""))
            out.print(f"    {aid} {escape(f'[{lang}]')} {escape(title[:90])}", highlight=False)
    if not rels:
        out.print("no duplicates, excerpts or translations found")


@app.command()
def export(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder to write into.")],
    db: DbOption = DEFAULT_DB,
    fmt: Annotated[str, typer.Option("--format", help="jsonl, csv or parquet.")] = "jsonl",
    config_file: ConfigFile = None,
    min_confidence: MinConfidence = None,
    every: EveryEvent = False,
) -> None:
    """Write the store to files (docs/FORMAT.md)."""
    with _open(db, config_file) as nw:
        files = nw.export(out_dir, fmt, 0.0 if every else min_confidence)
    for name, path in files.items():
        out.print(f"{name}: {escape(str(path))}", highlight=False)


@app.command()
def stages() -> None:
    """List the pipeline stages with what each requires and assigns."""
    table = Table("stage", "scope", "requires", "assigns")
    for s in STAGES:
        table.add_row(s.name, s.scope, ", ".join(s.requires), ", ".join(s.assigns))
    out.print(table)


def main() -> None:
    try:
        app()
    except NewsweaveError as exc:
        err.print(f"[red]error[/red] {escape(str(exc))}", highlight=False)
        sys.exit(2)
    except BrokenPipeError:  # `newsweave articles | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)


if __name__ == "__main__":
    main()
