"""Feed watching against a local HTTP server whose feed changes between polls: only what is new is
ingested (ETag, seen entries), stories update, alerts fire once (log, webhook, file)."""

from __future__ import annotations

import json

import pytest

import newsweave
from conftest import count_rows
from newsweave.config import Config
from newsweave.errors import NewsweaveError
from newsweave.watch import Alert, Watcher, parse_every

ENTRY = """<item><title>{title}</title><link>{base}/{slug}</link><guid>{base}/{slug}</guid>
<pubDate>{date}</pubDate><description>{text}</description></item>"""
TEXTS = {
    "a1": ("Haftar demande des missiles à l'Égypte",
           "Le maréchal Khalifa Haftar a demandé à l'Égypte de lui fournir des missiles sol-sol pour son offensive "
           "contre Tripoli, selon des sources égyptiennes. Les combats continuent au sud de la capitale libyenne."),
    "b1": ("Grève des transports à Lyon",
           "Les conducteurs de bus de Lyon sont en grève depuis lundi pour demander des hausses de salaire. "
           "La métropole a proposé une réunion avec les syndicats jeudi."),
    "a2": ("Le Caire examine la demande de Haftar",
           "Le président égyptien Abdel Fattah al-Sissi a reçu Khalifa Haftar au Caire pour discuter de la demande "
           "de missiles sol-sol, ont indiqué des sources égyptiennes. L'offensive contre Tripoli se poursuit."),
}


def _feed(base, slugs, etag):
    items = "".join(ENTRY.format(base=base, slug=s, title=TEXTS[s][0], text=TEXTS[s][1],
                                 date="Mon, 03 Jun 2019 10:00:00 GMT") for s in slugs)
    body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Fil</title>{items}</channel></rss>'
    return (200, "application/rss+xml", body.encode(), {"ETag": etag})


def test_polls_take_only_what_is_new_and_alerts_fire_once(tmp_path, http_server, make_db):
    base = http_server.base
    http_server.routes["/feed"] = _feed(base, ["a1", "b1"], '"v1"')
    logs: list[str] = []
    alert_file = tmp_path / "alerts.jsonl"
    config = Config(fetch_allow_private=True)
    with newsweave.open(make_db("w"), config) as nw:
        w = Watcher(nw, [f"{base}/feed"], [Alert("entity", "Haftar"), Alert("query", "grève Lyon")],
                    webhook=f"{base}/hook", alert_file=alert_file, log=logs.append)
        (r1,) = w.poll()
        assert (r1.status, r1.entries, r1.new, r1.added) == ("new", 2, 2, 2)
        assert {f["alert"]["kind"] for f in r1.fired} == {"entity", "query"}
        story_alerts = [f for f in r1.fired if f["type"] == "story"]
        assert len(story_alerts) == 2
        # Same feed, same ETag: the server answers 304, nothing is read.
        (r2,) = w.poll()
        assert r2.status == "not modified" and r2.added == 0
        assert http_server.requests[-1][2].get("If-None-Match") == '"v1"'
        # The feed changes: one new entry, the old ones are not taken again.
        http_server.routes["/feed"] = _feed(base, ["a2", "a1", "b1"], '"v2"')
        (r3,) = w.poll()
        assert (r3.status, r3.entries, r3.new, r3.added) == ("new", 3, 1, 1)
        a2 = next(a for a in nw.articles() if a.url.endswith("/a2"))
        a1 = next(a for a in nw.articles() if a.url.endswith("/a1"))
        assert nw.story_of(a2.id).id == nw.story_of(a1.id).id  # the story was updated, not a new one
        # The Haftar story already fired: the follow-up does not fire it again; nothing for the query.
        assert not [f for f in r3.fired if f["type"] == "story"]
        assert len(nw.articles()) == 3
    lines = [json.loads(x) for x in alert_file.read_text().splitlines()]
    assert len(lines) == len(r1.fired) + len(r3.fired)
    assert len(http_server.posted) == len(lines)
    assert json.loads(http_server.posted[0][1])["alert"]["kind"] in ("entity", "query")
    assert any(line.startswith("ALERT entity='Haftar'") for line in logs)


def test_errors_and_durations(tmp_path, http_server, make_db):
    assert parse_every("10m") == 600 and parse_every("30s") == 30 and parse_every("2h") == 7200
    with pytest.raises(NewsweaveError):
        parse_every("soon")
    with newsweave.open(make_db("e"), Config(fetch_allow_private=True)) as nw:
        (r,) = Watcher(nw, [f"{http_server.base}/missing"]).poll()
        assert r.status.startswith("error: E108")
    with newsweave.open(make_db("f")) as nw:  # loopback refused by default
        (r,) = Watcher(nw, [f"{http_server.base}/feed"]).poll()
        assert "E114" in r.status


def test_watch_killed_mid_poll_resumes_with_nothing_lost_or_doubled(tmp_path, http_server, make_db):
    import os
    import random
    import signal
    import subprocess
    import sys
    import time

    rng = random.Random(5)
    words = ("gouvernement ministre accord réunion budget élection armée frontière sommet président conseil "
             "ville région sécurité économie rapport enquête tribunal marché énergie").split()
    base = http_server.base
    items = "".join(
        ENTRY.format(base=base, slug=f"n{i}", title=f"Titre {i}", date="Mon, 03 Jun 2019 10:00:00 GMT",
                     text=" ".join(rng.choice(words) for _ in range(60)).capitalize() + f" Numéro {i}.")
        for i in range(80))
    body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Fil</title>{items}</channel></rss>'
    http_server.routes["/big"] = (200, "application/rss+xml", body.encode(), {"ETag": '"big"'})
    (tmp_path / "cfg.toml").write_text("[newsweave]\nbatch_size = 5\nfetch_allow_private = true\n")
    db = make_db("k")
    cmd = [sys.executable, "-m", "newsweave.cli", "watch", f"{base}/big", "--db", str(db), "--every", "1s",
           "--config", str(tmp_path / "cfg.toml")]

    def count(table):
        return count_rows(db, table)

    killed = []
    for cycle in range(3):
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # Wait for the poll to start storing, then kill it somewhere in ingest or a later stage.
        deadline = time.time() + 90
        while time.time() < deadline and count("articles") == 0:
            time.sleep(0.05)
        time.sleep(rng.uniform(0, 4) * (cycle + 1))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        killed.append((count("articles"), count("watch_seen")))
    done = subprocess.run([*cmd, "--once"], capture_output=True, timeout=600)
    assert done.returncode == 0, done.stderr
    with newsweave.open(db) as nw:
        assert nw.store.integrity_check() == []
        arts = nw.articles()
        assert len(arts) == 80 == len({a.url for a in arts})
        seen = nw.store.watch_seen(f"{base}/big", [f"{base}/n{i}" for i in range(80)])
        assert len(seen) == 80
        members = [a for st in nw.iter_stories() for a in st.article_ids]
        assert sorted(members) == sorted(a.id for a in arts)
    # At least one kill landed before the poll was recorded as done (its entries then re-read).
    assert min(seen for _, seen in killed) < 80, killed


def test_claim_alerts_follow_the_confidence_floor(tmp_path, http_server, make_db):
    # watch alerts report claims as every other view does: from event_min_confidence up
    base = http_server.base
    http_server.routes["/feed"] = _feed(base, ["a1"], '"v1"')
    fired = {}
    for floor in (0.0, 1.0):
        with newsweave.open(make_db(f"floor{int(floor)}"), Config(fetch_allow_private=True, event_min_confidence=floor)) as nw:
            (r,) = Watcher(nw, [f"{base}/feed"], [Alert("entity", "Haftar")]).poll()
            fired[floor] = {f["type"] for f in r.fired}
            assert nw.claims(min_confidence=0)  # the claim is stored whatever the floor
    assert fired[0.0] == {"story", "claim"} and fired[1.0] == {"story"}
