"""Publication dates: from container metadata (feeds, JSON) and from date lines in the text.

All parsing is done by dateparser (many languages, many formats); this module only decides which
strings are worth handing to it and how sure the answer must be.
"""

from __future__ import annotations

import re
import warnings
from datetime import date, datetime
from functools import lru_cache

import dateparser
from dateparser.languages.loader import default_loader

_SETTINGS = {
    "REQUIRE_PARTS": ["day", "month", "year"],  # "le 4 avril" has no year: not a publication date
    "PREFER_DATES_FROM": "past",
    "RETURN_AS_TIMEZONE_AWARE": False,
    "STRICT_PARSING": False,
    # Date lines state absolute dates; the relative-time parser ("2 days ago") is the slow part.
    "PARSERS": ["timestamp", "custom-formats", "absolute-time"],
}
_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")
# Words that introduce a date line ("Published on ...", "Publié le ...", "Mis à jour le ...").
_LEAD = re.compile(
    r"^\s*(?:published|posted|updated|last updated|date|publié|publiée|mis à jour|modifié|"
    r"veröffentlicht|aktualisiert|stand|publicado|actualizado|pubblicato|aggiornato|"
    r"opublikowano|опубликовано|обновлено)\b\s*(?:on|le|am|el|il|the)?\s*[:\-–—]?\s*",
    re.I,
)
# A publication date needs its year; lines without one are not worth dateparser's time.
_HAS_YEAR = re.compile(r"(?<!\d)(?:1[89]|20)\d\d(?!\d)|\b\d{1,2}[./-]\d{1,2}[./-]\d{2}\b")
_MAX_DATELINE_WORDS = 10
_supported = set(default_loader.get_locale_map().keys()) if hasattr(default_loader, "get_locale_map") else None


def _language_tries(lang: str | None) -> list[list[str] | None]:
    # The article's own language first (its day/month order), then English, whose month names
    # and formats turn up in pages of every language.
    if not lang or lang == "en":
        return [["en"]] if lang else [None]
    if _supported is not None and lang not in _supported:
        return [["en"]]
    return [[lang], ["en"]]


def parse_published(value: str | None, lang: str | None = None) -> str | None:
    """A date string from metadata (ISO, RFC 822, or prose) -> ISO date, or None."""
    if not value or not value.strip():
        return None
    m = _ISO.match(value)
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        except ValueError:
            return None
    parsed = _parse(value.strip()[:200], lang)
    return parsed.date().isoformat() if parsed else None


@lru_cache(maxsize=4096)  # date lines repeat across a corpus (one per day and format)
def dateline(line: str, lang: str | None = None) -> str | None:
    """If this line is (mostly) a full date, the ISO date it states; else None."""
    if len(line) > 80 or not _HAS_YEAR.search(line):
        return None
    stripped = _LEAD.sub("", line).strip(" |•·-–—")
    if not stripped or len(stripped.split()) > _MAX_DATELINE_WORDS:
        return None
    parsed = _parse(stripped, lang)
    if parsed is None or not (1900 <= parsed.year <= datetime.now().year + 1):
        return None
    return parsed.date().isoformat()


def _parse(text: str, lang: str | None) -> datetime | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # dateparser warns about pytz/tz deprecations on some inputs
        for languages in _language_tries(lang):
            try:
                parsed = dateparser.parse(text, languages=languages, settings=_SETTINGS)
            except Exception:  # dateparser raises assorted errors on odd input: not a date
                parsed = None
            if parsed is not None:
                return parsed
        return None
