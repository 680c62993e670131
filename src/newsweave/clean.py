"""Plain-text cleaning: paragraphs, title, date line, and boilerplate removed with its reason.

No maintained library cleans *plain text* news (trafilatura and jusText need HTML structure), so
this module is ours. It works on the article's shape as much as on word lists:
- the head (lines before the first body paragraph) holds the title, date line, caption and site
  slogan; among several headline-like lines the title is the one whose words the body uses, a
  line the body shares no words with is a slogan;
- paragraphs repeated inside the article are kept once;
- the tail is checked for comment widgets and policies, lists of unrelated headlines, bylines.
Evidence across articles (a line recurring in many articles of one source) is `boilerplate.py`.
Every input line ends up in a kept paragraph or a removed block with its reason: nothing is lost.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .dates import dateline
from .records import Block

# Reasons a block can be removed with (docs/FORMAT.md lists them).
REASONS = (
    "title", "duplicate_title", "dateline", "site_slogan", "caption", "byline", "related_link",
    "related_headlines", "repeated_paragraph", "comment_widget", "comment_policy", "separator",
    "recurring_in_source", "too_many_blocks",
)

HEAD_MAX = 8  # the head is at most this many blocks before the first body paragraph
BODY_MIN_WORDS = 20
BODY_MIN_CHARS = 140

_WORD = re.compile(r"\w+", re.U)
_ALNUM = re.compile(r"[^\W_]", re.U)
_TERMINAL = re.compile(r"[.!?…:;»\"”’)\]。！？」』]\s*$")
# Chinese and Japanese have no spaces between words: two characters count as about one word.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")

_CAPTION = re.compile(
    r"[\[(][^\])]{0,100}(?:/|\b(?:AFP|AP|Reuters|Getty(?: Images)?|EPA|Anadolu|Xinhua|Shutterstock|iStock|"
    r"Photo|Foto|Фото|Crédit|Credit|Image|Illustration|DR|Sipa|Abaca)\b)[^\])]{0,100}[\])]\s*$"
    r"|^(?:photo|foto|фото|image|illustration|crédits? photo|photo credit|caption|légende)\s*[:©]"
    r"|©",
    re.I,
)
_RELATED_LINK = re.compile(
    r"^(?:read|read more|read also|also read|see also|related|related article|lire aussi|à lire aussi|"
    r"a lire aussi|lire également|voir aussi|à voir aussi|leer también|lea también|ver también|"
    r"lesen sie auch|mehr zum thema|siehe auch|leggi anche|vedi anche|leia também|veja também|"
    r"читайте также|смотрите также|читайте також|дивіться також|czytaj też|czytaj także|zobacz też|"
    r"lees ook)\s*[:：>»|\-–—]\s*\S",
    re.I,
)
_RELATED_HEADER = re.compile(
    r"^(?:autres articles|articles similaires|sur le même sujet|dans la même rubrique|à lire aussi|"
    r"a lire aussi|lire aussi|les plus lus|les plus populaires|dernières actualités|dernières infos|"
    r"related(?: articles| stories| posts| news| content)?|more (?:stories|news|articles)|"
    r"you may also like|you might also like|recommended(?: for you)?|most read|most popular|"
    r"latest news|also read|read more|trending(?: now)?|weitere artikel|mehr zum thema|"
    r"das könnte sie auch interessieren|meistgelesen|otras noticias|noticias relacionadas|"
    r"te puede interesar|lo más leído|altre notizie|potrebbe interessarti|più letti|другие новости|"
    r"читайте также|похожие статьи|популярное|zobacz także|czytaj także|najczęściej czytane)\s*[:.]?\s*$",
    re.I,
)
_COMMENT = re.compile(
    r"\b(?:comments?|commentaires?|commenter|kommentar(?:e|en)?|comentarios?|commenti|commento|"
    r"комментари\w*|komentarz\w*|reply|répondre|antworten|responder|akismet|disqus|s[’']abonner|"
    r"subscribe|abonnieren|suscribirse|notification pour|notify of|guest|invité|login|log in|"
    r"connexion|se connecter|anmelden)\b",
    re.I,
)
_POLICY = re.compile(
    r"retir|supprim|remov|delet|moder|modér|policy|politique|charte|règle|guideline|akismet|spam|"
    r"indésirable|injurieux|abusi|offensi|diffamatoire|netiquette|richtlinie",
    re.I,
)
_BYLINE_FIXED = re.compile(
    r"^(?:la rédaction|la redaction|rédaction|the editorial (?:board|team|staff)|editorial staff|"
    r"staff writer|avec (?:l')?(?:afp|ap|reuters)|(?:source|sources)\s*:\s*[\w .'-]{1,40}|"
    r"\(?(?:afp|ap|reuters|dpa|efe|ansa|tass)\)?|redaktion|die redaktion|la redacción|redacción|"
    r"redazione|la redazione|редакция|redakcja)\s*\.?$",
    re.I,
)
_BYLINE_NAME = re.compile(r"^(?:[Bb]y|[Pp]ar|[Vv]on|[Pp]or|[Dd]i|[Dd]oor)\s+[A-ZÀ-ÖØ-ÞĀ-Ž][\w.'’-]+"
                          r"(?:\s+(?:and|et|und|y|e|en|&)?\s*[A-ZÀ-ÖØ-ÞĀ-Ž][\w.'’-]+){0,4}\s*$")


@dataclass(slots=True)
class Cleaned:
    blocks: list[Block]
    title: str | None
    published: str | None


def segment(text: str, max_block_chars: int = 20_000) -> list[str]:
    """Split text into paragraph blocks: one per line, or per blank-line chunk if hard-wrapped."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    chunks = re.split(r"\n[ \t\u00a0]*\n", text)
    lines: list[str] = []
    for chunk in chunks:
        parts = [p for p in chunk.split("\n") if p.strip()]
        if len(parts) > 1 and _hard_wrapped(parts):
            parts = [" ".join(p.strip() for p in parts)]
        lines.extend(parts)
    blocks = [" ".join(line.split()) for line in lines]
    blocks = _join_broken(blocks)
    out: list[str] = []
    for b in blocks:  # a gigantic "paragraph" (no newlines at all) is cut so later stages stay bounded
        while len(b) > max_block_chars:
            cut = b.rfind(" ", 0, max_block_chars)
            cut = cut if cut > max_block_chars // 2 else max_block_chars
            out.append(b[:cut].strip())
            b = b[cut:].strip()
        if b:
            out.append(b)
    return out


def _hard_wrapped(lines: list[str]) -> bool:
    """A chunk whose lines are all cut near one width, mid-sentence, was wrapped by a text editor."""
    body = [ln.rstrip() for ln in lines[:-1]]
    longest = max(len(ln) for ln in body)
    if not 40 <= longest <= 100:
        return False
    even = sum(1 for ln in body if len(ln) >= longest - 25)
    open_ended = sum(1 for ln in body if not _TERMINAL.search(ln))
    return even >= 0.8 * len(body) and open_ended >= 0.5 * len(body)


def _join_broken(blocks: list[str]) -> list[str]:
    """Re-join a paragraph that a stray blank line cut mid-sentence (next part starts lowercase)."""
    out: list[str] = []
    for b in blocks:
        if (out and len(out[-1]) > 60 and not _TERMINAL.search(out[-1]) and b[:1].islower()
                and not _RELATED_LINK.search(out[-1]) and not _CAPTION.search(out[-1])):
            out[-1] = out[-1] + " " + b
        else:
            out.append(b)
    return out


_SURROGATE = re.compile("[\ud800-\udfff]")


def valid_text(text: str) -> str:
    """Lone surrogates (JSON "\\udcc3" escapes, lenient XML and HTML parsers) are no characters:
    they cannot be encoded, so every later stage (spaCy, SQLite, export) would fail on them. Each
    becomes U+FFFD."""
    return _SURROGATE.sub("\ufffd", text)


def norm(text: str) -> str:
    """Comparison key: case, punctuation and spacing do not matter."""
    return " ".join(_WORD.findall(text.casefold()))


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def content_words(text: str) -> set[str]:
    # Words of five letters or more: short function words in any language mostly drop out.
    return {w for w in _WORD.findall(text.casefold()) if len(w) >= 5 and not w.isdigit()}


def _overlap(line: str, body_words: set[str]) -> float:
    cw = content_words(line)
    return len(cw & body_words) / len(cw) if cw else 0.0


def word_count(line: str) -> int:
    return len(words(line)) + len(_CJK.findall(line)) // 2


def _is_body(line: str) -> bool:
    return word_count(line) >= BODY_MIN_WORDS or len(line) >= BODY_MIN_CHARS


def _is_sentence(line: str) -> bool:
    return word_count(line) >= 12 and bool(re.search(r"[.!?…»\"”。！？」』]\s*$", line))


def _short_nonsentence(line: str, max_words: int = 8) -> bool:
    return len(words(line)) <= max_words and not _TERMINAL.search(line)


def clean(lines: list[str], *, lang: str | None = None, known_title: str | None = None,
          max_blocks: int = 2_000) -> Cleaned:
    blocks = [Block(text=ln) for ln in lines]
    n = len(blocks)
    if n == 0:
        return Cleaned(blocks, known_title, None)
    for b in blocks[max_blocks:]:
        b.reason = "too_many_blocks"
    n = min(n, max_blocks)
    for b in blocks[:n]:
        if not _ALNUM.search(b.text):
            b.reason = "separator"

    # The body starts at the first long paragraph or full sentence after the first line (which is a
    # headline unless it is itself a long paragraph: headlines may end with a full stop).
    first_body = 0 if _is_body(blocks[0].text) else next(
        (i for i in range(1, min(n, HEAD_MAX)) if _is_body(blocks[i].text) or _is_sentence(blocks[i].text)), None)
    head_end = first_body if first_body is not None else 1
    body_words: set[str] = set()
    for b in blocks[head_end:n]:
        body_words |= content_words(b.text)

    title, published = _clean_head(blocks, head_end, lang, known_title, body_words)
    if published is None:  # a date line just below the head ("Title. / 12 March 2021 / Body")
        for b in blocks[head_end:min(n, head_end + 3)]:
            if b.reason is None and (date := dateline(b.text, lang)) is not None:
                b.reason, published = "dateline", date
                break
    if not any(b.reason is None for b in blocks[:n]):
        # A one-paragraph text (a short post, a feed summary) is its own title and its own text.
        for b in blocks[:n]:
            if b.reason == "title":
                b.reason = None
    title_key = norm(title) if title else None
    # When the title is a body-like first line that stays in the text, that line is not a repeat.
    title_kept_at = 0 if (title_key and head_end == 0 and norm(blocks[0].text) == title_key) else None
    _clean_body(blocks, head_end, n, title_key, title_kept_at)
    _clean_tail(blocks, head_end, n, body_words)
    return Cleaned(blocks, title, published)


def _clean_head(blocks: list[Block], head_end: int, lang: str | None, known_title: str | None,
                body_words: set[str]) -> tuple[str | None, str | None]:
    published = None
    candidates: list[int] = []
    known_key = norm(known_title) if known_title else None
    for i in range(head_end):
        b = blocks[i]
        if b.reason:
            continue
        key = norm(b.text)
        if known_key and key == known_key:
            b.reason = "duplicate_title" if any(x.reason == "title" for x in blocks[:i]) else "title"
        elif (date := dateline(b.text, lang)) is not None:
            b.reason = "dateline"
            published = published or date
        elif _CAPTION.search(b.text) and len(words(b.text)) <= 40:
            b.reason = "caption"
        elif _is_byline(b.text):
            b.reason = "byline"
        elif _RELATED_LINK.search(b.text):
            b.reason = "related_link"
        else:
            candidates.append(i)
    if known_title:
        title = known_title
    elif candidates:
        # The headline is the head line whose words the body uses most (a site slogan shares none).
        best = max(candidates, key=lambda i: (_overlap(blocks[i].text, body_words), -i))
        title = blocks[best].text
        # A body-like first line (a lead sentence serving as title) stays in the text as well.
        if not _is_body(title):
            blocks[best].reason = "title"
    elif head_end == 0 and blocks and not blocks[0].reason:
        title = blocks[0].text  # no head at all: the first line is the title and stays in the text
    else:
        title = None
    title_key = norm(title) if title else None
    for i in candidates:
        b = blocks[i]
        if b.reason:
            continue
        if title_key and norm(b.text) == title_key:
            b.reason = "duplicate_title" if any(x.reason == "title" for x in blocks[:i]) else "title"
        elif body_words and _overlap(b.text, body_words) < 0.5 and not _is_body(b.text):
            # A head line that does not share most of its words with the body is not a
            # standfirst but the site's slogan or section name.
            b.reason = "site_slogan"
    return title, published


def _is_byline(text: str) -> bool:
    return len(words(text)) <= 8 and bool(_BYLINE_FIXED.match(text) or _BYLINE_NAME.match(text))


def _clean_body(blocks: list[Block], start: int, end: int, title_key: str | None,
                title_kept_at: int | None) -> None:
    seen: set[str] = set()
    for i in range(start, end):
        b = blocks[i]
        if b.reason:
            continue
        key = norm(b.text)
        nxt = blocks[i + 1] if i + 1 < end else None
        if title_key and key == title_key and i != title_kept_at:
            b.reason = "duplicate_title"
        elif _RELATED_LINK.search(b.text):
            b.reason = "related_link"
        elif _CAPTION.search(b.text) and len(words(b.text)) <= 40:
            b.reason = "caption"
        elif key in seen:
            b.reason = "repeated_paragraph"
        elif (nxt is not None and _short_nonsentence(b.text) and norm(nxt.text) == key):
            # A short line immediately repeated is an image's alt text followed by its caption.
            b.reason = nxt.reason = "caption"
        seen.add(key)


def _comment_like(text: str) -> bool:
    """A comment-section line: short UI text naming comments, or a moderation/anti-spam notice."""
    if not _COMMENT.search(text):
        return False
    return len(words(text)) <= 8 or bool(_POLICY.search(text))


def _clean_tail(blocks: list[Block], start: int, end: int, body_words: set[str]) -> None:
    kept = [i for i in range(start, end) if not blocks[i].reason]
    if not kept:
        return
    # 1. Comment widgets and comment policies: a trailing run of comment-ish or tiny UI lines.
    run: list[int] = []
    for i in reversed(kept):
        if _comment_like(blocks[i].text) or len(words(blocks[i].text)) <= 3:
            run.append(i)
        else:
            break
    run.reverse()
    while run and not _comment_like(blocks[run[0]].text):
        run.pop(0)  # the run starts at its first comment-ish line, not at a short body line
    if len(run) == len(kept):
        run = []  # a text that is all "comment" lines is a text about comments, not a widget
    for i in run:
        long_line = len(words(blocks[i].text)) > 8
        blocks[i].reason = "comment_policy" if long_line and _POLICY.search(blocks[i].text) else "comment_widget"
    kept = [i for i in kept if not blocks[i].reason]
    if not kept:
        return
    # 2. A list of other headlines at the end, under a header ("Autres articles", "Related") ...
    lower = kept[len(kept) // 3]
    for pos, i in enumerate(kept):
        if i < lower or not _RELATED_HEADER.match(blocks[i].text):
            continue
        rest = kept[pos + 1:]
        if all(len(words(blocks[j].text)) <= 30 for j in rest):
            for j in [i, *rest]:
                blocks[j].reason = "related_headlines"
            for j in range(i, end):  # separators between the listed headlines go with them
                if blocks[j].reason == "separator":
                    blocks[j].reason = "related_headlines"
            kept = kept[:pos]
        break
    # ... or without a header: three or more trailing headline-like lines unrelated to the body.
    tail: list[int] = []
    for i in reversed(kept):
        text = blocks[i].text
        if 3 <= len(words(text)) <= 20 and not text.rstrip().endswith(".") and _overlap(text, body_words - content_words(text)) < 0.15:
            tail.append(i)
        else:
            break
    if len(tail) >= 3 and len(tail) < len(kept):
        for i in tail:
            blocks[i].reason = "related_headlines"
        kept = [i for i in kept if not blocks[i].reason]
    # 3. A byline closing the article ("La rédaction", "By Jane Doe", "(AFP)").
    if kept and _is_byline(blocks[kept[-1]].text):
        blocks[kept[-1]].reason = "byline"
