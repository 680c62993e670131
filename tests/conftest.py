from __future__ import annotations

import http.server
import os
import shutil
import threading
import uuid
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


# The store-level tests run against every backend: SQLite always, PostgreSQL when a server is
# given (`make test` starts one and sets this; see scripts/test-postgres.sh).
PG_BASE = os.environ.get("NEWSWEAVE_TEST_PG", "")
BACKENDS = ["sqlite", "postgresql"] if PG_BASE else ["sqlite"]


def pytest_report_header(config):
    return f"newsweave store backends under test: {', '.join(BACKENDS)}"


def _new_db(backend: str, folder: Path, name: str) -> str:
    if backend == "sqlite":
        return str(folder / f"{name}.db")
    sep = "&" if "?" in PG_BASE else "?"
    return f"{PG_BASE}{sep}schema=t_{name}_{uuid.uuid4().hex[:12]}"


def _drop(url: str) -> None:
    if url.startswith("postgresql"):
        from newsweave.store.postgres import drop_schema

        drop_schema(url)


@pytest.fixture(params=BACKENDS)
def make_db(request, tmp_path):
    """name -> a new store URL on this test's backend (the same URL for the same name)."""
    made: dict[str, str] = {}

    def make(name: str) -> str:
        if name not in made:
            made[name] = _new_db(request.param, tmp_path, name)
        return made[name]

    make.backend = request.param
    yield make
    for url in made.values():
        _drop(url)


def count_rows(db: str, table: str = "articles") -> int:
    """Rows in a table of a store another process is writing (0 while it does not exist yet)."""
    if str(db).startswith("postgresql"):
        import psycopg

        from newsweave.store.postgres import _split

        conninfo, schema = _split(str(db))
        try:
            with psycopg.connect(conninfo, autocommit=True, connect_timeout=5) as con:
                return con.execute(f'SELECT COUNT(*) FROM "{schema}".{table}').fetchone()[0]
        except psycopg.Error:
            return 0
    import sqlite3

    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return con.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def copy_store(src: str, folder: Path, name: str) -> str:
    """A copy of a store, on its backend (for tests that write to a copy of the seed store)."""
    if not src.startswith("postgresql"):
        dst = str(folder / f"{name}.db")
        shutil.copy(src, dst)
        return dst
    import psycopg

    from newsweave.store.postgres import _split

    dst = _new_db("postgresql", folder, name)
    newsweave.open(dst).close()  # creates the schema's tables
    conninfo, src_schema = _split(src)
    _, dst_schema = _split(dst)
    with psycopg.connect(conninfo, autocommit=True) as con:
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s", (src_schema,))]
        with con.transaction():
            for t in tables:
                con.execute(f'DELETE FROM "{dst_schema}".{t}')
                con.execute(f'INSERT INTO "{dst_schema}".{t} SELECT * FROM "{src_schema}".{t}')
            con.execute(f"SELECT setval(pg_get_serial_sequence('\"{dst_schema}\".articles', 'seq'), "
                        f'(SELECT COALESCE(MAX(seq), 0) + 1 FROM "{dst_schema}".articles), false)')
    return dst


@pytest.fixture(scope="session")
def seed_sqlite(tmp_path_factory, seeds_dir) -> str:
    """The seed corpus in a SQLite store, for the browser and schema tests (the REST layer is the
    same over every backend; test_server runs on each)."""
    db = str(tmp_path_factory.mktemp("seeds-sqlite") / "seeds.db")
    report = newsweave.run([str(seeds_dir)], db=db)
    assert report.added == 5 and not report.errors
    return db


@pytest.fixture(scope="session", params=BACKENDS)
def seed_db(request, tmp_path_factory, seeds_dir) -> str:
    """A store with the seed corpus run once through every stage (read-only for tests), on each
    backend."""
    db = _new_db(request.param, tmp_path_factory.mktemp("seeds"), "seeds")
    report = newsweave.run([str(seeds_dir)], db=db)
    assert report.added == 5 and not report.errors
    yield db
    _drop(db)


def _by_seed(db: str) -> dict:
    nw = newsweave.open(db)
    by_seed = {}
    for article in nw.articles():
        (loc,) = nw.sightings(article.id)
        by_seed[Path(loc).name[:3]] = article
    nw.close()
    return by_seed


@pytest.fixture(scope="session")
def seed_store(seed_db):
    """The seed corpus run once; maps the seed number ('000'..'004') to its stored Article."""
    return _by_seed(seed_db)


@pytest.fixture(scope="session")
def seed_store_sqlite(seed_sqlite):
    return _by_seed(seed_sqlite)


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
