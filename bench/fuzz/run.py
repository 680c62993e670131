"""Coverage-guided fuzzing of the parsers with atheris (outside CI: it takes minutes per target).

    .venv/bin/pip install atheris
    .venv/bin/python bench/fuzz/run.py TARGET [--runs 100000] [--seconds 1800]

TARGET is one of bench/fuzz/targets.py (text_cleaner, html_extraction, json_reader, feed_reader,
date_resolution, language_id). Starts from the seeds in bench/fuzz/seeds/TARGET plus the kept
regression corpus tests/fuzz_corpus/TARGET; a new working corpus grows in
/tmp/newsweave-fuzz/TARGET. A crash, hang (> 10 s per input) or memory blow-up (> 2 GB) stops the
run and leaves the input in /tmp/newsweave-fuzz/crash-*. To keep newly interesting inputs as
regression tests, copy the working corpus's inputs into the kept one (every input libFuzzer keeps
added coverage; the smallest, up to 150 files of at most 8 KB and 200 KB in all, so CI replays
them quickly; libFuzzer's own -merge re-executes argv[0], which a Python script cannot be):

    .venv/bin/python bench/fuzz/run.py TARGET --merge
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("target")
    ap.add_argument("--runs", type=int, default=100_000)
    ap.add_argument("--seconds", type=int, default=3600)
    ap.add_argument("--max-len", type=int, default=8192, help="largest input in bytes")
    ap.add_argument("--merge", action="store_true", help="merge the working corpus into tests/fuzz_corpus/TARGET")
    args = ap.parse_args()
    import atheris

    with atheris.instrument_imports(include=["newsweave"]):
        import targets
    fn = targets.TARGETS[args.target]
    work = Path("/tmp/newsweave-fuzz") / args.target
    work.mkdir(parents=True, exist_ok=True)
    kept = ROOT / "tests" / "fuzz_corpus" / args.target
    kept.mkdir(parents=True, exist_ok=True)
    seeds = Path(__file__).resolve().parent / "seeds" / args.target

    def one(data: bytes) -> None:
        fn(data)

    if args.merge:
        import shutil

        total = n = 0
        for p in sorted((p for p in work.iterdir() if p.is_file()), key=lambda p: p.stat().st_size):
            size = p.stat().st_size
            if size <= 8192 and total + size <= 200_000 and n < 150:
                shutil.copy(p, kept / p.name)
                total, n = total + size, n + 1
        print(f"kept {n} inputs ({total} bytes) in {kept}")
        return
    else:
        argv = [sys.argv[0], str(work), *(str(p) for p in (kept, seeds) if p.exists()), f"-runs={args.runs}",
                f"-max_total_time={args.seconds}", "-timeout=10", "-rss_limit_mb=2048",
                "-print_final_stats=1", f"-max_len={args.max_len}", f"-artifact_prefix={work.parent}/crash-{args.target}-"]
    os.environ.setdefault("PYTHONHASHSEED", "0")
    atheris.Setup(argv, one)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
