import numpy as np
import pytest

from milepost.engines.matching import (
    MatchIndex,
    build_job_profile_index,
    clean_title,
    competency,
    job_profile,
    reciprocal_rank_fusion,
    suggest_job_profiles,
    weighted_fusion,
)
from milepost.engines.matching.tests.corpus import COMPETENCIES, HashingEmbedder


def test_lexical_only_when_no_embedder_is_available():
    index = MatchIndex.build(COMPETENCIES, embedder=None)
    assert index.rankers == ("lexical",)
    best = index.search("forklift", 1)[0]
    assert best.id == "forklift"
    assert best.dense_score == 0.0
    with pytest.raises(ValueError, match="needs an embedder"):
        index.search("forklift", 1, mode="hybrid")


def test_hybrid_reports_both_rankers_and_scores():
    index = MatchIndex.build(COMPETENCIES, embedder=HashingEmbedder())
    assert index.rankers == ("lexical", "dense:test-hashing-64")
    best = index.search("operate a forklift", 2)[0]
    assert best.id == "forklift"
    assert best.lexical_score > 0
    assert best.dense_score > 0
    assert best.score > best.dense_score


def test_add_change_and_remove_update_results_without_a_full_rebuild():
    embedder = HashingEmbedder()
    index = MatchIndex.build(COMPETENCIES, embedder=embedder)
    assert index.search("welding", 1, mode="lexical") == []
    embedder.calls.clear()

    index.upsert([competency("welding", "weld metal parts", ["arc welding"])])
    assert embedder.calls == [1]  # only the new competency's label was embedded
    assert index.search("arc welding", 1)[0].id == "welding"

    index.upsert([competency("welding", "solder electronics", ["soldering"])])
    assert [m.id for m in index.search("arc welding", 5, mode="lexical")] == []
    assert index.search("soldering", 1)[0].id == "welding"

    index.remove(["welding", "budget"])
    assert "welding" not in index and len(index) == 3
    assert all(m.id not in {"welding", "budget"} for m in index.search("solder budgets", 10))


def test_unchanged_documents_are_not_embedded_again():
    embedder = HashingEmbedder()
    index = MatchIndex.build(COMPETENCIES, embedder=embedder)
    calls = list(embedder.calls)
    index.upsert(COMPETENCIES)
    assert embedder.calls == calls


def test_cache_round_trip_reuses_vectors(tmp_path):
    embedder = HashingEmbedder()
    built = MatchIndex.build(COMPETENCIES, embedder=embedder, cache_dir=tmp_path)
    embedder.calls.clear()
    loaded = MatchIndex.load(tmp_path, embedder=embedder)
    assert embedder.calls == []  # nothing re-embedded
    assert loaded.fingerprint() == built.fingerprint()
    query = "angry callers complaints"
    assert loaded.search(query, 4) == built.search(query, 4)

    # A rebuild from the cache after one competency changed embeds only that one.
    embedder.calls.clear()
    changed = [*COMPETENCIES[:-1], competency("budget", "forecast budgets")]
    MatchIndex.build(changed, embedder=embedder, cache_dir=tmp_path)
    assert embedder.calls == [1]


def test_cache_from_another_embedder_is_not_reused(tmp_path):
    MatchIndex.build(COMPETENCIES, embedder=HashingEmbedder(), cache_dir=tmp_path)

    class OtherEmbedder(HashingEmbedder):
        name = "other-model"

    other = OtherEmbedder()
    MatchIndex.load(tmp_path, embedder=other)
    assert sum(other.calls) == len(COMPETENCIES) * 2  # labels and descriptions, all fresh


def test_weighted_fusion_lets_strong_lexical_evidence_overtake():
    dense = np.array([0.50, 0.45, 0.10], dtype=np.float32)
    lexical = np.array([0.0, 8.0, 4.0], dtype=np.float32)
    fused = weighted_fusion(lexical, dense, lexical_weight=0.3)
    assert list(np.argsort(-fused)) == [1, 0, 2]
    assert fused[1] == pytest.approx(0.45 + 0.3)


def test_reciprocal_rank_fusion_rewards_agreement():
    first = np.array([3.0, 2.0, 1.0, 0.0])
    second = np.array([0.0, 2.0, 3.0, 1.0])
    fused = reciprocal_rank_fusion([first, second], k=60)
    # Item 1 is second in both lists; it beats items that are first in one and low in the other.
    assert fused[1] > fused[0] and fused[1] > fused[3]
    assert list(np.argsort(-fused)[:2]) in ([1, 2], [2, 1])


def test_job_titles_find_job_profiles():
    profiles = [
        job_profile("dev", "software developer", ["programmer", "Java developer"]),
        job_profile("claims", "insurance claims handler", ["claims adjuster"]),
        job_profile("driver", "forklift operator", ["forklift driver"]),
    ]
    index = build_job_profile_index(profiles, embedder=HashingEmbedder())
    assert suggest_job_profiles(index, "Senior Java Developer (m/f/d)", 1)[0].id == "dev"
    assert suggest_job_profiles(index, "Claims Handler - part time", 1)[0].id == "claims"
    assert clean_title("Internship Digital Marketer") == "Digital Marketer"
    assert clean_title("Intern") == "Intern"
