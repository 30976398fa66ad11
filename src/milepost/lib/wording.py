"""Counts in words: "1 need", "2 needs", "2,000 people"."""

from __future__ import annotations


def counted(count: int, singular: str, plural: str = "") -> str:
    """`count` with a thousands separator and the noun that agrees with it."""
    noun = singular if count == 1 else (plural or f"{singular}s")
    return f"{count:,} {noun}"
