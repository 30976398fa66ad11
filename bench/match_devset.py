"""Build the matcher's development set (issue 15): ESCO alternative labels no one tuned on.

A seeded random 20 % of the ESCO skills that have alternative labels are held out: ALL their
alternative labels are removed from the index text (so no sibling label such as a plural or a
reordering stays behind to leak the answer), and one of them per skill becomes a query whose
gold answer is that skill. A query is kept only when its text (case- and space-folded) is not
the skill's own preferred label and not any label of another skill, so each query has exactly
one right answer. Writes ``devset.json`` to the cache dir (not committed) and prints its size.

    .venv/bin/python bench/match_devset.py [--data ../shared/data] [--cache DIR] [--seed 15]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bench_matching import load_skills

from milepost.engines.matching import Document

HOLD_OUT_SHARE = 0.2
DEFAULT_SEED = 15
DEFAULT_CACHE = Path("/tmp/milepost-match-protocol")
FORMAT = 1


@dataclass(frozen=True)
class DevSet:
    """Held-out skills (their alt labels stripped from the index) and the queries built on them."""

    seed: int
    held_out: tuple[str, ...]  # skill URIs whose alternative labels are not in the index text
    queries: tuple[tuple[str, str], ...]  # (query text, gold skill URI)

    def index_documents(self, skills: list[Document]) -> list[Document]:
        """The skills as the evaluated index sees them: held-out alternative labels removed."""
        held_out = set(self.held_out)
        return [
            dataclasses.replace(doc, alt_labels=()) if doc.id in held_out else doc for doc in skills
        ]


def fold(text: str) -> str:
    return " ".join(text.casefold().split())


def stems(text: str) -> set[str]:
    """Crude word stems (first 4 letters of words of 3+ letters): 'managing' meets 'manage'."""
    return {word[:4] for word in re.findall(r"[a-z0-9]+", text.casefold()) if len(word) > 2}


def is_reworded(query: str, label: str) -> bool:
    """True when at most half of the query's words occur in the preferred label (by stem):
    a paraphrase, not an inflection or reordering of the label."""
    words = stems(query)
    return bool(words) and len(words & stems(label)) <= len(words) / 2


def build_devset(skills: list[Document], seed: int = DEFAULT_SEED) -> DevSet:
    """Deterministic for a given ESCO release and seed (skills are sorted by URI first)."""
    rng = random.Random(seed)
    ordered = sorted(skills, key=lambda doc: doc.id)
    with_alts = [doc for doc in ordered if doc.alt_labels]
    held_out = sorted(
        rng.sample(with_alts, round(HOLD_OUT_SHARE * len(with_alts))), key=lambda d: d.id
    )
    # How many skills carry each folded label: a label shared with another skill is ambiguous.
    owners: Counter[str] = Counter()
    for doc in ordered:
        for label in {fold(doc.label), *(fold(alt) for alt in doc.alt_labels)}:
            owners[label] += 1
    queries: list[tuple[str, str]] = []
    for doc in held_out:
        own = fold(doc.label)
        candidates = sorted(
            {alt for alt in doc.alt_labels if fold(alt) != own and owners[fold(alt)] == 1}
        )
        if candidates:
            queries.append((rng.choice(candidates), doc.id))
    return DevSet(seed, tuple(doc.id for doc in held_out), tuple(queries))


def save_devset(devset: DevSet, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "format": FORMAT,
        "seed": devset.seed,
        "held_out": list(devset.held_out),
        "queries": [list(pair) for pair in devset.queries],
    }
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=0))


def load_devset(path: Path) -> DevSet:
    payload = json.loads(path.read_text())
    if payload.get("format") != FORMAT:
        raise ValueError(f"{path}: format {payload.get('format')!r}, expected {FORMAT}; rebuild it")
    return DevSet(
        payload["seed"],
        tuple(payload["held_out"]),
        tuple((text, uri) for text, uri in payload["queries"]),
    )


def devset_arguments(description: str | None) -> argparse.ArgumentParser:
    """--data, --cache and --seed, shared by this script and match_protocol.py."""
    parser = argparse.ArgumentParser(description=description)
    default_data = Path(__file__).resolve().parents[1].parent / "shared" / "data"
    parser.add_argument("--data", type=Path, default=default_data)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = devset_arguments(__doc__).parse_args(argv)

    skills = load_skills(args.data / "esco-1.1.1")
    devset = build_devset(skills, args.seed)
    path = args.cache / "devset.json"
    save_devset(devset, path)
    with_alts = sum(1 for doc in skills if doc.alt_labels)
    stripped = sum(len(doc.alt_labels) for doc in skills if doc.id in set(devset.held_out))
    print(f"skills: {len(skills)} ({with_alts} with alternative labels), seed {args.seed}")
    print(f"held out: {len(devset.held_out)} skills, {stripped} alternative labels stripped")
    print(f"queries: {len(devset.queries)} (one unambiguous alternative label per held-out skill)")
    label_of = {doc.id: doc.label for doc in skills}
    reworded = sum(is_reworded(text, label_of[uri]) for text, uri in devset.queries)
    print(f"  of which reworded (at most half their words in the preferred label): {reworded}")
    crosswalk = sorted(
        p.name for p in (args.data / "onet-29.0").glob("*") if "esco" in p.name.lower()
    )
    print(f"O*NET-ESCO crosswalk in onet-29.0: {', '.join(crosswalk) or 'none (not used)'}")
    print(f"written: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
