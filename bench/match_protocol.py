"""An evaluation protocol for the matcher that estimates unseen performance (issue 15).

(a) The development set from ``match_devset.py`` (held-out ESCO alternative labels, stripped
    from the index text): RP@5, RP@10 and MRR of the engine, hybrid mode, k = 10, with a
    bootstrap 95 % interval over queries; also for the reworded queries alone, and (to show what
    leakage would buy) for the same queries on the full index.
(b) 5-fold cross-validation over the TECH + HOUSE validation sentences pooled (folds stratified
    by source). Every fold chooses among candidate configurations on its four training folds
    and is scored on the fifth; with one candidate (today: the current engine, nothing tuned)
    that is a plain per-fold report. Mean and spread across folds are printed.

Only the engine's public API is used (``MatchIndex.build`` / ``search``). Vectors are cached in
the cache dir and reused by text hash, so only the first run embeds (about 2-3 min).

    .venv/bin/python bench/match_protocol.py [--data ../shared/data] [--cache DIR] [--limit N]
"""

from __future__ import annotations

import random
import shutil
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from bench_matching import load_sentences, load_skills, percentile
from match_devset import (
    DEFAULT_SEED,
    build_devset,
    devset_arguments,
    is_reworded,
    load_devset,
    save_devset,
)

from milepost.engines.matching import (
    Document,
    Embedder,
    MatchIndex,
    MatchParams,
    default_embedder,
)

K = 10
FOLDS = 5
BOOTSTRAP_SAMPLES = 2000
METRICS = ("RP@5", "RP@10", "MRR")
Case = tuple[str, frozenset[str]]  # (query text, gold skill URIs)


@dataclass(frozen=True)
class Candidate:
    """One configuration a tuning step may choose; today only the engine's defaults."""

    name: str
    params: MatchParams = field(default_factory=MatchParams)


CURRENT = Candidate("current engine (MatchParams() defaults)")


@dataclass
class Scores:
    """Per-query RP@5, RP@10 and reciprocal rank, so folds and bootstraps reuse them."""

    per_query: dict[str, list[float]] = field(default_factory=lambda: {m: [] for m in METRICS})

    def add(self, ranked: list[str], gold: frozenset[str]) -> None:
        self.per_query["RP@5"].append(sum(r in gold for r in ranked[:5]) / min(5, len(gold)))
        self.per_query["RP@10"].append(sum(r in gold for r in ranked[:10]) / min(10, len(gold)))
        rank = next((i + 1 for i, r in enumerate(ranked) if r in gold), None)
        self.per_query["MRR"].append(1 / rank if rank else 0.0)

    def __len__(self) -> int:
        return len(self.per_query["MRR"])

    def mean(self, metric: str) -> float:
        values = self.per_query[metric]
        return sum(values) / len(values) if values else 0.0

    def interval(self, metric: str, seed: int = DEFAULT_SEED) -> tuple[float, float]:
        """Percentile bootstrap 95 % interval of the mean, resampling queries."""
        values = np.asarray(self.per_query[metric], dtype=np.float64)
        rng = np.random.default_rng(seed)
        picks = rng.integers(0, len(values), size=(BOOTSTRAP_SAMPLES, len(values)))
        means = values[picks].mean(axis=1)
        low, high = np.percentile(means, [2.5, 97.5])
        return float(low), float(high)


def score(search: Callable[[str], list[str]], cases: Sequence[Case]) -> Scores:
    scores = Scores()
    for text, gold in cases:
        scores.add(search(text), gold)
    return scores


# ----- indexes -------------------------------------------------------------------------------


class Indexes:
    """Builds each (documents, params) index once; every build reuses the shared vector cache."""

    def __init__(self, cache: Path, embedder: Embedder | None) -> None:
        self.cache = cache
        self.embedder = embedder
        self.build_seconds: dict[str, float] = {}

    def build(self, name: str, documents: list[Document], params: MatchParams) -> MatchIndex:
        directory = self.cache / name
        shared = self.cache / "skills-full"
        # Vectors are keyed by the hash of their text, so seeding from the full index's cache
        # means only texts that differ (none, when only alternative labels are stripped) embed.
        if not (directory / "manifest.json").exists() and (shared / "manifest.json").exists():
            directory.mkdir(parents=True, exist_ok=True)
            for part in ("manifest.json", "vectors.npy"):
                shutil.copyfile(shared / part, directory / part)
        started = time.perf_counter()
        index = MatchIndex.build(
            documents, embedder=self.embedder, params=params, cache_dir=directory
        )
        index.search("warm-up query", 1)
        self.build_seconds[name] = time.perf_counter() - started
        return index


def searcher(index: MatchIndex, latencies: list[float] | None = None) -> Callable[[str], list[str]]:
    mode = "hybrid" if index.embedder else "lexical"
    memo: dict[str, list[str]] = {}

    def search(text: str) -> list[str]:
        if text not in memo:
            started = time.perf_counter()
            memo[text] = [m.id for m in index.search(text, K, mode=mode)]
            if latencies is not None:
                latencies.append(time.perf_counter() - started)
        return memo[text]

    return search


# ----- cross-validation ----------------------------------------------------------------------


def make_folds(sets: dict[str, list[Case]], folds: int, seed: int) -> list[list[Case]]:
    """Each source shuffled (seeded) and dealt round-robin, so every fold mixes TECH and HOUSE."""
    rng = random.Random(seed)
    dealt: list[list[Case]] = [[] for _ in range(folds)]
    position = 0
    for name in sorted(sets):
        cases = list(sets[name])
        rng.shuffle(cases)
        for case in cases:
            dealt[position % folds].append(case)
            position += 1
    return dealt


@dataclass(frozen=True)
class FoldResult:
    fold: int
    chosen: str
    train_rp5: float | None  # None when there was nothing to choose
    held_out: Scores


def cross_validate(
    folds: list[list[Case]],
    candidates: Sequence[Candidate],
    search_for: Callable[[Candidate], Callable[[str], list[str]]],
) -> list[FoldResult]:
    """Choose on the training folds (by RP@5), score on the held-out fold; never the reverse."""
    results = []
    for number, held_out in enumerate(folds, start=1):
        training = [case for other in folds if other is not held_out for case in other]
        chosen, train_rp5 = candidates[0], None
        if len(candidates) > 1:
            train = {c.name: score(search_for(c), training).mean("RP@5") for c in candidates}
            chosen = max(candidates, key=lambda c: train[c.name])
            train_rp5 = train[chosen.name]
        results.append(
            FoldResult(number, chosen.name, train_rp5, score(search_for(chosen), held_out))
        )
    return results


# ----- report --------------------------------------------------------------------------------


def metric_table(title: str, scores: Scores) -> None:
    print(f"{title}  (n = {len(scores)}, bootstrap 95 % interval over queries)")
    print(f"  {'metric':<6} {'value':>6}  {'95 % interval':>15}")
    for metric in METRICS:
        low, high = scores.interval(metric)
        print(f"  {metric:<6} {scores.mean(metric):6.3f}  [{low:5.3f}, {high:5.3f}]")


def fold_table(results: list[FoldResult]) -> None:
    print(f"  {'fold':<5} {'n':>4} {'RP@5':>6} {'RP@10':>6} {'MRR':>6}  chosen (train RP@5)")
    for r in results:
        cells = " ".join(f"{r.held_out.mean(m):6.3f}" for m in METRICS)
        train = f" ({r.train_rp5:.3f})" if r.train_rp5 is not None else ""
        print(f"  {r.fold:<5} {len(r.held_out):>4} {cells}  {r.chosen}{train}")
    summaries: tuple[tuple[str, Callable[[list[float]], float]], ...] = (
        ("mean", statistics.mean),
        ("sd", statistics.stdev),
        ("min", min),
        ("max", max),
    )
    for label, summary in summaries:
        cells = " ".join(f"{summary([r.held_out.mean(m) for r in results]):6.3f}" for m in METRICS)
        print(f"  {label:<5} {'':>4} {cells}")


def main(argv: list[str] | None = None) -> int:
    parser = devset_arguments(__doc__)
    parser.add_argument("--limit", type=int, default=0, help="dev-set queries to run (0 = all)")
    args = parser.parse_args(argv)
    esco, bench = args.data / "esco-1.1.1", args.data / "bench"

    skills = load_skills(esco)
    devset_path = args.cache / "devset.json"
    devset = load_devset(devset_path) if devset_path.exists() else None
    if devset is None or devset.seed != args.seed:
        devset = build_devset(skills, args.seed)
        save_devset(devset, devset_path)
    queries = list(devset.queries)
    if args.limit and args.limit < len(queries):
        queries = random.Random(args.seed).sample(queries, args.limit)

    embedder = default_embedder()
    indexes = Indexes(args.cache, embedder)
    print(f"skills: {len(skills)}  rankers: {'lexical+dense' if embedder else 'lexical only'}")

    # (b) first, on the full index; its build also fills the vector cache the dev set reuses.
    uri_of_label = {doc.label: doc.id for doc in skills}
    sets = {
        name: [
            (text, frozenset(gold))
            for text, gold in load_sentences(
                bench / f"{name.lower()}_validation_annotations.csv", uri_of_label
            )
        ]
        for name in ("TECH", "HOUSE")
    }
    candidates = [CURRENT]
    searchers: dict[str, Callable[[str], list[str]]] = {}
    validation_latencies: list[float] = []

    def search_for(candidate: Candidate) -> Callable[[str], list[str]]:
        if candidate.name not in searchers:
            name = "skills-full" if candidate is CURRENT else f"skills-{len(searchers)}"
            index = indexes.build(name, skills, candidate.params)
            searchers[candidate.name] = searcher(index, validation_latencies)
        return searchers[candidate.name]

    folds = make_folds(sets, FOLDS, args.seed)
    results = cross_validate(folds, candidates, search_for)

    # (a) the dev set, on an index without the held-out skills' alternative labels.
    dev_index = indexes.build("skills-devset", devset.index_documents(skills), CURRENT.params)
    dev_latencies: list[float] = []
    dev_search = searcher(dev_index, dev_latencies)
    dev_scores = score(dev_search, [(text, frozenset({uri})) for text, uri in queries])
    label_of = {doc.id: doc.label for doc in skills}
    reworded = [(t, frozenset({u})) for t, u in queries if is_reworded(t, label_of[u])]
    reworded_scores = score(dev_search, reworded)  # memoised: no second query
    # The same queries against the full index, whose text still holds them: what leakage buys.
    validation_only = list(validation_latencies)
    leaked = score(search_for(CURRENT), [(text, frozenset({uri})) for text, uri in queries])

    print()
    stripped = len(devset.held_out)
    print(
        f"(a) dev set: {len(queries)} of {len(devset.queries)} queries, seed {devset.seed}, "
        f"{stripped} held-out skills' alternative labels stripped from the index"
    )
    metric_table("    all queries, hybrid, k = 10", dev_scores)
    metric_table(
        "    reworded queries only (at most half their words in the label)", reworded_scores
    )
    metric_table("    for comparison, the same queries on the full index (leaked)", leaked)
    print()
    pooled = sum(len(f) for f in folds)
    print(
        f"(b) {FOLDS}-fold cross-validation, TECH + HOUSE pooled ({pooled} sentences),"
        f" seed {args.seed}"
    )
    print(f"    candidates: {', '.join(c.name for c in candidates)}")
    fold_table(results)
    print()
    search = search_for(CURRENT)
    for name, cases in (*sets.items(), ("pooled", [c for f in folds for c in f])):
        metric_table(f"    {name}, current engine, no folds", score(search, cases))
    print()
    for label, values in (("dev set", dev_latencies), ("validation", validation_only)):
        print(
            f"query latency ({label}, hybrid, k = 10): p50 {percentile(values, 0.5) * 1000:.1f} ms,"
            f" p95 {percentile(values, 0.95) * 1000:.1f} ms"
        )
    for name, seconds in indexes.build_seconds.items():
        print(f"index {name}: {seconds:.1f} s (vectors from cache where present)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
