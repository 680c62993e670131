"""Numbered, actionable errors.

Per-item problems (a bad file, a malformed JSONL line, an unreachable URL) are `ItemError`s: they
are reported one line each and the run goes on with the other inputs. Everything else that stops
an operation is a `NewsweaveError`. Codes are stable so users can grep for them.
"""

from __future__ import annotations

from dataclasses import dataclass

# code -> short title; the message of each error says what to do.
CODES: dict[str, str] = {
    "E101": "input not found",
    "E102": "empty input",
    "E103": "binary input",
    "E104": "undecodable text",
    "E105": "malformed JSON",
    "E106": "JSON record without text or html",
    "E107": "not a feed",
    "E108": "fetch failed",
    "E109": "input too large",
    "E110": "unsupported URL scheme",
    "E111": "no article text",
    "E112": "unsafe XML",
    "E113": "unreadable input",
    "E114": "address not allowed",
    "E115": "disallowed by robots.txt",
    "E116": "item took too long",
    "E201": "unknown store URL",
    "E202": "store schema mismatch",
    "E203": "unknown article",
    "E204": "bad option",
    "E205": "unknown story",
    "E206": "unknown entity",
    "E207": "unknown claim",
    "E208": "serving beyond loopback without a token",
    "E209": "missing or wrong API token",
    "E210": "request body too large",
    "E211": "malformed request parameter",
    "E212": "the PostgreSQL backend needs psycopg",
    "E213": "cannot connect to the PostgreSQL server",
    "E214": "the Ray executor needs Ray",
}


@dataclass(slots=True)
class ItemError:
    """One input item that could not be ingested; the run continues with the others."""

    code: str
    locator: str
    message: str

    def __str__(self) -> str:
        return f"{self.code} {self.locator}: {self.message}"


class NewsweaveError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(f"{code} {message}")
        self.code = code
        self.message = message
