"""Web UI and REST latency on a large store: p50/p95/p99 per page, measured by a load generator on
loopback against `newsweave serve` running in its own process.

    .venv/bin/python bench/serve_latency.py --db STORE [--requests 600] [--concurrency 4]

STORE: a store with >= 100,000 articles in stories, e.g. the one `bench/story_scale.py --articles
100000` leaves (it prints its path). The server is one uvicorn process (as `newsweave serve`
starts it); the load generator runs `--concurrency` client threads (httpx, keep-alive) in this
process, each request chosen at random among: the story list page (`/`), a story page
(`/stories/ID`, random story among the newest 2,000), the story list API (`/api/stories`), a
dossier (`/api/stories/ID/dossier`). The first 50 requests warm up and are not counted.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--requests", type=int, default=600)
    ap.add_argument("--concurrency", type=int, default=4)
    args = ap.parse_args()
    if not Path(args.db).exists():
        print(f"store absent: {args.db} (make one with bench/story_scale.py --articles 100000); skipped")
        return
    port = free_port()
    cli = str(Path(sys.executable).parent / "newsweave")
    server = subprocess.Popen([cli, "serve", "--db", args.db, "--port", str(port)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=60) as c:
            for _ in range(300):
                try:
                    health = c.get("/api/health").json()
                    break
                except httpx.HTTPError:
                    time.sleep(0.2)
            else:
                raise SystemExit("server did not start: " + server.stderr.read().decode()[-2000:])
            ids: list[str] = []
            offset = 0
            while len(ids) < 2000:
                page = c.get("/api/stories", params={"limit": 500, "offset": offset}).json()
                ids += [s["id"] for s in page["items"]]
                if page["next_offset"] is None:
                    break
                offset = page["next_offset"]
        print(f"store: {health['articles']} articles; {len(ids)} story ids sampled; server pid {server.pid}")
        kinds = {
            "story list page /": lambda rng: "/",
            "story page /stories/ID": lambda rng: f"/stories/{rng.choice(ids)}",
            "API /api/stories": lambda rng: "/api/stories?limit=50",
            "API /api/stories/ID/dossier": lambda rng: f"/api/stories/{rng.choice(ids)}/dossier",
        }
        results: dict[str, list[float]] = defaultdict(list)
        errors: list[str] = []
        lock = threading.Lock()
        counter = {"n": 0}

        def worker(seed: int) -> None:
            rng = random.Random(seed)
            with httpx.Client(base_url=base, timeout=60) as c:
                while True:
                    with lock:
                        if counter["n"] >= args.requests + 50:
                            return
                        counter["n"] += 1
                        i = counter["n"]
                    name = rng.choice(list(kinds))
                    url = kinds[name](rng)
                    t = time.perf_counter()
                    r = c.get(url)
                    ms = 1000 * (time.perf_counter() - t)
                    if r.status_code != 200:
                        errors.append(f"{r.status_code} {url}")
                    elif i > 50:
                        with lock:
                            results[name].append(ms)

        t0 = time.perf_counter()
        threads = [threading.Thread(target=worker, args=(k,)) for k in range(args.concurrency)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        wall = time.perf_counter() - t0
        total = sum(len(v) for v in results.values())
        print(f"{total} timed requests in {wall:.1f}s ({total / wall:.0f} req/s), {args.concurrency} concurrent clients, "
              f"{len(errors)} errors {errors[:3]}")
        print("| request | n | p50 ms | p95 ms | p99 ms | max ms |")
        print("|---|---|---|---|---|---|")
        for name, vals in results.items():
            print(f"| {name} | {len(vals)} | {statistics.median(vals):.1f} | {pct(vals, 95):.1f} | {pct(vals, 99):.1f} | "
                  f"{max(vals):.1f} |")
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
