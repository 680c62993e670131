"""Entities: NER quality per language, normalisation quality across languages, and stage speed.

    .venv/bin/python bench/entity_quality.py [--sentences 2000] [--speed-db PATH]

A. NER, entity level (exact span and type; and span only), per language, on WikiNEuRal validation
   sentences (../shared/eval/ner-wikineural; Wikipedia, 9 languages) and BSNLP news
   (../shared/eval/ner-bsnlp; pl, ru). French, English and Spanish go through the spaCy pipelines
   the stage uses, Russian through natasha's NER; other languages through its language-independent
   rule (which types everything MISC, so only its span score means anything).
B. Normalisation, on BSNLP's gold mentions (../shared/eval/bsnlp/*/annotated: surface form,
   category, cross-lingual id such as PER-Nigel-Farage shared by "Farage'a", "Фараж", ...): every
   distinct (surface, language) is an item, its gold entity the id; the stage's joining rules
   (entities.build_entities, with acronyms defined in the raw texts and the multilingual encoder
   for cross-language acronyms) group them. Pairwise precision/recall over items, side by side with
   plain NER output without normalisation (one entity per distinct surface string) and with
   case/transliteration folding only.
C. Speed of the whole stage (mention extraction + rebuilding entities) on a store of real news
   articles (default: the SemEval store bench/story_quality.py builds), articles/s on 2 cores.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import story_data  # noqa: E402

from newsweave.config import Config  # noqa: E402
from newsweave.entities import (NER_PIPELINES, Mention, build_entities, defined_acronyms, extract_mentions,  # noqa: E402
                                mention_key)
from newsweave.records import Article, Block  # noqa: E402

EVAL = story_data.EVAL
_GOLD_TYPE = {"PER": "PER", "ORG": "ORG", "LOC": "LOC", "MISC": "MISC", "EVT": "MISC", "PRO": "MISC"}


# --- A. NER ------------------------------------------------------------------------------------

def conll_sentences(path: Path, limit: int | None):
    """Yield (text, gold spans {(start, end, type)}) per sentence."""
    tokens: list[tuple[str, str]] = []
    n = 0
    for line in path.open(encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith("#") or line.startswith("-DOCSTART"):
            continue
        if not line.strip():
            if tokens:
                yield _sentence(tokens)
                n += 1
                tokens = []
                if limit and n >= limit:
                    return
            continue
        parts = line.split("\t")
        if len(parts) >= 3:
            tokens.append((parts[1], parts[2]))
    if tokens:
        yield _sentence(tokens)


def _sentence(tokens: list[tuple[str, str]]):
    text, spans, pos = "", set(), 0
    start = typ = None
    for i, (tok, tag) in enumerate(tokens):
        if text:
            text += " "
        begin = len(text)
        text += tok
        end = len(text)
        if tag.startswith("B-") or (tag.startswith("I-") and typ != tag[2:]):
            if start is not None:
                spans.add((start, last_end, typ))
            start, typ = begin, tag[2:]
        elif tag == "O" and start is not None:
            spans.add((start, last_end, typ))
            start = typ = None
        last_end = end
    if start is not None:
        spans.add((start, last_end, typ))
    return text, spans


def ner_scores(path: Path, lang: str, limit: int | None) -> dict:
    sents = list(conll_sentences(path, limit))
    articles = [Article(id=f"s{i}", raw=t, kind="text", blocks=[Block(t, lang)], lang=lang)
                for i, (t, _) in enumerate(sents)]
    t0 = time.perf_counter()
    mentions = [m for m in extract_mentions(articles) if m.via in ("ner", "rule")]
    secs = time.perf_counter() - t0
    pred: dict[str, set] = defaultdict(set)
    for m in mentions:
        pred[m.article_id].add((m.start, m.end, m.type))
    out = {}
    for typed in (True, False):
        tp = fp = fn = 0
        for i, (_, gold) in enumerate(sents):
            g = gold if typed else {(s, e, "") for s, e, _ in gold}
            p = pred[f"s{i}"] if typed else {(s, e, "") for s, e, _ in pred[f"s{i}"]}
            tp += len(g & p)
            fp += len(p - g)
            fn += len(g - p)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        out["typed" if typed else "span"] = (prec, rec, 2 * prec * rec / (prec + rec) if prec + rec else 0.0)
    out["sentences"], out["seconds"] = len(sents), secs
    return out


# --- B. normalisation ---------------------------------------------------------------------------

def bsnlp_mentions():
    """(mentions, acronyms, gold id per item key), items = distinct (surface, language)."""
    mentions, acronyms = [], []
    gold_votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    root = EVAL / "bsnlp"
    for topic in sorted(p for p in root.iterdir() if p.is_dir()):
        for lang_dir in sorted((topic / "annotated").iterdir()):
            lang = lang_dir.name
            for f in sorted(lang_dir.iterdir()):
                lines = f.read_text(encoding="utf-8", errors="replace").splitlines()
                doc = f"{topic.name}/{lang}/{f.name}"
                for line in lines[1:]:
                    parts = line.split("\t")
                    if len(parts) < 4 or not parts[0].strip():
                        continue
                    surface, _, cat, gid = parts[:4]
                    mentions.append(Mention(doc, 0, len(surface), surface, _GOLD_TYPE.get(cat, "MISC"), lang, "ner"))
                    gold_votes[(surface, lang)][gid] += 1
            raw = topic / "raw" / lang_dir.name
            if raw.exists():
                for f in sorted(raw.iterdir()):
                    text = f.read_text(encoding="utf-8", errors="replace")
                    acronyms += [(f"{topic.name}/{lang}/{f.name}", a, e) for a, e in defined_acronyms(text)]
    # The 2017 topics (ec, trump) carry per-file numeric ids, not cross-lingual ones: left out of
    # the gold (their mentions still go through the joining, as distractors).
    gold = {item: votes.most_common(1)[0][0] for item, votes in gold_votes.items()}
    gold = {item: g for item, g in gold.items() if re.match(r"^(PER|ORG|LOC|GPE|EVT|PRO)-", g)}
    return mentions, acronyms, gold


def pairwise(pred: dict, gold: dict) -> tuple[float, float, float]:
    def pairs(counts: Counter) -> int:
        return sum(n * (n - 1) // 2 for n in counts.values())
    both = pairs(Counter((pred[k], gold[k]) for k in gold))
    p_pairs, g_pairs = pairs(Counter(pred[k] for k in gold)), pairs(Counter(gold.values()))
    prec = both / p_pairs if p_pairs else 0.0
    rec = both / g_pairs if g_pairs else 0.0
    return prec, rec, 2 * prec * rec / (prec + rec) if prec + rec else 0.0


def normalisation_scores() -> dict:
    from newsweave.embed import get_embedder

    mentions, acronyms, gold = bsnlp_mentions()
    enc = get_embedder()
    t = time.perf_counter()
    _, key_to_id = build_entities(mentions, acronyms, Config(), lambda a, b: (enc.encode(a) @ enc.encode(b).T).tolist())
    secs = time.perf_counter() - t
    ours = {item: key_to_id.get(mention_key(item[0]), f"none:{item}") for item in gold}
    plain = {item: item[0] for item in gold}
    folded = {item: mention_key(item[0]) or item[0] for item in gold}
    cross = {item: g for item, g in gold.items()}
    out = {"items": len(gold), "gold_entities": len(set(gold.values())), "seconds": secs,
           "newsweave": pairwise(ours, gold), "plain": pairwise(plain, gold), "folded": pairwise(folded, gold)}
    # Cross-lingual only: pairs of items in different languages.
    def cross_pairs(pred):
        by_gold = defaultdict(list)
        for item in cross:
            by_gold[cross[item]].append(item)
        tp = fn = 0
        for items in by_gold.values():
            for i, a in enumerate(items):
                for b in items[i + 1:]:
                    if a[1] != b[1]:
                        if pred[a] == pred[b]:
                            tp += 1
                        else:
                            fn += 1
        return tp / (tp + fn) if tp + fn else 0.0
    out["cross_recall"] = {"newsweave": cross_pairs(ours), "plain": cross_pairs(plain), "folded": cross_pairs(folded)}
    return out


# --- C. speed --------------------------------------------------------------------------------------

def speed(db: Path) -> dict | None:
    from newsweave.entities import run_entities
    from newsweave.store import open_store

    if not db.exists():
        return None
    work = Path(tempfile.mkdtemp())
    copy = work / "speed.db"
    shutil.copy(db, copy)
    store = open_store(str(copy))
    n = store.count_articles()
    langs = Counter(a.lang for a in store.iter_articles())
    t = time.perf_counter()
    run_entities(store, Config())
    secs = time.perf_counter() - t
    shutil.rmtree(work)
    return {"articles": n, "seconds": secs, "per_second": n / secs, "languages": dict(langs.most_common())}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sentences", type=int, default=2000)
    ap.add_argument("--speed-db", default="/tmp/newsweave-story-bench/semeval-mono.base.db")
    ap.add_argument("--skip", nargs="*", default=[])
    args = ap.parse_args()
    if not EVAL.exists():
        print(f"data absent: {EVAL}; skipped")
        return
    if "ner" not in args.skip:
        print("| data | language | how | typed P / R / F1 | span P / R / F1 | sentences | s |")
        print("|---|---|---|---|---|---|---|")
        files = [(p, p.name.split(".")[0], "wikineural") for p in sorted((EVAL / "ner-wikineural").glob("*.conllu"))]
        files += [(p, p.name.split("_")[0], f"bsnlp-{p.stem.split('_')[1]}") for p in sorted((EVAL / "ner-bsnlp").glob("*.conllu"))]
        for path, lang, name in files:
            r = ner_scores(path, lang, args.sentences)
            how = "spaCy" if lang in NER_PIPELINES else "natasha" if lang == "ru" else "rule"
            ty, sp = r["typed"], r["span"]
            print(f"| {name} | {lang} | {how} | {ty[0]:.3f} / {ty[1]:.3f} / {ty[2]:.3f} | {sp[0]:.3f} / {sp[1]:.3f} / "
                  f"{sp[2]:.3f} | {r['sentences']} | {r['seconds']:.1f} |", flush=True)
    if "norm" not in args.skip:
        r = normalisation_scores()
        print(f"\nnormalisation on BSNLP gold mentions: {r['items']} distinct (surface, language) items, "
              f"{r['gold_entities']} gold entities, built in {r['seconds']:.1f}s")
        print("| grouping | pairwise P | R | F1 | cross-language pair recall |")
        print("|---|---|---|---|---|")
        for k, label in (("newsweave", "newsweave normalisation"), ("folded", "case + transliteration folding only"),
                         ("plain", "plain NER output (one entity per surface string)")):
            p, rc, f = r[k]
            print(f"| {label} | {p:.3f} | {rc:.3f} | {f:.3f} | {r['cross_recall'][k]:.3f} |")
    if "speed" not in args.skip:
        r = speed(Path(args.speed_db))
        if r is None:
            print(f"\nspeed: {args.speed_db} absent (run bench/story_quality.py first); skipped")
        else:
            print(f"\nspeed: {r['articles']} articles in {r['seconds']:.1f}s = {r['per_second']:.1f} articles/s "
                  f"(languages {r['languages']})")


if __name__ == "__main__":
    main()
