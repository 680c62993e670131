"""Crash safety: `newsweave run` killed with SIGKILL at random points, many times, then finished.

    .venv/bin/python bench/crash_cycles.py [--cycles 100] [--per-cycle 30] [--seed 3] [--watch]

Each cycle adds `--per-cycle` new article files (real WMT22 paragraphs in generated pages, as in
bench/ingest_throughput.py; a tenth are copies of earlier files, so dedup and stories have work)
to the input folder, starts `newsweave run FOLDER` and kills it (SIGKILL) after a random delay
between 0.3 s and the time a run of that cycle needs, so kills land in every stage: ingest,
embedding, dedup, stories, entities, events. After every kill the store must pass its integrity
check and hold no input twice; at the end one uninterrupted run finishes the work and the whole
store is checked: every input present exactly once, every article embedded, compared for
duplicates, in exactly one story, read for entities and events, and claims built.

With `--watch`, the same for `newsweave watch FEED --every 1s`: the files become the entries of
an RSS feed served on loopback by this script, which grows by `--per-cycle` entries per cycle
(new ETag each time); at the end one `--once` poll finishes, and every entry must be stored once
and recorded as taken.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import ingest_throughput  # noqa: E402  (its page generator)

ROOT = Path(__file__).resolve().parent.parent


def q(db: Path, sql: str) -> int:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


class _Feed:
    """An RSS feed on loopback whose entries grow between cycles."""

    def __init__(self):
        import http.server
        import threading
        from xml.sax.saxutils import escape

        self.entries: list[tuple[str, str, str]] = []  # (slug, title, text)
        feed = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                etag = f'"{len(feed.entries)}"'
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                items = "".join(f"<item><title>{escape(t)}</title><link>{feed.base}/{s}</link><guid>{feed.base}/{s}</guid>"
                                f"<description>{escape(x)}</description></item>" for s, t, x in reversed(feed.entries))
                body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Fil</title>{items}</channel></rss>'.encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *a):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--watch", action="store_true", help="kill `newsweave watch` polling a growing feed instead")
    ap.add_argument("--cycles", type=int, default=100)
    ap.add_argument("--per-cycle", type=int, default=30)
    ap.add_argument("--seed", type=int, default=3)
    args = ap.parse_args()
    if not ingest_throughput.WMT.exists():
        print(f"data absent: {ingest_throughput.WMT}; skipped")
        return
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="newsweave-crash-"))
    src, inp, db = work / "all", work / "in", work / "k.db"
    total = args.cycles * args.per_cycle
    ingest_throughput.generate(src, total, seed=args.seed)
    files = sorted(src.rglob("*.txt"))
    rng.shuffle(files)
    cfg = work / "cfg.toml"
    cfg.write_text("[newsweave]\nbatch_size = 10\nfetch_allow_private = true\n")
    cmd = [str(Path(sys.executable).parent / "newsweave"), "run", str(inp), "--db", str(db), "--config", str(cfg),
           "-q", "--workers", "1"]
    feed = None
    if args.watch:
        feed = _Feed()
        cmd = [str(Path(sys.executable).parent / "newsweave"), "watch", f"{feed.base}/feed", "--db", str(db),
               "--config", str(cfg), "--every", "1s"]
    print(f"work dir {work}; {args.cycles} cycles of {args.per_cycle} new files")
    kills, finished, problems = 0, 0, []
    run_time = 20.0  # seconds a cycle's run needs; re-estimated from runs that finish
    added = 0
    for cycle in range(args.cycles):
        for f in files[added: added + args.per_cycle]:
            if feed is not None:
                lines = f.read_text(encoding="utf-8").splitlines()
                feed.entries.append((f"e{len(feed.entries)}", lines[0], " ".join(lines[1:])))
                continue
            target = inp / f.relative_to(src)
            target.parent.mkdir(parents=True, exist_ok=True)
            data = f.read_bytes()
            target.write_bytes(data)
            if rng.random() < 0.1 and added > 0:  # a copy of an earlier file under another name
                earlier = files[rng.randrange(added)]
                (target.parent / ("copy-" + target.name)).write_bytes(earlier.read_bytes())
        added += args.per_cycle
        delay = rng.uniform(0.3, run_time)
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            proc.wait(timeout=delay)
            finished += 1
            run_time = max(5.0, 0.7 * run_time + 0.3 * (time.perf_counter() - t) * 1.2)
            if proc.returncode not in (0,):
                problems.append(f"cycle {cycle}: exit {proc.returncode}: {proc.stderr.read().decode()[-300:]}")
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            kills += 1
            # Work left behind makes the next run longer: stretch the window, so kills keep
            # landing in the late stages too (entities, events) and some runs still finish.
            run_time = min(40.0 if feed else 180.0, run_time * 1.1)
        proc.stderr.close()
        # After every stop: a sound store, no input twice.
        from newsweave.store.sqlite import SQLiteStore

        if not db.exists():
            print(f"cycle {cycle:3d}: killed before the store was made")
            continue
        store = SQLiteStore(db)
        issues = store.integrity_check()
        store.close()
        doubled = q(db, "SELECT COUNT(*) FROM (SELECT locator FROM sightings GROUP BY locator HAVING COUNT(*) > 1)") \
            if db.exists() else 0
        if issues or doubled:
            problems.append(f"cycle {cycle}: integrity {issues}, {doubled} inputs stored twice")
        stage = {k: q(db, sql) for k, sql in (
            ("articles", "SELECT COUNT(*) FROM articles"), ("embedded", "SELECT COUNT(*) FROM embeddings"),
            ("in stories", "SELECT COUNT(*) FROM story_members"), ("events read", "SELECT COUNT(*) FROM event_done"))}
        print(f"cycle {cycle:3d}: {'killed at' if proc.returncode == -9 else 'finished before'} {delay:5.1f}s; {stage}",
              flush=True)
    done = subprocess.run(cmd + (["--once"] if feed else []), capture_output=True, timeout=3600)
    if done.returncode != 0:
        problems.append(f"final run: exit {done.returncode}: {done.stderr.decode()[-500:]}")
    inputs = (sorted(f"{feed.base}/{slug}" for slug, _, _ in feed.entries) if feed
              else sorted(str(p) for p in inp.rglob("*.txt")))
    checks = {
        "inputs": len(inputs),
        "sighted inputs": q(db, "SELECT COUNT(DISTINCT locator) FROM sightings"),
        "sightings": q(db, "SELECT COUNT(*) FROM sightings"),
        "articles": q(db, "SELECT COUNT(*) FROM articles"),
        "not embedded": q(db, "SELECT COUNT(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM embeddings e WHERE e.article_id = a.id)"),
        "not compared": q(db, "SELECT COUNT(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM dedup d WHERE d.article_id = a.id)"),
        "not in a story": q(db, "SELECT COUNT(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM story_members m WHERE m.article_id = a.id)"),
        "in two stories": q(db, "SELECT COUNT(*) FROM (SELECT article_id FROM story_members GROUP BY article_id HAVING COUNT(*) > 1)"),
        "not read for entities": q(db, "SELECT COUNT(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM entity_done d WHERE d.article_id = a.id)"),
        "not read for events": q(db, "SELECT COUNT(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM event_done d WHERE d.article_id = a.id)"),
        "claims built": q(db, "SELECT COUNT(*) FROM meta WHERE key = 'claims_built'"),
    }
    if feed:
        checks["entries taken"] = q(db, "SELECT COUNT(*) FROM watch_seen")
    from newsweave.store.sqlite import SQLiteStore

    store = SQLiteStore(db)
    integrity = store.integrity_check()
    store.close()
    lost = checks["inputs"] - checks["sighted inputs"]
    doubled = checks["sightings"] - checks["sighted inputs"]
    ok = (not problems and not integrity and lost == 0 and doubled == 0 and checks["not embedded"] == 0
          and checks["not compared"] == 0 and checks["not in a story"] == 0 and checks["in two stories"] == 0
          and checks["not read for entities"] == 0 and checks["not read for events"] == 0 and checks["claims built"] == 1
          and (not feed or checks["entries taken"] == checks["inputs"]))
    print(f"\n{args.cycles} cycles: {kills} killed, {finished} finished before the kill; final run exit {done.returncode}")
    print(f"inputs {checks['inputs']}, lost {lost}, doubled {doubled}, distinct articles {checks['articles']} "
          f"(copies are one article seen twice); integrity {integrity or 'ok'}")
    print({k: v for k, v in checks.items() if k.startswith("not") or k in ("in two stories", "claims built", "entries taken")})
    for p in problems[:10]:
        print("PROBLEM", p)
    print("RESULT", "PASS" if ok else "FAIL")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
