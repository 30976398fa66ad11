"""The proposals journey (issue 13's "Done when"): an account manager records a business issue
with a metric that has no baseline yet, runs a consultancy engagement with the client's engaged
manager, makes a proposal from its findings and fills it with "Suggest a solution"; sending is
refused with the missing baseline named, she adds it and sends; the employer contact accepts the
proposal in the portal, reads it on a phone and downloads the PDF, whose text is read back."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from milepost.accounts.models import Role
from milepost.clients.models import Contact
from milepost.insights.gaps import forget_cached_gaps
from milepost.proposals.models import Proposal, ProposalStatus
from milepost.testing.factories import (
    AssessmentFactory,
    ClientFactory,
    CompetencyFactory,
    CourseFactory,
    EmployeeFactory,
    FrameworkFactory,
    JobProfileFactory,
    OrgUnitFactory,
    PortalContactFactory,
    RequirementFactory,
    UserFactory,
    outcome,
)
from tests.browser.test_booklet_download import pdf_text
from tests.browser.test_clients_journey import assert_no_sideways_scroll, log_in

PHONE: ViewportSize = {"width": 390, "height": 844}
ISSUE = "Motor claims complaints up 30 % since the new policy wording"
METRIC = "Complaints escalated a month"
GOAL = "Escalated complaints down from 120 to 80 a month by June 2027"


@pytest.fixture
def erin(transactional_db: None) -> Contact:
    """Erin, head of claims at Harbour (an employer client Amelia owns) with a portal login; the
    people the employer sends on the programme, short of the level their job asks for, with a
    catalogue course that closes the gap."""
    amelia = UserFactory.create(
        username="amelia", role=Role.ACCOUNT_MANAGER, first_name="Amelia", last_name="Owens"
    )
    harbour = ClientFactory.create(name="Harbour Brokers Ltd", owner=amelia)
    contact: Contact = PortalContactFactory.create(
        client=harbour,
        name="Erin Walsh",
        job_title="Head of claims",
        user=UserFactory.create(
            username="erin", role=Role.EMPLOYER_CONTACT, first_name="Erin", last_name="Walsh"
        ),
    )
    framework = FrameworkFactory.create(code="claims", name="Claims")
    calls = CompetencyFactory.create(framework=framework, name="Handling complaint calls")
    handler = JobProfileFactory.create(code="HANDLER", title="Claims handler")
    RequirementFactory.create(job_profile=handler, competency=calls, required_level=3, importance=4)
    team = OrgUnitFactory.create(name="Harbour motor claims team")
    for first, last, level in (("Hana", "Quill", 1), ("Hugo", "Quill", 2)):
        person = EmployeeFactory.create(
            first_name=first, last_name=last, unit=team, job_profile=handler
        )
        AssessmentFactory.create(employee=person, competency=calls, level=level)
    course = CourseFactory.create(
        code="CALM-1", title="Calm complaint calls", cost_per_person=Decimal("180")
    )
    outcome(course, calls, 3)
    forget_cached_gaps()  # the live server's gap engine loads this organisation afresh
    return contact


@pytest.mark.django_db(transaction=True)
def test_issue_engagement_proposal_refused_then_sent_accepted_in_the_portal_and_printed(
    live_server, page: Page, erin: Contact
) -> None:
    base = live_server.url

    # Amelia records Harbour's business issue and how it is measured, without a baseline yet.
    log_in(page, base, "amelia")
    page.goto(f"{base}/proposals/issues/")
    page.get_by_role("button", name="Record a business issue").click()
    page.get_by_label("Client", exact=True).select_option(label="Harbour Brokers Ltd")
    page.get_by_label("The issue, in business terms").fill(ISSUE)
    page.get_by_label("Owner at the client").select_option(label="Erin Walsh (Harbour Brokers Ltd)")
    page.get_by_label("Priority").select_option(label="High")
    page.get_by_role("button", name="Record the issue").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(ISSUE)
    page.get_by_role("button", name="Add a metric").click()
    page.get_by_label("Measure").fill(METRIC)
    page.get_by_label("Unit", exact=True).fill("complaints")
    page.get_by_label("Target value").fill("80")
    page.get_by_label("Target date").fill("2027-06-30")
    page.get_by_label("Data source").fill("Harbour's complaints log")
    page.get_by_role("button", name="Add the metric").click()
    expect(page.get_by_text("The metric is saved.")).to_be_visible()
    metrics = page.locator("section", has=page.get_by_role("heading", name="Metrics"))
    expect(metrics.get_by_role("row", name=METRIC)).to_contain_text(
        "Missing: baseline value, baseline date"
    )

    # She starts a consultancy engagement on it with Erin as the sponsor.
    page.get_by_role("link", name="Start a consultancy engagement on it").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Start a consultancy engagement")
    page.get_by_label("Title", exact=True).fill("Why escalations rose at Harbour")
    page.get_by_label("Sponsor (the engaged manager)").select_option(
        label="Erin Walsh (Harbour Brokers Ltd)"
    )
    expect(page.get_by_label(f"{ISSUE} (Harbour Brokers Ltd)")).to_be_checked()
    page.get_by_role("button", name="Start the engagement").click()
    expect(page.get_by_text("The engagement is started")).to_be_visible()
    expect(page.locator("dl.facts").first).to_contain_text("Erin Walsh")

    # The performance analysis: goal, should versus actual, causes, non-training options.
    page.get_by_role("button", name="Edit the analysis").click()
    page.get_by_label("The measurable business goal").fill(GOAL)
    page.get_by_label("What people should be doing").fill(
        "Calm the caller, own the complaint and settle it on the first call."
    )
    page.get_by_label("What they actually do").fill(
        "Read the new wording out and pass angry callers to a team leader."
    )
    page.get_by_label("Notes on capability").fill("Handlers have never been taught de-escalation.")
    page.get_by_label("Environment: information").fill("The new wording has no plain summary.")
    page.get_by_label("Non-training options considered").fill(
        "A one-page plain-English summary of the wording for handlers to read out."
    )
    page.get_by_role("button", name="Save the analysis").click()
    expect(page.get_by_text("The analysis is saved.")).to_be_visible()
    goal = page.locator("section", has=page.get_by_role("heading", name="The measurable"))
    expect(goal).to_contain_text(GOAL)

    # One step from the findings to a draft proposal.
    page.get_by_role("button", name="Make a proposal from these findings").click()
    expect(page.get_by_text("A draft proposal is made from the findings")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Why escalations rose at Harbour")
    proposal = Proposal.objects.get()
    assert proposal.sponsor_contact == erin
    assert [issue.title for issue in proposal.issues.all()] == [ISSUE]
    assert GOAL in proposal.learning_objectives

    # "Suggest a solution" for the people Harbour sends on the programme.
    fill_with_suggested_solution(page)
    item = page.locator("section#items tbody tr")
    expect(item).to_have_count(1)
    expect(item.get_by_role("rowheader")).to_contain_text("Calm complaint calls")
    expect(item.get_by_role("cell").nth(1)).to_have_text("2")  # Hana and Hugo
    expect(item.get_by_role("cell").nth(2)).to_have_text("360.00")  # 2 x 180
    expect(item.get_by_role("cell").nth(3)).to_have_text(ISSUE)

    # Sending is refused: the metric has no baseline yet, and the page says exactly that.
    rule = page.locator("#rule-problems")
    expect(rule).to_contain_text(f"Metric “{METRIC}” of “{ISSUE}” has no baseline value")
    page.get_by_role("button", name="Send to Erin Walsh").click()
    refused = page.locator("#send-errors")
    expect(refused).to_contain_text("Not sent.")
    expect(refused).to_contain_text(
        f"Metric “{METRIC}” of “{ISSUE}” has no baseline value, no baseline date."
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DRAFT

    # She adds the baseline on the metric's edit page and sends.
    page.get_by_role("link", name=f"Complete the metric {METRIC}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Edit {METRIC}")
    page.get_by_label("Baseline value").fill("120")
    page.get_by_label("Baseline date").fill("2026-09-30")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The metric is saved.")).to_be_visible()
    metrics = page.locator("section", has=page.get_by_role("heading", name="Metrics"))
    expect(metrics.get_by_role("row", name=METRIC)).to_contain_text("Complete")
    expect(metrics.get_by_role("row", name=METRIC)).to_contain_text("80 by 30 Jun 2027")  # kept
    addressed = page.locator("section", has=page.get_by_role("heading", name="What addresses"))
    addressed.get_by_role("link", name="Why escalations rose at Harbour").last.click()
    expect(page.get_by_text("It meets the rule")).to_be_visible()
    page.get_by_role("button", name="Send to Erin Walsh").click()
    expect(page.get_by_text("The proposal is sent")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sent")

    # Erin opens her organisation's proposals in the portal and accepts it.
    log_in(page, base, "erin")
    page.get_by_role("link", name="Open your organisation's portal").click()
    page.get_by_role("button", name="Proposals from the training team").click()
    expect(page.get_by_text("1 proposal waits for your answer.")).to_be_visible()
    page.get_by_role("link", name="Why escalations rose at Harbour").click()
    expect(page.locator("dl.facts").first).not_to_contain_text("From consultancy")  # ours, not hers
    expect(page.get_by_role("button", name="Edit the text")).to_have_count(0)
    page.get_by_role("button", name="Accept the proposal").click()
    expect(page.get_by_text("You accepted the proposal")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Accepted")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    assert proposal.decided_by == erin.user
    page.get_by_role("link", name="Your proposals").click()
    row = page.get_by_role("row", name=re.compile("Why escalations rose at Harbour"))
    expect(row).to_contain_text("Accepted")

    # On her phone the proposal page never scrolls sideways.
    page.set_viewport_size(PHONE)
    row.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Why escalations rose")
    assert_no_sideways_scroll(page, "the proposal page")

    # She downloads the PDF from the document; it leads with the issue and its metric and ends
    # with the golden thread.
    page.get_by_role("link", name="The proposal document").click()
    expect(page.get_by_role("heading", name="4. The golden thread")).to_be_visible()
    assert_no_sideways_scroll(page, "the proposal document")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download PDF").click()
    download = download_info.value
    assert download.suggested_filename == f"proposal-{proposal.pk}-v1.pdf"
    text = pdf_text(Path(download.path()).read_bytes())
    flat = " ".join(text.split())
    assert ISSUE in flat
    assert METRIC in flat
    assert "The golden thread" in flat
    assert flat.index(ISSUE) < flat.index("The analysis") < flat.index("The golden thread")
    assert "Calm complaint calls" in flat
    assert datetime.date(2026, 9, 30).strftime("%-d %b %Y") in flat  # the baseline's date


def fill_with_suggested_solution(page: Page) -> None:
    """From the proposal page: "Suggest a solution", find the people Harbour sends by name, tick
    them, preview the recommendation and add its items."""
    page.get_by_role("button", name="Suggest a solution").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Suggest a solution for Harbour Brokers Ltd"
    )
    page.get_by_label("A list of people").check()
    page.get_by_label("Find people by name or employee ID").fill("Quill")
    page.get_by_role("button", name="Find").click()
    page.get_by_label("Add Hana Quill to the list").check()
    page.get_by_label("Add Hugo Quill to the list").check()
    page.get_by_role("button", name="Preview the solution").click()
    expect(page.get_by_role("heading", name="The suggested solution")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Calm complaint calls")
    page.get_by_role("button", name="Add 1 item to the proposal").click()
    expect(page.get_by_text("1 item added from the gap analysis")).to_be_visible()
