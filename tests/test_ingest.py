"""Ingest: every input kind, and a clear one-line error per bad item while the rest is ingested."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import newsweave
from newsweave.config import Config
from newsweave.errors import ItemError
from newsweave.ingest import decode, iter_inputs

ARTICLE = ("Le ministre a annoncé mardi un nouveau plan pour les transports publics de la région. "
           "Les syndicats ont salué une avancée mais demandent davantage de moyens pour les conducteurs.\n"
           "La mesure entrera en vigueur au début de l'année prochaine, selon le communiqué du ministère.")
HTML = f"""<html><head><title>Plan transports</title><meta property="og:site_name" content="Le Journal">
<meta property="article:published_time" content="2021-03-04T10:00:00Z"></head>
<body><nav>Accueil | Sport | Culture</nav><article><h1>Plan transports</h1>
<p>{ARTICLE.splitlines()[0]}</p><p>{ARTICLE.splitlines()[1]}</p><p>Lire aussi : Un autre sujet sans rapport</p>
</article><footer>© Le Journal 2021</footer></body></html>"""
RSS = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Le Fil</title>
<link>https://fil.example/</link><description>x</description>
<item><title>Premier sujet</title><link>https://fil.example/1</link><pubDate>Thu, 04 Mar 2021 10:00:00 +0000</pubDate>
<description>Le conseil municipal a voté hier soir le budget de la ville pour l'année prochaine après un long débat.</description></item>
<item><title>Second sujet</title><link>https://fil.example/2</link>
<description>&lt;p&gt;Les pompiers sont intervenus dans la nuit pour un incendie dans un entrepôt du port, sans faire de victime.&lt;/p&gt;</description></item>
</channel></rss>"""


def run(tmp_path, *inputs, db=None, **config):
    errors: list[ItemError] = []
    with newsweave.open(db or tmp_path / "t.db", Config(**config)) as nw:
        report = nw.run([str(i) for i in inputs], on_error=errors.append)
        arts = nw.articles()
    return report, arts, errors


def test_text_html_jsonl_json_feed_files(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Plan transports\n" + ARTICLE)
    (tmp_path / "in" / "b.html").write_text(HTML)
    (tmp_path / "in" / "sub").mkdir()
    (tmp_path / "in" / "sub" / "c.jsonl").write_text(json.dumps(
        {"text": ARTICLE.replace("mardi", "jeudi"), "title": "T", "url": "https://x.example/c",
         "published": "2020-01-02", "source": "X"}) + "\n")
    (tmp_path / "in" / "d.json").write_text(json.dumps([{"html": HTML.replace("mardi", "lundi")}]))
    (tmp_path / "in" / "e.rss").write_text(RSS)
    (tmp_path / "in" / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\0\0")
    report, arts, errors = run(tmp_path, tmp_path / "in")
    assert errors == []
    assert report.added == 6 and report.skipped_files == [str(tmp_path / "in" / "image.png")]
    by_title = {a.title: a for a in arts}
    html = [a for a in arts if a.kind == "html" and a.source == "Le Journal"]
    assert len(html) == 2
    assert html[0].published == "2021-03-04" and html[0].title == "Plan transports"
    assert "Lire aussi" not in html[0].text and "Accueil" not in html[0].text
    c = by_title["T"]
    assert (c.url, c.published, c.source, c.lang) == ("https://x.example/c", "2020-01-02", "X", "fr")
    feed = [a for a in arts if a.source == "Le Fil"]
    assert {a.title for a in feed} == {"Premier sujet", "Second sujet"}
    assert {a.url for a in feed} == {"https://fil.example/1", "https://fil.example/2"}
    assert [a.published for a in feed if a.title == "Premier sujet"] == ["2021-03-04"]
    assert all("<p>" not in a.text for a in feed)


def test_bad_inputs_each_get_one_clear_error_and_the_rest_is_ingested(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.txt").write_text("Bon titre\n" + ARTICLE)
    (d / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (d / "empty.txt").write_bytes(b"")
    (d / "blank.txt").write_bytes(b" \n\t\n  ")
    (d / "broken.html").write_text("<html><body><div><p></div></span><<<>>></body")
    (d / "records.jsonl").write_text(json.dumps({"text": ARTICLE.replace("mardi", "vendredi")}) + "\n"
                                     + "{not json\n" + json.dumps({"title": "no text"}) + "\n" + "[1, 2]\n")
    (d / "notafeed.rss").write_text("this is not xml at all, just words")
    report, arts, errors = run(tmp_path, d, tmp_path / "missing.txt")
    assert report.added == 2 and report.ok
    got = {(e.code, Path(e.locator.split(":")[0]).name if ":" in e.locator else Path(e.locator).name) for e in errors}
    assert ("E103", "binary.txt") in got
    assert ("E102", "empty.txt") in got and ("E102", "blank.txt") in got
    assert ("E111", "broken.html") in got
    assert {(e.code, e.locator.rsplit(":", 1)[1]) for e in errors if "records.jsonl" in e.locator} == {
        ("E105", "2"), ("E106", "3"), ("E105", "4")}
    assert ("E107", "notafeed.rss") in got
    assert ("E101", "missing.txt") in got
    for e in errors:  # one line, naming the item
        assert "\n" not in str(e) and e.locator in str(e)


def test_legacy_encodings_and_broken_utf8_are_decoded(tmp_path):
    text = "Le président a rencontré les élèves à l'école élémentaire de la ville, où ils ont évoqué l'été."
    assert decode(text.encode("cp1252"), "x") == text
    assert decode(text.encode("utf-16"), "x") == text
    broken = text.encode("utf-8")[:-3] + b"\xff\xfe ok" + "é".encode()
    decoded = decode(broken, "x")
    assert isinstance(decoded, str) and decoded.startswith("Le président") and "\ufffd" in decoded
    (tmp_path / "latin.txt").write_bytes(("Titre\n" + ARTICLE).encode("latin-1"))
    report, arts, errors = run(tmp_path, tmp_path / "latin.txt")
    assert not errors and "annoncé" in arts[0].text


def test_same_input_twice_stores_nothing_new_and_records_both_paths(tmp_path, make_db):
    (tmp_path / "a.txt").write_text("Titre\n" + ARTICLE)
    (tmp_path / "copy.txt").write_text("Titre\n" + ARTICLE)
    r1, arts, _ = run(tmp_path, tmp_path / "a.txt", tmp_path / "copy.txt", db=make_db("t"))
    r2, arts2, _ = run(tmp_path, tmp_path / "a.txt", db=make_db("t"))
    assert (r1.added, r1.already_stored, r2.added, r2.already_stored) == (1, 1, 0, 1)
    assert len(arts2) == 1
    with newsweave.open(make_db("t")) as nw:
        assert nw.sightings(arts2[0].id) == sorted([str(tmp_path / "a.txt"), str(tmp_path / "copy.txt")])


def test_urls_and_feeds_over_http(tmp_path, http_server):
    http_server.routes["/article"] = (200, "text/html; charset=utf-8", HTML.encode(), {})
    http_server.routes["/feed"] = (200, "application/rss+xml", RSS.encode(), {})
    http_server.routes["/big"] = (200, "text/html", b"<p>" + b"x" * 5000 + b"</p>", {})
    http_server.routes["/gone"] = (404, "text/plain", b"", {})
    http_server.routes["/loop"] = (302, "text/plain", b"", {"Location": "/loop"})
    base = http_server.base
    report, arts, errors = run(tmp_path, f"{base}/article", f"{base}/feed", f"{base}/big", f"{base}/gone",
                               f"{base}/loop", "ftp://example.org/x", "http://127.0.0.1:9/closed",
                               fetch_max_bytes=4000, fetch_timeout=5.0, fetch_allow_private=True)
    assert report.added == 3
    assert {a.url for a in arts} == {f"{base}/article", "https://fil.example/1", "https://fil.example/2"}
    codes = {e.locator.replace(base, ""): e.code for e in errors}
    assert codes == {"/big": "E109", "/gone": "E108", "/loop": "E108", "ftp://example.org/x": "E110",
                     "http://127.0.0.1:9/closed": "E108"}
    assert "404" in next(str(e) for e in errors if e.locator.endswith("/gone"))


def test_feed_with_entity_declarations_is_refused(tmp_path):
    bomb = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
            '<rss version="2.0"><channel><title>&lol2;</title><item><description>&lol2;</description></item>'
            '</channel></rss>')
    (tmp_path / "bomb.xml").write_text(bomb)
    report, arts, errors = run(tmp_path, tmp_path / "bomb.xml")
    assert [e.code for e in errors] == ["E112"] and not report.ok


def test_follow_links_fetches_the_entry_page(tmp_path, http_server):
    base = http_server.base
    feed = RSS.replace("https://fil.example/1", f"{base}/page1").replace("https://fil.example/2", f"{base}/nope")
    http_server.routes["/feed"] = (200, "application/rss+xml", feed.encode(), {})
    http_server.routes["/page1"] = (200, "text/html", HTML.encode(), {})
    report, arts, errors = run(tmp_path, f"{base}/feed", follow_feed_links=True, fetch_allow_private=True)
    assert not errors and report.added == 2
    page = next(a for a in arts if a.url == f"{base}/page1")
    assert "nouveau plan pour les transports" in page.text  # the page, not the feed summary
    other = next(a for a in arts if a.url == f"{base}/nope")
    assert "pompiers" in other.text  # fetch failed: the summary is kept


def test_private_addresses_are_refused_unless_allowed(tmp_path, http_server):
    """SSRF: loopback, private and link-local hosts are not fetched by default, including through a
    redirect from an allowed one."""
    from newsweave.fetch import check_address, fetch

    http_server.routes["/article"] = (200, "text/html; charset=utf-8", HTML.encode(), {})
    base = http_server.base
    report, arts, errors = run(tmp_path, f"{base}/article", "http://localhost:9/x", "http://[::1]:9/x",
                               "http://10.1.2.3/x", "http://169.254.169.254/latest/meta-data/",
                               "http://0.0.0.0:9/", "http://[::ffff:127.0.0.1]:9/")
    assert report.added == 0 and len(errors) == 7
    assert {e.code for e in errors} == {"E114"}
    assert "169.254.169.254" in next(str(e) for e in errors if "169.254" in e.locator)
    cfg = Config()
    assert check_address("http://93.184.215.14/", cfg) is None  # a public address passes the check
    # A redirect is checked hop by hop: allowed first hop, refused second.
    allow_first = Config(fetch_allow_private=True)
    http_server.routes["/to-meta"] = (302, "text/plain", b"", {"Location": "http://169.254.169.254/latest/"})
    hop = fetch(f"{base}/to-meta", Config(fetch_allow_private=False))
    assert hop.code == "E114"  # the first hop is loopback already
    http_server.routes["/to-ftp"] = (302, "text/plain", b"", {"Location": "ftp://example.org/x"})
    assert fetch(f"{base}/to-ftp", allow_first).code == "E110"


def test_robots_txt_is_respected_when_following_links(tmp_path, http_server):
    base = http_server.base
    feed = RSS.replace("https://fil.example/1", f"{base}/private/page1").replace("https://fil.example/2", f"{base}/page2")
    http_server.routes["/feed"] = (200, "application/rss+xml", feed.encode(), {})
    http_server.routes["/robots.txt"] = (200, "text/plain", b"User-agent: *\nDisallow: /private/\n", {})
    http_server.routes["/private/page1"] = (200, "text/html", HTML.encode(), {})
    http_server.routes["/page2"] = (200, "text/html", HTML.replace("transports", "tramways").encode(), {})
    report, arts, errors = run(tmp_path, f"{base}/feed", follow_feed_links=True, fetch_allow_private=True)
    assert not errors and report.added == 2
    first = next(a for a in arts if a.url.endswith("/private/page1"))
    assert "nouveau plan pour les transports" not in first.text  # not fetched: the feed summary stays
    second = next(a for a in arts if a.url.endswith("/page2"))
    assert "tramways" in second.text
    del http_server.routes["/robots.txt"]


def _cli(*args, stdin: bytes | None = None, cwd=None):
    return subprocess.run([sys.executable, "-m", "newsweave.cli", *args], input=stdin, capture_output=True,
                          cwd=cwd, timeout=120)


def test_cli_exit_status_and_stdin(tmp_path, make_db):
    db = str(make_db("c"))
    (tmp_path / "bad.txt").write_bytes(b"\0\0\0binary")
    (tmp_path / "good.txt").write_text("Titre\n" + ARTICLE)
    only_bad = _cli("run", str(tmp_path / "bad.txt"), "--db", db)
    assert only_bad.returncode == 1
    assert b"E103" in only_bad.stderr and b"bad.txt" in only_bad.stderr
    mixed = _cli("run", str(tmp_path / "bad.txt"), str(tmp_path / "good.txt"), "--db", db)
    assert mixed.returncode == 0, mixed.stderr
    assert b"1 new article" in mixed.stdout
    piped = _cli("run", "-", "--db", db, stdin=("Autre titre\n" + ARTICLE.replace("mardi", "dimanche")).encode())
    assert piped.returncode == 0 and b"1 new article" in piped.stdout
    listing = _cli("articles", "--db", db, "--json")
    rows = [json.loads(line) for line in listing.stdout.decode().splitlines()]
    assert {r["title"] for r in rows} == {"Titre", "Autre titre"}
    shown = _cli("show", rows[0]["id"][:6], "--db", db, "--json")
    assert json.loads(shown.stdout)["id"] == rows[0]["id"]
    unknown = _cli("show", "zzzz", "--db", db)
    assert unknown.returncode == 2 and b"E203" in unknown.stderr


@pytest.mark.parametrize("blob", [b"", b"\xff" * 100, b"<html></html>", b"{}", b"[]", b"\xef\xbb\xbf"])
def test_odd_stdin_like_blobs_never_crash(tmp_path, blob):
    from newsweave.ingest import _from_bytes

    items = list(_from_bytes(blob, "<blob>", None, Config()))
    assert all(isinstance(i, ItemError) or i.content for i in items)


def test_iter_inputs_is_sorted_and_recursive(tmp_path):
    for name in ("b/2.txt", "a/1.txt", "c.txt", ".hidden/x.txt"):
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("Titre\n" + ARTICLE + name)
    locs = [i.locator for i in iter_inputs([str(tmp_path)], Config())]
    assert [Path(x).relative_to(tmp_path).as_posix() for x in locs] == ["c.txt", "a/1.txt", "b/2.txt"]  # files, then sub-folders
