"""REST API (FastAPI test client): every endpoint, pagination and filters, bad requests (unknown
ids, bad filters, oversized bodies -> 4xx with a message, never 500), the write token, escaping."""

from __future__ import annotations

import json
import re

import pytest
from conftest import copy_store
from fastapi.testclient import TestClient

from newsweave.errors import NewsweaveError
from newsweave.server import create_app

HOSTILE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned=2">'


@pytest.fixture(scope="module")
def client(seed_db, tmp_path_factory):
    # A copy of the seed store: this module writes to it (ingest).
    db = copy_store(seed_db, tmp_path_factory.mktemp("server"), "seeds")
    with TestClient(create_app(db), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="module")
def story_id(client, seed_store):
    r = client.get(f"/api/articles/{seed_store['002'].id}")
    return r.json()["story_id"]


def test_lists_pages_and_filters(client, seed_store):
    r = client.get("/api/articles", params={"limit": 2})
    body = r.json()
    assert r.status_code == 200 and len(body["items"]) == 2 and body["next_offset"] == 2
    rest = client.get("/api/articles", params={"limit": 2, "offset": 4}).json()
    assert rest["next_offset"] is None and len(rest["items"]) >= 1
    fr = client.get("/api/articles", params={"lang": "fr"}).json()["items"]
    assert fr and all(a["lang"] == "fr" for a in fr)
    dated = client.get("/api/articles", params={"since": "2019-05-01", "until": "2019-06-30"}).json()["items"]
    assert [a["id"] for a in dated] == [seed_store["002"].id]
    sisi = client.get("/api/articles", params={"entity": "Sisi"}).json()["items"]
    assert {seed_store["000"].id, seed_store["002"].id, seed_store["001"].id} <= {a["id"] for a in sisi}
    assert client.get("/api/stories", params={"lang": "en"}).json()["items"]
    per = client.get("/api/entities", params={"type": "PER"}).json()["items"]
    assert per and all(e["type"] == "PER" for e in per)
    assert client.get("/api/events", params={"type": "REQUEST", "entity": "Haftar"}).json()["items"]
    sure = client.get("/api/events", params={"min_confidence": 0.5}).json()["items"]
    assert sure and all(e["confidence"] >= 0.5 for e in sure)
    assert client.get("/api/events", params={"min_confidence": 1.5}).status_code == 422
    tier = client.get("/api/events", params={"reliable": True}).json()["items"]
    assert tier and all(e["confidence"] >= 0.8 for e in tier) and len(tier) < len(sure)
    # claims carry their most confident event's confidence and are filtered on it alike
    every_claim = client.get("/api/claims", params={"limit": 500}).json()["items"]
    sure_claims = client.get("/api/claims", params={"min_confidence": 0.8, "limit": 500}).json()["items"]
    assert [c["id"] for c in sure_claims] == [c["id"] for c in every_claim if c["confidence"] >= 0.8]
    assert 0 < len(sure_claims) < len(every_claim)
    assert client.get("/api/claims", params={"min_confidence": -0.1}).status_code == 422


def test_items_by_id(client, seed_store, story_id):
    art = client.get(f"/api/articles/{seed_store['000'].id[:8]}").json()
    assert art["id"] == seed_store["000"].id and art["relations"][0]["kind"] == "translation"
    story = client.get(f"/api/stories/{story_id}").json()
    assert {seed_store["000"].id, seed_store["002"].id} == set(story["article_ids"])
    assert client.get("/api/entities/al-Sissi").json()["name"]
    claims = client.get("/api/claims", params={"story": story_id}).json()["items"]
    assert claims and any(c["independent_sources"] == 1 and len(c["article_ids"]) == 2 for c in claims)
    detail = client.get(f"/api/claims/{claims[0]['id']}").json()
    assert detail["evidence"] and detail["evidence"][0]["sentence"]


def test_dossier_in_the_readers_language(client, seed_store, story_id):
    fr = client.get(f"/api/stories/{story_id}/dossier", params={"lang": "fr"}).json()
    assert fr["headline_lang"] == "fr" and "missiles" in fr["headline"]
    assert fr["summary"] and fr["summary_lang"] == "fr"
    en = client.get(f"/api/stories/{story_id}/dossier", params={"lang": "en"}).json()
    assert en["headline_lang"] == "en" and en["summary_article"] == seed_store["002"].id
    de = client.get(f"/api/stories/{story_id}/dossier", params={"lang": "de"}).json()
    assert de["headline_lang"] in ("en", "fr") and de["notes"]  # no German article: original, marked
    assert [p["kind"] for p in en["provenance"]] == ["translation"]
    assert en["provenance"][0]["original"] == seed_store["002"].id
    assert any(t["kind"] == "article" and t["date"] == "2019-05-30" for t in en["timeline"])
    assert {"Khalifa Haftar", "Egypt"} <= {a["name"] for a in en["actors"]}
    md = client.get(f"/api/stories/{story_id}/report", params={"format": "md"})
    assert md.status_code == 200 and md.text.startswith("# ") and "independent source" in md.text
    html = client.get(f"/api/stories/{story_id}/report", params={"format": "html"})
    assert html.status_code == 200 and "<svg" in html.text and "<script" not in html.text


def test_search_modes(client, seed_store):
    words = client.get("/api/search", params={"q": "missiles sol-sol", "mode": "fulltext"}).json()
    assert words[0]["id"] == seed_store["000"].id and "\x02" in words[0]["snippet"]
    # control characters separate words (a NUL once ended SQLite's full-text query: a 500)
    nul = client.get("/api/search", params={"q": "missiles\x00sol-sol\x1f", "mode": "fulltext"})
    assert nul.status_code == 200 and nul.json()[0]["id"] == seed_store["000"].id
    assert client.get("/api/search", params={"q": "\x00", "mode": "fulltext"}).json() == []
    meaning = client.get("/api/search", params={"q": "Haftar pidió a Egipto misiles tierra-tierra para su ofensiva contra Trípoli", "mode": "semantic"}).json()
    assert {seed_store["000"].id, seed_store["002"].id} & {h["id"] for h in meaning[:2]}
    both = client.get("/api/search", params={"q": "Haftar missiles", "kind": "stories"}).json()
    assert both and both[0]["kind"] == "story"


@pytest.mark.parametrize("url,status", [
    ("/api/articles/0000000000", 404), ("/api/stories/snope", 404), ("/api/entities/Nobody%20Atall", 404),
    ("/api/claims/cnope", 404), ("/api/stories/snope/dossier", 404), ("/api/export/secrets", 404),
    ("/api/articles?since=yesterday", 422), ("/api/articles?limit=0", 422), ("/api/articles?limit=100000", 422),
    ("/api/articles?offset=-1", 422), ("/api/articles?lang=FRENCH", 422), ("/api/events?type=HUG", 422),
    ("/api/entities?type=ANIMAL", 422), ("/api/search?q=", 422), ("/api/search?q=x&mode=psychic", 422),
    ("/api/stories/" + "s" * 300, 422), ("/api/search?q=%20%20", 400), ("/api/articles?entity=Nobody%20Atall", 404),
    ("/stories/snope", 404), ("/api/stories/x/report?format=pdf", 422),
])
def test_bad_requests_are_4xx_with_a_message(client, url, status):
    r = client.get(url)
    assert r.status_code == status, r.text
    body = r.json()
    assert body["error"] and body["detail"]


def test_ingest_and_body_limits(client):
    r = client.post("/api/ingest", json={"items": [{"title": "Test", "text": "Tunis, le 3 mars 2021. " + HOSTILE +
                                                    " Le président a rencontré le ministre pour parler du budget. " * 3}]})
    assert r.status_code == 200, r.text
    rep = r.json()
    assert rep["added"] == 1 and rep["stories_placed"] >= 1
    again = client.post("/api/ingest", json={"items": [{"title": "Test", "text": "Tunis, le 3 mars 2021. " + HOSTILE +
                                                        " Le président a rencontré le ministre pour parler du budget. " * 3}]})
    assert again.json()["already_stored"] == 1
    assert client.post("/api/ingest", json={"items": []}).status_code == 422
    assert client.post("/api/ingest", json={"items": [{"title": "no body"}]}).status_code == 422
    assert client.post("/api/ingest", content=b"{not json", headers={"content-type": "application/json"}).status_code == 422
    assert client.post("/api/ingest", json={"items": [{"url": "file:///etc/passwd"}]}).status_code == 400
    big = client.post("/api/ingest", content=b"x" * 3_000_000, headers={"content-type": "application/json"})
    assert big.status_code == 413 and big.json()["error"] == "E210"


def test_untrusted_text_is_escaped_in_pages(client):
    hits = client.get("/api/search", params={"q": "pwned", "mode": "fulltext"}).json()
    aid = hits[0]["id"]
    page = client.get(f"/articles/{aid}").text
    assert "<script>window.__pwned" not in page and "&lt;script&gt;window.__pwned" in page
    assert 'onerror="window' not in page
    story = client.get(f"/api/articles/{aid}").json()["story_id"]
    assert "&lt;script&gt;" in client.get(f"/stories/{story}").text
    found = client.get("/search", params={"q": "pwned"}).text
    assert "<script>window" not in found and "<mark>" in found


def test_write_token(seed_db, tmp_path):
    db = copy_store(seed_db, tmp_path, "t")
    with pytest.raises(NewsweaveError) as exc:
        create_app(db, host="0.0.0.0")  # beyond loopback without a token
    assert exc.value.code == "E208"
    with TestClient(create_app(db, token="s3cret", host="0.0.0.0")) as c:
        item = {"items": [{"text": "A short test article about nothing in particular, written for a test."}]}
        assert c.post("/api/ingest", json=item).status_code == 401
        assert c.post("/api/ingest", json=item, headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert c.post("/api/ingest", json=item, headers={"Authorization": "Bearer s3cret"}).status_code == 200
        assert c.get("/api/articles").status_code == 200  # reads need no token


def test_openapi_and_export(client):
    schema = client.get("/openapi.json").json()
    paths = set(schema["paths"])
    assert {"/api/articles", "/api/stories/{story_id}/dossier", "/api/search", "/api/ingest", "/api/claims"} <= paths
    r = client.get("/api/export/events")
    rows = [json.loads(line) for line in r.text.splitlines()]
    assert r.status_code == 200 and rows and "sentence" in rows[0]
    assert client.get("/api/health").json()["ok"]


def test_cli_report_writes_a_standalone_file(seed_db, seed_store, tmp_path):
    from typer.testing import CliRunner

    from newsweave.cli import app

    import newsweave

    with newsweave.open(seed_db) as nw:
        sid = nw.story_of(seed_store["000"].id).id
    runner = CliRunner()
    html = tmp_path / "d.html"
    res = runner.invoke(app, ["report", sid[:8], "--db", str(seed_db), "--format", "html", "--lang", "fr", "--out", str(html)])
    assert res.exit_code == 0, res.output
    page = html.read_text()
    assert page.startswith("<!doctype html>") and "<svg" in page and "<script" not in page and "missiles sol-sol" in page
    md = tmp_path / "d.md"
    res = runner.invoke(app, ["report", sid, "--db", str(seed_db), "--format", "md", "--out", str(md)])
    assert res.exit_code == 0 and "## Claims" in md.read_text() and "translation" in md.read_text()
    assert runner.invoke(app, ["report", "snope", "--db", str(seed_db)]).exit_code != 0


def test_entity_page_says_why_an_event_is_low_confidence(client):
    page = client.get("/entities/Haftar")
    assert page.status_code == 200
    # each low-confidence event carries its measured confidence and how it was found
    assert re.search(r'title="confidence 0\.\d\d: trigger actor:\w+ target:\w+ verb:\w+ lang:[\w-]+">low confidence', page.text)


def test_served_with_a_confidence_floor(seed_db):
    # event_min_confidence in the server's config: the default of every event and claim listing and
    # of the export; min_confidence=0 still reaches every event
    from newsweave.config import Config
    from newsweave.events import RELIABLE

    with TestClient(create_app(seed_db, Config(event_min_confidence=RELIABLE)), raise_server_exceptions=False) as c:
        shown = c.get("/api/events", params={"limit": 500}).json()["items"]
        every = c.get("/api/events", params={"limit": 500, "min_confidence": 0}).json()["items"]
        assert shown and [e["id"] for e in shown] == [e["id"] for e in every if e["confidence"] >= RELIABLE] != [e["id"] for e in every]
        exported = [json.loads(line) for line in c.get("/api/export/events").text.splitlines()]
        assert {e["id"] for e in exported} == {e["id"] for e in shown}
        assert all(cl["confidence"] >= RELIABLE for cl in c.get("/api/claims", params={"limit": 500}).json()["items"])
