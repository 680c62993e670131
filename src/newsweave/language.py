"""Language identification per article and per paragraph, with py3langid.

Checking every paragraph with the public `classify()` walks each byte twice (once for the article,
once for its paragraph) and pays a full model multiply per call. Instead each paragraph's byte
n-gram counts are taken once (py3langid's own DFA walk), and the paragraphs and the article are
scored from them with the same model and formula as py3langid's `classify`, in a few small matrix
products: about the cost of classifying the article alone.
"""

from __future__ import annotations

import math
import numpy as np

UNDETERMINED = "und"


class Blocks:
    """The paragraphs of one article, each walked once; any subset can be classified from them.

    Rows are paragraphs, columns the n-gram features seen anywhere in the article: a paragraph's
    scores and the article's (summed counts of the kept paragraphs) are small matrix products over
    the model rows for those features only.
    """

    def __init__(self, ident: "LanguageID", texts: list[str]):
        self._ident = ident
        model = ident._ident
        counts, self.nbytes = [], np.zeros(len(texts))
        self.chars = np.array([len(t) for t in texts], dtype=np.float64)
        for r, text in enumerate(texts):
            data = model._encode(text)
            self.nbytes[r] = len(data)
            counts.append(ident._visit(model.tk_nextmove, model._rowbase, model.tk_output, data) or {})
        idx = np.fromiter((f for c in counts for f in c), dtype=np.intp)
        self.features, inverse = np.unique(idx, return_inverse=True)
        self.raw = np.zeros((len(texts), len(self.features)), dtype=np.float32)
        rows = np.repeat(np.arange(len(texts)), [len(c) for c in counts])
        self.raw[rows, inverse] = np.fromiter((n for c in counts for n in c.values()), dtype=np.float32)
        self.table = model.nb_ptc[self.features].astype(np.float32)  # float16 has no fast matmul
        self._row_probs: np.ndarray | None = None

    @property
    def row_probs(self) -> np.ndarray:
        """Each paragraph's own language probabilities, computed once (rows with no features are
        meaningless here: callers check `raw[r].any()`)."""
        if self._row_probs is None:
            self._row_probs = self._probs(np.log1p(self.raw), self.nbytes)
        return self._row_probs

    def _probs(self, log_counts: np.ndarray, nbytes: np.ndarray) -> np.ndarray:
        scores = (log_counts @ self.table + self._ident._ident.nb_pc).astype(np.float64)
        scores /= np.sqrt(np.maximum(nbytes, 1))[:, None]
        scores = np.exp(scores - scores.max(axis=1, keepdims=True))
        scores /= scores.sum(axis=1, keepdims=True)
        for i, j in self._ident._ident._alias_pairs:
            scores[:, i] += scores[:, j]
            scores[:, j] = 0.0
        return scores

    def article(self, rows: list[int] | None = None) -> tuple[str, float]:
        """(language, probability) of the text made of these paragraphs (all by default).

        Scored from the summed n-gram counts, as py3langid scores a whole text -- except that when
        most of the characters are in paragraphs that are, one by one, in another language, that
        language wins: scripts with multi-byte characters (Cyrillic, CJK) yield more byte n-grams
        per character, so one such paragraph could otherwise outvote a whole article.
        """
        rows = list(range(len(self.nbytes))) if rows is None else rows
        raw = self.raw[rows]
        if raw.size == 0 or not raw.any():
            return UNDETERMINED, 0.0
        probs = self._probs(np.log1p(raw.sum(axis=0))[None, :], np.array([self.nbytes[rows].sum()]))[0]
        best = int(probs.argmax())
        lang, p = str(self._ident._classes[best]), float(probs[best])
        by_lang: dict[str, float] = {}
        for r, (row_lang, _) in zip(rows, self.row_languages(rows)):
            by_lang[row_lang] = by_lang.get(row_lang, 0.0) + self.chars[r]
        top = max(by_lang, key=by_lang.get)
        if top != lang and top != UNDETERMINED and by_lang[top] > 0.5 * sum(by_lang.values()):
            return top, by_lang[top] / sum(by_lang.values())
        return lang, p

    def row_languages(self, rows: list[int]) -> list[tuple[str, float]]:
        """Each paragraph's own best language and its probability."""
        if not rows:
            return []
        probs = self.row_probs[rows]
        best = probs.argmax(axis=1)
        empty = ~self.raw[rows].any(axis=1)
        return [(UNDETERMINED, 0.0) if empty[k] else (str(self._ident._classes[b]), float(probs[k, b]))
                for k, b in enumerate(best)]

    def others(self, article_lang: str, min_ratio: float, rows: list[int]) -> dict[int, str]:
        """Rows whose paragraph is clearly not in `article_lang` -> their language.

        Clearly: its best language is at least `min_ratio` times likelier than the article's.
        """
        rows = [r for r in rows if self.raw[r].any()]
        if not rows:
            return {}
        probs = self.row_probs[rows]
        best = probs.argmax(axis=1)
        col = self._ident._index.get(article_lang)
        p_article = probs[:, col] if col is not None else np.zeros(len(rows))
        out = {}
        for k, r in enumerate(rows):
            lang = str(self._ident._classes[best[k]])
            if lang != article_lang and (p_article[k] <= 0 or probs[k, best[k]] / p_article[k] >= min_ratio):
                out[r] = lang
        return out


class LanguageID:
    def __init__(self) -> None:
        from py3langid import langid

        self._ident = langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE, norm_probs=True)
        self._visit = langid.visit_counts
        self._classes = np.array(self._ident.nb_classes)
        self._index = {c: i for i, c in reversed(list(enumerate(self._ident.nb_classes)))}

    def blocks(self, texts: list[str]) -> Blocks:
        return Blocks(self, texts)

    def classify(self, text: str) -> tuple[str, float]:
        """(language, probability): the same answer as py3langid's normalised `classify`."""
        return Blocks(self, [text]).article()


_SHARED: LanguageID | None = None


def shared() -> LanguageID:
    """One identifier per process: loading the model takes about half a second."""
    global _SHARED
    if _SHARED is None:
        _SHARED = LanguageID()
    return _SHARED

