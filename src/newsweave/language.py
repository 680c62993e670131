"""Language identification per article and per paragraph, with py3langid.

Checking every paragraph with the public `classify()` walks each byte twice (once for the article,
once for its paragraph) and pays a full model multiply per call. Instead each block's byte n-gram
counts are taken once, classified on their own, and summed to classify the article: the same model
and the same scores as py3langid's own `classify`, at about the cost of the article alone.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

import numpy as np

UNDETERMINED = "und"


@dataclass(slots=True)
class LangFeatures:
    counts: Counter | None  # n-gram feature index -> count
    nbytes: int


class LanguageID:
    def __init__(self) -> None:
        from py3langid import langid

        self._ident = langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE, norm_probs=True)
        self._visit = langid.visit_counts
        self._classes = np.array(self._ident.nb_classes)
        self._index = {c: i for i, c in reversed(list(enumerate(self._ident.nb_classes)))}

    def features(self, text: str) -> LangFeatures:
        data = self._ident._encode(text)
        ident = self._ident
        return LangFeatures(self._visit(ident.tk_nextmove, ident._rowbase, ident.tk_output, data), len(data))

    @staticmethod
    def merge(parts: list[LangFeatures]) -> LangFeatures:
        total: Counter = Counter()
        nbytes = 0
        for p in parts:
            if p.counts:
                total.update(p.counts)
            nbytes += p.nbytes
        return LangFeatures(total or None, nbytes)

    def probabilities(self, feats: LangFeatures) -> np.ndarray | None:
        """Per-language probabilities as py3langid's normalised `classify` computes them."""
        if not feats.counts:
            return None
        ident = self._ident
        scores = ident._sparse_score(feats.counts, ident.nb_ptc).astype(np.float64)
        scores *= 1.0 / math.sqrt(feats.nbytes or 1)
        scores = np.exp(scores - scores.max())
        scores /= scores.sum()
        for i, j in ident._alias_pairs:
            scores[i] += scores[j]
            scores[j] = 0.0
        return scores

    def decide(self, feats: LangFeatures) -> tuple[str, float]:
        """(language, probability), the same answer as py3langid's `classify` on that text."""
        probs = self.probabilities(feats)
        if probs is None:
            return UNDETERMINED, 0.0
        best = int(probs.argmax())
        return str(self._classes[best]), float(probs[best])

    def other_language(self, feats: LangFeatures, article_lang: str, min_ratio: float) -> str | None:
        """The block's language if it is clearly not the article's (likelihood ratio >= min_ratio)."""
        probs = self.probabilities(feats)
        if probs is None:
            return None
        best = int(probs.argmax())
        lang = str(self._classes[best])
        if lang == article_lang:
            return None
        p_article = float(probs[self._index[article_lang]]) if article_lang in self._index else 0.0
        if p_article > 0 and probs[best] / p_article < min_ratio:
            return None
        return lang

    def classify(self, text: str) -> tuple[str, float]:
        return self.decide(self.features(text))


_SHARED: LanguageID | None = None


def shared() -> LanguageID:
    """One identifier per process: loading the model takes about half a second."""
    global _SHARED
    if _SHARED is None:
        _SHARED = LanguageID()
    return _SHARED

