"""Cross-document boilerplate evidence, and per-paragraph language marks."""

from __future__ import annotations

import random

import newsweave
from newsweave.language import LanguageID

FOOTER = "Recevez chaque matin notre lettre avec les informations essentielles de la journée"
TOPICS = [
    "Le conseil municipal a adopté lundi soir le budget de la ville après un débat de plusieurs heures.",
    "Les pompiers ont maîtrisé un important incendie dans un entrepôt du port pendant la nuit de samedi.",
    "La nouvelle ligne de tramway ouvrira au printemps selon le calendrier présenté par la métropole.",
    "Le club de football local a remporté son match face au leader du championnat devant ses supporters.",
    "Une exposition consacrée aux peintres de la région ouvre ses portes au musée des beaux-arts jeudi.",
]


def article(i: int, rng: random.Random) -> str:
    body = [TOPICS[i % len(TOPICS)]] + [
        f"{TOPICS[(i + k) % len(TOPICS)].split(' ', 3)[3].capitalize()} Détail {i}-{k} {rng.random():.6f}."
        for k in range(1, 3)]
    return "\n".join([f"Titre de l'article {i}", *body, FOOTER])


def write_site(site, numbers, rng: random.Random):
    site.mkdir(exist_ok=True)
    for i in numbers:
        (site / f"{i}.txt").write_text(article(i, rng))
    return site


def test_line_recurring_across_one_sources_articles_is_removed_incrementally(tmp_path, make_db):
    rng = random.Random(1)
    site = write_site(tmp_path / "site", range(2), rng)
    db = make_db("b")
    newsweave.run([str(site)], db=db)
    with newsweave.open(db) as nw:
        assert all(FOOTER in a.text for a in nw.articles())  # two articles are not yet evidence
    write_site(site, range(2, 5), rng)
    report = newsweave.run([str(site)], db=db)
    assert report.added == 3 and report.boilerplate_marked == 5
    assert report.embedded == 5  # the two earlier articles changed: their vectors were redone
    with newsweave.open(db) as nw:
        arts = nw.articles()
    assert len(arts) == 5
    for a in arts:
        assert FOOTER not in a.text
        assert [b.reason for b in a.removed if b.text == FOOTER] == ["recurring_in_source"]
        assert a.text.count("Détail") == 2  # the article's own text stays


def test_boilerplate_pass_catches_up_after_a_run_stopped_before_it(tmp_path, make_db):
    site = write_site(tmp_path / "site", range(4), random.Random(3))
    db = make_db("p")
    assert newsweave.open(db).run([str(site)], until="extract").boilerplate_marked == 0
    assert newsweave.run([], db=db).boilerplate_marked == 4
    assert newsweave.run([], db=db).boilerplate_marked == 0


def test_copies_of_one_story_are_not_stripped_as_boilerplate(tmp_path, make_db):
    site = tmp_path / "wire"
    site.mkdir()
    for i in range(4):
        (site / f"{i}.txt").write_text(f"Version {i} du titre\n" + "\n".join(TOPICS))
    report = newsweave.run([str(site)], db=make_db("c"))
    assert report.boilerplate_marked == 0
    with newsweave.open(make_db("c")) as nw:
        assert all(len(a.paragraphs) == len(TOPICS) for a in nw.articles())


def test_sources_do_not_share_evidence(tmp_path, make_db):
    rng = random.Random(2)
    for i in range(4):
        d = tmp_path / f"site{i}"
        d.mkdir()
        (d / "a.txt").write_text(article(i, rng))
    report = newsweave.run([str(tmp_path)], db=make_db("d"))
    assert report.added == 4 and report.boilerplate_marked == 0


def test_block_language_scores_match_py3langid():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ref = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ours = LanguageID()
    for text in ["Le conseil municipal a adopté le budget.", "The council adopted the budget on Monday.",
                 "Der Stadtrat hat den Haushalt verabschiedet.", "Совет принял бюджет в понедельник.",
                 "市议会周一通过了预算。", "12345", TOPICS[0] + " " + TOPICS[1]]:
        lang, p = ours.classify(text)
        ref_lang, ref_p = ref.classify(text)
        assert lang == ref_lang and abs(p - ref_p) < 1e-3, text
    # merged block counts classify the article like the whole text does
    lang, p = ours.blocks(TOPICS).article()
    ref_lang, ref_p = ref.classify(" ".join(TOPICS))
    assert lang == ref_lang == "fr" and abs(p - ref_p) < 1e-3


def test_foreign_paragraphs_are_marked_and_short_lines_inherit(tmp_path, make_db):
    lines = ["Titre de l'article", *TOPICS[:3],
             "Police said the fire started in the early hours of Sunday and spread quickly to the roof.",
             "Die Feuerwehr war mit mehr als hundert Einsatzkräften vor Ort und konnte den Brand löschen.",
             "OK merci", TOPICS[3]]
    (tmp_path / "mixed.txt").write_text("\n".join(lines))
    newsweave.run([str(tmp_path / "mixed.txt")], db=make_db("m"))
    with newsweave.open(make_db("m")) as nw:
        (a,) = nw.articles()
    marks = {p.text[:10]: p.lang for p in a.paragraphs}
    assert a.lang == "fr"
    assert marks["Police sai"] == "en" and marks["Die Feuerw"] == "de"
    assert marks["OK merci"] == "fr"
    assert sum(1 for p in a.paragraphs if p.lang != "fr") == 2
