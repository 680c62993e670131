"""Story clustering quality: BCubed P/R/F1 on real labelled news, shuffled arrival orders, and plain
baselines side by side (see story_data.py for the data and how gold clusters are formed).

    .venv/bin/python bench/story_quality.py [--sets semeval-mono semeval-cross bsnlp-topics]
                                             [--shuffles 3] [--work DIR]

For each set: the articles go through the real pipeline (ingest, extract, embed, dedup) once;
then the stories stage runs on copies of that store, once in the file order and once per
shuffled order (articles re-ingested in that order, so arrival order really differs). Baselines
on the same texts: every article alone (what BCubed gives for free when most gold clusters are
singletons), and TF-IDF + agglomerative clustering (scikit-learn, average link, cosine) with its
distance threshold chosen *on the test data itself* (the best of a sweep: an optimistic baseline).
Also reported: pairwise precision/recall over the judged pairs ("same story" or not), which is
what separates methods on sets where most articles are alone.

Skips (exit 0, with a message) when ../shared/eval is absent.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import story_data  # noqa: E402

import newsweave  # noqa: E402
from newsweave import embed  # noqa: E402
from newsweave.config import Config  # noqa: E402


def write_jsonl(ds: story_data.Dataset, keys: list[str], path: Path) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for k in keys:
            it = ds.items[k]
            rec = {"text": it["text"], "url": f"https://bench.example/{k}", "source": f"{ds.name}-{it['lang']}"}
            if it.get("published"):
                rec["published"] = it["published"]
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")


def url_key(url: str) -> str:
    return url.removeprefix("https://bench.example/")


def build_base(ds: story_data.Dataset, work: Path) -> Path:
    """The set through ingest..dedup once (embedding is the slow part); reused by every run."""
    db = work / f"{ds.name}.base.db"
    if db.exists():
        return db
    src = work / f"{ds.name}.jsonl"
    write_jsonl(ds, sorted(ds.items), src)
    t = time.perf_counter()
    with newsweave.open(str(db) + ".partial") as nw:
        rep = nw.run([str(src)], until="dedup")
    shutil.move(str(db) + ".partial", db)
    print(f"  built {db.name}: {rep.added} articles in {time.perf_counter() - t:.0f}s", flush=True)
    return db


def cluster(ds: story_data.Dataset, base: Path, order: list[str], config: Config, work: Path, tag: str
            ) -> tuple[dict[str, str], float]:
    """Stories for the set's articles arriving in `order`: a fresh store fed in that order, with
    vectors and dedup relations copied from the base store (they do not depend on order)."""
    db = work / f"{ds.name}.{tag}.db"
    for p in work.glob(f"{ds.name}.{tag}.db*"):
        shutil.rmtree(p) if p.is_dir() else p.unlink()
    src = work / f"{ds.name}.{tag}.jsonl"
    write_jsonl(ds, order, src)
    with newsweave.open(str(base)) as b:
        model = embed.get_embedder(config.embedder).name
        ids = [a.id for a in b.iter_articles()]
        vectors = b.store.get_embeddings(model, ids)
        relations = b.relations()
        signatures = b.store.dedup_signatures()
    with newsweave.open(str(db), config) as nw:
        nw.run([str(src)], until="extract")
        nw.store.put_embeddings(model, [(aid, d, p) for aid, (d, p) in vectors.items()])
        # Dedup is order-independent; its pending marks are set so it does not run again.
        nw.store.put_dedup(signatures, relations)
        t = time.perf_counter()
        nw.run([], until="stories")
        seconds = time.perf_counter() - t
        pred = {}
        for a in nw.iter_articles():
            pred[url_key(a.url)] = nw.store.story_of([a.id])[a.id]
    for k in ds.items:  # an item the pipeline refused (reported when the base was built) stands alone
        pred.setdefault(k, f"missing:{k}")
    return pred, seconds


def pairwise(pred: dict[str, str], pairs: list[tuple[str, str, float]]) -> tuple[float, float, float]:
    tp = fp = fn = 0
    for a, b, overall in pairs:
        same_pred, same_gold = pred[a] == pred[b], overall <= story_data.SAME_MAX
        tp += same_pred and same_gold
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    p = tp / (tp + fp) if tp + fp else float("nan")
    r = tp / (tp + fn) if tp + fn else float("nan")
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def tfidf_baseline(ds: story_data.Dataset) -> tuple[float, tuple, tuple]:
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    keys = sorted(ds.items)
    # Character n-grams: no tokeniser per language needed (zh, ja, ar work too).
    x = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2, max_features=200_000
                        ).fit_transform([ds.items[k]["text"] for k in keys])  # rows are L2-normalised
    distances = np.clip(1.0 - (x @ x.T).toarray(), 0.0, 2.0)
    best = None
    for thr in (0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95):
        labels = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                         distance_threshold=thr).fit_predict(distances)
        pred = {k: str(lab) for k, lab in zip(keys, labels)}
        b3 = story_data.bcubed(pred, ds.gold)
        if best is None or b3[2] > best[1][2]:
            best = (thr, b3, pairwise(pred, ds.pairs))
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", nargs="*", default=["semeval-mono", "semeval-cross", "bsnlp-topics"])
    ap.add_argument("--shuffles", type=int, default=3)
    ap.add_argument("--work", default="/tmp/newsweave-story-bench")
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--set", action="append", default=[], help="config override, e.g. story_min_score=0.7")
    args = ap.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    config = Config()
    overrides = {}
    for kv in args.set:
        k, v = kv.split("=", 1)
        overrides[k] = type(getattr(config, k))(v)
    loaders = {f"semeval-{kind}{'-' + split if split else ''}": (lambda kind=kind, split=split: story_data.semeval(kind, split))
               for kind in ("mono", "cross") for split in (None, "dev", "test")}
    loaders["bsnlp-topics"] = story_data.bsnlp
    loaders["bsnlp-topics-pl-ru"] = lambda: story_data.bsnlp({"pl", "ru"})
    rows = []
    for name in args.sets:
        ds = loaders[name]()
        if ds is None:
            print(f"{name}: data absent under {story_data.EVAL}, skipped")
            continue
        # Both sets are clustered as undated corpora known to cover one period: SemEval pairs were
        # drawn from articles of the same weeks, and BSNLP topics span months (so the window is off).
        cfg = replace(config, story_min_score_undated=config.story_min_score)
        if name.startswith("bsnlp-topics"):
            cfg = replace(cfg, story_window_days=0.0)
        cfg = replace(cfg, **overrides)
        print(f"{name}: {len(ds.items)} articles, {len(set(ds.gold.values()))} gold clusters", flush=True)
        base = build_base(ds, work)
        orders = [("file", sorted(ds.items))]
        for i in range(args.shuffles):
            keys = sorted(ds.items)
            random.Random(i).shuffle(keys)
            orders.append((f"shuffle{i}", keys))
        results = []
        for tag, order in orders:
            pred, secs = cluster(ds, base, order, cfg, work, tag)
            b3, pw = story_data.bcubed(pred, ds.gold), pairwise(pred, ds.pairs)
            results.append((tag, b3, pw, pred, secs))
            print(f"  {tag}: BCubed P {b3[0]:.3f} R {b3[1]:.3f} F1 {b3[2]:.3f}; pairs P {pw[0]:.3f} R {pw[1]:.3f}; "
                  f"{len(set(pred.values()))} stories; {secs:.1f}s", flush=True)
        f1s = [r[1][2] for r in results]
        # Agreement between orders: BCubed F1 of each shuffled run against the file-order run.
        agree = [story_data.bcubed(r[3], results[0][3])[2] for r in results[1:]]
        single = story_data.bcubed({k: k for k in ds.items}, ds.gold)
        row = {"set": name, "articles": len(ds.items), "gold_clusters": len(set(ds.gold.values())),
               "f1_mean": statistics.mean(f1s), "f1_min": min(f1s), "f1_max": max(f1s),
               "p": statistics.mean(r[1][0] for r in results), "r": statistics.mean(r[1][1] for r in results),
               "pairs_p": statistics.mean(r[2][0] for r in results), "pairs_r": statistics.mean(r[2][1] for r in results),
               "order_agreement_min": min(agree) if agree else None, "singletons_f1": single[2]}
        if not args.no_baseline:
            thr, b3, pw = tfidf_baseline(ds)
            row.update({"tfidf_threshold": thr, "tfidf_p": b3[0], "tfidf_r": b3[1], "tfidf_f1": b3[2],
                        "tfidf_pairs_p": pw[0], "tfidf_pairs_r": pw[1]})
        rows.append(row)
        print("  " + json.dumps(row), flush=True)
    print("\n| set | articles | newsweave BCubed P / R / F1 (mean; min-max over orders) | pairs P / R | "
          "order agreement (min) | TF-IDF+agglomerative F1 (best threshold) | pairs P / R | all-singletons F1 |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        tf = (f"{r['tfidf_f1']:.3f} (P {r['tfidf_p']:.3f} R {r['tfidf_r']:.3f}; d<{r['tfidf_threshold']})"
              if "tfidf_f1" in r else "-")
        tfp = f"{r['tfidf_pairs_p']:.3f} / {r['tfidf_pairs_r']:.3f}" if "tfidf_f1" in r else "-"
        agree = f"{r['order_agreement_min']:.3f}" if r["order_agreement_min"] is not None else "-"
        print(f"| {r['set']} | {r['articles']} | {r['p']:.3f} / {r['r']:.3f} / {r['f1_mean']:.3f} "
              f"({r['f1_min']:.3f}-{r['f1_max']:.3f}) | {r['pairs_p']:.3f} / {r['pairs_r']:.3f} | {agree} | {tf} | "
              f"{tfp} | {r['singletons_f1']:.3f} |")


if __name__ == "__main__":
    main()
