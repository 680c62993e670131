"""Replays the fuzz corpora kept under tests/fuzz_corpus/TARGET (inputs atheris found interesting
in bench/fuzz/run.py) and the hand-made seeds through the same targets: none may raise."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench" / "fuzz"))
import targets  # noqa: E402

CASES = [(t, p) for t in sorted(targets.TARGETS)
         for folder in (ROOT / "tests" / "fuzz_corpus" / t, ROOT / "bench" / "fuzz" / "seeds" / t) if folder.exists()
         for p in sorted(folder.iterdir())]


def test_every_target_has_inputs():
    assert {t for t, _ in CASES} == set(targets.TARGETS)


@pytest.mark.parametrize("target", sorted(targets.TARGETS))
def test_kept_inputs_do_not_crash(target):
    paths = [p for t, p in CASES if t == target]
    for p in paths:
        targets.TARGETS[target](p.read_bytes())
