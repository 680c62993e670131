"""Russian dependency parse for the events stage, from natasha's offline models, as spaCy Docs.

No spaCy pipeline for Russian installs offline (ru-core-news-sm on the registry is an empty
placeholder), but natasha's wheel carries its embeddings and slovnet's morphology and syntax
models (Universal Dependencies labels, numpy only). The events stage reads parses through spaCy's
token API (dep_, head, children, morph ...), so the parse is handed over as a spaCy Doc built
from natasha's tokens: the role rules then apply unchanged, as they do to the French UD parse.
"""
from __future__ import annotations

import functools


@functools.lru_cache(maxsize=1)
def _shared():
    """natasha's sentence splitter and news embeddings (a 26 MB table), loaded once for both the
    parser and the NER tagger."""
    from natasha import NewsEmbedding, Segmenter

    return Segmenter(), NewsEmbedding()


class RussianParser:
    """`pipe(texts)` -> spaCy Docs with natasha's tokens, parts of speech, morphology and
    dependencies (the interface of the spaCy pipelines the events stage uses)."""

    def __init__(self) -> None:
        import spacy
        import pymorphy3
        from natasha import NewsMorphTagger, NewsSyntaxParser

        self._segmenter, emb = _shared()
        self._morph = NewsMorphTagger(emb)
        self._syntax = NewsSyntaxParser(emb)
        # The rules compare verb lemmas ("вести переговоры"). pymorphy3's dictionary, not natasha's
        # MorphVocab: that one is pymorphy2, which finds its dictionary through pkg_resources.
        self._morphology = pymorphy3.MorphAnalyzer(lang="ru")
        self.vocab = spacy.blank("ru").vocab

    def _lemma(self, word: str, pos: str | None) -> str:
        """A verb's dictionary form (the parse that is a verb, where pymorphy3 offers several);
        other words lower-cased (no rule reads their lemmas in Russian)."""
        if pos not in ("VERB", "AUX"):
            return word.lower()
        parses = self._morphology.parse(word)
        best = next((p for p in parses if p.tag.POS in ("VERB", "INFN")), parses[0] if parses else None)
        return best.normal_form if best is not None else word.lower()

    def pipe(self, texts):
        for text in texts:
            yield self(text)

    def __call__(self, text: str):
        from natasha import Doc as NatashaDoc
        from spacy.tokens import Doc

        nd = NatashaDoc(text)
        nd.segment(self._segmenter)
        nd.tag_morph(self._morph)
        nd.parse_syntax(self._syntax)
        # spaCy keeps one space after a token; other whitespace (a newline, two spaces) becomes a
        # token of its own, as spaCy's tokenizer makes it, so that character offsets stay the text's.
        rows: list[tuple] = []  # text, space, natasha id, rel, pos, morph, lemma

        def gap(g: str) -> None:  # the text between two tokens (or after the last)
            if rows and g[:1] == " ":
                rows[-1] = rows[-1][:1] + (True,) + rows[-1][2:]
                g = g[1:]
            if g:
                rows.append((g, False, None, "dep", "SPACE", "", g))

        pos = 0
        for t in nd.tokens:
            gap(text[pos:t.start])
            rows.append((t.text, False, t.id, t.rel, t.pos or "X",
                         "|".join(f"{k}={v}" for k, v in sorted((t.feats or {}).items())), self._lemma(t.text, t.pos)))
            pos = t.stop
        gap(text[pos:])
        index = {r[2]: i for i, r in enumerate(rows) if r[2] is not None}
        heads_of = {t.id: t.head_id for t in nd.tokens}
        heads = [index.get(heads_of.get(r[2]), i) for i, r in enumerate(rows)]  # a root heads itself
        deps = ["ROOT" if r[2] is not None and heads[i] == i else r[3] for i, r in enumerate(rows)]
        # The parser sometimes makes a verb's object a second subject ("Турция ... поддержала
        # Азербайджан": both nsubj) where its own morphology tagger says accusative: a verb has one
        # subject, so the accusative (dative) one is the object (indirect object).
        subjects_of: dict[int, list[int]] = {}
        for i, d in enumerate(deps):
            if d == "nsubj" and heads[i] != i:
                subjects_of.setdefault(heads[i], []).append(i)
        for subjects in subjects_of.values():
            if len(subjects) > 1 and any("Case=Nom" in rows[i][5] for i in subjects):
                for i in subjects:
                    if "Case=Acc" in rows[i][5]:
                        deps[i] = "obj"
                    elif "Case=Dat" in rows[i][5]:
                        deps[i] = "iobj"
        words = [r[0] for r in rows]
        doc = Doc(self.vocab, words=words, spaces=[r[1] for r in rows], heads=heads, deps=deps,
                  pos=[r[4] for r in rows], tags=[r[4] for r in rows], morphs=[r[5] for r in rows],
                  lemmas=[r[6] for r in rows])
        if doc.text != text:  # offsets would be wrong: the events stage reads the parse by character
            raise ValueError("natasha's tokens do not rebuild the sentence")
        return doc


class _Entity:
    """What the entities stage reads of a spaCy entity span."""

    __slots__ = ("label_", "text", "start_char", "end_char")

    def __init__(self, label: str, text: str, start: int, end: int) -> None:
        self.label_, self.text, self.start_char, self.end_char = label, text, start, end


class _Entities:
    __slots__ = ("ents",)

    def __init__(self, ents: list[_Entity]) -> None:
        self.ents = ents


class RussianNER:
    """`pipe(texts)` -> objects with spaCy-like `.ents` (label_ PER / LOC / ORG, text, start_char):
    natasha's news NER (slovnet), the interface of the spaCy pipelines the entities stage uses."""

    def __init__(self) -> None:
        from natasha import NewsNERTagger

        self._segmenter, emb = _shared()
        self._ner = NewsNERTagger(emb)

    def pipe(self, texts, batch_size: int = 32):
        from natasha import Doc as NatashaDoc

        for text in texts:
            nd = NatashaDoc(text)
            nd.segment(self._segmenter)
            nd.tag_ner(self._ner)
            yield _Entities([_Entity(sp.type, text[sp.start:sp.stop], sp.start, sp.stop) for sp in nd.spans])


@functools.lru_cache(maxsize=None)
def _loaded(cls):
    """One instance per process (the models load in about a second), or None when natasha or
    pymorphy3 is not installed."""
    try:
        return cls()
    except ImportError:
        return None


def russian_parser() -> RussianParser | None:
    return _loaded(RussianParser)


def russian_ner() -> RussianNER | None:
    return _loaded(RussianNER)
