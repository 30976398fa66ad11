"""Competency page: breadcrumb, labels, levels with indicators, children, requiring profiles."""

from __future__ import annotations

import pytest
from django.urls import reverse

from milepost.testing.factories import CompetencyLevelFactory, RequirementFactory

pytestmark = pytest.mark.django_db


def test_anonymous_user_is_sent_to_login(client, tree):
    response = client.get(reverse("frameworks:competency-detail", args=[tree.spreadsheets.pk]))
    assert response.status_code == 302


def test_detail_shows_breadcrumb_labels_levels_children_and_profiles(org, tree, login):
    CompetencyLevelFactory.create(
        competency=tree.spreadsheets,
        level=2,
        title="Basic",
        indicators="Enters data accurately\n\nSums a column",
    )
    RequirementFactory.create(
        competency=tree.spreadsheets,
        job_profile__title="Claims handler",
        required_level=4,
        importance=5,
        essential=False,
    )
    response = login(org.employee_user).get(
        reverse("frameworks:competency-detail", args=[tree.spreadsheets.pk])
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert [a.name for a in response.context["ancestors"]] == ["Digital skills", "Data handling"]
    assert "<h1>Use spreadsheets</h1>" in content
    assert "<li>Excel skills</li>" in content
    assert "Level 2: Basic" in content
    assert "<li>Enters data accurately</li>" in content and "<li>Sums a column</li>" in content
    assert "Build pivot tables" in content
    assert "Claims handler" in content and "4 of 5" in content
    assert "Critical" in content and "Optional" in content


def test_detail_without_levels_or_profiles_says_so(org, tree, login):
    response = login(org.employee_user).get(
        reverse("frameworks:competency-detail", args=[tree.coding.pk])
    )
    assert b"No level descriptions" in response.content
    assert b"No job profile requires this competency yet." in response.content


def test_detail_query_count_is_fixed(org, tree, login, django_assert_num_queries):
    client = login(org.employee_user)
    url = reverse("frameworks:competency-detail", args=[tree.spreadsheets.pk])
    for level in (1, 2, 3):
        CompetencyLevelFactory.create(competency=tree.spreadsheets, level=level)
    RequirementFactory.create(competency=tree.spreadsheets)
    with django_assert_num_queries(8):
        client.get(url)
    for _ in range(10):
        RequirementFactory.create(competency=tree.spreadsheets)
    with django_assert_num_queries(8):
        client.get(url)


def test_unknown_competency_is_404(org, login):
    response = login(org.employee_user).get(reverse("frameworks:competency-detail", args=[404]))
    assert response.status_code == 404
