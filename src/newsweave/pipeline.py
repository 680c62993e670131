"""The stage list, and the executor that runs it (kept apart, as datatrove does).

Per-item stages turn one `RawDocument` into one `Article`, independently of every other item, so
an executor may run them in any process. Corpus stages then run over the store on what the batch
changed. The local executor streams the inputs in batches; each batch is one store transaction.
"""

from __future__ import annotations

import itertools
import multiprocessing as mp
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from . import boilerplate, dedup, embed, entities, events, extract, stories
from .config import Config
from .errors import ItemError, NewsweaveError
from .ingest import IngestStats, iter_inputs
from .records import Article, RawDocument
from .store import Store


@dataclass(frozen=True, slots=True)
class StageInfo:
    name: str
    module: str
    scope: str  # "item" (one document at a time) or "corpus" (over the store)
    requires: tuple[str, ...]
    assigns: tuple[str, ...]


STAGES: tuple[StageInfo, ...] = (
    StageInfo("ingest", "newsweave.ingest", "item", ("paths|urls|stdin",), ("raw", "locator", "source_key")),
    StageInfo("extract", "newsweave.extract", "item", extract.REQUIRES, extract.ASSIGNS),
    StageInfo("source_boilerplate", "newsweave.boilerplate", "corpus", boilerplate.REQUIRES, boilerplate.ASSIGNS),
    StageInfo("embed", "newsweave.embed", "corpus", embed.REQUIRES, embed.ASSIGNS),
    StageInfo("dedup", "newsweave.dedup", "corpus", dedup.REQUIRES, dedup.ASSIGNS),
    StageInfo("stories", "newsweave.stories", "corpus", stories.REQUIRES, stories.ASSIGNS),
    StageInfo("entities", "newsweave.entities", "corpus", entities.REQUIRES, entities.ASSIGNS),
    StageInfo("events", "newsweave.events", "corpus", events.REQUIRES, events.ASSIGNS),
)
STAGE_NAMES = tuple(s.name for s in STAGES)


@dataclass(slots=True)
class RunReport:
    inputs_read: int = 0  # items found (files, records, entries, URLs), good or bad
    added: int = 0  # new articles stored
    already_stored: int = 0
    errors: list[ItemError] = field(default_factory=list)
    skipped_files: list[str] = field(default_factory=list)
    boilerplate_marked: int = 0
    embedded: int = 0
    relations: int = 0
    stories_placed: int = 0  # articles placed in stories this run
    stories_opened: int = 0
    stories_merged: int = 0
    entities_articles: int = 0  # articles whose mentions were extracted this run
    events_articles: int = 0  # articles whose events were extracted this run
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """False when nothing at all could be read: the CLI's exit status."""
        return self.inputs_read > len(self.errors)


Progress = Callable[[int, int], None]  # (items done so far, articles added so far)
StageProgress = Callable[[str, int, int], None]  # (corpus stage, done, total)


class _ItemTimeout(Exception):
    pass


def _on_alarm(_signum, _frame):
    raise _ItemTimeout()


def _process(doc: RawDocument, config: Config) -> Article | ItemError:
    """Extract one document within `max_item_seconds` (a SIGALRM timer: available in a process's
    main thread, which is where the executor's items run; elsewhere, as under the REST server's
    worker threads, the other limits still bound the work)."""
    limit = config.max_item_seconds
    if not limit or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        return extract.extract(doc, config)
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        return extract.extract(doc, config)
    except _ItemTimeout:
        return ItemError("E116", doc.locator, f"extraction took longer than {limit:g}s (max_item_seconds)")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _process_batch(args: tuple[list[RawDocument], Config]) -> list[Article | ItemError]:
    docs, config = args
    return [_process(d, config) for d in docs]


def _init_worker() -> None:
    # Each worker is one core's worth: BLAS threads on top of worker processes oversubscribe the
    # cores (measured: 2 workers ran at half the speed of 1 until this was set).
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)


class LocalExecutor:
    """Runs the per-item stages in this process, or in a pool of `workers` processes; the
    embedder runs in this process (its own threads)."""

    def __init__(self, workers: int = 0):
        # 0 = one per core
        self.workers = workers if workers > 0 else max(1, os.cpu_count() or 1)

    def map_batches(self, batches: Iterable[list[RawDocument]], config: Config
                    ) -> Iterator[tuple[list[RawDocument], list[Article | ItemError]]]:
        if self.workers == 1:
            for docs in batches:
                yield docs, _process_batch((docs, config))
            return
        # Batches are pulled from the input in this (main) thread -- the store is read while
        # batching -- and at most 2 per worker are in flight, so memory stays bounded. The pool
        # starts only when a second batch exists: a small run does not pay for it.
        batches = iter(batches)
        first = next(batches, None)
        if first is None:
            return
        second = next(batches, None)
        if second is None:
            yield first, _process_batch((first, config))
            return
        # Workers come from a fork server started without threads: forking this process after
        # the embedder or the vector index started their thread pools can leave a child spinning
        # on a lock held by a thread that no longer exists (seen on a second run in one process).
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["newsweave.extract"])
        with ctx.Pool(self.workers, initializer=_init_worker) as pool:
            window: deque = deque()
            for docs in itertools.chain([first, second], batches):
                window.append((docs, pool.apply_async(_process_batch, ((docs, config),))))
                if len(window) >= 2 * self.workers:
                    done_docs, result = window.popleft()
                    yield done_docs, result.get()
            while window:
                done_docs, result = window.popleft()
                yield done_docs, result.get()

    def encode_many(self, embedder: str):
        return None  # embed_pending's default: this process

    def shutdown(self) -> None:
        pass


def get_executor(name: str = "local", workers: int = 0, address: str | None = None):
    """An executor by name: "local" (processes on this machine) or "ray" (ray_executor.py)."""
    if name == "local":
        return LocalExecutor(workers)
    if name == "ray":
        from .ray_executor import RayExecutor

        return RayExecutor(workers, address=address)
    raise NewsweaveError("E204", f"unknown executor {name!r}; executors: local, ray")


def run(inputs: Iterable[str], store: Store, config: Config, executor: LocalExecutor | None = None,
        progress: Progress | None = None, on_error: Callable[[ItemError], None] | None = None,
        until: str = STAGES[-1].name, stage_progress: StageProgress | None = None,
        items: Iterable | None = None) -> RunReport:
    """Ingest `inputs` (or `items` already read: documents and item errors, as the feed watcher
    has them) and run the stages up to and including `until`.

    Corpus stages work on everything stored that they have not seen yet, so a run that was killed
    (or stopped early with `until`) is completed by the next run, even with no new input.
    """
    if until not in STAGE_NAMES:
        raise NewsweaveError("E204", f"unknown stage {until!r}; stages: {', '.join(STAGE_NAMES)}")
    last = STAGE_NAMES.index(until)
    executor = executor or LocalExecutor()
    report = RunReport()
    stats = IngestStats()
    started = time.perf_counter()

    def new_batches() -> Iterator[list[RawDocument]]:
        # Group inputs in batches, drop errors (reported) and items already stored (re-runs).
        batch: list[RawDocument] = []
        for item in (items if items is not None else iter_inputs(inputs, config, stats)):
            report.inputs_read += 1
            if isinstance(item, ItemError):
                _error(item)
                continue
            batch.append(item)
            if len(batch) >= config.batch_size:
                yield from _unseen(batch)
                batch = []
        if batch:
            yield from _unseen(batch)

    def _unseen(batch: list[RawDocument]) -> Iterator[list[RawDocument]]:
        known = store.existing_ids(d.article_id for d in batch)
        fresh = [d for d in batch if d.article_id not in known]
        seen_again = [(d.locator, d.article_id) for d in batch if d.article_id in known]
        if seen_again:
            # Still record where it was seen this time (another path with the same text).
            report.already_stored += len(seen_again)
            store.add_articles([], seen_again)
        if fresh:
            yield fresh

    def _error(err: ItemError) -> None:
        report.errors.append(err)
        if on_error:
            on_error(err)

    done = 0
    for docs, results in executor.map_batches(new_batches(), config):
        articles, sightings = [], []
        for doc, result in zip(docs, results):
            if isinstance(result, ItemError):
                _error(result)
                continue
            articles.append(result)
            sightings.append((doc.locator, result.id))
        # Two inputs of one batch can carry the same text: store it once.
        unique = list({a.id: a for a in articles}.values())
        added = store.add_articles(unique, sightings)
        report.added += added
        report.already_stored += len(articles) - added
        done += len(docs)
        if progress:
            progress(done, report.added)
    if last >= STAGE_NAMES.index("source_boilerplate"):
        # Pending sources are recorded with the articles, so a killed run is caught up here too.
        pending = store.pending_source_keys()
        report.boilerplate_marked = boilerplate.remove_source_boilerplate(store, pending, config)
        store.clear_pending_sources(pending)
        if stage_progress:
            stage_progress("source_boilerplate", len(pending), len(pending))
    embedder = None
    if last >= STAGE_NAMES.index("embed"):
        embedder = embed.get_embedder(config.embedder)
        report.embedded = embed.embed_pending(
            store, embedder, progress=(lambda done, total: stage_progress("embed", done, total)) if stage_progress else None,
            encode_many=executor.encode_many(config.embedder), window=getattr(executor, "window", 1))
    if last >= STAGE_NAMES.index("dedup"):
        report.relations = len(dedup.run_dedup(
            store, embedder, config,
            progress=(lambda done, total: stage_progress("dedup", done, total)) if stage_progress else None))
    if last >= STAGE_NAMES.index("stories"):
        st = stories.run_stories(
            store, embedder.name, embedder.dim, config,
            progress=(lambda done, total: stage_progress("stories", done, total)) if stage_progress else None,
            languages=embedder.languages)
        report.stories_placed, report.stories_opened, report.stories_merged = st.placed, st.opened, st.merged
    if last >= STAGE_NAMES.index("entities"):
        report.entities_articles = entities.run_entities(
            store, config, embed_texts=embedder.encode if embedder else None,
            progress=(lambda done, total: stage_progress("entities", done, total)) if stage_progress else None)
    if last >= STAGE_NAMES.index("events"):
        report.events_articles = events.run_events(
            store, config, encode=embedder.encode if embedder else None,
            progress=(lambda done, total: stage_progress("events", done, total)) if stage_progress else None)
    report.skipped_files = stats.skipped_files
    report.seconds = time.perf_counter() - started
    return report
