"""The coordinator's core journey: framework tree, competency search, job profile editing."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from milepost.accounts.models import Role
from milepost.frameworks import selectors
from milepost.frameworks.forms import competency_label
from milepost.frameworks.models import Competency, JobProfile
from milepost.testing.factories import (
    CompetencyFactory,
    CompetencyLevelFactory,
    FrameworkFactory,
    RequirementFactory,
    ScaleFactory,
    UserFactory,
)

PASSWORD = "pass-word-123"  # what UserFactory sets


@dataclass
class Catalogue:
    claims_handling: Competency
    complaint_resolution: Competency
    job_profile: JobProfile


@pytest.fixture
def catalogue(monkeypatch: pytest.MonkeyPatch) -> Catalogue:
    """A small framework (two groups, three competencies) and one job profile requiring one."""
    # Render only the top level on first load, as a 14,000-row ESCO tree would, so opening a
    # group has to fetch its children with htmx.
    monkeypatch.setattr(selectors, "FIRST_RENDER_NODES", 1)
    framework = FrameworkFactory(
        code="northwind-core", name="Northwind core competencies", scale=ScaleFactory()
    )
    customer = CompetencyFactory(
        framework=framework, name="Customer care", kind=Competency.Kind.GROUP, description=""
    )
    CompetencyFactory(
        framework=framework, name="Digital skills", kind=Competency.Kind.GROUP, description=""
    )
    claims_handling = CompetencyFactory(
        framework=framework,
        parent=customer,
        name="Claims handling",
        alt_labels="Loss adjusting\nClaims processing",
        description="Settles motor and household claims fairly and on time.",
    )
    complaint_resolution = CompetencyFactory(
        framework=framework,
        parent=customer,
        name="Complaint resolution",
        description="Turns an unhappy policyholder into a loyal one.",
    )
    CompetencyLevelFactory(
        competency=claims_handling,
        level=3,
        title="Proficient",
        indicators="Settles routine claims without help\nSpots likely fraud",
    )
    requirement = RequirementFactory(
        competency=claims_handling,
        job_profile__title="Claims handler",
        job_profile__code="CLAIMS-HANDLER",
        required_level=3,
    )
    return Catalogue(claims_handling, complaint_resolution, requirement.job_profile)


def log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


@pytest.mark.django_db(transaction=True)
def test_coordinator_browses_the_tree_finds_a_competency_and_edits_a_job_profile(
    live_server, page: Page, catalogue: Catalogue
) -> None:
    UserFactory(username="coord", role=Role.COORDINATOR, first_name="Cora")
    log_in(page, live_server.url, "coord")

    # The framework tree: groups come closed, and opening one loads its children.
    main_nav = page.get_by_role("navigation", name="Main")
    main_nav.get_by_role("link", name="Frameworks").click()
    page.get_by_role("link", name="Northwind core competencies").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Northwind core competencies")
    below_customer_care = page.get_by_role("list", name="Below Customer care")
    expect(below_customer_care).to_have_count(0)
    # A <summary> has no ARIA role to find it by; click its count, not the link to the group.
    page.locator("summary", has_text="Customer care").get_by_text("(2 below)").click()
    expect(below_customer_care.get_by_role("link", name="Claims handling")).to_be_visible()
    expect(below_customer_care.get_by_role("link", name="Complaint resolution")).to_be_visible()

    # Search by an alternative label, then (live, as one types) by words from a description.
    page.get_by_label("Search this framework").fill("loss adjusting")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Search competencies")
    results = page.locator("#competency-results")
    expect(results.get_by_role("status")).to_have_text(re.compile(r"^1 competency"))
    expect(results.get_by_role("link", name="Claims handling")).to_be_visible()
    page.get_by_label("Search competencies").fill("household claims")
    expect(page).to_have_url(re.compile(r"q=household(\+|%20)claims"))
    expect(results.get_by_role("status")).to_have_text(re.compile(r"^1 competency"))
    results.get_by_role("link", name="Claims handling").click()

    # The competency page: alternative labels, levels with indicators, who requires it.
    expect(page.get_by_role("heading", level=1)).to_have_text("Claims handling")
    expect(page.get_by_role("listitem").filter(has_text="Claims processing")).to_be_visible()
    level_3 = page.get_by_role("region", name="Level 3: Proficient")
    expect(level_3.get_by_role("listitem")).to_have_text(
        ["Settles routine claims without help", "Spots likely fraud"]
    )
    requiring = page.get_by_role("row", name=re.compile("Claims handler"))
    expect(requiring).to_contain_text("3 of 5")
    requiring.get_by_role("link", name="Claims handler").click()

    # Edit the job profile: new title, a higher level, and a requirement picked from suggestions.
    expect(page.get_by_role("heading", level=1)).to_have_text("Claims handler")
    page.get_by_role("button", name="Edit profile and requirements").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit Claims handler")
    page.get_by_label("Title:", exact=True).fill("Senior claims handler")
    page.get_by_role("group", name="Requirement 1").get_by_label("Required level").fill("4")
    new_requirement = page.get_by_role("group", name="New requirement").first
    picker = new_requirement.get_by_label("Competency")
    picker.press_sequentially("complaint")
    suggestion = page.locator("#competency-options option")
    label = competency_label(catalogue.complaint_resolution)  # "Name (CODE, Framework)"
    expect(suggestion).to_have_attribute("value", label)
    picker.fill(label)  # what choosing the suggestion does
    new_requirement.get_by_label("Required level").fill("2")
    new_requirement.get_by_label("Essential or optional").select_option("Optional")
    page.get_by_role("button", name="Save job profile").click()

    # The profile page shows the change...
    expect(page).to_have_url(f"{live_server.url}/frameworks/profiles/{catalogue.job_profile.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Senior claims handler")
    claims_row = page.get_by_role("row", name=re.compile("^Claims handling"))
    expect(claims_row).to_contain_text("4 of 5")
    expect(claims_row).to_contain_text("Essential")
    complaint_row = page.get_by_role("row", name=re.compile("^Complaint resolution"))
    expect(complaint_row).to_contain_text("2 of 5")
    expect(complaint_row).to_contain_text("Optional")

    # ...and so does each competency page.
    complaint_row.get_by_role("link", name="Complaint resolution").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Complaint resolution")
    expect(page.get_by_role("row", name=re.compile("Senior claims handler"))).to_contain_text(
        "2 of 5"
    )
    page.go_back()
    claims_row.get_by_role("link", name="Claims handling").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Claims handling")
    expect(page.get_by_role("row", name=re.compile("Senior claims handler"))).to_contain_text(
        "4 of 5"
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", [Role.LINE_MANAGER, Role.EMPLOYEE])
def test_line_manager_and_employee_cannot_edit_a_job_profile(
    live_server, page: Page, catalogue: Catalogue, role: Role
) -> None:
    UserFactory(username="reader", role=role)
    log_in(page, live_server.url, "reader")
    profile_url = f"{live_server.url}/frameworks/profiles/{catalogue.job_profile.pk}/"

    page.goto(profile_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Claims handler")
    expect(page.get_by_role("row", name=re.compile("^Claims handling"))).to_contain_text("3 of 5")
    expect(page.get_by_role("button", name="Edit profile and requirements")).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("edit", re.IGNORECASE))).to_have_count(0)

    response = page.goto(f"{profile_url}edit/")
    assert response is not None
    assert response.status == 403
    expect(page.get_by_role("button", name="Save job profile")).to_have_count(0)
