"""The one options object shared by every stage, the CLI and the Python API."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from .errors import NewsweaveError


@dataclass(slots=True)
class Config:
    # --- limits on untrusted input (per item) ---
    max_item_bytes: int = 5_000_000  # larger files / records / responses are refused (E109)
    max_blocks: int = 2_000  # paragraphs kept per article; the rest is removed as "too_many_blocks"
    max_block_chars: int = 20_000  # a longer "paragraph" is cut into pieces of this size
    max_item_seconds: float = 60.0  # extraction of one item taking longer gives an error (E116); 0 = no limit
    # --- fetching (URLs and feeds) ---
    fetch_timeout: float = 15.0  # seconds, connect and read each
    fetch_max_bytes: int = 5_000_000
    fetch_max_redirects: int = 5
    follow_feed_links: bool = False  # fetch each feed entry's link for the full article
    # Loopback, private and link-local addresses are refused (SSRF) unless this is set (a feed on
    # your own network, tests against a local server).
    fetch_allow_private: bool = False
    respect_robots: bool = True  # ask the site's robots.txt before following feed links to its pages
    user_agent: str = "newsweave/0.1 (+local-first news analysis)"
    # --- cleaning ---
    # A line found in at least this many different articles of one source is boilerplate ...
    source_boilerplate_min_articles: int = 3
    # ... unless it comes with so much shared text that the articles look like copies of each other.
    source_boilerplate_max_shared_fraction: float = 0.5
    # --- language ---
    # A paragraph is marked with a language other than its article's only when langid finds that
    # language at least this many times likelier than the article's, and the paragraph has at
    # least `lang_min_words` words; shorter or less clear-cut paragraphs inherit the article's.
    lang_min_ratio: float = 20.0
    lang_min_words: int = 4
    # --- embeddings ---
    embedder: str = "use-multilingual"  # a name registered in newsweave.embed.EMBEDDERS
    # --- dedup ---
    near_duplicate_min_jaccard: float = 0.75  # Jaccard of word 3-shingles (checked exactly), same language
    excerpt_min_containment: float = 0.8  # share of the shorter article's shingles in the longer
    excerpt_max_length_ratio: float = 0.8  # an excerpt is at most this share of the longer's shingles
    translation_candidates: int = 10  # most similar other-language articles checked per article
    translation_min_doc_cosine: float = 0.5
    translation_min_paragraph_cosine: float = 0.5  # mutual best paragraph matches at least this close
    translation_min_coverage: float = 0.6  # aligned pairs / paragraphs of the longer article
    translation_min_mean_cosine: float = 0.62  # mean cosine of the aligned pairs ...
    translation_min_mean_cosine_anchored: float = 0.55  # ... or this, when >= 2 anchors agree
    translation_max_length_ratio: float = 4.0  # in words (CJK characters count as half a word)
    translation_min_anchor_overlap: float = 0.3  # Jaccard of numbers, acronyms, URLs both state
    # --- stories ---
    # An article joins the best story among its nearest when cosine(article, story centroid) plus
    # story_names_weight x (share of the article's idf-weighted names the story also has) reaches
    # story_min_score; else it opens a story. Copies and translations always share a story.
    # (Chosen on the dev half of the SemEval-2022 same-story sets, mono- and cross-lingual, whose
    # articles come from one period; bench/RESULTS.md has the sweep and the test-half scores.)
    story_min_score: float = 0.72
    story_names_weight: float = 0.4
    # A dated article only joins a story whose dated articles lie within this many days of it
    # (0 = no time limit).
    story_window_days: float = 7.0
    # When the time window cannot vouch for a pair (the article or the story has no date, or the
    # window is 0), content alone must be this strong: same-topic reports months apart score like
    # same-story reports. Set it to story_min_score for an undated corpus known to cover days.
    story_min_score_undated: float = 0.9
    # For an article in a language the embedder was not trained on (Embedder.languages), the
    # cosine alone is no evidence: it must also share at least this idf-weighted share of its
    # names with the story (and such stories merge only on the same condition).
    story_min_names_untrained: float = 0.35
    story_candidates: int = 32  # nearest story centroids checked per article
    # Two stories merge when their centroids (plus names, weighted as above) score this much.
    story_merge_score: float = 0.8
    # --- entities ---
    # A TOML file of extra aliases (format of newsweave/data/aliases.toml), added to the shipped ones.
    entity_aliases_file: str = ""
    # --- events and claims ---
    event_rules_file: str = ""  # extra triggers/examples (same shape as newsweave/data/plover.toml)
    claim_window_days: int = 30  # reports of one actor/action/target further apart are separate claims
    # Events and claims are reported (API, CLI, REST, web pages, dossiers, exports, watch alerts)
    # from this confidence up; those below stay in the store, shown on request (min_confidence=0,
    # --all). 0 (the default) reports every event found: about 0.72 right on held-out text; 0.8,
    # the reliable tier (events.RELIABLE), about 0.85 right, keeping about 60% of the right events
    # (bench/RESULTS.md). Not the default: it would hide every event of a language not yet
    # measured outside its development set, and one of the seeds' three asked-for events (0.70).
    event_min_confidence: float = 0.0
    # --- serving ---
    max_request_bytes: int = 2_000_000  # larger request bodies get 413
    # --- execution ---
    batch_size: int = 200  # articles per store transaction

    @classmethod
    def from_toml(cls, path: str | Path) -> "Config":
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
        return cls.from_dict(data.get("newsweave", data))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Config":
        known = {f.name: f for f in fields(cls)}
        unknown = sorted(set(data) - set(known))
        if unknown:
            raise NewsweaveError("E204", f"unknown config option(s): {', '.join(unknown)}; "
                                         f"known: {', '.join(sorted(known))}")
        cfg = cls()
        for key, value in data.items():
            default = getattr(cfg, key)
            if not isinstance(value, type(default)) and not (
                isinstance(default, float) and isinstance(value, int)
            ):
                raise NewsweaveError("E204", f"config option {key} must be {type(default).__name__}, "
                                             f"got {value!r}")
            setattr(cfg, key, type(default)(value))
        if not 0.0 <= cfg.event_min_confidence <= 1.0:
            raise NewsweaveError("E204", f"config option event_min_confidence must be between 0 and 1, "
                                         f"got {cfg.event_min_confidence!r}")
        return cfg
