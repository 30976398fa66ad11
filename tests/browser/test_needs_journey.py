"""The pull journey: a manager raises a need and sees what Milepost understood; the coordinator
triages it and groups it with a similar need into a theme; the manager sees the status change."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from milepost.accounts.models import Role
from milepost.frameworks.models import Competency
from milepost.needs import services
from milepost.needs.matching import competency_index
from milepost.testing.factories import (
    CompetencyFactory,
    EmployeeFactory,
    FrameworkFactory,
    OrgUnitFactory,
    UserFactory,
)

PASSWORD = "pass-word-123"  # what UserFactory sets


def log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def log_out(page: Page) -> None:
    page.context.clear_cookies()


@pytest.mark.django_db(transaction=True)
def test_manager_raises_a_need_coordinator_triages_and_themes_it(live_server, page: Page) -> None:
    framework = FrameworkFactory(code="service", name="Service framework")
    group = CompetencyFactory(framework=framework, name="Customer", kind=Competency.Kind.GROUP)
    CompetencyFactory(
        framework=framework,
        parent=group,
        name="Customer empathy and de-escalation",
        alt_labels="Calming angry customers\nHandling difficult conversations",
        description="Recognises how a customer feels and calms tense, angry conversations.",
    )
    CompetencyFactory(
        framework=framework,
        name="Excel modelling",
        description="Builds spreadsheet models with pivot tables and lookups.",
    )
    competency_index.reset()
    claims = OrgUnitFactory(code="CLM", name="Claims")
    contact_centre = OrgUnitFactory(code="CC", name="Contact centre")
    manager = UserFactory(username="manager", role=Role.LINE_MANAGER, first_name="Lena")
    EmployeeFactory(unit=claims, user=manager)
    UserFactory(username="coordinator", role=Role.COORDINATOR, first_name="Cora")
    other = UserFactory(username="cc.manager", role=Role.LINE_MANAGER)
    EmployeeFactory(unit=contact_centre, user=other)
    services.submit_need(
        acting_user=other,
        title="Upset callers",
        description="Our agents need help calming angry and upset customers on the phone.",
        unit=contact_centre,
        people_affected=30,
    )

    # The manager raises a need and sees suggestions while typing, then on the need's page.
    log_in(page, live_server.url, "manager")
    page.get_by_role("link", name="Needs").first.click()
    page.get_by_role("link", name="Raise a need").click()
    page.get_by_label("Title").fill("Angry callers")
    page.get_by_label("What do people need?").fill(
        "Our claims handlers struggle with angry callers since the new policy wording."
    )
    live = page.locator("#live-suggestions")
    expect(live).to_contain_text("Customer empathy and de-escalation")
    page.get_by_label("People affected").fill("25")
    page.get_by_label("Urgency").select_option(label="High")
    page.get_by_role("button", name="Send to L&D").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Angry callers")
    expect(page.get_by_text("Submitted").first).to_be_visible()
    mapping = page.get_by_role("form", name="Confirm competencies")
    expect(mapping).to_contain_text("Customer empathy and de-escalation")
    expect(mapping.locator("mark", has_text="angry").first).to_be_visible()
    page.get_by_role("checkbox", name="Customer empathy and de-escalation").check()
    page.get_by_role("button", name="Confirm these competencies").click()
    expect(page.get_by_text(re.compile(r"competenc(y|ies) confirmed"))).to_be_visible()
    expect(page.get_by_text("1 similar need was raised in 1 other unit")).to_be_visible()
    need_url = page.url
    log_out(page)

    # The coordinator triages it and groups it with the contact centre's need.
    log_in(page, live_server.url, "coordinator")
    page.goto(need_url)
    expect(page.get_by_role("link", name="Upset callers")).to_be_visible()
    page.get_by_label("New status").select_option(label="Triaged")
    page.get_by_label("Note to the requester").fill("We will run a de-escalation pilot.")
    page.get_by_role("button", name="Change status").click()
    expect(page.get_by_text("the requester is told")).to_be_visible()
    page.goto(f"{live_server.url}/needs/themes/suggest/")
    proposal = page.get_by_role("article")
    expect(proposal).to_contain_text("2 needs from 2 units")
    proposal.get_by_label("Theme title").fill("Difficult calls")
    proposal.get_by_role("button", name="Create theme").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Difficult calls")
    expect(page.get_by_role("link", name="Angry callers")).to_be_visible()
    log_out(page)

    # The manager sees the status change in the inbox and on the need.
    log_in(page, live_server.url, "manager")
    inbox = page.get_by_role("link", name=re.compile(r"Inbox"))
    expect(inbox).to_contain_text("1")
    inbox.click()
    message = page.get_by_role("link", name=re.compile("is now triaged"))
    expect(message).to_contain_text("We will run a de-escalation pilot.")
    message.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Triaged")
    expect(page.get_by_role("link", name="Difficult calls")).to_be_visible()
