"""Grammatical case of a word, for languages the events stage reads without a parser.

Without a parse, who acts is read from word order; in Polish and Ukrainian a name's case says
whether it can be the subject at all ("Londynowi grozi brexit": London is dative, Brexit looms over
it). Dictionaries that installed packages carry: Morfeusz 2 with the SGJP dictionary for Polish,
pymorphy3's Ukrainian dictionary (pymorphy3-dicts-uk, GPL-3.0, installed by the Makefile, optional).
A word either analyser does not know, or a language whose dictionary is absent, could be anything.
"""
from __future__ import annotations

import functools


@functools.lru_cache(maxsize=None)
def _analyser(lang: str):
    try:
        if lang == "pl":
            import morfeusz2

            return morfeusz2.Morfeusz()
        if lang == "uk":
            import pymorphy3

            return pymorphy3.MorphAnalyzer(lang="uk")
    except (ImportError, ValueError, OSError):  # package or its dictionary missing
        return None
    return None


@functools.lru_cache(maxsize=100_000)
def can_be_nominative(word: str, lang: str | None) -> bool:
    """False only when the language's dictionary knows `word` and none of its readings is
    nominative; True for unknown words and languages without a dictionary here."""
    a = _analyser(lang or "")
    if a is None or not word:
        return True
    if lang == "pl":
        tags = [t[2][2] for t in a.analyse(word)]
        if not tags or all(t.startswith("ign") for t in tags):
            return True
        return any("nom" in part for t in tags for part in t.split(":")[1:])
    if not a.word_is_known(word):
        return True
    return any(p.tag.case == "nomn" for p in a.parse(word))
