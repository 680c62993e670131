"""SQLite vs PostgreSQL, local vs Ray: same results, and throughput side by side.

    .venv/bin/python bench/backends_executors.py --articles 10000 --pg postgresql://user:pw@127.0.0.1/db

One generated corpus (bench/ingest_throughput.py's: real WMT22 paragraphs in site templates, with
boilerplate, copies of paragraphs and foreign paragraphs) goes through the pipeline three times:
SQLite + local executor, PostgreSQL + local executor, SQLite + Ray executor (a local Ray with
num_cpus = --workers). Timed separately: ingest (read, extract, store, cross-document boilerplate)
and embed + dedup + stories. Then the three stores are exported and compared file by file
(articles, duplicates, provenance, stories). Skips (exit 0, with a message) without the WMT22
files; the PostgreSQL leg is left out (and said so) without --pg.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import ingest_throughput  # noqa: E402

import newsweave  # noqa: E402
from newsweave.config import Config  # noqa: E402


def leg(name: str, db: str, corpus: Path, executor: str, workers: int, out: Path) -> dict:
    config = Config()
    with newsweave.open(db, config) as nw:
        t = time.perf_counter()
        r1 = nw.run([str(corpus)], workers=workers, executor=executor, until="source_boilerplate")
        ingest = time.perf_counter() - t
        t = time.perf_counter()
        r2 = nw.run([], workers=workers, executor=executor, until="stories")
        later = time.perf_counter() - t
        t = time.perf_counter()
        r3 = nw.run([], workers=workers, executor=executor, until="embed")  # embedding alone is timed below
        nw.export(out / name, "jsonl")
        n = nw.count()
    res = {"leg": name, "articles": n, "errors": len(r1.errors), "ingest_s": round(ingest, 1),
           "ingest_per_s": round(r1.added / ingest, 1), "embed_dedup_stories_s": round(later, 1),
           "embed_dedup_stories_per_s": round(n / later, 1), "relations": r2.relations,
           "stories_opened": r2.stories_opened, "idle_rerun_s": round(time.perf_counter() - t, 1),
           "idle_rerun_added": r3.added}
    print(json.dumps(res), flush=True)
    return res


def same(out: Path, a: str, b: str) -> dict[str, bool]:
    def rows(f: Path):
        return [{k: v for k, v in json.loads(line).items() if k != "ingested_at"} for line in f.read_text().splitlines()]

    return {f.name: rows(f) == rows(out / b / f.name)
            for f in sorted((out / a).glob("*.jsonl")) if f.name in
            ("articles.jsonl", "duplicates.jsonl", "provenance.jsonl", "stories.jsonl")}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--pg", default="", help="postgresql://... (a schema bench_<pid> is made and dropped)")
    ap.add_argument("--work", default=tempfile.gettempdir())
    ap.add_argument("--legs", default="sqlite-local,postgresql-local,sqlite-ray",
                    help="which of sqlite-local, postgresql-local, sqlite-ray to run (sqlite-local always runs)")
    args = ap.parse_args()
    if not ingest_throughput.WMT.is_dir():
        print(f"skipped: {ingest_throughput.WMT} is absent")
        return 0
    work = Path(tempfile.mkdtemp(prefix="nw-backends-", dir=args.work))
    corpus = work / "corpus"
    ingest_throughput.generate(corpus, args.articles)
    out = work / "export"
    results = [leg("sqlite-local", str(work / "a.db"), corpus, "local", args.workers, out)]
    legs = set(args.legs.split(","))
    if args.pg and "postgresql-local" in legs:
        import os

        from newsweave.store.postgres import drop_schema

        url = f"{args.pg}{'&' if '?' in args.pg else '?'}schema=bench_{os.getpid()}"
        try:
            results.append(leg("postgresql-local", url, corpus, "local", args.workers, out))
        finally:
            drop_schema(url)
    elif "postgresql-local" in legs:
        print("PostgreSQL leg left out: no --pg URL")
    if "sqlite-ray" in legs:
        results.append(leg("sqlite-ray", str(work / "b.db"), corpus, "ray", args.workers, out))
    for r in results[1:]:
        print(json.dumps({"compare": f"sqlite-local vs {r['leg']}", **same(out, "sqlite-local", r["leg"])}))
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
