"""Dedup stage: identical, near-duplicate, excerpt and translation relations, with direction.

Incremental: each article not yet compared is compared with everything compared before it (and
with the new articles before it in the same run), never the whole corpus against itself again.

Tiers, cheapest first:
1. identical      -- same normalised text (case, spacing, punctuation, quotes do not matter);
2. near_duplicate -- same language, MinHash (datasketch) Jaccard estimate over word 3-shingles;
3. excerpt        -- one article's shingles contained in a longer one's (a syndicated lead, a cut);
4. translation    -- other language; candidates by article vectors (multilingual embedder), then
   confirmed by paragraph alignment and language-independent anchors (numbers), so two reports of
   one event in two languages are not called a translation.
Direction (`original`): the earlier publication; else the article whose language the copy betrays
(a paragraph left in the original's language, month names capitalised as in English); else, for
excerpts, the longer one.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from datasketch import MinHash, MinHashLSH

from .clean import norm, word_count
from .config import Config
from .embed import Embedder
from .records import Article, Relation
from .store import Store
from .vectors import VectorIndex

REQUIRES = ("text", "lang", "published", "embeddings")
ASSIGNS = ("relations",)

NUM_PERM = 128
SCHEME = "affine32"  # stored signatures are only comparable within one datasketch hashing scheme
# crc32 (C, stable across processes) instead of datasketch's default sha1: the permutations that
# follow do the mixing, and hashing the shingles was a third of the stage's time.
_TEMPLATE = MinHash(num_perm=NUM_PERM, scheme=SCHEME, hashfunc=zlib.crc32)  # permutations reused
_SIG_DTYPE = _TEMPLATE.hashvalues.dtype
SHINGLE = 3

# Languages that write month and weekday names in lower case; the same names capitalised in the
# middle of a sentence betray a translation from a language that capitalises them (English, German).
_LOWERCASE_CALENDAR = {
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre "
          "lundi mardi mercredi jeudi vendredi samedi dimanche",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre "
          "lunes martes miércoles jueves viernes sábado domingo",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre "
          "lunedì martedì mercoledì giovedì venerdì sabato domenica",
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro "
          "segunda-feira terça-feira quarta-feira quinta-feira sexta-feira sábado domingo",
}
_CAPITALISING = {"en", "de"}
_CAPITALISED_CALENDAR = {
    lang: re.compile(r"\b(?:" + "|".join(re.escape(n[0].upper() + n[1:]) for n in names.split()) + r")\b")
    for lang, names in _LOWERCASE_CALENDAR.items()
}


@dataclass(slots=True)
class _Entry:
    id: str
    lang: str | None
    minhash: MinHash
    n_shingles: int = 0


# LSH banding as datasketch's MinHashLSH(threshold=0.3) chooses it (b bands of r rows): a pair
# of articles is a candidate when one band of their signatures is equal.
_LSH = MinHashLSH(threshold=0.3, num_perm=NUM_PERM)
BANDS, ROWS = _LSH.b, _LSH.r
del _LSH


def band_keys(signature: np.ndarray) -> list[int]:
    """One signed 64-bit key per band of a MinHash signature (the store's candidate index)."""
    sig = np.asarray(signature, dtype=_SIG_DTYPE)
    return [int.from_bytes(hashlib.blake2b(bytes([b]) + sig[b * ROWS:(b + 1) * ROWS].tobytes(), digest_size=8).digest(),
                           "little", signed=True) for b in range(BANDS)]


@dataclass
class _State:
    """What comparisons need of the articles compared before. The candidate index (band keys,
    paragraph keys, text hashes, signatures) lives in the store, so memory does not grow with the
    corpus; the articles of the batch not yet committed are kept here until `committed()`."""

    store: Store
    by_hash: dict[str, str] = field(default_factory=dict)
    by_band: dict[int, list[str]] = field(default_factory=dict)
    by_paragraph: dict[bytes, list[str]] = field(default_factory=dict)
    entries: dict[str, _Entry] = field(default_factory=dict)
    bands: list[tuple[int, str]] = field(default_factory=list)  # uncommitted rows for the store
    paragraphs: list[tuple[bytes, str]] = field(default_factory=list)
    # Hashed shingles of recently seen articles (an LRU): candidates are checked exactly against
    # them without reloading and re-shingling the article each time.
    shingle_cache: OrderedDict = field(default_factory=OrderedDict)
    doc_ids: list[str] = field(default_factory=list)
    doc_matrix: np.ndarray | None = None  # rows 0..len(doc_ids) hold the article vectors
    doc_index: VectorIndex | None = None  # replaces the matrix past EXACT_VECTORS articles
    langs: list[str | None] = field(default_factory=list)
    # Nearest articles of the current batch among those compared before it (see `prepare`).
    batch_nearest: dict[str, list[tuple[int, float]]] = field(default_factory=dict)
    batch_start: int = 0

    def prepare(self, docs: dict[str, np.ndarray], k: int) -> None:
        """Scan the vectors compared so far for the whole batch in one matrix product: one pass
        over the matrix per batch instead of one per article (the scan is memory-bound)."""
        n = len(self.doc_ids)
        self.batch_nearest, self.batch_start = {}, n
        if self.doc_index is not None or not n or not docs or k <= 0:
            return
        ids = list(docs)
        sims = np.vstack([docs[i] for i in ids]).astype(np.float32) @ self.doc_matrix[:n].T
        for j, aid in enumerate(ids):
            self.batch_nearest[aid] = _top(sims[j], k)

    def add_vector(self, aid: str, vec: np.ndarray, lang: str | None) -> None:
        n = len(self.doc_ids)
        self.doc_ids.append(aid)
        self.langs.append(lang)
        if self.doc_index is not None:
            self.doc_index.index.add(n, np.asarray(vec, dtype=np.float32))
            return
        # A growing matrix (capacity doubles): stacking a list per article would be quadratic.
        if self.doc_matrix is None or n == len(self.doc_matrix):
            grown = np.zeros((max(1024, 2 * n), len(vec)), dtype=np.float32)
            if self.doc_matrix is not None:
                grown[:n] = self.doc_matrix
            self.doc_matrix = grown
        self.doc_matrix[n] = vec
        if n + 1 >= EXACT_VECTORS:
            # Past this size a scan of every vector per article makes the stage quadratic: an
            # approximate (HNSW) index answers in about constant time instead.
            self.doc_index = VectorIndex(len(vec), exact_below=0)
            self.doc_index.rebuild((i, self.doc_matrix[i]) for i in range(n + 1))
            self.doc_matrix = None

    def first_with_hash(self, thash: str) -> str | None:
        return self.store.dedup_first_with_hash(thash) or self.by_hash.get(thash)

    def candidates(self, keys: list[int], pkeys: list[bytes]) -> dict[str, None]:
        """Articles sharing an LSH band or a long paragraph (at most 50 per paragraph)."""
        found = dict.fromkeys(self.store.dedup_band_matches(keys))
        for k in keys:
            found.update(dict.fromkeys(self.by_band.get(k, ())))
        for key in pkeys:
            others = self.store.dedup_paragraph_matches(key, 50)
            others += self.by_paragraph.get(key, [])[:50 - len(others)]
            found.update(dict.fromkeys(others))
        return found

    def load_entries(self, ids: list[str]) -> None:
        missing = [i for i in ids if i not in self.entries]
        for aid, (lang, sig, n) in self.store.dedup_entries(missing).items():
            self.entries[aid] = _Entry(aid, lang, _minhash_of(sig), n)

    def remember(self, aid: str, thash: str, mh: MinHash, keys: list[int], lang: str | None, n_shingles: int,
                 pkeys: list[bytes]) -> None:
        self.by_hash.setdefault(thash, aid)
        self.entries[aid] = _Entry(aid, lang, mh, n_shingles)
        for k in keys:
            self.by_band.setdefault(k, []).append(aid)
            self.bands.append((k, aid))
        for key in pkeys:
            self.by_paragraph.setdefault(key, []).append(aid)
            self.paragraphs.append((key, aid))

    def committed(self) -> None:
        """The batch is in the store: its lookups are answered from there now."""
        self.by_hash.clear()
        self.by_band.clear()
        self.by_paragraph.clear()
        self.entries.clear()  # signatures are re-read per batch, for the candidates only
        self.bands, self.paragraphs = [], []

    def nearest(self, vec: np.ndarray, k: int, aid: str | None = None) -> list[tuple[int, float]]:
        """(row, cosine) of the `k` most similar articles compared so far."""
        n = len(self.doc_ids)
        if not n or k <= 0:
            return []
        if self.doc_index is not None:
            return self.doc_index.search(vec, k)
        before = self.batch_nearest.get(aid) if aid is not None else None
        if before is None:
            return _top(self.doc_matrix[:n] @ vec, k)
        # the batch's scan of earlier articles, plus the batch's own articles compared since
        start = self.batch_start
        found = before + [(start + i, float(s)) for i, s in enumerate(_rounded(self.doc_matrix[start:n] @ vec))]
        return _best(found, k)


def _top(sims: np.ndarray, k: int) -> list[tuple[int, float]]:
    """The `k` highest (row, similarity), ties broken by row: copies have equal vectors, and which
    of them are taken must not depend on how the scan was split."""
    k = min(k, len(sims))
    sims = _rounded(sims)
    kth = np.partition(sims, len(sims) - k)[len(sims) - k]
    return _best([(int(r), float(sims[r])) for r in np.flatnonzero(sims >= kth)], k)


def _best(found: list[tuple[int, float]], k: int) -> list[tuple[int, float]]:
    return sorted(found, key=lambda rs: (-rs[1], rs[0]))[:k]


def _rounded(sims: np.ndarray) -> np.ndarray:
    # A matrix product and a product per vector differ in the last float bits, which would break
    # ties between copies differently; vectors are stored as float16, so 4 decimals is all they hold.
    return np.round(sims, 4)


# Below this many articles, translation candidates come from an exact scan of every article vector.
EXACT_VECTORS = 50_000


_CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def shingles(text: str) -> set[str]:
    """Word 3-grams; in Chinese, Japanese and Korean runs (no spaces) each character is a token."""
    toks: list[str] = []
    for tok in norm(text).split():
        if _CJK_CHAR.search(tok):
            toks.extend(tok)
        else:
            toks.append(tok)
    if len(toks) < SHINGLE:
        return {" ".join(toks)} if toks else set()
    return {" ".join(toks[i:i + SHINGLE]) for i in range(len(toks) - SHINGLE + 1)}


def minhash(sh: set[str]) -> MinHash:
    mh = MinHash(num_perm=NUM_PERM, scheme=SCHEME, permutations=_TEMPLATE.permutations, hashfunc=zlib.crc32)
    mh.update_batch([s.encode("utf-8", "surrogatepass") for s in sh])
    return mh


SHINGLE_CACHE = 50_000


def _hashed(sh: set[str]) -> np.ndarray:
    # In-memory only (Python's str hash is salted per process): sorted unique 64-bit ints.
    return np.unique(np.fromiter((hash(x) for x in sh), dtype=np.int64, count=len(sh)))


def _remember(state: "_State", aid: str, hashed: np.ndarray) -> None:
    state.shingle_cache[aid] = hashed
    if len(state.shingle_cache) > SHINGLE_CACHE:
        state.shingle_cache.popitem(last=False)


def dedup_text(article: Article) -> str:
    """What is compared: the title (when it is not already the first line) and the clean text."""
    text = article.text
    if article.title and not text.startswith(article.title):
        return article.title + "\n" + text
    return text


def paragraph_keys(article: Article) -> list[bytes]:
    # Only paragraphs long enough to be telling; a short line shared by many articles is not.
    return sorted({hashlib.blake2b(norm(p.text).encode("utf-8", "surrogatepass"), digest_size=8).digest()
                   for p in article.paragraphs if word_count(p.text) >= 8})


def text_hash(text: str) -> str:
    return hashlib.blake2b(norm(text).encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


def run_dedup(store: Store, embedder: Embedder | None, config: Config,
              progress: Callable[[int, int], None] | None = None) -> list[Relation]:
    pending = store.dedup_pending()
    if not pending:
        return []
    state = _load_state(store, embedder)
    found: list[Relation] = []
    for i in range(0, len(pending), 200):
        ids = pending[i:i + 200]
        vectors = store.get_embeddings(embedder.name, ids) if embedder else {}
        state.prepare({aid: v[0] for aid, v in vectors.items()}, config.translation_candidates)
        rows, relations = [], []
        for aid in ids:
            article = store.get_article(aid)
            if article is None:
                continue
            rels, row = _compare(article, vectors.get(aid), state, store, embedder, config)
            rows.append(row)
            relations.extend(rels)
        store.put_dedup(rows, relations, state.bands, state.paragraphs)
        state.committed()
        found.extend(relations)
        if progress:
            progress(min(i + 200, len(pending)), len(pending))
    return found


def _minhash_of(sig: bytes) -> MinHash:
    return MinHash(num_perm=NUM_PERM, scheme=SCHEME, hashvalues=np.frombuffer(sig, dtype=_SIG_DTYPE),
                   permutations=_TEMPLATE.permutations, hashfunc=zlib.crc32)


# Version of the candidate index kept in the store; a store compared before it existed gets it
# built once from the stored signatures.
INDEX_VERSION = "1"


def _ensure_index(store: Store) -> None:
    if store.get_meta("dedup_index") == INDEX_VERSION:
        return
    bands, paragraphs = [], []
    for aid, _lang, _thash, sig, pkeys, _n in store.dedup_signatures():
        bands.extend((k, aid) for k in band_keys(np.frombuffer(sig, dtype=_SIG_DTYPE)))
        paragraphs.extend((pkeys[k:k + 8], aid) for k in range(0, len(pkeys), 8))
        if len(bands) >= 200_000:
            store.put_dedup_keys(bands, paragraphs)
            bands, paragraphs = [], []
    store.put_dedup_keys(bands, paragraphs)
    store.set_meta("dedup_index", INDEX_VERSION)


def _load_state(store: Store, embedder: Embedder | None) -> _State:
    _ensure_index(store)
    state = _State(store)
    if embedder:
        for aid, lang, vec in store.compared_vectors(embedder.name):  # row by row: no second copy of them all
            state.add_vector(aid, vec.astype(np.float32), lang)
    return state


def _compare(article: Article, vectors, state: _State, store: Store, embedder: Embedder | None,
             config: Config) -> tuple[list[Relation], tuple[str, str | None, str, bytes, bytes, int]]:
    text = dedup_text(article)
    thash = text_hash(text)
    sh = shingles(text)
    mh = minhash(sh)
    pkeys = paragraph_keys(article)
    relations: list[Relation] = []
    related: set[str] = set()

    # 1. identical
    if (other := state.first_with_hash(thash)) is not None:
        relations.append(_relation(store, other, article, "identical", 1.0, {}))
        related.add(other)
    # 2-3. near duplicates and excerpts in the same language
    hashed = _hashed(sh)

    def other_hashed(other: str) -> np.ndarray:
        cached = state.shingle_cache.get(other)
        if cached is None:
            other_article = store.get_article(other)
            cached = _hashed(shingles(dedup_text(other_article))) if other_article else np.zeros(0, np.int64)
            _remember(state, other, cached)
        else:
            state.shingle_cache.move_to_end(other)
        return cached

    # Candidates: MinHash LSH at a low threshold, plus articles sharing a whole paragraph (an
    # excerpt has a low Jaccard with its source, so the LSH alone would miss it). The MinHash
    # estimate and the two sizes bound what an exact check could find; only candidates that could
    # pass are checked exactly on shingles. The estimate is kept in the evidence.
    keys = band_keys(mh.hashvalues)
    candidates = state.candidates(keys, pkeys)
    state.load_entries(list(candidates))
    for other in candidates:
        entry = state.entries.get(other)
        if entry is None:  # keys left by an article whose text changed and is not compared yet
            continue
        if other in related or entry.lang != article.lang or not len(hashed):
            continue
        estimate = float(mh.jaccard(entry.minhash))
        if entry.n_shingles:
            est_inter = estimate / (1 + estimate) * (len(hashed) + entry.n_shingles)
            est_containment = est_inter / max(1, min(len(hashed), entry.n_shingles))
            if (estimate < config.near_duplicate_min_jaccard - 0.15
                    and est_containment < config.excerpt_min_containment - 0.25):
                continue
        osh = other_hashed(other)
        if not len(osh):
            continue
        inter = len(np.intersect1d(hashed, osh, assume_unique=True))
        jaccard = inter / (len(hashed) + len(osh) - inter)
        small_is_new = len(hashed) <= len(osh)
        n_small, n_large = (len(hashed), len(osh)) if small_is_new else (len(osh), len(hashed))
        containment = inter / n_small
        if jaccard >= config.near_duplicate_min_jaccard:
            relations.append(_relation(store, other, article, "near_duplicate", jaccard,
                                       {"jaccard": round(jaccard, 4), "minhash_estimate": round(estimate, 4)}))
            related.add(other)
        elif containment >= config.excerpt_min_containment and n_small <= config.excerpt_max_length_ratio * n_large:
            longer = other if small_is_new else article.id
            relations.append(_relation(store, other, article, "excerpt", containment,
                                       {"containment": round(containment, 4), "shared_shingles": inter,
                                        "minhash_estimate": round(estimate, 4)}, fallback_original=longer))
            related.add(other)
    # 4. translations
    if embedder is not None and vectors is not None:
        doc, paras = vectors
        for row, sim in state.nearest(doc, config.translation_candidates, article.id):
            other = state.doc_ids[row]
            if (sim < config.translation_min_doc_cosine or other in related
                    or state.langs[row] == article.lang):
                continue
            other_vecs = store.get_embeddings(embedder.name, [other]).get(other)
            other_article = store.get_article(other)
            if other_vecs is None or other_article is None:
                continue
            verdict = _translation_evidence(article, paras, other_article, other_vecs[1], config)
            if verdict is not None:
                score, evidence = verdict
                relations.append(_relation(store, other, article, "translation", score, evidence,
                                           other_article=other_article))
                related.add(other)
        state.add_vector(article.id, doc, article.lang)

    state.remember(article.id, thash, mh, keys, article.lang, len(hashed), pkeys)
    _remember(state, article.id, hashed)
    return relations, (article.id, article.lang, thash, mh.hashvalues.astype(_SIG_DTYPE).tobytes(), b"".join(pkeys),
                       len(hashed))


def _translation_evidence(a: Article, pa: np.ndarray, b: Article, pb: np.ndarray,
                          config: Config) -> tuple[float, dict] | None:
    if len(pa) == 0 or len(pb) == 0:
        return None
    ratio = word_count(a.text) / max(word_count(b.text), 1)
    if not (1 / config.translation_max_length_ratio <= ratio <= config.translation_max_length_ratio):
        return None
    sims = pa @ pb.T
    best_ab, best_ba = sims.argmax(axis=1), sims.argmax(axis=0)
    # aligned: mutual best matches above the threshold
    pairs = [(i, int(j), float(sims[i, j])) for i, j in enumerate(best_ab)
             if best_ba[j] == i and sims[i, j] >= config.translation_min_paragraph_cosine]
    coverage = len(pairs) / max(len(pa), len(pb))
    if coverage < config.translation_min_coverage:
        return None
    mean = float(np.mean([s for _, _, s in pairs]))
    na, nb = anchors(a.text), anchors(b.text)
    shared = na & nb
    overlap = len(shared) / len(na | nb) if (na or nb) else None
    if overlap is not None and len(na | nb) >= 3 and overlap < config.translation_min_anchor_overlap:
        return None  # the two texts state different numbers / names: two reports, not one
    nums_a, nums_b = {x for x in na if x.isdigit()}, {x for x in nb if x.isdigit()}
    if nums_a and nums_b and not nums_a & nums_b:
        return None  # a translation keeps its numbers; these two share none
    anchored = len(shared) >= 2 and overlap is not None and overlap >= 0.5
    if mean < (config.translation_min_mean_cosine_anchored if anchored else config.translation_min_mean_cosine):
        return None
    evidence = {"aligned_paragraphs": [[i, j, round(s, 3)] for i, j, s in pairs], "coverage": round(coverage, 3),
                "mean_cosine": round(mean, 3)}
    if shared:
        evidence["shared_anchors"] = sorted(shared)[:20]
    return mean * coverage, evidence


# Language-independent anchors: numbers (separators dropped: "200.000", "200 000" and "２００，０００"
# are one number), URLs and e-mail addresses, placeholders (#NAME#), and Latin acronyms (NATO, PCR),
# which translations keep as they are.
_NUM = re.compile(r"\d+(?:[.,\u00a0\u202f ]\d{3})*(?:[.,]\d+)?")
_LINKISH = re.compile(r"https?://\S+|[\w.+-]+@[\w-]+\.[\w.]+|#[A-Z_]+#")
_ACRONYM = re.compile(r"\b[A-Z]{2,5}\b")
_CAPS_WORD = re.compile(r"\b[A-Z]{2,}\b")


def anchors(text: str) -> set[str]:
    text = unicodedata.normalize("NFKC", text)
    found = set(_LINKISH.findall(text))
    found |= {re.sub(r"\D", "", n) for n in _NUM.findall(text)}
    # in a text written in capitals every word looks like an acronym: skip them there
    if len(_CAPS_WORD.findall(text)) <= 0.2 * max(len(text.split()), 1):
        found |= set(_ACRONYM.findall(text))
    return found


def _relation(store: Store, other_id: str, article: Article, kind: str, score: float, evidence: dict,
              fallback_original: str | None = None, other_article: Article | None = None) -> Relation:
    other = other_article or store.get_article(other_id)
    original = _original(other, article, kind) if other is not None else None
    if original is None:
        original = fallback_original
    a, b = sorted([other_id, article.id])
    return Relation(a, b, kind, score, original, evidence)


def _original(x: Article, y: Article, kind: str) -> str | None:
    """Which of two related articles the other was copied or translated from, when one can tell."""
    if x.published and y.published and x.published != y.published:
        return x.id if x.published < y.published else y.id
    if kind == "translation":
        bx, by = _betrays(x, y.lang), _betrays(y, x.lang)
        if bx != by:
            return y.id if bx > by else x.id
    return None


def _betrays(copy: Article, original_lang: str | None) -> int:
    """How many traces of `original_lang` the article `copy` carries."""
    if not original_lang:
        return 0
    traces = sum(1 for p in copy.paragraphs if p.lang == original_lang)
    pattern = _CAPITALISED_CALENDAR.get(copy.lang or "")
    if pattern is not None and original_lang in _CAPITALISING:
        text = copy.text
        for m in pattern.finditer(text):
            before = text[:m.start()].rstrip(" ,")
            if before[-1:].islower():  # after a lower-case word: not a sentence start
                traces += 1
    return traces


def provenance_chains(relations: list[Relation]) -> list[dict]:
    """Groups of articles that are one report, with who copied or translated whom.

    Each group: `article_ids` (sorted), `roots` (members no relation names a copy of), and `edges`
    (`{"from": original, "to": copy, "kind"}`, or `from`/`to` in id order with `"directed": False`
    where the direction is unknown). Union-find over the relations.
    """
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for r in relations:
        parent[find(r.a)] = find(r.b)
    groups: dict[str, list[Relation]] = {}
    for r in relations:
        groups.setdefault(find(r.a), []).append(r)
    chains = []
    for rels in groups.values():
        members = sorted({x for r in rels for x in (r.a, r.b)})
        copies = {r.b if r.original == r.a else r.a for r in rels if r.original}
        edges = [{"from": r.original, "to": r.b if r.original == r.a else r.a, "kind": r.kind, "directed": True}
                 if r.original else {"from": r.a, "to": r.b, "kind": r.kind, "directed": False} for r in rels]
        chains.append({"article_ids": members, "roots": [m for m in members if m not in copies], "edges": edges})
    return sorted(chains, key=lambda c: (-len(c["article_ids"]), c["article_ids"]))
