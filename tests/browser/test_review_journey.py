"""The review journey: the coordinator opens a cycle, the employee self-assesses, the manager
assesses and agrees the levels, and the unit's gap heatmap changes."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from milepost.accounts.models import Role
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
    page.context.clear_cookies()
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def rate(page: Page, heading: str, levels: dict[str, str], button: str) -> None:
    sheet = page.locator("section.rating-sheet").filter(
        has=page.get_by_role("heading", name=heading)
    )
    for competency, level in levels.items():
        sheet.get_by_label(f"{competency}: level (1-5)").select_option(level)
    sheet.get_by_role("button", name=button).click()


def heatmap_cells(page: Page, base_url: str, unit_id: int) -> list[str]:
    page.goto(f"{base_url}/insights/gaps/units/{unit_id}/")
    first_row = page.locator("table.heatmap tbody tr").first
    return [text.strip() for text in first_row.locator("td").all_inner_texts()]


@pytest.mark.django_db(transaction=True)
def test_self_assessment_manager_assessment_and_agreement_change_the_heatmap(
    live_server, page: Page
) -> None:
    framework = FrameworkFactory(code="claims", name="Claims skills")
    negotiation = CompetencyFactory(framework=framework, name="Negotiation")
    fraud = CompetencyFactory(framework=framework, name="Fraud awareness")
    profile = JobProfileFactory(code="handler", title="Claims handler")
    RequirementFactory(job_profile=profile, competency=negotiation, required_level=3)
    RequirementFactory(job_profile=profile, competency=fraud, required_level=2)
    claims = OrgUnitFactory(code="CLM", name="Claims")
    motor = OrgUnitFactory(code="MOT", name="Motor claims", parent=claims)
    manager = UserFactory(username="manager", role=Role.LINE_MANAGER, first_name="Lena")
    boss = EmployeeFactory(unit=claims, user=manager, first_name="Lena", last_name="Lead")
    handler = UserFactory(username="handler", role=Role.EMPLOYEE, first_name="Mo")
    EmployeeFactory(
        unit=motor,
        user=handler,
        manager=boss,
        job_profile=profile,
        first_name="Mo",
        last_name="Hand",
    )
    UserFactory(username="coordinator", role=Role.COORDINATOR)
    base = live_server.url

    # The coordinator opens a cycle for Claims and the team below it.
    log_in(page, base, "coordinator")
    page.goto(f"{base}/people/reviews/")
    page.get_by_role("button", name="Open a review cycle").click()
    page.get_by_label("Name").fill("Claims year-end review")
    page.get_by_label("Opens on").fill("2026-11-02")
    page.get_by_label("Self-assessments due").fill("2026-12-10")
    page.get_by_label("Manager assessments due").fill("2026-12-20")
    page.get_by_label("Closes on").fill("2026-12-31")
    page.get_by_label("Units (each with the units below it)").select_option(str(claims.pk))
    page.get_by_role("button", name="Open the cycle").click()
    expect(page.get_by_text("Claims year-end review is open for 1 person.")).to_be_visible()
    expect(page.get_by_role("cell", name="Waiting for self-assessment")).to_be_visible()

    # Before: nothing agreed, so the heatmap says nobody is assessed (missing data is not
    # read as a gap).
    log_in(page, base, "manager")
    assert heatmap_cells(page, base, claims.pk) == ["?\nnobody assessed"] * 2

    # The employee self-assesses from their reviews page.
    log_in(page, base, "handler")
    page.goto(f"{base}/people/reviews/")
    own = page.locator("section", has=page.get_by_role("heading", name="Your reviews"))
    own.get_by_role("link", name="Claims year-end review").click()
    sheet = page.locator("section.rating-sheet")
    sheet.get_by_label("Negotiation: comment").fill("Settled the Hollis claim without a lawyer")
    rate(
        page,
        "Your self-assessment",
        {"Negotiation": "4", "Fraud awareness": "2"},
        "Submit self-assessment",
    )
    expect(page.get_by_text("Self-assessment for Mo Hand saved.")).to_be_visible()
    expect(page.get_by_text("Waiting for the manager")).to_be_visible()

    # The manager finds the review waiting for them, rates, then agrees.
    log_in(page, base, "manager")
    page.goto(f"{base}/people/reviews/")
    waiting = page.locator("section", has=page.get_by_role("heading", name="Waiting for you"))
    waiting.get_by_role("link", name="Mo Hand").click()
    expect(page.get_by_text("“Settled the Hollis claim without a lawyer”")).to_be_visible()
    rate(
        page,
        "Manager's assessment",
        {"Negotiation": "3", "Fraud awareness": "2"},
        "Submit manager's assessment",
    )
    expect(page.get_by_text("Waiting for agreement")).to_be_visible()
    agree = page.locator("section.rating-sheet").filter(
        has=page.get_by_role("heading", name="Agree the levels")
    )
    expect(agree.get_by_label("Negotiation: level (1-5)")).to_have_value("3")
    rate(
        page, "Agree the levels", {"Negotiation": "3", "Fraud awareness": "2"}, "Save agreed levels"
    )
    expect(page.get_by_text("Agreed levels for Mo Hand saved.")).to_be_visible()

    # After: both requirements are met, and the heatmap says so.
    assert heatmap_cells(page, base, claims.pk) == ["0/1", "0/1"]
