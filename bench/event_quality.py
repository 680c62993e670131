"""Events: type, actor, target accuracy on labelled sentences; claims on the seeds; stage speed.

Data (read from ../shared/eval/events; skipped with a message where absent):
A. PLOVER gold standard records (plover-gsr/PLOVER_GSR_CAMEO.txt): 322 English sentences (CAMEO
   manual examples recoded to PLOVER) with event type, source and target actor texts. Unit-level,
   stylised text, not news articles. Types of that older PLOVER draft are mapped to the 2021 set
   the stage uses as the CAMEO2PLOVER-2021 table does: DEMAND -> REQUEST, DISAPPROVE and
   INVESTIGATE -> ACCUSE, FIGHT -> ASSAULT.
B. NGEC synthetic stories (ngec-synthetic/gpt_synthetic_events_*.csv): 4,500 machine-generated
   English stories with one PLOVER label each — pseudo-labelled, a smoke test, not a gold set.

Each sentence or story goes through the real stage: spaCy mentions (entities.extract_mentions),
then events.Extractor with the multilingual encoder. Scores:
- detected: the share of items with at least one event;
- type accuracy: the item's first event has the gold type (over detected items), and over all items;
- actor / target accuracy: the first event's actor (target) overlaps a gold source (target) text;
- evidence-backed precision: events whose type, actor and target are all right / all events
  (the issue's target: >= 0.80); recall: items with such an event / all items.
Baseline, side by side: nearest type by embedding (the same type examples, no trigger words, no
roles) for the type; first and second entity mention of the sentence as actor and target.

C. Speed: the stage (events + claims) on a copy of the SemEval store that bench/story_quality.py
   builds (mentions extracted first, not timed).
D. Hand-checked sample on real news (bench/data/events_handchecked.jsonl): 34 events drawn at
   random (2026-11-25, seed 2026, up to 12 per language) from that store's output and judged by a
   developer — right type, actor and target (or rightly no target). Labelled by us, not gold: the
   file keeps ids, the judged type/actor/target, judgement and a note, not the articles' text (the
   SemEval data stays in ../shared). Reported per language; events no longer produced, or whose
   type or roles changed since they were judged, are counted separately (judge them again).
   Attribution likewise (bench/data/attribution_handchecked.jsonl): every event of that output
   that carries an attribution (19), its speaker span and kind judged. And a census
   (bench/data/events_census.jsonl): all 95 events of that output, judged the same way.

F. Held-out real news (bench/data/events_heldout_wmt.jsonl): every event the rules of 2026-11-25
   (commit 9cbdacc) produced on the WMT22 news documents (../shared/eval/wmt22-docs: the sources and
   one human translation of the en-zh, ja-en, fr-de and de-fr news documents; 64 English, 80
   French, 80 German articles), judged by a developer on 2026-11-26 before that session's rule
   changes were made, and never read while writing rules. The store is rebuilt by the full
   pipeline on each run (about 30 s).
G. Held-out real news, second set (bench/data/events_heldout_semeval.jsonl): every event (100) the
   rules of 2026-11-26 (commit c8a4f5f) produced on the 909 SemEval-sample articles that the story
   benchmark's monolingual set leaves out (so never in the census store; machine translations of
   its articles left out too), judged by a developer before any later rule change (about 55 s).

H. Held-out synthetic news (bench/data/events_heldout_ngec.jsonl): every event (97) the rules of
   the end of session 7 (commit 1b9da64) produced on 120 whole NGEC synthetic stories that part B
   does not score (random, seed 20261126), judged by a developer on 2026-11-26 before the session-8
   rule changes. Machine-written English news-like text, not real news: a check that rules written
   on real news hold on text no rule was written against (about 15 s).

I. Held-out synthetic news, second draw (bench/data/events_heldout_ngec2.jsonl): every event (74)
   the rules of the end of session 8 (commit 85befd2) produced on 120 more NGEC stories (seed
   20261127, none of part B's or H's), judged by a developer on 2026-11-26 before any change of
   session 9. It is the set that tests the reliable tier (RELIABLE, chosen before it was judged).
   Every held-out and census table ends with that tier's precision (events at confidence >=
   RELIABLE still as judged).
   Attribution on I and J (bench/data/attribution_heldout_ngec.jsonl): every attributed event of
   both stores, speaker and kind judged (after the session's rules, whose changes touched no cue),
   counted apart for cues in the event's own sentence and cues inherited from a neighbour.
J. Held-out synthetic news, third draw (bench/data/events_heldout_ngec3.jsonl): every event (106)
   the same rules produced on 150 more NGEC stories (seed 20261128, none of B's, H's or I's),
   judged on 2026-11-26 after the tier was fixed and before any rule change of session 9.
K. Slavic real news (bench/data/events_bsnlp.jsonl): the 3,791 BSNLP raw articles (bg cs hr pl ru
   sk sl uk) through the whole pipeline; every event (89) of the session-9 trigger words judged
   (about 5 minutes; skip with --skip bsnlp). A development set: the locative rule for "w"/"в" was
   written after reading an earlier run's ru/pl output.

L. Held-out real news, third set (bench/data/events_heldout_lee.jsonl): the Lee corpus that gensim's
   test data carries (gensim/test/test_data/lee_background.cor and lee.cor: 350 Australian
   Broadcasting Corporation news texts of 2001-2002, one per line; `pip install -e '.[bench]'`).
   Every event (123) of the rules of the end of session 9 (commit e9ab7e0) judged on 2026-11-26
   before any change of session 10: the first real English news since part G that no rule was
   written against. Attribution of its events judged too (bench/data/attribution_heldout_lee.jsonl).

M. Spanish news with the Spanish parse (bench/data/events_dev_semeval_es.jsonl): the 196 Spanish
   articles of the SemEval sample (not the machine translations into Spanish) through the whole
   pipeline with es_core_news_sm; every event (21) of commit 8c81ce3 judged on 2026-11-26. A
   development set: it decided that Spanish events stay below the reliable tier.

N, O, P. Held-out synthetic news, fourth to sixth draws (bench/data/events_heldout_ngec4.jsonl,
   _ngec5, _ngec6): every event of the rules of the time on 200 more NGEC stories each (seeds
   20261129, 20261130, 20261201; none of B's, H's, I's, J's or an earlier draw's), judged on
   2026-11-26 (session 15) before any rule change that came after: N on the session-14 rules
   (commit 0814ce2), O on commit 33fc4e0 (after rules written from N's errors), P on commit b26a83b
   (after rules written from O's errors). The first judgement of each is the held-out figure of
   those rules (bench/RESULTS.md); events that later rules changed were judged again (noted).

Q-U. Held-out synthetic news, seventh to eleventh draws (bench/data/events_heldout_ngec7.jsonl to
   _ngec11): 200 more NGEC stories each (seeds 20261202-20261206), every event judged on 2026-11-26
   (session 16) before any rule change that came after it: Q on the session-15 final rules (84393f0),
   R on 99ddb84, S on d327d42, T on 2c1bc63, U on 2591a78.

V, W. Twelfth and thirteenth draws (events_heldout_ngec12.jsonl, _ngec13; seeds 20261207, 20261208):
   V judged on the session-16 final rules (25cc10b), W on the session-18 rules and confidences
   (3a623a1), each before any change that came after it, the confidence hidden while judging.

E. NGEC headline templates (ngec-synthetic/synthetic_headlines.csv): 375 synthetic headlines with a
   PLOVER type, slots filled with fixed names; type accuracy, and actor/target where a template
   names {country_1} then {country_2}. Added 2026-11-25 as a set no rule was written against.

Calibration. Every judged event still as judged (parts F-W and the census) counts for its class
(the event's `basis`); the run ends with each class's share right and a leave-one-part-out table
(each part's events get the confidences the other parts' judgements give: tier precision, mean
confidence against share right, Brier score). The first judgements of the fresh draws N-W
(bench/data/events_first_judgements.jsonl, bench/event_floors.py) count per class apart ("fresh"):
a class is given the lower of its two shares, as events on new text are right less often than on
the sets the rules were written from (the left-out table leaves a part's own first judgements out
too). `--write-calibration` writes the counts to src/newsweave/data/event_confidence.json, from which
the events stage reads its confidences.

    python bench/event_quality.py [--ngec 600] [--skip gsr headlines ngec speed heldout bsnlp] [--write-calibration]
    (part L needs gensim: pip install -e '.[bench]')
"""

from __future__ import annotations

import argparse
import csv
import functools
import hashlib
import json
import re
import shutil
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from newsweave.embed import get_embedder  # noqa: E402
from newsweave.entities import extract_mentions  # noqa: E402
from newsweave.events import RELIABLE, Extractor, basis_group, confidence_table, load_rules, rule_of_thumb  # noqa: E402
from newsweave.records import Article, Block  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval" / "events"
OLD_TYPES = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}


def _norm(s: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", s.lower()).split())


def _match(pred: dict | None, gold: list[str]) -> bool:
    if pred is None:
        return not gold
    p = _norm(pred["text"])
    return any(g and p and (p in g or g in p) for g in map(_norm, gold))


def _actors(field) -> list[str]:
    # A few records carry "" or a context word instead of a list: no actor labelled.
    return [a.get("actorText", "") for a in field if isinstance(a, dict)] if isinstance(field, list) else []


def gsr_items() -> list[dict]:
    path = EVAL / "plover-gsr" / "PLOVER_GSR_CAMEO.txt"
    items = []
    for r in json.loads(path.read_text(encoding="utf-8")):
        if r.get("event") in (None, "DOCUMENT") or not r.get("text"):
            continue
        items.append({"id": r["id"], "text": r["text"], "date": r.get("date"),
                      "type": OLD_TYPES.get(r["event"], r["event"]),
                      "source": _actors(r.get("source")), "target": _actors(r.get("target"))})
    return items


# Names put into the headline templates' slots: real countries and a city the NER models know.
_SLOTS = {"country_1": "Germany", "country_2": "Brazil", "country_3": "Kenya", "city": "Lyon"}


def headline_items() -> list[dict]:
    """NGEC's synthetic headline templates (synthetic_headlines.csv, 375, labelled with a PLOVER
    type) with their slots filled. Where a template names {country_1} before {country_2}, the
    first is taken as the actor and the second as the target (a convention of the templates, not
    a label: reported separately)."""
    path = EVAL / "ngec-synthetic" / "synthetic_headlines.csv"
    if not path.exists():
        return []
    items = []
    for i, r in enumerate(csv.DictReader(path.open(encoding="utf-8"))):
        title = r["title"].strip()
        slots = re.findall(r"\{(\w+)\}", title)
        text = re.sub(r"\{(\w+)\}", lambda m: _SLOTS.get(m.group(1), m.group(1)), title)
        roles = slots[:2] == ["country_1", "country_2"]
        items.append({"id": f"headline{i}", "text": text, "date": None, "type": r["event"],
                      "source": [_SLOTS["country_1"]] if roles else [], "target": [_SLOTS["country_2"]] if roles else [],
                      "roles": roles})
    return items


def gsr_half(item_id: str) -> str:
    """A fixed split of the gold records: "dev" (errors read to develop rules) or "test"."""
    return "dev" if int(hashlib.sha256(str(item_id).encode()).hexdigest(), 16) % 2 == 0 else "test"


@functools.lru_cache(maxsize=1)
def _ngec_rows() -> list[dict] | None:
    """The NGEC synthetic stories' rows, or None where the file is absent."""
    path = next(iter(sorted((EVAL / "ngec-synthetic").glob("gpt_synthetic_events_*.csv"))), None)
    return None if path is None else list(csv.DictReader(path.open(encoding="utf-8")))


def ngec_items(limit: int) -> list[dict]:
    """Stories with their label; scored on their lead (first paragraph), where news states the
    main event the label names."""
    rows = _ngec_rows()
    if rows is None:
        return []
    # An even spread over the labels: every k-th row.
    step = max(1, len(rows) // limit)
    return [{"id": f"ngec{i}", "text": r["text"].strip().split("\n\n")[0], "date": None, "type": r["label"],
             "source": [], "target": [], "unlabelled_roles": True}
            for i, r in enumerate(rows[::step][:limit])]


def evaluate(items: list[dict], enc, roles: bool = True) -> dict:
    articles = [Article(id=it["id"], raw=it["text"], kind="text", blocks=[Block(p, "en") for p in it["text"].split("\n\n") if p.strip()],
                        lang="en", published=it["date"]) for it in items]
    t = time.perf_counter()
    mentions = extract_mentions(articles)
    by_article = defaultdict(list)
    for m in mentions:
        by_article[m.article_id].append(m)
    ex = Extractor(load_rules(), enc.encode)
    ours = [ex.extract(a, by_article[a.id]) for a in articles]
    secs = time.perf_counter() - t
    # Baseline: nearest type by embedding over the whole item; roles = first two mentions.
    scores = ex.type_scores([it["text"] for it in items])
    base_types = [max(s, key=s.get) for s in scores]
    out = {"items": len(items), "seconds": secs}
    n = len(items)
    det = [evs for evs in ours if evs]
    first = [evs[0] if evs else None for evs in ours]
    type_ok = [f is not None and f.type == it["type"] for f, it in zip(first, items)]
    actor_ok = [f is not None and _match(f.actor, it["source"]) for f, it in zip(first, items)]
    target_ok = [f is not None and _match(f.target, it["target"]) for f, it in zip(first, items)]
    all_events = [(e, it) for evs, it in zip(ours, items) for e in evs]
    full_ok = [e.type == it["type"] and _match(e.actor, it["source"]) and _match(e.target, it["target"])
               for e, it in all_events]
    items_full = [any(e.type == it["type"] and _match(e.actor, it["source"]) and _match(e.target, it["target"]) for e in evs)
                  for evs, it in zip(ours, items)]
    by_conf = []
    for t in (0.0, 0.6, 0.75, 0.9):
        sel = [ok for (e, _), ok in zip(all_events, full_ok) if e.confidence >= t]
        by_conf.append((t, len(sel), sum(sel) / max(1, len(sel))))
    first_ok = [f.type == it["type"] and _match(f.actor, it["source"]) and _match(f.target, it["target"])
                for f, it in zip(first, items) if f is not None]
    out["by_confidence"] = by_conf
    out["first_event_precision"] = sum(first_ok) / max(1, len(first_ok))
    out["newsweave"] = {
        "detected": len(det) / n,
        "type_acc_detected": sum(type_ok) / max(1, len(det)), "type_acc_all": sum(type_ok) / n,
        "actor_acc_detected": sum(actor_ok) / max(1, len(det)), "target_acc_detected": sum(target_ok) / max(1, len(det)),
        "events": len(all_events), "precision_full": sum(full_ok) / max(1, len(all_events)), "recall_full": sum(items_full) / n,
    }
    b_actor, b_target, b_full = [], [], []
    for a, it, bt in zip(articles, items, base_types):
        ms = sorted((m for m in by_article[a.id] if m.type in ("PER", "ORG", "LOC", "MISC")), key=lambda m: m.start)
        act = {"text": ms[0].text} if ms else None
        tgt = {"text": ms[1].text} if len(ms) > 1 else None
        b_actor.append(act is not None and _match(act, it["source"]))
        b_target.append(_match(tgt, it["target"]))
        b_full.append(bt == it["type"] and b_actor[-1] and b_target[-1])
    out["baseline"] = {"detected": 1.0, "type_acc_all": sum(b == it["type"] for b, it in zip(base_types, items)) / n,
                       "actor_acc": sum(b_actor) / n, "target_acc": sum(b_target) / n, "precision_full": sum(b_full) / n}
    per_type = defaultdict(Counter)
    for f, it in zip(first, items):
        per_type[it["type"]]["n"] += 1
        per_type[it["type"]]["ok"] += bool(f is not None and f.type == it["type"])
    out["per_type"] = {t: (c["ok"], c["n"]) for t, c in sorted(per_type.items())}
    out["confusions"] = Counter((it["type"], f.type) for f, it in zip(first, items) if f is not None and f.type != it["type"]).most_common(8)
    return out


def _roles(e) -> tuple:
    return e.type, (e.actor or {}).get("text"), (e.target or {}).get("text")


def _attribution(e) -> tuple | None:
    return (e.attribution.get("kind"), e.attribution.get("speaker")) if e.attribution else None


# (part, event basis, right) of every judged event still as judged, gathered by heldout() and
# speed() for the calibration of confidences (--write-calibration).
JUDGED: list[tuple[str, str, bool]] = []


def _judged(produced: dict, name: str, now: Callable[[object], tuple | None],
            fields: tuple[str, ...], part: str | None = None) -> tuple[dict[str, Counter], set[str]]:
    """Per language: judged and still as judged (n, ok), no longer produced (gone), changed since
    the judgement (judge again); and the ids the file judges. With `part` (a file of judged
    events): the reliable tier's counts too (tier_n, tier_ok), and each event still as judged goes
    to JUDGED for the calibration."""
    out: dict[str, Counter] = defaultdict(Counter)
    ids = set()
    for c in (json.loads(line) for line in (ROOT / "bench" / "data" / name).open(encoding="utf-8")):
        ids.add(c["id"])
        current = now(e) if (e := produced.get(c["id"])) is not None else None
        if current is None:
            out[c["lang"]]["gone"] += 1
        elif current != tuple(c[f] for f in fields):
            out[c["lang"]]["changed"] += 1
        else:
            out[c["lang"]]["n"] += 1
            out[c["lang"]]["ok"] += c["correct"]
            if part is not None:
                if e.confidence >= RELIABLE:
                    out[c["lang"]]["tier_n"] += 1
                    out[c["lang"]]["tier_ok"] += c["correct"]
                if e.basis:
                    JUDGED.append((part, e.basis, bool(c["correct"])))
    return out, ids


WMT = ROOT.parent / "shared" / "eval" / "wmt22-docs"


def wmt_news() -> list[dict] | None:
    """Part F's articles: the source and first human translation of every WMT22 news document in
    English, French or German."""
    if not WMT.exists():
        return None
    rows: dict[str, list[dict]] = defaultdict(list)
    for pair in ("en-zh", "ja-en", "fr-de", "de-fr"):
        for line in (WMT / f"wmt22.{pair}.docs.jsonl").open(encoding="utf-8"):
            d = json.loads(line)
            if d["domain"] != "news":
                continue
            versions = [(d["src_lang"], d["src_segs"], "src")] + [
                (r["lang"], r["segs"], "ref" + t) for t, r in sorted(d["refs"].items())][:1]
            for lang, segs, tag in versions:
                if lang in ("en", "fr", "de"):
                    rows[lang].append({"id": f"{d['doc_id']}.{tag}", "text": "\n\n".join(segs),
                                       "url": f"https://wmt22.invalid/{d['doc_id']}/{tag}"})
    return [r for lang in ("en", "fr", "de") for r in rows[lang]]


# The held-out draws of whole NGEC stories, in order: (part, store name, seed, stories, the rules
# whose every event was judged on it before any later change). Each draw is taken from the rows
# part B does not score (it scores every 7th) that no earlier draw took.
NGEC_DRAWS = [("H", "ngec", 20261126, 120, "session-7"), ("I", "ngec2", 20261127, 120, "session-8"),
              ("J", "ngec3", 20261128, 150, "session-8"), ("N", "ngec4", 20261129, 200, "session-14"),
              ("O", "ngec5", 20261130, 200, "session-15"), ("P", "ngec6", 20261201, 200, "session-15 final"),
              ("Q", "ngec7", 20261202, 200, "session-15 final"), ("R", "ngec8", 20261203, 200, "session-16"),
              ("S", "ngec9", 20261204, 200, "session-16 second"), ("T", "ngec10", 20261205, 200, "session-16 third"),
              ("U", "ngec11", 20261206, 200, "session-16 final"), ("V", "ngec12", 20261207, 200, "session-16 final"),
              ("W", "ngec13", 20261208, 200, "session-18 final")]


def ngec_unused(part: str = "H") -> list[dict] | None:
    """A held-out part's NGEC stories (see NGEC_DRAWS), or None if the data is absent."""
    import random

    rows = _ngec_rows()
    if rows is None:
        return None
    pool = [i for i in range(len(rows)) if i % 7 != 0]
    taken: set[int] = set()
    for letter, _, seed, size, _ in NGEC_DRAWS:
        pick = random.Random(seed).sample([i for i in pool if i not in taken], size)
        if letter == part:
            break
        taken |= set(pick)
    return [{"id": f"ngec-row{i}", "text": rows[i]["text"].strip(), "lang": "en"} for i in sorted(pick)]


@functools.lru_cache(maxsize=1)
def _semeval_articles() -> dict[str, tuple[str, str]] | None:
    """Every article of the SemEval sample's pairs.csv: id -> (language, text); None if absent."""
    import story_data

    path = story_data.EVAL / "semeval2022-t8-sample" / "pairs.csv"
    if not path.exists():
        return None
    csv.field_size_limit(10**9)
    out: dict[str, tuple[str, str]] = {}
    for row in csv.DictReader(path.open(encoding="utf-8")):
        for k, lang, text in zip(row["pair_id"].split("_"), (row["lang1"], row["lang2"]), (row["text1"], row["text2"])):
            out[k] = (lang, text)
    return out


def semeval_unused() -> list[dict] | None:
    """Part G's articles: the SemEval-sample articles the story benchmark's monolingual set (and so
    the census store) leaves out, without translations of the articles it keeps."""
    import story_data

    mono = story_data.semeval("mono")
    articles = _semeval_articles()
    if mono is None or articles is None:
        return None
    base = lambda k: re.match(r"\d+", k).group()  # noqa: E731 - "1483740594it" is 1483740594 translated
    used = {base(k) for k in mono.items}
    return [{"id": k, "text": t, "url": f"https://semeval.invalid/{k}"} for k, (_, t) in sorted(articles.items())
            if base(k) not in used]


def bsnlp_raw() -> list[Path] | None:
    """Part K's input: the BSNLP raw article folders (every topic, all eight languages: the entity
    keys that make a Russian or Polish name an eligible actor come from the whole store)."""
    dirs = sorted((ROOT.parent / "shared" / "eval" / "bsnlp").glob("*/raw"))
    return dirs or None


def lee_news() -> list[dict] | None:
    """Part L's articles: the Lee corpus in gensim's test data (one news text per line), found
    without importing gensim (slow) — absent unless the bench extra is installed."""
    import importlib.util

    spec = importlib.util.find_spec("gensim")
    if spec is None or spec.origin is None:
        return None
    data = Path(spec.origin).parent / "test" / "test_data"
    rows = []
    for name, tag in (("lee_background.cor", "bg"), ("lee.cor", "lee")):
        # Latin-1: lee.cor has a few such bytes ("\xa3" is the pound sign); the rest is ASCII.
        for i, line in enumerate((data / name).read_text(encoding="latin-1").splitlines()):
            if line.strip():
                rows.append({"id": f"lee-{tag}{i}", "text": line.strip(), "url": f"https://lee.invalid/{tag}/{i}"})
    return rows


def semeval_spanish() -> list[dict] | None:
    """Part M's articles: every Spanish article of the SemEval sample (ids without a language
    suffix: "1483740594it" is a machine translation)."""
    articles = _semeval_articles()
    if articles is None:
        return None
    return [{"id": k, "text": t, "url": f"https://semeval.invalid/{k}"} for k, (lang, t) in sorted(articles.items())
            if lang == "es" and k.isdigit()]


def _heldout_db(name: str) -> Path:
    """Where parts F-M build their stores (read again by the attribution checks of I, J and L)."""
    return Path(f"/tmp/newsweave-{name}-events") / f"{name}.db"


def heldout(name: str, rows: list[dict] | list[Path] | None, judged: str) -> tuple[dict, int, Counter] | None:
    """Parts F-M: the articles (JSONL rows, or folders) through the whole pipeline in a fresh store,
    scored against the judgements; (per-language counts, events never judged, events per language)."""
    import newsweave

    if rows is None:
        return None
    work = _heldout_db(name).parent
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    if rows and isinstance(rows[0], Path):
        inputs = [str(p) for p in rows]
    else:
        src = work / f"{name}.jsonl"
        src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        inputs = [str(src)]
    with newsweave.open(str(_heldout_db(name))) as nw:
        nw.run(inputs)
        events = nw.store.all_events()
    produced = {e.id: e for e in events}
    counts, ids = _judged(produced, judged, _roles, ("type", "actor", "target"), part=name)
    return dict(counts), len(produced.keys() - ids), Counter(e.lang for e in events)


# The part whose output a language group's rules were written against (its development set): its
# judgements measure the group in-sample only. The Slavic rules for languages without a parse (the
# locative "w"/"в", the case check, participles, clause breaks) were written on part K too.
DEVELOPMENT_PART = {"parsed-ru": "bsnlp", "parsed-es": "es", "unparsed": "bsnlp"}


def first_judgements(skip: str | None = None) -> list[tuple[str, str, bool]]:
    """(part, basis, right) of the first judgements of the fresh draws
    (bench/data/events_first_judgements.jsonl, see bench/event_floors.py), but part `skip` (a store
    name: scoring a part leaves its own judgements out)."""
    path = ROOT / "bench" / "data" / "events_first_judgements.jsonl"
    if not path.exists():
        return []
    name = {letter: store for letter, store, *_ in NGEC_DRAWS}
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    return [(name[r["part"]], r["basis"], bool(r["correct"])) for r in rows if name[r["part"]] != skip]


def calibration(rows: list[tuple[str, str, bool]], fresh: list[tuple[str, str, bool]] = (),
                prior_weight: int = 5) -> dict:
    """The judged counts per event class and per language group (the format of
    src/newsweave/data/event_confidence.json), per group outside its development part, and per class
    on the first judgements of the fresh draws (`fresh`: events judged before any rule or
    calibration saw them)."""
    classes: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    groups: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    held_out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    first: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for part, basis, ok in rows:
        group = basis_group(basis)
        tables = [(classes, basis), (groups, group)]
        if DEVELOPMENT_PART.get(group) != part:
            tables.append((held_out, group))
        for table, key in tables:
            table[key][0] += ok
            table[key][1] += 1
    for _, basis, ok in fresh:
        first[basis][0] += ok
        first[basis][1] += 1
    return {"about": "Judged events (right, judged) per event class (an event's `basis`) and per language group, "
                     "from the judged sets of bench/data; written by `python bench/event_quality.py --write-calibration`. "
                     "An event's confidence is its class's share right, pulled towards its group's share by "
                     "prior_weight pseudo-events, or its share on the first judgements of the fresh draws (fresh) "
                     "where that is lower; a group with few judgements outside its development part "
                     "(held_out) stays under the reliable tier (newsweave.events.confidence_table).",
            "prior_weight": prior_weight, "groups": dict(sorted(groups.items())),
            "held_out": dict(sorted(held_out.items())), "classes": dict(sorted(classes.items())),
            "fresh": dict(sorted(first.items()))}


def _print_calibration(rows: list[tuple[str, str, bool]], write: bool) -> None:
    """Stated confidence against measured precision per class, and leave-one-part-out: each part's
    events get the confidences the other parts' judgements give, and its tier is scored."""
    table = calibration(rows, first_judgements())
    conf = confidence_table(table)
    print(f"\ncalibration: {len(rows)} judged events still as judged, by class (basis):")
    print("| class (basis) | judged | right | share | fresh draws' first judgements | confidence given |\n"
          "|---|---|---|---|---|---|")
    for basis, (right, n) in table["classes"].items():
        f_right, f_n = table["fresh"].get(basis, (0, 0))
        fresh = f"{f_right}/{f_n} = {f_right / f_n:.2f}" if f_n else "—"
        print(f"| {basis} | {n} | {right} | {right / n:.2f} | {fresh} | {conf[basis]:.2f} |")
    print("leave one part out (confidences from the other parts' judgements; tier = confidence >= "
          f"{RELIABLE}):")
    # Brier score: the mean squared gap between an event's confidence and its judgement (0 right, 1
    # wrong); the figure to compare when the classes change (lower is better)
    print("| part | events | right | tier events | tier right | tier precision | mean confidence | share right | Brier |\n"
          "|---|---|---|---|---|---|---|---|---|")
    tot = Counter()
    sq = 0.0
    pooled: list[tuple[float, bool]] = []
    letter = {"wmt": "F", "semeval": "G", "bsnlp": "K", "lee": "L", "es": "M"} | {
        name: part for part, name, *_ in NGEC_DRAWS}
    for part in sorted({p for p, _, _ in rows}, key=lambda p: letter.get(p, "~" + p)):
        rest = calibration([r for r in rows if r[0] != part], first_judgements(skip=part))
        others = confidence_table(rest)
        mine = [(b, ok) for p, b, ok in rows if p == part]
        # a class the other parts never judged takes the rule of thumb, as in the stage (below the tier)
        got = [(others.get(b, rule_of_thumb(b)), ok) for b, ok in mine]
        tier = [ok for c, ok in got if c >= RELIABLE]
        c = Counter(n=len(got), ok=sum(ok for _, ok in got), tn=len(tier), tok=sum(tier))
        tot.update(c)
        pooled += got
        part_sq = sum((x - ok) ** 2 for x, ok in got)
        sq += part_sq
        prec = f"{c['tok'] / c['tn']:.2f}" if c["tn"] else "—"
        print(f"| {letter.get(part, '')} {part} | {c['n']} | {c['ok']} | {c['tn']} | {c['tok']} | {prec} | "
              f"{sum(x for x, _ in got) / len(got):.2f} | {c['ok'] / len(got):.2f} | {part_sq / len(got):.3f} |")
    print(f"| all | {tot['n']} | {tot['ok']} | {tot['tn']} | {tot['tok']} | {tot['tok'] / max(1, tot['tn']):.2f} | | "
          f"{tot['ok'] / max(1, tot['n']):.2f} | {sq / max(1, tot['n']):.3f} |")
    # the trade a user makes with --min-confidence, on the same left-out confidences
    right = sum(ok for _, ok in pooled)
    print("events kept at confidence >= t (the same left-out confidences):\n"
          "| t | events | precision | right events kept |\n|---|---|---|---|")
    for t in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
        if kept := [ok for x, ok in pooled if x >= t]:
            print(f"| {t} | {len(kept)} | {sum(kept) / len(kept):.2f} | {sum(kept) / max(1, right):.0%} |")
    if write:
        out = ROOT / "src" / "newsweave" / "data" / "event_confidence.json"
        out.write_text(json.dumps(table, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"written: {out} (bump EVENTS_VERSION so stored events take the new confidences)")


def speed(db: Path) -> dict | None:
    from newsweave.config import Config
    from newsweave.entities import run_entities
    from newsweave.events import run_events
    from newsweave.store import open_store

    if not db.exists():
        return None
    work = Path("/tmp/newsweave-event-bench.db")
    for suffix in ("", "-wal", "-shm"):
        Path(str(work) + suffix).unlink(missing_ok=True)
    shutil.copy(db, work)
    store = open_store(str(work))
    enc = get_embedder()
    run_entities(store, Config(), embed_texts=enc.encode)
    n = store.count_articles()
    t = time.perf_counter()
    run_events(store, Config(), encode=enc.encode)
    secs = time.perf_counter() - t
    events = store.all_events()
    langs = Counter(e.lang for e in events)
    claims = store.list_claims()
    store.close()
    produced = {e.id: e for e in events}
    hand, _ = _judged(produced, "events_handchecked.jsonl", _roles, ("type", "actor", "target"))
    census, census_ids = _judged(produced, "events_census.jsonl", _roles, ("type", "actor", "target"), part="census")
    # Attribution, judged on every event of the store that had one (2026-11-25): right speaker and kind.
    attr, _ = _judged(produced, "attribution_handchecked.jsonl", _attribution, ("kind", "speaker"))
    new = len(produced.keys() - census_ids)
    return {"articles": n, "seconds": secs, "per_second": n / secs, "events": len(events), "hand": dict(hand), "attr": dict(attr),
            "census": dict(census), "census_new": new,
            "events_by_lang": dict(langs.most_common()), "claims": len(claims),
            "multi_source_claims": sum(c.independent_sources > 1 for c in claims)}


def _print(name: str, r: dict, roles: bool = True) -> None:
    o, b = r["newsweave"], r["baseline"]
    if not roles:
        print(f"\n{name}: {r['items']} items, {r['seconds']:.1f}s (NER + events)")
        print("| method | detected | type acc (detected / all) |\n|---|---|---|")
        print(f"| newsweave rules + roles | {o['detected']:.3f} | {o['type_acc_detected']:.3f} / {o['type_acc_all']:.3f} |")
        print(f"| baseline: nearest type by embedding | 1.000 | — / {b['type_acc_all']:.3f} |")
        print("per type (first event right / items):", ", ".join(f"{t} {ok}/{n}" for t, (ok, n) in r["per_type"].items()))
        print("most frequent confusions (gold, predicted):", r["confusions"])
        return
    print(f"\n{name}: {r['items']} items, {r['seconds']:.1f}s (NER + events)")
    print("| method | detected | type acc (detected / all) | actor acc | target acc | events | evidence-backed precision (actor+action+target) | recall |")
    print("|---|---|---|---|---|---|---|---|")
    print(f"| newsweave rules + roles | {o['detected']:.3f} | {o['type_acc_detected']:.3f} / {o['type_acc_all']:.3f} | "
          f"{o['actor_acc_detected']:.3f} | {o['target_acc_detected']:.3f} | {o['events']} | {o['precision_full']:.3f} | {o['recall_full']:.3f} |")
    print(f"| baseline: nearest type by embedding, first two mentions | 1.000 | — / {b['type_acc_all']:.3f} | "
          f"{b['actor_acc']:.3f} | {b['target_acc']:.3f} | {r['items']} | {b['precision_full']:.3f} | {b['precision_full']:.3f} |")
    print("evidence-backed precision of each item's first (main) event:", f"{r['first_event_precision']:.3f}")
    print("by confidence (events with confidence >= t: how many, precision):",
          ", ".join(f">={t:.2f}: {n} events, {p:.3f}" for t, n, p in r["by_confidence"]))
    print("per type (first event right / items):", ", ".join(f"{t} {ok}/{n}" for t, (ok, n) in r["per_type"].items()))
    print("most frequent confusions (gold, predicted):", r["confusions"])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ngec", type=int, default=600, help="NGEC stories scored (spread over the labels)")
    ap.add_argument("--speed-db", default="/tmp/newsweave-story-bench/semeval-mono.base.db")
    ap.add_argument("--skip", nargs="*", default=[])
    ap.add_argument("--write-calibration", action="store_true",
                    help="write the judged counts per event class to src/newsweave/data/event_confidence.json")
    args = ap.parse_args()
    if not EVAL.exists():
        print(f"data absent: {EVAL}; skipped")
        return
    enc = get_embedder()
    if "gsr" not in args.skip and (EVAL / "plover-gsr").exists():
        items = gsr_items()
        _print("PLOVER gold standard records (English, stylised sentences)", evaluate(items, enc))
        # Rules are developed reading the errors of the dev half only (from 2026-11-26 on); the
        # test half's score is the one to trust for changes made after that.
        for half in ("dev", "test"):
            r = evaluate([it for it in items if gsr_half(it["id"]) == half], enc)
            o = r["newsweave"]
            print(f"GSR {half} half: {r['items']} items, {o['events']} events, precision {o['precision_full']:.3f}, "
                  f"recall {o['recall_full']:.3f}, type acc (detected) {o['type_acc_detected']:.3f}")
    if "headlines" not in args.skip and (items := headline_items()):
        r = evaluate(items, enc)
        _print("NGEC synthetic headline templates, slots filled (English, synthetic; never read while writing rules)",
               r, roles=False)
        with_roles = [it for it in items if it["roles"]]
        r2 = evaluate(with_roles, enc)
        o = r2["newsweave"]
        print(f"templates naming {{country_1}} then {{country_2}} ({len(with_roles)}): {o['events']} events, "
              f"precision (type + country_1 as actor + country_2 as target) {o['precision_full']:.3f}, "
              f"recall {o['recall_full']:.3f}")
    if "ngec" not in args.skip and (EVAL / "ngec-synthetic").exists():
        r = evaluate(ngec_items(args.ngec), enc)
        _print("NGEC synthetic stories, lead paragraph (English, machine-generated, pseudo-labelled; roles not labelled)",
               r, roles=False)
    if "heldout" not in args.skip:
        for name, rows, judged, title in (
                ("wmt", wmt_news(), "events_heldout_wmt.jsonl",
                 "held-out real news: WMT22 news documents, every event of the 2026-11-25 rules judged"),
                ("semeval", semeval_unused(), "events_heldout_semeval.jsonl",
                 "held-out real news: the SemEval articles the census leaves out, every event of the 2026-11-26 rules judged"),
                *((name, ngec_unused(letter), f"events_heldout_{name}.jsonl",
                   f"held-out synthetic news: {size} more NGEC stories (part {letter}, seed {seed}) that B and every "
                   f"earlier draw leave, every event of the {rules} rules judged")
                  for letter, name, seed, size, rules in NGEC_DRAWS),
                ("lee", lee_news(), "events_heldout_lee.jsonl",
                 "held-out real news: the Lee corpus (ABC news 2001-2002, gensim's test data), every event of the session-9 rules judged"),
                ("es", semeval_spanish(), "events_dev_semeval_es.jsonl",
                 "Spanish news (SemEval sample) with the Spanish parse, every event of commit 8c81ce3 judged (dev)"),
                ("bsnlp", bsnlp_raw() if "bsnlp" not in args.skip else None, "events_bsnlp.jsonl",
                 "Slavic real news: the BSNLP raw articles, every event of the session-9 trigger words judged")):
            r = heldout(name, rows, judged)
            if r is None:
                print(f"\n{title}: data absent or --skip; skipped")
                continue
            counts, new, langs = r
            _print_judged(f"{title} (bench/data/{judged}; {new} produced now and never judged; events now {dict(langs)}):",
                          "events judged | right (type + actor + target) | precision | no longer produced | roles changed since",
                          counts)
        if ngec_unused("I") is not None:
            _print_attribution_heldout("attribution_heldout_ngec.jsonl", ("ngec2", "ngec3"), "parts I and J",
                                       "judged at the end of session 9")
        if lee_news() is not None:
            _print_attribution_heldout("attribution_heldout_lee.jsonl", ("lee",), "part L",
                                       "judged on 2026-11-26 with part L's events")
    if "speed" not in args.skip:
        r = speed(Path(args.speed_db))
        if r is None:
            print(f"\nspeed: {args.speed_db} absent (run bench/story_quality.py first); skipped")
        else:
            print(f"\nspeed: {r['articles']} articles in {r['seconds']:.1f}s = {r['per_second']:.1f} articles/s; "
                  f"{r['events']} events {r['events_by_lang']}; {r['claims']} claims, "
                  f"{r['multi_source_claims']} with more than one independent source")
            _print_judged("hand-checked sample (developer-judged, bench/data/events_handchecked.jsonl):",
                          "events judged | right (type + actor + target) | precision | no longer produced | roles changed since",
                          r["hand"])
            _print_judged(f"census: every event of the store, developer-judged (bench/data/events_census.jsonl; "
                          f"{r['census_new']} produced now and never judged):",
                          "events judged | right | precision | no longer produced | roles changed since", r["census"])
            _print_judged("attribution, developer-judged on the events that carry one (bench/data/attribution_handchecked.jsonl):",
                          "attributions judged | right speaker and kind | accuracy | gone | changed since", r["attr"])
    if JUDGED:
        _print_calibration(JUDGED, args.write_calibration)
    elif args.write_calibration:
        print("\n--write-calibration: no judged set was scored (data absent or skipped); nothing written")


def _print_attribution_heldout(judged: str, stores: tuple[str, ...], parts: str, when: str) -> None:
    """Attribution on held-out parts (I and J; L): every attributed event of their stores, judged
    (speaker and kind), apart for cues in the event's own sentence and those inherited from a neighbour."""
    from newsweave.store import open_store

    produced = {}
    for name in stores:
        store = open_store(str(_heldout_db(name)))
        produced.update({e.id: e for e in store.all_events()})
        store.close()
    c = Counter()
    for j in (json.loads(line) for line in (ROOT / "bench" / "data" / judged).open(encoding="utf-8")):
        e = produced.get(j["id"])
        how = "inherited" if j["inherited"] else "own"
        if e is None or _attribution(e) != (j["kind"], j["speaker"]):
            c[how + "_gone_or_changed"] += 1
            continue
        c[how + "_n"] += 1
        c[how + "_ok"] += j["correct"]
    print(f"\nattribution on {parts} (bench/data/{judged}; {when}):"
          f" cue in the event's sentence {c['own_ok']}/{c['own_n']}, inherited from a neighbouring sentence "
          f"{c['inherited_ok']}/{c['inherited_n']}; no longer produced or changed: "
          f"{c['own_gone_or_changed'] + c['inherited_gone_or_changed']}")


def _print_judged(title: str, columns: str, counts: dict[str, Counter]) -> None:
    print(f"\n{title}")
    print(f"| language | {columns} |\n|---|---|---|---|---|---|")
    tot = Counter()
    for lang, c in sorted(counts.items()):
        tot.update(c)
        print(f"| {lang} | {c['n']} | {c['ok']} | {c['ok'] / max(1, c['n']):.2f} | {c['gone']} | {c['changed']} |")
    print(f"| all | {tot['n']} | {tot['ok']} | {tot['ok'] / max(1, tot['n']):.2f} | {tot['gone']} | {tot['changed']} |")
    if tot["tier_n"]:
        print(f"reliable tier (confidence >= {RELIABLE}): " + ", ".join(
            f"{lang} {c['tier_ok']}/{c['tier_n']}" for lang, c in sorted(counts.items()) if c["tier_n"])
            + f"; all {tot['tier_ok']}/{tot['tier_n']} = {tot['tier_ok'] / tot['tier_n']:.2f}")

if __name__ == "__main__":
    main()
