"""Ingest + clean + language throughput, memory, and cleaning quality on a generated corpus.

Paragraph text is real: segments of the WMT22 test documents in ../shared/eval/wmt22-docs (fr, de,
en, ja, zh, uk; sources and human references). Articles are assembled from them with varied
templates per site -- slogans, date lines in several formats, captions, "READ:" links, repeated
paragraphs, trailing headline lists, comment widgets, a footer recurring across a site, and a
paragraph in another language -- and the generator records what it injected, so the benchmark
also scores how much of it the cleaner removed and how many foreign paragraphs it marked.

    .venv/bin/python bench/ingest_throughput.py [--articles 10000] [--workers 1]

Skips (exit 0, with a message) when the WMT22 files are absent.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WMT = ROOT.parent / "shared" / "eval" / "wmt22-docs"

SLOGANS = {"fr": "L'information au quotidien depuis 1998", "de": "Nachrichten aus der Region seit 1975",
           "en": "Creating new perspectives since 2009", "uk": "Новини щодня з 2001 року",
           "ja": "毎日のニュースをお届けします", "zh": "每日新闻 自2005年以来"}
DATELINES = {"fr": "Publié le {d} {mfr} {y} à 10h32", "de": "Veröffentlicht am {d}.{m}.{y}",
             "en": "{men} {d}, {y} at 1:21 pm", "uk": "{y}-{m}-{d}", "ja": "{y}-{m}-{d}", "zh": "{y}-{m}-{d}"}
MFR = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split()
MEN = "January February March April May June July August September October November December".split()
READ = {"fr": "Lire aussi : ", "de": "Lesen Sie auch: ", "en": "READ: ", "uk": "Читайте також: ",
        "ja": "READ: ", "zh": "READ: "}
HEADER = {"fr": "Autres articles", "de": "Weitere Artikel", "en": "Related articles", "uk": "Related",
          "ja": "Related", "zh": "Related"}
COMMENTS = {"fr": ["S’abonner", "Notification pour", "0 Commentaires", "Afficher tous les commentaires"],
            "de": ["Abonnieren", "0 Kommentare", "Alle Kommentare anzeigen"],
            "en": ["Subscribe", "Notify of", "guest", "0 Comments", "View all comments"]}


def paragraph_pool() -> dict[str, list[str]]:
    pool: dict[str, list[str]] = defaultdict(list)
    for f in sorted(WMT.glob("wmt22.*.docs.jsonl")):
        for line in f.open(encoding="utf-8"):
            doc = json.loads(line)
            versions = [(doc["src_lang"], doc["src_segs"])] + [(r["lang"], r["segs"]) for r in doc["refs"].values()]
            for lang, segs in versions:
                for i in range(0, len(segs), 3):
                    para = " ".join(s.strip() for s in segs[i:i + 3] if s.strip())
                    if len(para) >= (40 if lang in ("ja", "zh") else 80):
                        pool[lang].append(para)
    return pool


def generate(out: Path, n: int, seed: int = 7) -> dict:
    rng = random.Random(seed)
    pool = paragraph_pool()
    langs = sorted(pool)
    truth = {"foreign": 0, "injected": 0, "files": {}}
    sites = [(f"site{s:02d}", rng.choice(langs)) for s in range(40)]
    for i in range(n):
        site, lang = sites[i % len(sites)]
        body = rng.sample(pool[lang], rng.randint(4, 9))
        y, m, d = rng.randint(2016, 2024), rng.randint(1, 12), rng.randint(1, 28)
        lines: list[str] = []
        injected: list[str] = []
        if i % 3 == 0:
            lines.append(SLOGANS[lang]); injected.append(SLOGANS[lang])
        title = body[0][:70].rsplit(" ", 1)[0] if lang not in ("ja", "zh") else body[0][:30]
        lines.append(title)
        if i % 2 == 0:
            dl = DATELINES[lang].format(d=f"{d:02d}", m=f"{m:02d}", y=y, mfr=MFR[m - 1], men=MEN[m - 1])
            lines.append(dl); injected.append(dl)
        if i % 5 == 0:
            cap = f"Photo du {d} {MFR[m - 1]} [Jean Martin/AFP/Getty Images]"
            lines.append(cap); injected.append(cap)
        foreign = None
        if i % 10 == 4:
            other = rng.choice([x for x in langs if x != lang])
            foreign = rng.choice(pool[other])
            body.insert(rng.randint(1, len(body) - 1), foreign)
            truth["foreign"] += 1
        for k, p in enumerate(body[1:], start=1):
            lines.append(p)
            if k == 2 and i % 4 == 1:
                link = READ[lang] + rng.choice(pool[lang])[:60]
                lines.append(link); injected.append(link)
        if i % 7 == 0:
            lines.append(body[1]); injected.append("#repeat")
        lines.append(f"Footer of {site}: newsletter, contact and legal notice"); injected.append(lines[-1])
        if i % 10 == 3:
            heads = [rng.choice(pool[lang])[:60].rsplit(" ", 1)[0] for _ in range(4)]
            lines += [HEADER[lang], *heads]; injected += [HEADER[lang], *heads]
        if i % 10 == 6 and lang in COMMENTS:
            lines += COMMENTS[lang]; injected += COMMENTS[lang]
        path = out / site / f"{i:06d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines), encoding="utf-8")
        truth["files"][str(path)] = {"lang": lang, "foreign": foreign, "injected": injected,
                                     "published": f"{y}-{m:02d}-{d:02d}" if i % 2 == 0 and lang in ("fr", "de", "en") else None}
        truth["injected"] += len(injected)
    return truth


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--workers", type=int, default=1, help="0: one per core")
    args = ap.parse_args()
    if not WMT.is_dir() or not any(WMT.glob("wmt22.*.docs.jsonl")):
        print(f"SKIP: {WMT} is absent; this benchmark builds its corpus from the WMT22 documents there.")
        return 0
    sys.path.insert(0, str(ROOT / "src"))
    import newsweave
    from newsweave.clean import norm

    work = Path(tempfile.mkdtemp(prefix="nw-bench-"))
    try:
        t0 = time.perf_counter()
        truth = generate(work / "corpus", args.articles)
        print(f"generated {args.articles} articles in {time.perf_counter() - t0:.1f}s")
        nw = newsweave.open(work / "bench.db")
        # warm-up: model loads are not part of the throughput; only the ingest stages are timed
        nw.run([str(ROOT.parent / "shared" / "corpus" / "seeds")], until="source_boilerplate")
        checkpoints: list[tuple[int, float, float]] = []

        def progress(done: int, added: int) -> None:
            if not checkpoints or done - checkpoints[-1][0] >= max(1000, args.articles // 10):
                checkpoints.append((done, time.perf_counter(), current_rss_mb()))

        start = time.perf_counter()
        checkpoints.append((0, start, current_rss_mb()))
        report = nw.run([str(work / "corpus")], workers=args.workers, progress=progress, until="source_boilerplate")
        elapsed = time.perf_counter() - start
        # quality: injected boilerplate removed, foreign paragraphs marked, body kept, dates found
        removed_ok = injected = foreign_hit = foreign_false = body_kept = body_total = dates_ok = dates_total = 0
        by_path = {}
        for a in nw.iter_articles():
            for loc in nw.sightings(a.id):
                by_path[loc] = a
        for path, t in truth["files"].items():
            a = by_path.get(path)
            if a is None:
                continue
            removed = {norm(b.text) for b in a.removed}
            kept = [norm(p.text) for p in a.paragraphs]
            for line in t["injected"]:
                if line == "#repeat":
                    injected += 1
                    removed_ok += int(len(kept) == len(set(kept)))
                    continue
                injected += 1
                removed_ok += int(norm(line) in removed)
            for p in a.paragraphs:
                is_foreign = t["foreign"] is not None and norm(p.text) == norm(t["foreign"])
                if is_foreign:
                    foreign_hit += int(p.lang != a.lang)
                elif p.lang != a.lang:
                    foreign_false += 1
            body_total += len(kept) + sum(1 for b in a.removed if b.reason not in (
                "site_slogan", "dateline", "caption", "related_link", "related_headlines", "comment_widget",
                "comment_policy", "recurring_in_source", "repeated_paragraph", "title", "duplicate_title"))
            body_kept += len(kept)
            if t["published"]:
                dates_total += 1
                dates_ok += int(a.published == t["published"])
        nw.close()
        rate = report.added / elapsed
        print(f"workers={args.workers}: {report.added} articles in {elapsed:.1f}s = {rate:.0f} articles/s; "
              f"errors={len(report.errors)}; recurring lines marked={report.boilerplate_marked}")
        print("progress (articles, articles/s since previous, RSS MB): " + ", ".join(
            f"({c[0]}, {(c[0] - p[0]) / max(c[1] - p[1], 1e-9):.0f}, {c[2]:.0f})"
            for p, c in zip(checkpoints, checkpoints[1:])))
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"peak RSS {rss_mb():.0f} MB in the main process, {children:.0f} MB in the largest worker")
        print(f"injected boilerplate removed: {removed_ok}/{injected} = {removed_ok / max(injected, 1):.3f}")
        print(f"foreign paragraphs marked: {foreign_hit}/{truth['foreign']} = "
              f"{foreign_hit / max(truth['foreign'], 1):.3f}; other paragraphs wrongly marked: {foreign_false}")
        print(f"body paragraphs kept: {body_kept}/{body_total}; date lines read: {dates_ok}/{dates_total}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
