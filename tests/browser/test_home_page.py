"""The home page in Chromium: a coordinator's and an employee's to-dos, on a desktop and on a
390 px phone, fit the screen; the inbox links to the email settings."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from milepost.accounts.models import Role
from milepost.testing.factories import (
    EmployeeFactory,
    NeedFactory,
    OrgUnitFactory,
    ReviewCycleFactory,
    ReviewParticipantFactory,
    UserFactory,
)

PASSWORD = "pass-word-123"  # what UserFactory sets
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def log_in(page: Page, base_url: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1366, 390])
def test_to_dos_fit_the_screen_for_a_coordinator_and_an_employee(
    live_server, page: Page, width: int
) -> None:
    today = timezone.localdate()
    unit = OrgUnitFactory.create(name="Motor claims")
    employee_login = UserFactory.create(username="mo", role=Role.EMPLOYEE, first_name="Mo")
    employee = EmployeeFactory.create(unit=unit, user=employee_login)
    UserFactory.create(username="lena", role=Role.COORDINATOR, first_name="Lena")
    cycle = ReviewCycleFactory.create(
        name="Annual review with a rather long name to wrap on a phone",
        opens_on=today - datetime.timedelta(days=20),
        self_assessment_due=today - datetime.timedelta(days=3),
        manager_assessment_due=today + datetime.timedelta(days=10),
        closes_on=today + datetime.timedelta(days=30),
    )
    ReviewParticipantFactory.create(cycle=cycle, employee=employee)
    NeedFactory.create(
        title="Calming bereaved customers on difficult calls after a claim is declined",
        unit=unit,
        requester=employee_login,
    )
    page.set_viewport_size({"width": width, "height": 844})
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for username, first_section in (
        ("lena", "New needs awaiting a first response"),
        ("mo", "Your review"),
    ):
        log_in(page, live_server.url, username)
        expect(page.get_by_role("heading", name=first_section)).to_be_visible()
        page.screenshot(path=str(SCREENSHOTS / f"home-{username}-{width}.png"), full_page=True)
        # The to-dos fit the screen (the menu is the base layout's business).
        right = page.evaluate(
            "Math.max(...[...document.querySelectorAll('.todo, .glance')]"
            ".map(box => box.getBoundingClientRect().right))"
        )
        assert right <= width, (username, right)
    expect(page.get_by_text("Your self-assessment was due")).to_be_visible()
    page.goto(f"{live_server.url}/accounts/notifications/")
    page.get_by_role("link", name="notification settings").click()
    expect(page.get_by_label("Also send each notification to my email address")).to_be_checked()
