"""Scale: N generated articles through ingest -> dedup -> stories on the local executor.

    .venv/bin/python bench/pipeline_scale.py --articles 10000 [--articles 100000 ...] [--workers 2] [--resume]

Each size runs on a fresh SQLite store, in one `newsweave run` over JSONL shards, and reports the
seconds and articles/s of every stage (ingest = read + extract + store + cross-document
boilerplate), the whole run's articles/s, and the peak resident memory of the driver (the
extraction workers are separate processes, reported too). A run that was stopped (a million articles
take hours) is continued with --resume: the store resumes where it stopped, and the timings of every
segment, kept in --work as they go, are added up.

Corpus (from ../shared/eval/wmt22-docs, as bench/story_scale.py): one event = one WMT document at
one date, reported by 4-16 articles that each take 3-5 of its paragraphs, in the source language
or a human translation (so real translations exist), from 300 sources; 8% of articles are
republished copies of an earlier one (same text, another site), 4% are excerpts (its first
paragraphs). Documents recur as events years apart; each event words its paragraphs its own way
(every third word marked with the event), so recurrences are not copies of each other, while the
reports of one event share paragraphs as wire copies do.

Embeddings: the real encoder's vector of the WMT paragraph each generated paragraph comes from
(computed once, cached in --work; the paragraph's number is in a "(ref N)" tail): embedding costs a
lookup, so this measures the pipeline around the model; the encoder's own speed is in
bench/RESULTS.md (30-46 articles/s on 2 cores). Anything without a tail is encoded for real.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import story_scale  # noqa: E402

import newsweave  # noqa: E402
from newsweave import embed  # noqa: E402
from newsweave.config import Config  # noqa: E402

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_TAIL = re.compile(r" \(ref (\d+)\)$")


class MemoEmbedder:
    """The real encoder's vectors for known paragraphs (looked up), the real encoder otherwise."""

    name = "use-multilingual-v3-memo"
    dim = 512
    languages = embed.USEMultilingual.languages

    def __init__(self, vectors: np.ndarray):
        self.vectors = vectors  # row = the paragraph number in its reference tail
        self.live = 0

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        missing = []
        for i, t in enumerate(texts):
            m = _TAIL.search(t)
            v = self.vectors[int(m.group(1))] if m and int(m.group(1)) < len(self.vectors) else None
            if v is None:
                missing.append(i)
            else:
                out[i] = v
        if missing:
            self.live += len(missing)
            out[missing] = embed.get_embedder("use-multilingual").encode([texts[i] for i in missing])
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)


def _perturbed(paragraph: str, event: int) -> str:
    """The paragraph as this event's reports word it: every third word carries the event's mark,
    so every word 3-shingle differs between events that reuse one WMT paragraph (documents recur
    as events; without this, every recurrence would be a near-duplicate of every other)."""
    mark = f"q{event}"
    if _CJK.search(paragraph):
        # Chinese and Japanese shingles are characters: the mark goes between every two of them.
        chars = paragraph.replace(" ", "")
        return f" {mark} ".join(chars[i:i + 2] for i in range(0, len(chars), 2))
    words = paragraph.split()
    return " ".join(w + mark if i % 3 == event % 3 else w for i, w in enumerate(words))


def write_corpus(folder: Path, n: int, docs, number: dict[str, int], seed: int = 1) -> int:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    day0 = 736330  # 2016-01-01
    sources = [f"site{s:03d}.example" for s in range(300)]
    written, shard, fh, recent = 0, 0, None, []
    event = 0
    while written < n:
        doc = rng.randrange(len(docs))
        day = day0 + rng.randrange(0, 9 * 365)
        event += 1
        for j in range(rng.randint(4, 16)):
            if written % 50_000 == 0:
                if fh:
                    fh.close()
                fh = (folder / f"shard{shard:03d}.jsonl").open("w", encoding="utf-8")
                shard += 1
            roll = rng.random()
            if roll < 0.08 and recent:  # a republished copy
                rec = dict(rng.choice(recent))
                rec["source"] = rng.choice(sources)
                rec["url"] = f"https://{rec['source']}/{written}"
            elif roll < 0.12 and recent:  # an excerpt: the first paragraphs of an earlier article
                base = rng.choice(recent)
                paras = base["text"].split("\n\n")
                rec = dict(base, text="\n\n".join(paras[:max(2, len(paras) - 2)]))
                rec["source"] = rng.choice(sources)
                rec["url"] = f"https://{rec['source']}/{written}"
            else:
                lang, paras = rng.choice(docs[doc])
                chosen = rng.sample(paras, min(len(paras), rng.randint(3, 5)))
                text = "\n\n".join(f"{_perturbed(p, event)} (ref {number[p]})" for p in chosen)
                src = rng.choice(sources)
                rec = {"text": text, "url": f"https://{src}/{written}", "source": src,
                       "published": date.fromordinal(day + rng.randint(0, 3)).isoformat()}
                recent.append(rec)
                if len(recent) > 200:
                    recent.pop(0)
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            written += 1
            if written >= n:
                break
    fh.close()
    return written


def children_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def run_size(n: int, work: Path, docs, number: dict[str, int], workers: int, resume: bool = False) -> dict:
    """One size on a fresh store; with `resume`, continue the store and timings a killed or stopped
    run of this size left (the pipeline resumes where it stopped; the timings of every segment are
    kept in scale-N.segments.json as they go, and the totals add the segments up)."""
    corpus = work / f"corpus-v3-{n}"
    if not corpus.is_dir():
        write_corpus(corpus, n, docs, number)
    db = work / f"scale-{n}.db"
    log = work / f"scale-{n}.segments.json"
    result_file = work / f"scale-{n}.result.json"
    if resume and result_file.exists():  # this size finished before: its result stands
        res = json.loads(result_file.read_text())
        print(json.dumps(res), flush=True)
        return res
    result_file.unlink(missing_ok=True)
    segments: list[dict] = []
    if resume and log.exists() and db.exists():
        segments = json.loads(log.read_text())
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        shutil.rmtree(f"{db}.index", ignore_errors=True)
    seconds = dict.fromkeys(STAGES, 0.0)
    segment = {"seconds": seconds, "driver_peak_rss_mb": 0, "worker_peak_rss_mb": 0, "finished": False}
    segments.append(segment)
    last = [time.perf_counter()]
    saved = [0.0]

    def save(force: bool = False) -> None:
        segment["driver_peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        segment["worker_peak_rss_mb"] = round(children_peak_mb())
        if force or last[0] - saved[0] > 10:
            tmp = log.with_suffix(".tmp")
            tmp.write_text(json.dumps(segments, indent=1))
            tmp.replace(log)
            saved[0] = last[0]

    def tick(stage: str) -> None:
        # The time since the previous tick is the work of the batch `stage` just finished.
        now = time.perf_counter()
        seconds[stage] += now - last[0]
        last[0] = now
        save()

    def on_stage(stage: str, done: int, total: int) -> None:
        # The cross-document boilerplate pass is the end of ingest.
        tick("ingest" if stage == "source_boilerplate" else stage)

    config = Config(embedder="memo")
    with newsweave.open(db, config) as nw:
        report = nw.run([str(corpus)], workers=workers, until="stories", stage_progress=on_stage,
                        progress=lambda done, added: tick("ingest"))
        tick("stories")
        n_stored = nw.count()
    segment["finished"] = True
    save(force=True)
    stages = {s: sum(seg["seconds"][s] for seg in segments) for s in STAGES}
    total = sum(stages.values())
    res = {"articles": n_stored, "errors": len(report.errors), "relations": report.relations,
           "stories_opened": report.stories_opened, "total_s": round(total, 1),
           "articles_per_s": round(n_stored / total, 1),
           "ms_per_article": round(1000 * total / n_stored, 2),
           **{f"{s}_per_s": round(n_stored / max(t, 1e-9), 1) for s, t in stages.items()},
           "driver_peak_rss_mb": max(seg["driver_peak_rss_mb"] for seg in segments),
           "worker_peak_rss_mb": max(seg["worker_peak_rss_mb"] for seg in segments),
           "segments": len(segments)}
    if len(segments) > 1:
        # relations / stories of this run only; the store's totals are what the segments added up to
        res["relations"] = None
        res["stories_opened"] = None
    result_file.write_text(json.dumps(res))
    print(json.dumps(res), flush=True)
    return res


STAGES = ("ingest", "embed", "dedup", "stories")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, action="append")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--work", default=tempfile.gettempdir())
    ap.add_argument("--resume", action="store_true",
                    help="continue the stores and timings an interrupted run of these sizes left in --work")
    args = ap.parse_args()
    if not story_scale.WMT.is_dir():
        print(f"skipped: {story_scale.WMT} is absent")
        return 0
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    docs = story_scale.documents()
    table = story_scale.paragraph_vectors(docs, work / "wmt-paragraph-vectors.npz")
    texts = sorted(table)
    number = {t: i for i, t in enumerate(texts)}
    memo = MemoEmbedder(np.vstack([table[t] for t in texts]).astype(np.float32))
    embed.EMBEDDERS["memo"] = lambda: memo
    for n in args.articles or [10_000]:
        run_size(n, work, docs, number, args.workers, args.resume)
    print(json.dumps({"live_encoded_paragraphs": memo.live}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
