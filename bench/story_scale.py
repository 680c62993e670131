"""Stories stage at scale: 100,000 generated articles placed incrementally, 10,000 at a time.

    .venv/bin/python bench/story_scale.py --articles 100000 [--chunk 10000]

Articles are made of real paragraphs (WMT22 documents and their human translations in
../shared/eval/wmt22-docs): one event = one document at one date, reported by 4-16 articles that
each take 3-5 of its paragraphs, in the source language or a translation, published over 3
days. Documents recur as new events years apart, so the time window has work to do. Paragraph
vectors come from the real encoder (each distinct paragraph encoded once, cached); an article's
vector is the normalised mean of its paragraphs' vectors, exactly as the embed stage makes it.

Per chunk: articles/s of the stories stage with the store already holding everything before it
(the incremental cost at that size), resident memory after the chunk, and at the end BCubed
against the generated events. Extraction and dedup are not timed here (bench/ingest_throughput.py
and bench/dedup_quality.py).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import story_data  # noqa: E402

from newsweave.config import Config  # noqa: E402
from newsweave.embed import doc_vector, get_embedder  # noqa: E402
from newsweave.records import Article, Block  # noqa: E402
from newsweave.stories import run_stories  # noqa: E402
from newsweave.store import open_store  # noqa: E402

WMT = story_data.EVAL / "wmt22-docs"


def rss_mb() -> float:
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def documents() -> list[list[tuple[str, list[str]]]]:
    """Per WMT document, its versions: (language, paragraphs of ~3 segments)."""
    docs = []
    for f in sorted(WMT.glob("wmt22.*.docs.jsonl")):
        for line in f.open(encoding="utf-8"):
            d = json.loads(line)
            versions = []
            for lang, segs in [(d["src_lang"], d["src_segs"])] + [(r["lang"], r["segs"]) for r in d["refs"].values()]:
                paras = [" ".join(s.strip() for s in segs[i:i + 3] if s.strip()) for i in range(0, len(segs), 3)]
                paras = [p for p in paras if len(p) >= 40]
                if len(paras) >= 3:
                    versions.append((lang, paras))
            if versions:
                docs.append(versions)
    return docs


def paragraph_vectors(docs, cache: Path) -> dict[str, np.ndarray]:
    texts = sorted({p for versions in docs for _, paras in versions for p in paras})
    if cache.exists():
        data = np.load(cache, allow_pickle=False)
        if int(data["n"]) == len(texts):
            return dict(zip(texts, data["v"]))
    enc = get_embedder()
    t = time.perf_counter()
    vecs = np.vstack([enc.encode(texts[i:i + 256]) for i in range(0, len(texts), 256)]).astype(np.float16)
    print(f"encoded {len(texts)} distinct paragraphs in {time.perf_counter() - t:.0f}s", flush=True)
    np.savez(cache, n=len(texts), v=vecs)
    return dict(zip(texts, vecs))


def generate(n: int, docs, rng: random.Random):
    """Yield (article, gold event) in publication order."""
    day0 = 736330  # 2016-01-01
    events = []
    made = 0
    while made < n:
        doc = rng.randrange(len(docs))
        size = rng.randint(4, 16)
        events.append((doc, day0 + rng.randrange(0, 9 * 365), size))
        made += size
    arts = []
    for e, (doc, day, size) in enumerate(events):
        for j in range(size):
            lang, paras = rng.choice(docs[doc])
            chosen = rng.sample(paras, min(len(paras), rng.randint(3, 5)))
            published = day + rng.randint(0, 3)
            arts.append((published, e, j, lang, chosen))
    arts.sort()
    from datetime import date
    for published, e, j, lang, chosen in arts[:n]:
        iso = date.fromordinal(published).isoformat()
        aid = f"{e:07d}{j:03d}{rng.randrange(16**6):06x}"
        yield Article(id=aid, raw="\n\n".join(chosen), kind="text", blocks=[Block(p, lang) for p in chosen],
                      title=None, published=iso, lang=lang, source=f"gen-{lang}", source_key=f"source:gen-{lang}"), e


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--chunk", type=int, default=10_000)
    ap.add_argument("--work", default=tempfile.gettempdir())
    args = ap.parse_args()
    if not WMT.exists():
        print(f"data absent: {WMT}; skipped")
        return
    docs = documents()
    pvec = paragraph_vectors(docs, Path(args.work) / "newsweave-wmt-paragraph-vectors.npz")
    model = get_embedder()
    config = Config()
    rng = random.Random(11)
    work = Path(tempfile.mkdtemp(dir=args.work, prefix="story-scale-"))
    store = open_store(str(work / "scale.db"))
    gold: dict[str, int] = {}
    buf: list[Article] = []
    print(f"{len(docs)} WMT documents; store {work / 'scale.db'}")
    print("| articles in store | chunk articles/s | ms per article | RSS MB | stories |")
    print("|---|---|---|---|---|")
    rows = []

    def flush() -> None:
        store.add_articles(buf, [(a.id, a.id) for a in buf])
        store.put_embeddings(model.name, [
            (a.id, doc_vector(np.vstack([pvec[b.text] for b in a.blocks]).astype(np.float32)),
             np.vstack([pvec[b.text] for b in a.blocks])) for a in buf])
        t = time.perf_counter()
        rep = run_stories(store, model.name, model.dim, config)
        secs = time.perf_counter() - t
        total = store.count_articles()
        row = (total, rep.placed / secs, 1000 * secs / rep.placed, rss_mb(), store.count_stories())
        rows.append(row)
        print(f"| {row[0]:,} | {row[1]:.0f} | {row[2]:.2f} | {row[3]:.0f} | {row[4]:,} |", flush=True)
        buf.clear()

    for article, event in generate(args.articles, docs, rng):
        gold[article.id] = str(event)
        buf.append(article)
        if len(buf) >= args.chunk:
            flush()
    if buf:
        flush()
    pred = store.story_of(list(gold))
    p, r, f1 = story_data.bcubed(pred, gold)
    print(f"\nBCubed vs generated events: P {p:.3f} R {r:.3f} F1 {f1:.3f}; {len(set(gold.values())):,} events, "
          f"{store.count_stories():,} stories; peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    first, last = rows[0], rows[-1]
    print(f"per-article cost, last chunk vs first: {last[2] / first[2]:.2f}x")


if __name__ == "__main__":
    main()
