from __future__ import annotations

import numpy as np
import pytest

from milepost.engines.demand import ThemeItem, group_similar, similarity_matrix

ANGRY_CALLERS = [
    "Claims handlers struggle with angry callers since the new policy wording",
    "Our call handlers need help calming angry customers on the phone",
    "Staff find angry and upset callers hard to handle after the policy change",
]
EXCEL = [
    "Analysts need advanced Excel: pivot tables and lookups",
    "The finance team wants training in Excel pivot tables",
]


def items(texts: list[str], start: int = 1, competencies: frozenset[int] = frozenset()):
    return [ThemeItem(start + i, text, competencies) for i, text in enumerate(texts)]


def test_needs_about_the_same_thing_form_one_group_each():
    groups = group_similar(
        items(ANGRY_CALLERS, 1, frozenset({10})) + items(EXCEL, 10, frozenset({20})),
        threshold=0.4,
    )
    assert groups == [[1, 2, 3], [10, 11]]


def test_an_unrelated_need_stays_alone():
    lonely = ThemeItem(99, "Forklift licence renewal for the warehouse", frozenset({30}))
    groups = group_similar([*items(EXCEL, 10, frozenset({20})), lonely], threshold=0.4)
    assert groups == [[10, 11]]


def test_shared_competencies_pull_differently_worded_needs_together():
    a = ThemeItem(1, "Help with difficult conversations", frozenset({7, 8}))
    b = ThemeItem(2, "Managing upset people on calls", frozenset({7, 8}))
    without = group_similar(
        [ThemeItem(1, a.text), ThemeItem(2, b.text)], threshold=0.5, text_weight=0.5
    )
    assert without == []
    assert group_similar([a, b], threshold=0.5, text_weight=0.5) == [[1, 2]]


def test_average_linkage_does_not_chain_through_one_borderline_pair():
    # a~b and b~c are similar, a and c are not: average linkage keeps c out of {a, b}.
    vectors = {
        1: np.array([1.0, 0.0, 0.0]),
        2: np.array([0.8, 0.6, 0.0]),
        3: np.array([0.0, 1.0, 0.0]),
    }
    groups = group_similar(
        [ThemeItem(i, "", vector=v) for i, v in vectors.items()], threshold=0.75, text_weight=1.0
    )
    assert groups == [[1, 2]]


def test_embeddings_are_used_when_every_item_has_one():
    a = ThemeItem(1, "completely different words", vector=np.array([1.0, 0.0]))
    b = ThemeItem(2, "nothing in common here", vector=np.array([1.0, 0.0]))
    similarity = similarity_matrix([a, b], text_weight=1.0)
    assert similarity[0, 1] == pytest.approx(1.0)


def test_fewer_than_two_items_make_no_group_and_a_bad_threshold_is_refused():
    assert group_similar([]) == []
    assert group_similar(items(EXCEL[:1])) == []
    with pytest.raises(ValueError, match="threshold"):
        group_similar(items(EXCEL), threshold=0)
