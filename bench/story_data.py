"""Labelled story clusters from real news we did not write (../shared/eval), and the BCubed scorer.

- semeval: SemEval-2022 Task 8 article pairs judged for "same story" (Overall 1 = very similar ...
  4 = very dissimilar). Gold clusters are the connected components of pairs judged the same story
  (Overall <= 1.5); pairs judged different (Overall >= 2.5) keep their articles apart; articles seen
  only in pairs in between (1.5 < Overall < 2.5) are left out, since the judges were split. A
  machine-translated variant of an article ("1484180228it") is a translation of it: same story.
  Split into `mono` (both sides in one language) and `cross` (two languages).
- bsnlp: BSNLP shared-task news in 8 Slavic languages, labelled by topic (Asia Bibi's acquittal,
  Brexit, Nord Stream, Ryanair, ...). A topic is coarser than a story, so this set is clustered and
  scored per topic with the time window off: it measures cross-lingual grouping, not event splitting.
"""

from __future__ import annotations

import csv
import re
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
SAME_MAX, DIFFERENT_MIN = 1.5, 2.5


@dataclass
class Dataset:
    name: str
    items: dict[str, dict] = field(default_factory=dict)  # key -> {"text", "lang", "published"?}
    gold: dict[str, str] = field(default_factory=dict)  # key -> gold cluster
    pairs: list[tuple[str, str, float]] = field(default_factory=list)  # judged pairs (a, b, Overall)


def _union_find(keys, edges) -> dict[str, str]:
    parent = {k: k for k in keys}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {k: find(k) for k in keys}


def semeval(kind: str, split: str | None = None) -> Dataset | None:
    """kind: 'mono' or 'cross'. split: 'dev' or 'test' (halves by gold cluster, so no same-story
    pair is cut in two; parameters are chosen on dev and reported on test), None for all."""
    path = EVAL / "semeval2022-t8-sample" / "pairs.csv"
    if not path.exists():
        return None
    csv.field_size_limit(10**9)
    ds = Dataset(f"semeval-{kind}")
    texts: dict[str, tuple[str, str]] = {}
    kept: set[str] = set()
    same: list[tuple[str, str]] = []
    for row in csv.DictReader(path.open(encoding="utf-8")):
        if (row["lang1"] == row["lang2"]) != (kind == "mono"):
            continue
        a, b = row["pair_id"].split("_")
        overall = float(row["Overall"])
        texts[a], texts[b] = (row["text1"], row["lang1"]), (row["text2"], row["lang2"])
        if SAME_MAX < overall < DIFFERENT_MIN:
            continue
        kept.update((a, b))
        ds.pairs.append((a, b, overall))
        if overall <= SAME_MAX:
            same.append((a, b))
    # A machine-translated variant and its base article, both present: one story.
    base = defaultdict(list)
    for k in kept:
        base[re.sub(r"[a-z]+$", "", k)].append(k)
    same += [(v[0], w) for v in base.values() for w in v[1:]]
    gold = _union_find(sorted(kept), same)
    if split:
        want = 0 if split == "dev" else 1
        kept = {k for k in kept if zlib.crc32(gold[k].encode()) % 2 == want}
        ds.pairs = [p for p in ds.pairs if p[0] in kept and p[1] in kept]
    for k in sorted(kept):
        text, lang = texts[k]
        ds.items[k] = {"text": text, "lang": lang}
    ds.gold = {k: gold[k] for k in sorted(kept)}
    ds.name += f"-{split}" if split else ""
    return ds


def bsnlp(langs: set[str] | None = None, max_per_topic_lang: int | None = None) -> Dataset | None:
    """All eight languages, or only `langs` (e.g. those the encoder was trained on: pl, ru)."""
    root = EVAL / "bsnlp"
    if not root.exists():
        return None
    ds = Dataset("bsnlp-topics" + ("-" + "-".join(sorted(langs)) if langs else ""))
    seen_text: set[int] = set()
    for topic_dir in sorted(p for p in root.iterdir() if p.is_dir()):
        for lang_dir in sorted((topic_dir / "raw").iterdir()):
            if langs and lang_dir.name not in langs:
                continue
            files = sorted(lang_dir.iterdir())[:max_per_topic_lang]
            for f in files:
                lines = f.read_text(encoding="utf-8", errors="replace").splitlines()
                if len(lines) < 6:
                    continue
                title, body = lines[4].strip(), "\n".join(lines[5:]).strip()
                h = zlib.crc32(body.encode())
                if not body or h in seen_text:  # the same text under two ids: keep one
                    continue
                seen_text.add(h)
                key = f"{topic_dir.name}/{lang_dir.name}/{f.name}"
                ds.items[key] = {"text": f"{title}\n\n{body}" if title else body, "lang": lang_dir.name}
                ds.gold[key] = topic_dir.name
    return ds


def bcubed(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    """BCubed precision, recall, F1 (Amigo et al. 2009) over the items in `gold`."""
    by_pred, by_gold = defaultdict(set), defaultdict(set)
    for k in gold:
        by_pred[pred[k]].add(k)
        by_gold[gold[k]].add(k)
    p = r = 0.0
    for k in gold:
        mine, truth = by_pred[pred[k]], by_gold[gold[k]]
        both = len(mine & truth)
        p += both / len(mine)
        r += both / len(truth)
    p, r = p / len(gold), r / len(gold)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)
