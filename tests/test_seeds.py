"""Issue 2's bars on the seed corpus."""

from __future__ import annotations


def test_languages(seed_store):
    assert [seed_store[k].lang for k in ("000", "001", "002", "003", "004")] == ["fr", "fr", "en", "fr", "fr"]


def test_003_repeated_paragraphs_once_and_headline_list_gone(seed_store):
    a = seed_store["003"]
    kept = [p.text for p in a.paragraphs]
    assert len(kept) == len(set(kept))
    assert sum("offensive vers Tripoli piétine" in p for p in kept) == 1
    assert sum("Le Caire considère que sa sécurité" in p for p in kept) == 1
    assert "Autres articles" not in a.text
    assert "Burkina Faso" not in a.text and "Dahra Djolof" not in a.text
    reasons = {b.reason for b in a.removed}
    assert {"repeated_paragraph", "related_headlines"} <= reasons
    # the removed headlines are recorded with their reason, not lost
    assert any("Burkina Faso" in b.text and b.reason == "related_headlines" for b in a.removed)


def test_002_slogan_caption_dateline_and_read_link_out(seed_store):
    a = seed_store["002"]
    assert a.published == "2019-05-30"
    assert a.title == "Haftar calls on Egypt to supply surface-to-surface missiles"
    for gone in ("Creating new perspectives since 2009", "May 30, 2019 at 1:21 pm", "Ludovic Marin/AFP",
                 "READ:", "House of Representatives"):
        assert gone not in a.text, gone
    reasons = {b.text[:20]: b.reason for b in a.removed}
    assert reasons["Creating new perspec"] == "site_slogan"
    assert reasons["May 30, 2019 at 1:21"] == "dateline"
    assert reasons["Libya Chief of Staff"] == "caption"
    assert reasons["READ: Haftar air for"] == "related_link"
    assert a.text.startswith("Sources at Al-Ahram Centre")
    assert a.text.endswith("to seize Tripoli.")


def test_004_comment_widget_and_policy_gone_english_title_marked(seed_store):
    a = seed_store["004"]
    for gone in ("Akismet", "S’abonner", "Notification pour", "guest", "Commentaires", "retirera d'office"):
        assert gone not in a.text, gone
    reasons = {b.reason for b in a.removed}
    assert {"comment_widget", "comment_policy"} <= reasons
    english = [p for p in a.paragraphs if p.text.startswith("Russian military advisers")]
    assert len(english) == 1 and english[0].lang == "en"
    # no other paragraph of the seeds is marked with a language other than its article's
    assert [p.text for p in a.paragraphs if p.lang != a.lang] == [english[0].text]


def test_no_other_mixed_language_paragraph_in_seeds(seed_store):
    for key, a in seed_store.items():
        if key != "004":
            assert all(p.lang == a.lang for p in a.paragraphs), key


def test_000_title_once_byline_removed_broken_paragraph_joined(seed_store):
    a = seed_store["000"]
    assert a.title == "Libye : Haftar appelle l’Egypte à fournir des missiles sol-sol"
    assert "Haftar appelle l’Egypte" not in a.text
    assert a.text.startswith("Des sources du Centre")
    assert [b.reason for b in a.removed if b.text.startswith("Libye :")] == ["title", "duplicate_title"]
    assert any(b.text == "La rédaction" and b.reason == "byline" for b in a.removed)
    assert "les groupes extrémistes et les milices en Libye." in a.text


def test_every_raw_line_is_accounted_for(seed_store):
    import re

    for key, a in seed_store.items():
        words_raw = re.findall(r"\w+", a.raw)
        words_blocks = re.findall(r"\w+", " ".join(b.text for b in a.blocks))
        assert words_raw == words_blocks, key


def test_titles_of_lead_only_articles(seed_store):
    # 001 and 003 have no headline line: their first (lead) line is the title and stays in the text
    for key in ("001", "003"):
        a = seed_store[key]
        assert a.title and a.text.startswith(a.title)
