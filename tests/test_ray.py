"""Ray executor: the same stages run by a local Ray (`ray.init(num_cpus=2)`) give the same store
as the local executor, on the seeds and on a generated corpus."""

from __future__ import annotations

import json

import pytest
from test_store import make_corpus

import newsweave
from newsweave.config import Config


@pytest.fixture(scope="module")
def local_ray():
    import ray

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


def _export(db, out) -> dict:
    with newsweave.open(db) as nw:
        assert nw.store.integrity_check() == []
        nw.export(out)
    return {f.name: [{k: v for k, v in json.loads(line).items() if k != "ingested_at"}
                     for line in f.read_text().splitlines()] for f in sorted(out.glob("*.jsonl"))}


def test_seeds_same_results_as_local(local_ray, seeds_dir, tmp_path):
    local = newsweave.run([str(seeds_dir)], db=tmp_path / "local.db")
    ray_report = newsweave.run([str(seeds_dir)], db=tmp_path / "ray.db", executor="ray")
    assert (ray_report.added, ray_report.embedded, ray_report.relations) == (local.added, local.embedded, local.relations) == (5, 5, 1)
    assert local_ray.is_initialized()  # the executor leaves a Ray it did not start running
    a, b = _export(tmp_path / "local.db", tmp_path / "a"), _export(tmp_path / "ray.db", tmp_path / "b")
    assert a == b and len(a["articles.jsonl"]) == 5 and len(a["duplicates.jsonl"]) == 1


def test_generated_corpus_and_bad_items_same_as_local(local_ray, tmp_path):
    make_corpus(tmp_path / "in", 300, seed=11)
    (tmp_path / "in" / "zz-binary.txt").write_bytes(b"\x00\x01\x02 binary")
    (tmp_path / "in" / "zz-empty.txt").write_text("   \n")
    config = Config(batch_size=25)
    errors = {}
    for name, executor in (("local", "local"), ("ray", "ray")):
        errs = []
        with newsweave.open(tmp_path / f"{name}.db", config) as nw:
            report = nw.run([str(tmp_path / "in")], executor=executor, on_error=errs.append, until="stories")
        assert report.added == 300
        errors[name] = sorted((e.code, e.locator) for e in errs)
    assert errors["local"] == errors["ray"] and sorted(c for c, _ in errors["ray"]) == ["E102", "E103"]
    assert _export(tmp_path / "local.db", tmp_path / "a") == _export(tmp_path / "ray.db", tmp_path / "b")
