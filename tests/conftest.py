from __future__ import annotations

import http.server
import threading
from pathlib import Path

import pytest

import newsweave

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.fail(f"seed corpus missing at {SEEDS}: CI must have ../shared beside the repo")
    return SEEDS


@pytest.fixture(scope="session")
def seed_db(tmp_path_factory, seeds_dir) -> Path:
    """A store with the seed corpus run once through every stage (read-only for tests)."""
    db = tmp_path_factory.mktemp("seeds") / "seeds.db"
    report = newsweave.run([str(seeds_dir)], db=db)
    assert report.added == 5 and not report.errors
    return db


@pytest.fixture(scope="session")
def seed_store(seed_db):
    """The seed corpus run once; maps the seed number ('000'..'004') to its stored Article."""
    nw = newsweave.open(seed_db)
    by_seed = {}
    for article in nw.articles():
        (loc,) = nw.sightings(article.id)
        by_seed[Path(loc).name[:3]] = article
    yield by_seed
    nw.close()


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, str, bytes, dict]] = {}
    requests: list = []  # (method, path, headers, body) of every request
    posted: list = []

    def do_GET(self):  # noqa: N802
        self.requests.append(("GET", self.path, dict(self.headers), b""))
        status, ctype, body, headers = self.routes.get(self.path, (404, "text/plain", b"not found", {}))
        # Conditional requests: a matching validator gets 304, as a real server would answer.
        if status == 200 and headers.get("ETag") and self.headers.get("If-None-Match") == headers["ETag"]:
            status, body = 304, b""
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.requests.append(("POST", self.path, dict(self.headers), body))
        self.posted.append((self.path, body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture()
def http_server():
    """A local HTTP server on loopback; tests register canned responses in `server.routes`."""
    routes: dict = {}
    handler = type("H", (_Handler,), {"routes": routes, "requests": [], "posted": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.base = f"http://127.0.0.1:{server.server_address[1]}"
    server.routes = routes
    server.requests = handler.requests
    server.posted = handler.posted
    yield server
    server.shutdown()
    server.server_close()
