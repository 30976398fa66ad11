"""Aggregate-only access (MILEPOST_AGGREGATE_ONLY, docs/privacy.md): the executive, quality leads
and account managers see figures, never an individual's ratings, gaps, reviews or a name beside a
level. Every page and API answer about one person they could reach is tried for each role."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from milepost.accounts.models import Role
from milepost.accounts.services import issue_api_token
from milepost.insights.gaps import forget_cached_gaps
from milepost.people.models import Assessment
from milepost.reviews.services import open_review_cycle
from milepost.testing.factories import (
    CompetencyFactory,
    FrameworkFactory,
    JobProfileFactory,
    RequirementFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

FIGURES_ONLY = [Role.EXECUTIVE, Role.QUALITY_LEAD, Role.ACCOUNT_MANAGER]
NAMES = ("Mo Handler", "Clara Claims", "Ursula Writer")


@pytest.fixture(autouse=True)
def fresh_gaps() -> Any:
    forget_cached_gaps()
    yield
    forget_cached_gaps()


@pytest.fixture
def world(org: Any) -> Any:
    framework = FrameworkFactory.create(code="claims", name="Claims")
    handling = CompetencyFactory.create(framework=framework, name="Claims handling")
    profile = JobProfileFactory.create(code="HANDLER", title="Handler")
    RequirementFactory.create(job_profile=profile, competency=handling, required_level=3)
    for person in (org.claims_manager_employee, org.motor_handler, org.underwriter):
        person.job_profile = profile
        person.save()
    # Mo alone holds the competency: a key-person risk whose sole holder would be named.
    Assessment.objects.create(
        employee=org.motor_handler,
        competency=handling,
        kind=Assessment.Kind.AGREED,
        level=3,
        assessed_on=datetime.date(2026, 1, 10),
        note="Handles the hardest calls calmly",
    )
    cycle = open_review_cycle(
        acting_user=org.coordinator,
        name="2026 annual review",
        units=[org.group],
        opens_on=datetime.date(2026, 3, 2),
        self_assessment_due=datetime.date(2026, 3, 16),
        manager_assessment_due=datetime.date(2026, 3, 30),
        closes_on=datetime.date(2026, 4, 24),
    )
    org.review = cycle.participants.get(employee=org.motor_handler)
    org.profile = profile
    org.users = {
        Role.EXECUTIVE: org.executive,
        Role.QUALITY_LEAD: UserFactory.create(username="quality", role=Role.QUALITY_LEAD),
        Role.ACCOUNT_MANAGER: UserFactory.create(username="accounts", role=Role.ACCOUNT_MANAGER),
    }
    return org


def individual_pages(org: Any) -> list[str]:
    mo, clara = org.motor_handler.pk, org.claims_manager_employee.pk
    return [
        reverse("people:employee-detail", args=[mo]),
        reverse("people:employee-history", args=[mo]),
        reverse("insights:person-gaps", args=[mo]),
        reverse("insights:person-gaps", args=[mo]) + "?export=csv",
        reverse("insights:person-recommendations", args=[mo]),
        reverse("insights:team-gaps", args=[clara]),
        reverse("insights:team-recommendations", args=[clara]),
        reverse("reviews:review", args=[org.review.pk]),
    ]


def individual_api(org: Any) -> list[str]:
    mo, clara = org.motor_handler.pk, org.claims_manager_employee.pk
    return [
        f"/api/v1/employees/{mo}",
        f"/api/v1/employees/{mo}/assessments",
        f"/api/v1/employees/{mo}/gaps",
        f"/api/v1/employees/{mo}/recommendations",
        f"/api/v1/employees/{mo}/objectives",
        f"/api/v1/employees/{mo}/development-plan",
        f"/api/v1/employees/{clara}/team-recommendations",
    ]


def figure_pages(org: Any) -> list[str]:
    return [
        reverse("insights:gap-overview"),
        reverse("insights:unit-gaps", args=[org.group.pk]),
        reverse("insights:unit-gaps", args=[org.claims.pk]),
        reverse("insights:unit-recommendations", args=[org.group.pk]),
        reverse("insights:profile-list"),
        reverse("insights:profile-bench", args=[org.profile.pk]),
        reverse("people:employee-list"),
        reverse("people:unit-detail", args=[org.claims.pk]),
        reverse("needs:board"),
        reverse("home"),
    ]


@pytest.mark.parametrize("role", FIGURES_ONLY)
def test_figures_only_roles_reach_no_individual(world: Any, role: Role, settings: Any) -> None:
    settings.MILEPOST_AGGREGATE_ONLY = True
    client = Client()
    client.force_login(world.users[role])
    for url in individual_pages(world):
        assert client.get(url).status_code == 404, url
    token = issue_api_token(acting_user=world.users[role], name="t")[1]
    api = Client(headers={"Authorization": f"Bearer {token}"})
    for path in individual_api(world):
        assert api.get(path).status_code == 404, path
    people = api.get("/api/v1/employees").json()["items"]
    assert people == []
    bench = api.get(f"/api/v1/job-profiles/{world.profile.pk}/bench").json()
    assert (bench["named"], bench["ready_count"], bench["ready"]) == (False, 1, [])


@pytest.mark.parametrize("role", FIGURES_ONLY)
def test_figures_only_roles_see_figures_without_names(world: Any, role: Role, settings: Any):
    settings.MILEPOST_AGGREGATE_ONLY = True
    client = Client()
    client.force_login(world.users[role])
    for url in figure_pages(world):
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert not [name for name in NAMES if name in text], url
        assert "Handles the hardest calls" not in text
    unit = client.get(reverse("insights:unit-gaps", args=[world.claims.pk]))
    assert "one person you may not see by name" in unit.content.decode()  # Mo, unnamed
    bench = client.get(reverse("insights:profile-bench", args=[world.profile.pk]))
    assert "Ready (1)" in bench.content.decode()


def test_without_the_setting_the_same_roles_see_individuals(world: Any, settings: Any) -> None:
    settings.MILEPOST_AGGREGATE_ONLY = False
    client = Client()
    client.force_login(world.executive)
    for url in individual_pages(world):
        assert client.get(url).status_code == 200, url
    assert (
        "Mo Handler"
        in client.get(reverse("insights:unit-gaps", args=[world.claims.pk])).content.decode()
    )


def test_the_setting_leaves_coordinators_and_line_managers_alone(world: Any, settings: Any):
    settings.MILEPOST_AGGREGATE_ONLY = True
    for user in (world.coordinator, world.claims_manager):
        client = Client()
        client.force_login(user)
        assert (
            client.get(reverse("insights:person-gaps", args=[world.motor_handler.pk])).status_code
            == 200
        )
