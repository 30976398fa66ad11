"""The gap journey: a line manager opens their team's gaps, follows the heatmap down to a person
and their evidence, then raises the largest gap as a need from the demand board."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from milepost.accounts.models import Role
from milepost.people.models import Assessment
from milepost.testing.factories import (
    CompetencyFactory,
    EmployeeFactory,
    FrameworkFactory,
    JobProfileFactory,
    OrgUnitFactory,
    RequirementFactory,
    UserFactory,
)

PASSWORD = "pass-word-123"  # what UserFactory sets


def log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


@pytest.mark.django_db(transaction=True)
def test_manager_follows_gaps_to_a_person_and_raises_a_need(live_server, page: Page) -> None:
    framework = FrameworkFactory(code="claims", name="Claims")
    handling = CompetencyFactory(framework=framework, name="Claims handling")
    negotiation = CompetencyFactory(framework=framework, name="Negotiation")
    profile = JobProfileFactory(code="HANDLER", title="Claims handler")
    RequirementFactory(job_profile=profile, competency=handling, required_level=3, importance=5)
    RequirementFactory(job_profile=profile, competency=negotiation, required_level=2, importance=2)
    claims = OrgUnitFactory(code="CLM", name="Claims")
    motor = OrgUnitFactory(code="MOT", name="Motor claims", parent=claims)
    manager = UserFactory(username="manager", role=Role.LINE_MANAGER)
    boss = EmployeeFactory(unit=claims, user=manager, first_name="Lena", last_name="Lead")
    handler = EmployeeFactory(
        unit=motor, manager=boss, job_profile=profile, first_name="Mo", last_name="Handler"
    )
    ann = EmployeeFactory(
        unit=motor, manager=boss, job_profile=profile, first_name="Ann", last_name="Other"
    )
    # Mo holds claims handling; Ann is agreed below it (people never assessed are left out of
    # gap figures by default, so her gap needs a rating).
    for person, level in ((handler, 3), (ann, 1)):
        Assessment.objects.create(
            employee=person,
            competency=handling,
            kind=Assessment.Kind.AGREED,
            level=level,
            assessed_on=datetime.date(2026, 1, 10),
        )

    log_in(page, live_server.url, "manager")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Gaps").click()
    expect(page.get_by_role("heading", level=2, name="Claims")).to_be_visible()
    page.get_by_role("link", name="Your direct reports").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Team of Lena Lead")
    expect(page.get_by_role("table", name="Gaps of each direct report")).to_contain_text(
        "Ann Other"
    )

    page.get_by_role("link", name="Gap analysis").click()
    page.get_by_role("link", name="Heatmap and key-person risks").click()
    heatmap = page.locator("table.heatmap")
    expect(heatmap).to_contain_text("Claims handling")
    expect(heatmap.locator("tbody tr").first).to_contain_text("1/2")  # Ann below, Mo holds it
    risks = page.get_by_role("table", name=re.compile("Key-person risks in Claims"))
    risks.get_by_role("link", name="Mo Handler").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gaps of Mo Handler")
    page.get_by_role("link", name="Evidence: every assessment").click()
    expect(page).to_have_url(f"{live_server.url}/people/employees/{handler.pk}/history/")

    page.goto(f"{live_server.url}/needs/board/")
    suggestions = page.get_by_role("region", name="Suggested from skill gaps")
    expect(suggestions).to_contain_text("Claims handling")
    suggestions.get_by_role("link", name="Raise as a need").first.click()
    expect(page.get_by_label("Title")).to_have_value("Skill gap: Claims handling")
    expect(page.get_by_label("Unit with the need")).to_have_value(str(claims.pk))
