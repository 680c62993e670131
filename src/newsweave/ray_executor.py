"""Ray executor: the same stages as the local executor, run by Ray (`--executor ray`).

The stage list does not change (pipeline.py); only what runs the heavy per-item work does, as in
datatrove. Two parts go through `ray.data` `map_batches`:

- extraction (cleaning, title/date/source, language): documents in, articles or item errors out,
  in a pool of actors, each a process with its own parsers;
- embedding: batches of paragraphs in, vectors out, in a pool of model actors that each load the
  encoder once and keep it for every batch of the run.

Everything that writes (the store, the corpus stages) stays in the driver, so a batch is still one
transaction, a killed run resumes the same way, and the results are those of the local executor
(tests/test_ray.py checks it).

On one machine `ray.init(num_cpus=N)` starts a local Ray. To scale out, start a cluster
(`ray start --head` on one machine, `ray start --address HEAD:6379` on the others) and give its
address (`--ray-address HEAD:6379` or RAY_ADDRESS); the actor pools then spread over the cluster's
CPUs. Model actors may ask for a GPU (`embed_gpus`) when the embedder can use one.
"""

from __future__ import annotations

import itertools
import logging
import pickle
from collections.abc import Iterable, Iterator

import numpy as np

from .config import Config
from .errors import ItemError, NewsweaveError
from .records import Article, RawDocument


class _Extract:
    """Ray actor: extraction of documents into articles (pipeline._process, with its time limit)."""

    def __init__(self, config: Config):
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)  # one actor per CPU: no BLAS threads on top
        self.config = config

    def __call__(self, batch: dict) -> dict:
        from .pipeline import _process

        # Documents and results travel pickled: Arrow columns of bytes, not Python objects.
        return {"i": batch["i"], "result": np.array([pickle.dumps(_process(pickle.loads(d), self.config))
                                                     for d in batch["doc"]], dtype=object)}


class _Embed:
    """Ray actor: one encoder, loaded once, for every batch it is given."""

    def __init__(self, embedder: str):
        from .embed import EMBEDDERS, get_embedder

        # One actor per CPU: an encoder that can be told its thread count gets one thread (two
        # actors of two threads each on two cores ran at half the local speed).
        try:
            self.embedder = EMBEDDERS[embedder](threads=1)
        except (TypeError, KeyError):
            self.embedder = get_embedder(embedder)

    def __call__(self, batch: dict) -> dict:
        out = np.empty(len(batch["texts"]), dtype=object)
        for k, texts in enumerate(batch["texts"]):
            out[k] = self.embedder.encode(pickle.loads(texts))
        return {"i": batch["i"], "vecs": out}


class RayExecutor:
    def __init__(self, workers: int = 0, address: str | None = None, window: int = 50, embed_gpus: float = 0):
        try:
            import ray  # noqa: F401
        except ImportError as exc:
            raise NewsweaveError("E214", "the Ray executor needs Ray: pip install 'newsweave[ray]'") from exc
        self.address = address
        self.workers = workers  # actors per pool (0: one per CPU Ray offers)
        # Batches per ray.data run: each run starts its actor pool (and an embedding actor loads its
        # model), so a run takes many batches; memory stays bounded by the window.
        self.window = window
        self.embed_gpus = embed_gpus
        self._started = False  # Ray was started by this executor (and is stopped by it)

    def _start(self) -> int:
        import ray

        if not ray.is_initialized():
            quiet = {"log_to_driver": False, "logging_level": logging.WARNING}
            if self.address:
                ray.init(address=self.address, **quiet)
            else:
                ray.init(num_cpus=self.workers or None, include_dashboard=False, **quiet)
            self._started = True
        ctx = ray.data.DataContext.get_current()
        ctx.execution_options.preserve_order = True  # batches come back in the order they went in
        ctx.enable_progress_bars = False
        logging.getLogger("ray.data").setLevel(logging.WARNING)
        cpus = int(ray.cluster_resources().get("CPU", 1))
        return max(1, min(self.workers or cpus, cpus))

    def map_batches(self, batches: Iterable[list[RawDocument]], config: Config
                    ) -> Iterator[tuple[list[RawDocument], list[Article | ItemError]]]:
        import ray

        batches = iter(batches)
        while window := list(itertools.islice(batches, self.window)):
            actors = self._start()  # Ray starts only when there is work
            rows = [{"i": i, "doc": pickle.dumps(d)} for i, d in enumerate(d for docs in window for d in docs)]
            ds = ray.data.from_items(rows, override_num_blocks=min(len(rows), actors * 4)).map_batches(
                _Extract, fn_constructor_kwargs={"config": config}, batch_size=max(1, config.batch_size // 4),
                compute=ray.data.ActorPoolStrategy(size=actors), num_cpus=1, batch_format="numpy")
            # Rows come back in order: each batch is handed on as soon as its last row is in, while
            # the actors go on with the rest of the window.
            ends = list(itertools.accumulate(len(docs) for docs in window))
            results: list = []
            done = 0
            for row in ds.iter_rows():
                results.append(pickle.loads(row["result"]))
                while done < len(window) and len(results) >= ends[done]:
                    start = ends[done - 1] if done else 0
                    yield window[done], results[start:ends[done]]
                    done += 1

    def encode_many(self, embedder: str):
        """A function of batches of texts -> their vectors, batch by batch (embed.embed_pending)."""
        import ray

        def encode(batches: list[list[str]]) -> list[np.ndarray]:
            actors = self._start()
            # Batches are cut into pieces so that every model actor gets work; vectors are joined back.
            pieces = [(b, texts[k:k + 64]) for b, texts in enumerate(batches) for k in range(0, max(len(texts), 1), 64)]
            rows = [{"i": i, "texts": pickle.dumps(t)} for i, (_, t) in enumerate(pieces)]
            ds = ray.data.from_items(rows, override_num_blocks=min(len(rows), actors * 2)).map_batches(
                _Embed, fn_constructor_kwargs={"embedder": embedder}, batch_size=1,
                compute=ray.data.ActorPoolStrategy(size=actors), num_cpus=1, num_gpus=self.embed_gpus,
                batch_format="numpy")
            vecs: list = [None] * len(rows)
            for row in ds.iter_rows():
                vecs[row["i"]] = row["vecs"]
            out: list[list[np.ndarray]] = [[] for _ in batches]
            for (b, _), v in zip(pieces, vecs):
                out[b].append(np.asarray(v, dtype=np.float32))
            return [np.vstack(parts) for parts in out]

        return encode

    def shutdown(self) -> None:
        import ray

        if self._started and ray.is_initialized():
            ray.shutdown()
            self._started = False
