"""What a confidence floor gives on events no rule and no calibration had seen: the first judgements.

Data: bench/data/events_first_judgements.jsonl — every event of the held-out NGEC draws N-W
(bench/event_quality.py's NGEC_DRAWS; 200 synthetic English stories each, machine-written, not a
gold set) as the rules of the commit in `rules` produced it, with the confidence it had then (the
calibration of that commit, which had not read the draw) and its `basis` class, judged (type +
actor + target) before any later change. `basis` names the classes the stage uses now: where a
later session split a class, the event's sentence was parsed again to place it (session 18:
`verb:reported` out of `verb:sub`, 181 events). The bench/data/events_heldout_*.jsonl files keep the
judgements of the events as they are now (later rules changed some and were judged again); this
file freezes the first ones, so that a floor or a new confidence can be scored on events judged
before anything was fitted to them. Three of part N's events were re-judged to the sector
convention of the earlier sets (their notes say so).

    python bench/event_floors.py

Prints: per draw, events, precision and the tier (confidence >= 0.8); by floor, precision and the
right events kept; by class, the held-out share right; and a check of a calibration from held-out
judgements only (each draw's events get the class shares of the other draws' first judgements).
"""

import json
from collections import defaultdict
from pathlib import Path

DATA = Path(__file__).parent / "data" / "events_first_judgements.jsonl"
FLOORS = (0.0, 0.6, 0.7, 0.75, 0.78, 0.8, 0.85, 0.9)


def _share(rows: list[dict]) -> str:
    right = sum(r["correct"] for r in rows)
    return f"{right}/{len(rows)} = {right / len(rows):.2f}" if rows else "—"


def _class(row: dict) -> str:
    """The basis without its language group: the draws are English only."""
    return " ".join(w for w in row["basis"].split() if not w.startswith("lang:"))


def main() -> None:
    rows = [json.loads(line) for line in DATA.open(encoding="utf-8")]
    parts = sorted({r["part"] for r in rows})
    right_all = sum(r["correct"] for r in rows)
    print("| part (rules) | events | precision | tier (>= 0.8) |\n|---|---|---|---|")
    for p in parts + ["all"]:
        rs = rows if p == "all" else [r for r in rows if r["part"] == p]
        label = p if p == "all" else f"{p} ({rs[0]['rules']})"
        print(f"| {label} | {len(rs)} | {_share(rs)} | {_share([r for r in rs if r['confidence'] >= 0.8])} |")

    print("\n| confidence >= (as then calibrated) | events | precision | right events kept |\n|---|---|---|---|")
    for t in FLOORS:
        kept = [r for r in rows if r["confidence"] >= t]
        k = sum(r["correct"] for r in kept)
        print(f"| {t:.2f} | {len(kept)} | {k / max(1, len(kept)):.3f} | {k}/{right_all} = {k / right_all:.0%} |")

    by_class: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_class[_class(r)].append(r)
    print("\n| class (basis) | events | held-out share right |\n|---|---|---|")
    for c, rs in sorted(by_class.items(), key=lambda kv: -len(kv[1])):
        print(f"| {c} | {len(rs)} | {_share(rs)} |")

    # A calibration from held-out judgements only: does it rank better than the in-sample shares
    # the stage uses? Each draw gets the class shares of the other draws (k pseudo-events of the
    # other draws' overall share pull a thin class towards it).
    print("\ncalibrated from the other draws' first judgements (k = 5):")
    scored = []
    for p in parts:
        train = [r for r in rows if r["part"] != p]
        base = sum(r["correct"] for r in train) / len(train)
        counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for r in train:
            counts[_class(r)][0] += r["correct"]
            counts[_class(r)][1] += 1
        for r in rows:
            if r["part"] == p:
                k, n = counts.get(_class(r), (0, 0))
                scored.append(((k + 5 * base) / (n + 5), r["correct"]))
    for t in (0.75, 0.8, 0.85):
        kept = [ok for c, ok in scored if c >= t]
        print(f"  >= {t:.2f}: {len(kept)} events, precision {sum(kept) / max(1, len(kept)):.3f}, "
              f"right kept {sum(kept)}/{right_all}")
    # How well each confidence states the share right on fresh text: mean confidence against the
    # share right, and the Brier score (mean squared gap between confidence and judgement; lower is better).
    then = [(r["confidence"], r["correct"]) for r in rows]
    for label, pairs in (("as then calibrated (the judged sets' shares)", then),
                         ("from the other draws' first judgements", scored)):
        brier = sum((c - ok) ** 2 for c, ok in pairs) / len(pairs)
        print(f"  {label}: mean confidence {sum(c for c, _ in pairs) / len(pairs):.3f}, share right "
              f"{sum(ok for _, ok in pairs) / len(pairs):.3f}, Brier {brier:.3f}")


if __name__ == "__main__":
    main()
