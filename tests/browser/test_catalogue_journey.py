"""The offer journey: a coordinator builds a training track, opens an employee's gaps, gets the
least-cost training that closes them (with and without a budget) and downloads the booklet."""

from __future__ import annotations

import datetime
import re
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from milepost.accounts.models import Role
from milepost.catalogue.models import Course, LearningOutcome, Modality
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
    page.context.clear_cookies()
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def course(code: str, title: str, cost: str, outcomes: dict) -> Course:
    made = Course.objects.create(
        code=code, title=title, modality=Modality.CLASSROOM, cost_per_person=Decimal(cost)
    )
    for competency, level in outcomes.items():
        LearningOutcome.objects.create(course=made, competency=competency, raises_to_level=level)
    return made


@pytest.mark.django_db(transaction=True)
def test_coordinator_builds_a_track_and_gets_a_recommendation_for_an_employee(
    live_server, page: Page
) -> None:
    framework = FrameworkFactory(code="claims", name="Claims skills")
    handling = CompetencyFactory(framework=framework, name="Claims handling")
    negotiation = CompetencyFactory(framework=framework, name="Negotiation")
    profile = JobProfileFactory(code="handler", title="Claims handler")
    RequirementFactory(job_profile=profile, competency=handling, required_level=3, importance=4)
    RequirementFactory(job_profile=profile, competency=negotiation, required_level=2)
    employee = EmployeeFactory(
        unit=OrgUnitFactory(code="MOT", name="Motor claims"),
        job_profile=profile,
        first_name="Mo",
        last_name="Hand",
    )
    Assessment.objects.create(
        employee=employee,
        competency=handling,
        kind=Assessment.Kind.AGREED,
        level=1,
        assessed_on=datetime.date(2026, 3, 20),
    )
    course("HAND", "Handling complex claims", "300", {handling: 3})
    course("NEGO", "Negotiating settlements", "400", {negotiation: 2})
    course("BOTH", "Claims handler academy", "900", {handling: 3, negotiation: 2})
    UserFactory(username="coordinator", role=Role.COORDINATOR)
    base = live_server.url
    log_in(page, base, "coordinator")

    # A track toward the handler profile, two steps.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Catalogue").click()
    page.goto(f"{base}/catalogue/tracks/")
    page.get_by_role("button", name="New training track").click()
    page.get_by_label("Code").fill("HANDLER-PATH")
    page.get_by_label("Title").fill("Claims handler pathway")
    page.get_by_label("Target job profile").select_option(label="Claims handler")
    page.get_by_role("button", name="Save track").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Claims handler pathway")
    for label in ("Handling complex claims (HAND)", "Negotiating settlements (NEGO)"):
        page.get_by_label("Course or qualification").select_option(label=label)
        page.get_by_role("button", name="Add step").click()
    steps = page.locator("table").first
    expect(steps).to_contain_text("Handling complex claims")
    expect(steps).to_contain_text("Negotiating settlements")

    # The employee's gaps, then the recommendation: two courses (700) beat the academy (900).
    page.goto(f"{base}/people/employees/{employee.pk}/")
    page.get_by_role("link", name="Gap analysis").click()
    page.get_by_role("link", name="Recommended training to close these gaps").click()
    chosen = page.get_by_role("table")
    expect(chosen).to_contain_text("Handling complex claims")
    expect(chosen).to_contain_text("Negotiating settlements")
    expect(chosen).not_to_contain_text("Claims handler academy")
    expect(page.get_by_text("GBP 700.00", exact=True)).to_be_visible()

    # Within a budget of 350 only the handling course fits.
    page.get_by_label("Budget (leave empty for no limit) (GBP)").fill("350")
    page.get_by_role("button", name="Recommend").click()
    expect(page.get_by_role("table")).to_contain_text("Handling complex claims")
    expect(page.get_by_role("table")).not_to_contain_text("Negotiating settlements")

    # The booklet of the handler profile's offer, with prices, downloaded as a PDF.
    page.goto(f"{base}/catalogue/")
    page.get_by_role("link", name=re.compile("booklet", re.IGNORECASE)).first.click()
    page.get_by_label("Job profile").select_option(label="Claims handler")
    page.get_by_label("Show prices").check()
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("Claims handler pathway").first).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download PDF").click()
    download = download_info.value
    assert download.suggested_filename.startswith("milepost-booklet-")
    pdf = Path(download.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    pages = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "Claims handler pathway" in pages
    assert "Handling complex claims" in pages
