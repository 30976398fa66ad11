"""Benchmark the matching engine on the full ESCO skill set and the validation sets.

Sentence -> skills on TECH and HOUSE (RP@5, RP@10, MRR), title -> occupation on the JobBERT
validation titles (Acc@1, MRR), each for lexical only, dense only and hybrid; query latency and
index build times. Prints a table and exits 0.

    .venv/bin/python bench/bench_matching.py [--data ../shared/data] [--titles N] [--cache DIR]
"""

from __future__ import annotations

import argparse
import csv
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from milepost.engines.matching import (
    Document,
    MatchIndex,
    build_job_profile_index,
    clean_title,
    competency,
    default_embedder,
    job_profile,
)

NO_GOLD = {"LABEL NOT PRESENT", "UNDERSPECIFIED"}
MODES = ("lexical", "dense", "hybrid")


def lines(value: str) -> list[str]:
    return [part.strip() for part in value.split("\n") if part.strip()]


def load_skills(esco: Path) -> list[Document]:
    """ESCO skills, with the skill's broader group label from the skill pillar."""
    with (esco / "skills_en.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    group_labels: dict[str, str] = {}
    with (esco / "skillGroups_en.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            group_labels[row["conceptUri"]] = row["preferredLabel"]
    broader: dict[str, str] = {}
    with (esco / "broaderRelationsSkillPillar.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["broaderUri"] in group_labels:
                broader.setdefault(row["conceptUri"], group_labels[row["broaderUri"]])
    return [
        competency(
            row["conceptUri"],
            row["preferredLabel"],
            lines(row["altLabels"]),
            row["description"],
            broader.get(row["conceptUri"], ""),
        )
        for row in rows
    ]


def load_occupations(esco: Path) -> list[Document]:
    with (esco / "occupations_en.csv").open(newline="", encoding="utf-8") as handle:
        return [
            job_profile(
                row["conceptUri"],
                row["preferredLabel"],
                lines(row["altLabels"]),
                row["description"],
            )
            for row in csv.DictReader(handle)
        ]


def load_sentences(path: Path, uri_of_label: dict[str, str]) -> list[tuple[str, set[str]]]:
    """(sentence, gold skill URIs) for sentences with at least one gold label."""
    gold: dict[str, set[str]] = defaultdict(set)
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            gold.setdefault(row["sentence"], set())
            if row["label"] not in NO_GOLD:
                gold[row["sentence"]].add(uri_of_label[row["label"]])
    return [(sentence, uris) for sentence, uris in gold.items() if uris]


def load_titles(path: Path, limit: int | None) -> list[tuple[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        pairs = [(row["vacancyTitle"], row["conceptUri"]) for row in csv.DictReader(handle)]
    if limit and limit < len(pairs):
        step = len(pairs) / limit  # fixed, deterministic sample: every n-th title
        pairs = [pairs[int(i * step)] for i in range(limit)]
    return pairs


def sentence_metrics(
    search: Callable[[str], list[str]], cases: list[tuple[str, set[str]]]
) -> dict[str, float]:
    rp5, rp10, rr = [], [], []
    for sentence, gold in cases:
        ranked = search(sentence)
        rp5.append(sum(r in gold for r in ranked[:5]) / min(5, len(gold)))
        rp10.append(sum(r in gold for r in ranked[:10]) / min(10, len(gold)))
        rr.append(next((1 / (i + 1) for i, r in enumerate(ranked) if r in gold), 0.0))
    return {"RP@5": mean(rp5), "RP@10": mean(rp10), "MRR": mean(rr)}


def title_metrics(
    search: Callable[[str], list[str]], cases: list[tuple[str, str]]
) -> dict[str, float]:
    acc, rr = [], []
    for title, uri in cases:
        ranked = search(title)
        acc.append(float(bool(ranked) and ranked[0] == uri))
        rr.append(next((1 / (i + 1) for i, r in enumerate(ranked) if r == uri), 0.0))
    return {"Acc@1": mean(acc), "MRR": mean(rr)}


def mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    default_data = Path(__file__).resolve().parents[1].parent / "shared" / "data"
    parser.add_argument("--data", type=Path, default=default_data)
    parser.add_argument(
        "--titles", type=int, default=3000, help="every n-th title up to this many (0 = all)"
    )
    parser.add_argument("--cache", type=Path, default=None, help="keep the index cache here")
    args = parser.parse_args(argv)
    esco, bench = args.data / "esco-1.1.1", args.data / "bench"

    skills = load_skills(esco)
    uri_of_label = {doc.label: doc.id for doc in skills}
    sets = {
        name: load_sentences(bench / f"{name.lower()}_validation_annotations.csv", uri_of_label)
        for name in ("TECH", "HOUSE")
    }
    titles = load_titles(bench / "jobbert_titles_validation.csv", args.titles or None)
    embedder = default_embedder()
    modes = MODES if embedder else ("lexical",)
    print(f"skills: {len(skills)}  rankers: {'lexical+dense' if embedder else 'lexical only'}")
    print(f"titles: {len(titles)} (deterministic sample: every n-th validation title)")

    cache = args.cache or Path(tempfile.mkdtemp(prefix="milepost-bench-"))
    scratch = cache / "skills"
    if args.cache is None or not (scratch / "manifest.json").exists():
        shutil.rmtree(scratch, ignore_errors=True)
    started = time.perf_counter()
    index = MatchIndex.build(skills, embedder=embedder, cache_dir=scratch)
    index.search("warm-up query", 1)
    build_seconds = time.perf_counter() - started
    started = time.perf_counter()
    index = MatchIndex.load(scratch, embedder=embedder)
    index.search("warm-up query", 1)
    cache_seconds = time.perf_counter() - started

    rows: list[tuple[str, str, dict[str, float]]] = []
    latencies: dict[str, list[float]] = {mode: [] for mode in modes}
    for name, cases in sets.items():
        for mode in modes:

            def search(text: str, mode: str = mode) -> list[str]:
                started = time.perf_counter()
                found = index.search(text, 10, mode=mode)  # type: ignore[arg-type]
                latencies[mode].append(time.perf_counter() - started)
                return [m.id for m in found]

            rows.append((name, mode, sentence_metrics(search, cases)))

    occupations = load_occupations(esco)
    started = time.perf_counter()
    occupation_index = build_job_profile_index(
        occupations, embedder=embedder, cache_dir=cache / "occupations"
    )
    occupation_seconds = time.perf_counter() - started
    for mode in modes:

        def search_titles(text: str, mode: str = mode) -> list[str]:
            found = occupation_index.search(clean_title(text), 10, mode=mode)  # type: ignore[arg-type]
            return [m.id for m in found]

        rows.append(("JOBBERT", mode, title_metrics(search_titles, titles)))

    print()
    print(f"{'set':<8} {'ranker':<8} {'RP@5':>6} {'RP@10':>6} {'MRR':>6} {'Acc@1':>6}  n")
    for name, mode, metrics in rows:
        n = len(titles) if name == "JOBBERT" else len(sets[name])
        cells = [metrics.get(key) for key in ("RP@5", "RP@10", "MRR", "Acc@1")]
        text = " ".join(f"{c:6.3f}" if c is not None else f"{'-':>6}" for c in cells)
        print(f"{name:<8} {mode:<8} {text}  {n}")
    print()
    print(f"{'ranker':<8} {'p50 ms':>7} {'p95 ms':>7}  (sentence queries, k=10, full ESCO)")
    for mode, values in latencies.items():
        p50, p95 = percentile(values, 0.5) * 1000, percentile(values, 0.95) * 1000
        print(f"{mode:<8} {p50:7.1f} {p95:7.1f}")
    print()
    print(f"build from scratch: {build_seconds:6.1f} s  ({len(skills)} skills)")
    print(f"build from cache:   {cache_seconds:6.1f} s")
    print(f"occupation index:   {occupation_seconds:6.1f} s  ({len(occupations)} occupations)")
    print(f"mean sentence query: {statistics.mean(latencies[modes[-1]]) * 1000:.1f} ms")
    if args.cache is None:
        shutil.rmtree(cache, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
