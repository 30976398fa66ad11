"""Word splitting and light stemming for the lexical ranker."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Keeps technology names whole: "c#", "c++", "node.js", ".net" (as "net").
_WORD = re.compile(r"[a-z0-9]+(?:[+#]+|(?:\.[a-z0-9]+)+)?")

_STOP_WORDS_TEXT = """a about above after again all also am an and any are as at be been being
    both but by
    can could did do does doing during each etc few for from further had has have having he her
    here hers him his how i if in into is it its itself just me more most my no nor not of off
    on once only or other our ours out over own same she should so some such than that the their
    them then there these they this those through to too under until up very was we well were
    what when where which while who whom why will with within would you your yours us via per
    able across ability abilities make use using used work working new
    organization"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())

# Words a need is written with that say nothing about a skill: they are left out of a query, so
# they neither score nor show up as "the words that matched" ("including", "senior"). Words
# that name skills in ESCO ("staff", "colleagues", "members") are not filler: "manage staff".
_FILLER_WORDS_TEXT = """include includes including included senior junior want wants wanted
    really lot lots get gets getting got better many much often sometimes always still since
    every everyone anyone something things thing way ways various eg ie week weeks month months
    year years day days recently currently especially particular particularly like quite enough
    around"""
FILLER_WORDS = frozenset(_FILLER_WORDS_TEXT.split())


def fold(text: str) -> str:
    """Lowercase and strip accents, so "Café" and "cafe" meet."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A light English suffix stripper: enough to join "manage", "managing" and "manages"."""
    if len(word) <= 3 or not word.isalpha():
        return word
    for suffix, replacement, min_stem in (
        ("ational", "ate", 3),
        ("ization", "ize", 3),
        ("isation", "ize", 3),
        ("ements", "", 4),
        ("ement", "", 4),
        ("ments", "", 4),
        ("ment", "", 4),
        ("ities", "", 4),
        ("ity", "", 4),
        ("ings", "", 3),
        ("ing", "", 3),
        ("ies", "y", 2),
        ("ied", "y", 2),
        ("ed", "", 3),
        ("ers", "", 3),
        ("er", "", 3),
        ("ions", "", 3),
        ("ion", "", 3),
        ("ives", "", 3),
        ("ive", "", 3),
        ("ly", "", 3),
        ("es", "", 3),
        ("s", "", 3),
    ):
        if word.endswith(suffix) and len(word) - len(suffix) >= min_stem:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            base = word[: len(word) - len(suffix)] + replacement
            # "managing" -> "manag", "manage" -> "manag": drop a final e so both meet.
            return base[:-1] if base.endswith("e") and len(base) > 3 else base
    return word[:-1] if word.endswith("e") and len(word) > 4 else word


def words(text: str) -> list[str]:
    """The surface words of a text, lowercased, stop words removed."""
    return [w for w in _WORD.findall(fold(text)) if w not in STOP_WORDS]


def terms(text: str) -> list[str]:
    """Index terms: stemmed words."""
    return [stem(w) for w in words(text)]


def query_words(text: str) -> list[str]:
    """The words of a query that can say what it is about: stop and filler words removed."""
    return [w for w in words(text) if w not in FILLER_WORDS]


_TOKEN = re.compile(r"[^\W_]+(?:[+#]+)?")


def without_words(text: str, stems: frozenset[str] | set[str]) -> str:
    """The text with every word whose stem is in `stems` taken out (punctuation kept)."""
    stripped = _TOKEN.sub(lambda m: "" if stem(fold(m.group())) in stems else m.group(), text)
    return " ".join(stripped.split())
