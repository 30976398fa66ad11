"""Job profile page: its requirements, and a query count that does not grow with them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from milepost.testing.factories import CompetencyFactory, JobProfileFactory, RequirementFactory

pytestmark = pytest.mark.django_db


def url(job_profile):
    return reverse("frameworks:profile-detail", args=[job_profile.pk])


def test_anonymous_user_is_sent_to_login(client):
    response = client.get(url(JobProfileFactory.create()))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_detail_lists_requirements_essential_first(org, tree, login):
    job_profile = JobProfileFactory.create(title="Analyst", alt_titles="Data analyst")
    RequirementFactory.create(
        job_profile=job_profile, competency=tree.coding, essential=False, importance=2
    )
    RequirementFactory.create(
        job_profile=job_profile, competency=tree.spreadsheets, required_level=4, importance=5
    )
    response = login(org.employee_user).get(url(job_profile))
    content = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Analyst</h1>" in content
    assert [r.competency.name for r in response.context["requirements"]] == [
        "Use spreadsheets",
        "Write code",
    ]
    assert "4 of 5" in content and "Critical" in content and "Optional" in content
    assert "Data analyst" in content


def test_edit_link_only_for_editors(org, login):
    job_profile = JobProfileFactory.create()
    edit_url = reverse("frameworks:profile-edit", args=[job_profile.pk]).encode()
    assert edit_url not in login(org.claims_manager).get(url(job_profile)).content
    assert edit_url in login(org.coordinator).get(url(job_profile)).content


def test_profile_without_requirements_shows_an_empty_state(org, login):
    response = login(org.employee_user).get(url(JobProfileFactory.create()))
    assert b"This job profile requires no competencies yet." in response.content


def test_detail_query_count_does_not_grow_with_requirements(org, login, django_assert_num_queries):
    client = login(org.employee_user)
    job_profile = JobProfileFactory.create()
    for _ in range(5):
        RequirementFactory.create(job_profile=job_profile)
    # session, user, profile, requirements with competency, framework and scale
    with django_assert_num_queries(5):
        response = client.get(url(job_profile))
    assert len(response.context["requirements"]) == 5
    for _ in range(45):
        RequirementFactory.create(job_profile=job_profile, competency=CompetencyFactory.create())
    with django_assert_num_queries(5):
        response = client.get(url(job_profile))
    assert len(response.context["requirements"]) == 50


def test_unknown_profile_is_404(org, login):
    response = login(org.employee_user).get(reverse("frameworks:profile-detail", args=[999]))
    assert response.status_code == 404
