"""The requester's own job and unit words count for less; filler words never count."""

from __future__ import annotations

import pytest

from milepost.engines.matching import MatchIndex, competency
from milepost.engines.matching.tests.corpus import HashingEmbedder

BEREAVED = "our motor claims handlers struggle with difficult phone calls from bereaved customers"
# The requester: a claims handler in Motor Claims Manchester.
CONTEXT = "Claims handler. Motor Claims Manchester"

DOCUMENTS = [
    competency(
        "motor",
        "Motor claims handling",
        ["Motor claims handlers"],
        "Handles motor claims for customers from first notification to settlement.",
    ),
    competency(
        "vulnerable",
        "Supporting vulnerable customers",
        ["Bereaved customers"],
        "Recognises bereaved or distressed customers on difficult calls and adapts.",
    ),
    competency(
        "senior",
        "Leadership",
        [],
        "Leads teams including senior stakeholders.",
    ),
]


@pytest.mark.parametrize("embedder", [None, HashingEmbedder()], ids=["lexical", "hybrid"])
def test_job_words_follow_the_problem_given_the_requesters_context(embedder):
    index = MatchIndex.build(DOCUMENTS, embedder=embedder)
    assert index.search(BEREAVED, 2)[0].id == "motor"  # without context the job words win
    ranked = [match.id for match in index.search(BEREAVED, 2, context=CONTEXT)]
    assert ranked == ["vulnerable", "motor"]


def test_context_words_still_count_a_little():
    index = MatchIndex.build(DOCUMENTS, embedder=None)
    full = {m.id: m.lexical_score for m in index.search(BEREAVED, 3)}
    light = {m.id: m.lexical_score for m in index.search(BEREAVED, 3, context=CONTEXT)}
    assert 0 < light["motor"] < full["motor"]
    assert light["vulnerable"] == pytest.approx(full["vulnerable"], rel=0.35)


@pytest.mark.parametrize("embedder", [None, HashingEmbedder()], ids=["lexical", "hybrid"])
def test_filler_words_never_match(embedder):
    index = MatchIndex.build(DOCUMENTS, embedder=embedder)
    matches = index.search("senior team members including leadership skills", 3)
    assert matches[0].id == "senior"
    for match in matches:
        assert "senior" not in match.matched_terms
        assert "including" not in match.matched_terms
    assert "leadership" in matches[0].matched_terms
