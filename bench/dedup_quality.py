"""Dedup quality per kind, throughput, and a plain datasketch MinHashLSH baseline side by side.

Data (real text we did not write), from ../shared/eval:
- wmt22-docs: each document's source text S and its human translation R (a translation pair);
  from S the script derives I (identical after normalisation: case, spacing, quotes), N (near
  duplicate: a sentence dropped, words changed in some sentences) and E (excerpt: first half).
  Scored pairs: S-R translation, S-I identical, S-N near_duplicate, S-E excerpt. Other pairs
  inside one document's family are not scored (R-N is a translation of an edited copy, say).
- semeval2022-t8-sample: pairs of different articles judged to tell the same story (Overall <= 1.5),
  original pairs only (not the machine-translated augmentations): a relation there is a
  same-event report wrongly called a copy.
Any relation between articles of different families is a false positive of its kind.

    .venv/bin/python bench/dedup_quality.py [--limit-docs N]

Skips (exit 0, with a message) when the data is absent.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
KINDS = ("identical", "near_duplicate", "excerpt", "translation")
EXAMPLES: dict[str, list] = defaultdict(list)
DOMAINS: list = []


def paragraphs(segs: list[str], per: int = 3) -> list[str]:
    segs = [s.strip() for s in segs if s.strip()]
    return [" ".join(segs[i:i + per]) for i in range(0, len(segs), per)]


def near_copy(segs: list[str], rng: random.Random) -> list[str]:
    """An edited copy: one sentence dropped from documents of 10 or more, and one word changed in
    every fifth sentence (two characters swapped where words are not separated by spaces)."""
    out = [s for s in segs]
    if len(out) >= 10:
        del out[rng.randrange(1, len(out))]
    for i in range(0, len(out), 5):
        words = out[i].split()
        if len(words) > 4:
            k = rng.randrange(len(words))
            words[k] = words[k][::-1] if len(words[k]) > 3 else words[k] + "s"
            out[i] = " ".join(words)
        elif len(out[i]) > 6:
            k = rng.randrange(len(out[i]) - 2)
            out[i] = out[i][:k] + out[i][k + 1] + out[i][k] + out[i][k + 2:]
    return out


def identical_copy(text: str) -> str:
    return re.sub(r" +", "  ", text.upper().replace("\u201c", '"').replace("\u201d", '"'))


def build(limit_docs: int | None, rng: random.Random, domain: str | None = None
          ) -> tuple[list[dict], dict, list[tuple[str, str]]]:
    records: list[dict] = []
    labels: dict[frozenset, str] = {}
    family: dict[str, str] = {}
    docs = []
    for f in sorted((EVAL / "wmt22-docs").glob("wmt22.*.docs.jsonl")):
        docs += [json.loads(line) for line in f.open(encoding="utf-8")]
    if domain:
        docs = [d for d in docs if d.get("domain") == domain]
    rng.shuffle(docs)
    DOMAINS[:] = [d.get("domain") for d in docs]
    for n, doc in enumerate(docs[:limit_docs]):
        src = doc["src_segs"]
        if sum(len(s.split()) for s in src) < 40 and doc["src_lang"] not in ("ja", "zh"):
            continue
        ref = next(iter(doc["refs"].values()))
        fam = f"wmt{n}"
        s_text = "\n".join(paragraphs(src))
        members = {"S": s_text, "R": "\n".join(paragraphs(ref["segs"])), "I": identical_copy(s_text),
                   "N": "\n".join(paragraphs(near_copy(src, rng)))}
        if len(src) >= 4:
            members["E"] = "\n".join(paragraphs(src[: len(src) // 2]))
        for role, text in members.items():
            rid = f"{fam}-{role}"
            family[rid] = fam
            records.append({"text": text, "url": f"https://bench.example/{rid}", "source": f"site-{role}"})
        for role, kind in (("R", "translation"), ("I", "identical"), ("N", "near_duplicate"), ("E", "excerpt")):
            if role in members:
                labels[frozenset((f"{fam}-S", f"{fam}-{role}"))] = kind
    same_event: list[tuple[str, str]] = []
    path = EVAL / "semeval2022-t8-sample" / "pairs.csv"
    if path.exists():
        csv.field_size_limit(10**9)
        for row in csv.DictReader(path.open(encoding="utf-8")):
            if not re.fullmatch(r"\d+_\d+", row["pair_id"]) or float(row["Overall"]) > 1.5:
                continue
            ids = []
            for side, article in zip(("1", "2"), row["pair_id"].split("_")):
                rid = f"se{article}"  # an article may be in several pairs: one record, its own family
                if rid not in family:
                    family[rid] = rid
                    records.append({"text": row[f"text{side}"], "url": f"https://bench.example/{rid}",
                                    "source": f"semeval-{side}"})
                ids.append(rid)
            same_event.append((ids[0], ids[1]))
    return records, {"labels": labels, "family": family}, same_event


def score(pred: dict[frozenset, str], truth: dict, same_event: list[tuple[str, str]]) -> dict:
    labels, family = truth["labels"], truth["family"]
    tp, fp, fn = Counter(), Counter(), Counter()
    for pair, kind in pred.items():
        a, b = tuple(pair)
        if pair in labels:
            (tp if labels[pair] == kind else fp)[kind] += 1
        elif family.get(a) == family.get(b):
            continue  # an unscored pair inside one document's family
        else:
            fp[kind] += 1
            EXAMPLES[kind].append((a, b))
    for pair, kind in labels.items():
        if pred.get(pair) != kind:
            fn[kind] += 1
    same_wrong = sum(1 for a, b in same_event if frozenset((a, b)) in pred)
    out = {}
    for k in KINDS:
        p = tp[k] / (tp[k] + fp[k]) if tp[k] + fp[k] else float("nan")
        r = tp[k] / (tp[k] + fn[k]) if tp[k] + fn[k] else float("nan")
        out[k] = {"precision": p, "recall": r, "tp": tp[k], "fp": fp[k], "fn": fn[k]}
    out["same_event_called_copies"] = {"wrong": same_wrong, "pairs": len(same_event)}
    return out


def baseline(store, threshold: float = 0.8) -> tuple[dict[frozenset, str], float]:
    """Plain datasketch MinHashLSH over the same shingles, same language, no tiers."""
    from datasketch import MinHash, MinHashLSH

    from newsweave.dedup import NUM_PERM, SCHEME, shingles

    start = time.perf_counter()
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    pred: dict[frozenset, str] = {}
    langs = {}
    for a in store.iter_articles():
        mh = MinHash(num_perm=NUM_PERM, scheme=SCHEME)
        mh.update_batch([s.encode() for s in shingles(a.text)])
        for other in lsh.query(mh):
            if langs[other] == a.lang:
                pred[frozenset((other, a.id))] = "near_duplicate"
        lsh.insert(a.id, mh)
        langs[a.id] = a.lang
    return pred, time.perf_counter() - start


def throughput(n: int) -> int:
    """Dedup stage speed with embeddings cached, on the ingest benchmark's generated corpus (real
    WMT paragraphs in 6 languages, templates per site), and the plain baseline on the same data."""
    sys.path.insert(0, str(ROOT / "bench"))
    import ingest_throughput

    import newsweave

    work = Path(tempfile.mkdtemp(prefix="nw-dedup-tp-"))
    try:
        ingest_throughput.generate(work / "corpus", n)
        nw = newsweave.open(work / "t.db")
        nw.run([str(work / "corpus")], until="embed")
        start = time.perf_counter()
        report = nw.run([], until="dedup")
        seconds = time.perf_counter() - start
        _, base_seconds = baseline(nw.store)
        kinds = Counter(r.kind for r in nw.relations())
        print(f"dedup stage on {nw.count()} articles (embeddings cached): {seconds:.1f}s = "
              f"{nw.count() / seconds:.0f} articles/s; relations {dict(kinds)}; peak RSS "
              f"{ingest_throughput.rss_mb():.0f} MB")
        print(f"baseline datasketch MinHashLSH(0.8) on the same articles: {base_seconds:.1f}s = "
              f"{nw.count() / base_seconds:.0f} articles/s")
        nw.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit-docs", type=int, default=None)
    ap.add_argument("--explain", action="store_true", help="print false positives")
    ap.add_argument("--domain", default=None, help="only WMT documents of this domain (news, ...)")
    ap.add_argument("--throughput", type=int, default=0,
                    help="instead: time the dedup stage on this many generated articles (bench/ingest_throughput.py)")
    args = ap.parse_args()
    if not (EVAL / "wmt22-docs").is_dir():
        print(f"SKIP: {EVAL / 'wmt22-docs'} is absent; this benchmark derives its pairs from it.")
        return 0
    sys.path.insert(0, str(ROOT / "src"))
    import newsweave
    from newsweave.config import Config

    if args.throughput:
        return throughput(args.throughput)
    rng = random.Random(11)
    records, truth, same_event = build(args.limit_docs, rng, args.domain)
    work = Path(tempfile.mkdtemp(prefix="nw-dedup-"))
    try:
        (work / "corpus.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records))
        # source_boilerplate is left out: each "site" here is one role, not one outlet's template
        nw = newsweave.open(work / "d.db", Config(source_boilerplate_min_articles=10**9))
        t0 = time.perf_counter()
        report = nw.run([str(work / "corpus.jsonl")], until="extract")
        t1 = time.perf_counter()
        nw.run([], until="embed")
        t2 = time.perf_counter()
        nw.run([], until="dedup")
        t3 = time.perf_counter()
        n = nw.count()
        url_of = {a.id: a.url.rsplit("/", 1)[1] for a in nw.iter_articles()}
        pred = {frozenset((url_of[r.a], url_of[r.b])): r.kind for r in nw.relations()}
        base_pred, base_seconds = baseline(nw.store)
        base_named = {frozenset(url_of[x] for x in pair): k for pair, k in base_pred.items()}
        ours = score(pred, truth, same_event)
        base = score(base_named, truth, same_event)
        print(f"articles: {n} ({len(report.errors)} inputs refused); labelled pairs: "
              f"{dict(Counter(truth['labels'].values()))}; same-event pairs: {len(same_event)}")
        print(f"extract {t1 - t0:.1f}s; embed {t2 - t1:.1f}s ({n / (t2 - t1):.1f} articles/s); "
              f"dedup {t3 - t2:.1f}s = {n / (t3 - t2):.0f} articles/s (embeddings cached)")
        print(f"baseline datasketch MinHashLSH(0.8): {base_seconds:.1f}s = {n / base_seconds:.0f} articles/s")
        print(f"{'kind':<16}{'newsweave P':>12}{'R':>7}{'  (tp/fp/fn)':<18}{'baseline P':>11}{'R':>7}")
        for k in KINDS:
            o, b = ours[k], base[k]
            print(f"{k:<16}{o['precision']:>12.3f}{o['recall']:>7.3f}  ({o['tp']}/{o['fp']}/{o['fn']})".ljust(53)
                  + f"{b['precision']:>11.3f}{b['recall']:>7.3f}")
        se = ours["same_event_called_copies"]
        print(f"same-event pairs called copies: {se['wrong']}/{se['pairs']} = "
              f"{se['wrong'] / max(se['pairs'], 1):.3f}")
        if args.explain:
            domain = {f"wmt{n}": d for n, d in enumerate(DOMAINS)}
            texts = {a.url.rsplit("/", 1)[1]: a.text for a in nw.iter_articles()}
            for k in KINDS:
                for a, b in EXAMPLES[k][:6]:
                    print(f"FP {k}: {a} ({domain.get(truth['family'][a])}) ~ {b} ({domain.get(truth['family'][b])})")
                    print("     ", texts[a][:110].replace("\n", " / "))
                    print("     ", texts[b][:110].replace("\n", " / "))
        nw.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
