"""The web UI in real headless Chromium (Debian's /usr/bin/chromium driven by Playwright): the
story list, the 000/002 story with both articles, the translation link and the timeline, live
updates, and an article carrying <script> shown as text. Screenshots go to test-artifacts/."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from pathlib import Path

import pytest
import uvicorn

from newsweave.server import create_app

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
HOSTILE = "Attaque à Tunis. <script>window.__pwned = 1</script> <img src=x onerror=\"window.__pwned = 2\"> " \
          "Le ministre a condamné l'attaque contre le poste de police de Tunis lundi soir. " * 2


@pytest.fixture(scope="module")
def server(seed_sqlite, tmp_path_factory):
    db = tmp_path_factory.mktemp("browser") / "seeds.db"
    shutil.copy(seed_sqlite, db)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(200):
        if srv.started:
            break
        time.sleep(0.05)
    assert srv.started, "the server did not start"
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), f"{CHROMIUM} missing: install Debian's chromium package (.ci/run does)"
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


def test_story_list_story_page_and_live_update(server, browser, seed_store_sqlite):
    page = browser.new_page()
    page.goto(server + "/")
    items = page.locator("#stories li[data-id]")
    assert items.count() >= 3
    page.screenshot(path=str(ARTIFACTS / "stories.png"), full_page=True)
    # Open the story of 000 and 002 from the list.
    page.get_by_role("link", name="Haftar calls on Egypt to supply surface-to-surface missiles").first.click()
    page.wait_for_selector("#timeline svg")
    ids = set(page.locator("article.story-article").evaluate_all("els => els.map(e => e.dataset.id)"))
    assert {seed_store_sqlite["000"].id, seed_store_sqlite["002"].id} == ids
    assert page.locator("article.story-article[data-id='%s'] div[lang='fr']" % seed_store_sqlite["000"].id).count() == 1
    provenance = page.locator("#provenance").inner_text()
    assert "translation" in provenance and seed_store_sqlite["002"].id[:12] in provenance
    assert page.locator("#provenance svg line[marker-end]").count() == 1  # original -> translation
    assert page.locator("#timeline svg circle").count() >= 1
    page.screenshot(path=str(ARTIFACTS / "story.png"), full_page=True)
    # In French: the headline of the French article.
    page.goto(page.url.split("?")[0] + "?lang=fr")
    assert "missiles sol-sol" in page.locator("h1").inner_text()
    # Live list: an article arriving through the API shows up without a reload.
    page.goto(server + "/")
    before = page.locator("#article-count").inner_text()
    r = page.request.post(server + "/api/ingest", data={"items": [{"title": "Attaque à Tunis", "text": HOSTILE,
                                                                   "published": "2021-03-03"}]})
    assert r.ok, r.text()
    page.wait_for_function(f"document.getElementById('article-count').textContent !== '{before}'", timeout=15000)
    page.wait_for_selector("#stories a:text('Attaque à Tunis')", timeout=15000)
    page.screenshot(path=str(ARTIFACTS / "stories-live.png"), full_page=True)
    page.close()


def test_hostile_article_renders_as_text(server, browser):
    page = browser.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    # Make sure the hostile article is there (the previous test adds it; ingest is idempotent).
    page.request.post(server + "/api/ingest", data={"items": [{"title": "Attaque à Tunis", "text": HOSTILE,
                                                               "published": "2021-03-03"}]})
    hits = page.request.get(server + "/api/search?q=pwned&mode=fulltext").json()
    assert hits
    for path in (f"/articles/{hits[0]['id']}", "/search?q=pwned", "/"):
        page.goto(server + path)
        assert page.evaluate("window.__pwned") is None
        assert page.locator("img[src='x']").count() == 0
    page.goto(server + f"/articles/{hits[0]['id']}")
    assert "<script>window.__pwned = 1</script>" in page.locator("main").inner_text()
    story = page.request.get(server + f"/api/articles/{hits[0]['id']}").json()["story_id"]
    page.goto(server + f"/stories/{story}")
    assert page.evaluate("window.__pwned") is None
    assert "<script>" in page.locator("main").inner_text()
    page.screenshot(path=str(ARTIFACTS / "hostile-story.png"), full_page=True)
    assert not dialogs
    page.close()
