"""The plain-text cleaner's rules, one by one, and its no-loss invariant."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from newsweave.clean import clean, segment

BODY = [
    "Le gouvernement a présenté mercredi un projet de loi sur la protection des données personnelles des usagers.",
    "Selon le texte, les entreprises devront déclarer toute fuite de données dans un délai de trois jours ouvrés.",
    "Plusieurs associations de consommateurs jugent toutefois les sanctions prévues beaucoup trop faibles.",
]


def reasons(lines, **kw):
    c = clean(lines, **kw)
    return c, {b.text: b.reason for b in c.blocks}


def test_hard_wrapped_text_is_rejoined_and_stray_breaks_are_mended():
    wrapped = ("Le gouvernement a présenté mercredi un projet de loi sur la\n"
               "protection des données personnelles des usagers, qui sera\n"
               "examiné au Parlement dès le mois prochain.\n\n"
               "Selon le texte, les entreprises devront déclarer toute fuite de\n"
               "données dans un délai de trois jours ouvrés, sous peine d'amende.")
    assert segment(wrapped) == [
        "Le gouvernement a présenté mercredi un projet de loi sur la protection des données personnelles des "
        "usagers, qui sera examiné au Parlement dès le mois prochain.",
        "Selon le texte, les entreprises devront déclarer toute fuite de données dans un délai de trois jours "
        "ouvrés, sous peine d'amende."]
    # one line per paragraph stays one block per line
    assert segment("\n".join(BODY)) == BODY
    # a paragraph cut by a blank line mid-sentence is joined
    assert segment(BODY[0][:-1] + " et des\n\nentreprises.") == [BODY[0][:-1] + " et des entreprises."]


def test_head_slogan_title_dateline_caption():
    lines = ["Votre information depuis 1998", "Projet de loi sur la protection des données personnelles",
             "Publié le 12 mars 2021 à 10h32", "Le ministre à Paris, le 3 mars [Jean Dupont/AFP]", *BODY]
    c, r = reasons(lines, lang="fr")
    assert c.title == "Projet de loi sur la protection des données personnelles"
    assert c.published == "2021-03-12"
    assert r["Votre information depuis 1998"] == "site_slogan"
    assert r["Publié le 12 mars 2021 à 10h32"] == "dateline"
    assert r["Le ministre à Paris, le 3 mars [Jean Dupont/AFP]"] == "caption"
    assert [b.text for b in c.blocks if b.reason is None] == BODY


def test_related_links_in_several_languages():
    for link in ("Lire aussi : Le budget adopté", "READ MORE: Budget passed", "Lesen Sie auch: Haushalt",
                 "Читайте также: Бюджет принят", "Leer también: El presupuesto"):
        _, r = reasons(["Titre du jour", BODY[0], link, BODY[1]])
        assert r[link] == "related_link", link
    # a sentence that merely starts with "Read" is not a link
    s = "Read the full report, the minister said, before voting on the law next week in the assembly."
    _, r = reasons(["Titre", BODY[0], s])
    assert r[s] is None


def test_trailing_headlines_with_and_without_header():
    heads = ["Un séisme frappe le sud du pays", "La coupe du monde commence demain",
             "Les prix de l'essence repartent à la hausse"]
    _, r = reasons(["Titre", *BODY, "Sur le même sujet", *heads])
    assert all(r[h] == "related_headlines" for h in ["Sur le même sujet", *heads])
    _, r = reasons(["Titre", *BODY, *heads])
    assert all(r[h] == "related_headlines" for h in heads)
    assert all(r[b] is None for b in BODY)


def test_comment_widgets_policy_and_byline():
    tail = ["Par Jean Dupont", "Les commentaires sont modérés et tout propos injurieux sera supprimé sans préavis.",
            "Laisser un commentaire", "Répondre", "Connexion"]
    _, r = reasons(["Titre", *BODY, *tail])
    assert r[tail[1]] == "comment_policy"
    assert {r[t] for t in tail[2:]} == {"comment_widget"}
    assert r["Par Jean Dupont"] == "byline"
    _, r = reasons(["Titre", *BODY, "La rédaction"])
    assert r["La rédaction"] == "byline"


def test_repeated_paragraphs_kept_once_and_alt_text_captions():
    _, r = reasons(["Titre", BODY[0], "Le ministre Dupont", "Le ministre Dupont", BODY[1], BODY[0].upper()])
    c = clean(["Titre", BODY[0], "Le ministre Dupont", "Le ministre Dupont", BODY[1], BODY[0].upper()])
    assert [b.reason for b in c.blocks] == ["title", None, "caption", "caption", None, "repeated_paragraph"]


def test_known_title_from_html_is_removed_once():
    c = clean(["Projet de loi", *BODY, "Projet de loi"], known_title="Projet de loi")
    assert [b.reason for b in c.blocks] == ["title", None, None, None, "duplicate_title"]


def test_limits_bound_the_work():
    c = clean([f"Paragraphe numéro {i} avec assez de mots pour être un vrai paragraphe." for i in range(50)],
              max_blocks=10)
    assert sum(1 for b in c.blocks if b.reason == "too_many_blocks") == 40
    assert all(len(b) <= 1000 for b in segment("mot " * 10_000, max_block_chars=1000))


lines_st = st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80), max_size=25)


@settings(max_examples=300, deadline=None)
@given(lines_st)
def test_no_word_is_lost(lines):
    text = "\n".join(lines)
    blocks = clean(segment(text)).blocks
    import unicodedata

    expect = re.findall(r"\w+", unicodedata.normalize("NFC", text.replace("\r", "\n")))
    assert re.findall(r"\w+", " ".join(b.text for b in blocks)) == expect
