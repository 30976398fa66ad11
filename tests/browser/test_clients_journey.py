"""The clients journey (issue 12's "Done when"): an account manager builds a client's stakeholder
map and a colleague confirms it, the owner names who is responsible at every stage of the
employer journey and logs interactions; the employer contact then sees their portal, without the
internal notes, the internal-only interaction or any other client; and the portal and the client
page fit a phone."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import Page, expect

from milepost.accounts.models import Role
from milepost.clients.models import (
    JourneyStage,
    JourneyTemplate,
    MapReview,
    MapStatus,
    StakeholderMap,
)
from milepost.clients.services.clients import default_journey
from milepost.testing.factories import (
    ClientFactory,
    ContactFactory,
    NeedFactory,
    PortalContactFactory,
    UserFactory,
)

PASSWORD = "pass-word-123"  # what UserFactory sets
PHONE = {"width": 390, "height": 844}
SECRET_NOTES = "Board approved a takeover by Gulf Mutual: keep it to ourselves"
INTERNAL_SUMMARY = "Pricing worry: Harbour may move to the cheaper Quayside academy"


def log_in(page: Page, base_url: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def add_stakeholder(page: Page, choose: dict[str, str], fields: dict[str, str]) -> None:
    """From the map page: 'Add a stakeholder', choose who (select or fill), rate, tick, save."""
    page.get_by_role("button", name="Add a stakeholder").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a stakeholder")
    for label, value in choose.items():
        field = page.get_by_label(label, exact=True)
        if field.evaluate("element => element.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    for label, value in fields.items():
        field = page.get_by_label(label, exact=True)
        if value == "tick":
            field.check()
        elif field.evaluate("element => element.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    page.get_by_role("button", name="Add to the map").click()


def assert_no_sideways_scroll(page: Page, what: str) -> None:
    page_width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    assert page_width <= viewport, f"{what}: the page is {page_width}px wide in {viewport}px"


@pytest.fixture
def shipped_journey(transactional_db: None) -> JourneyTemplate:
    """The default employer journey: migration clients/0002 writes it, an earlier transactional
    test's flush wipes it, and `default_journey` writes it again."""
    return default_journey()


@pytest.mark.django_db(transaction=True)
def test_map_consensus_journey_owners_interactions_and_the_employer_portal(
    live_server, page: Page, shipped_journey: JourneyTemplate
) -> None:
    owner = UserFactory(
        username="amelia", role=Role.ACCOUNT_MANAGER, first_name="Amelia", last_name="Owens"
    )
    colleague = UserFactory(
        username="colin", role=Role.ACCOUNT_MANAGER, first_name="Colin", last_name="Reyes"
    )
    coordinator = UserFactory(
        username="dana", role=Role.COORDINATOR, first_name="Dana", last_name="Delivery"
    )
    harbour = ClientFactory(name="Harbour Brokers Ltd", owner=owner, notes=SECRET_NOTES)
    erin = PortalContactFactory(
        client=harbour,
        name="Erin Walsh",
        job_title="Head of claims",
        user=UserFactory(
            username="erin", role=Role.EMPLOYER_CONTACT, first_name="Erin", last_name="Walsh"
        ),
    )
    ContactFactory(client=harbour, name="Sam Price", job_title="Finance director")
    NeedFactory(title="Calmer calls after the price rise", client=harbour, requester=erin.user)
    rival = ClientFactory(name="Rival Cover plc", owner=colleague, notes="Rival's own notes")
    PortalContactFactory(client=rival, name="Rory Rival")
    NeedFactory(title="Rival's confidential need", client=rival)
    assert harbour.journey == shipped_journey
    stages = list(JourneyStage.objects.filter(template=harbour.journey).order_by("position"))
    assert len(stages) == 6  # the journey that ships
    base = live_server.url

    # The owner opens Harbour's stakeholder map from the client page and puts a contact, a
    # colleague and an outside body on it.
    log_in(page, base, "amelia")
    page.goto(f"{base}/clients/{harbour.pk}/")
    page.get_by_role("link", name="Stakeholder map").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Stakeholder map of Harbour Brokers Ltd"
    )
    expect(page.get_by_text("No stakeholders on this map yet.")).to_be_visible()
    add_stakeholder(
        page,
        {"A contact at the client": str(erin.pk)},
        {
            "Power": "4",
            "Interest": "5",
            "Their claim on us is legitimate (legitimacy)": "tick",
            "Their claim calls for quick attention (urgency)": "tick",
            "What they want from us": "Fewer complaints escalated to the ombudsman",
            "How we engage them": "Monthly call with the claims team leads",
            "The client's contacts see this entry in their portal": "tick",
        },
    )
    expect(page.get_by_text("Erin Walsh is on the map.")).to_be_visible()
    add_stakeholder(
        page,
        {"Or a colleague in our organisation": str(coordinator.pk)},
        {"Power": "3", "Interest": "4", "What they want from us": "Dates agreed a term ahead"},
    )
    expect(page.get_by_text("Dana Delivery is on the map.")).to_be_visible()
    add_stakeholder(
        page,
        {"Or an outside body": "Chartered Insurance Institute", "Body type": "awarding_body"},
        {
            "Power": "5",
            "Interest": "2",
            "Their claim on us is legitimate (legitimacy)": "tick",
            "How we engage them": "Quarterly accreditation return",
        },
    )
    expect(page.get_by_text("Chartered Insurance Institute is on the map.")).to_be_visible()
    table = page.locator("table.stakeholder-table")
    expect(table.locator("tbody tr")).to_have_count(3)
    for name, quadrant in [
        ("Erin Walsh", "Manage closely"),
        ("Dana Delivery", "Manage closely"),
        ("Chartered Insurance Institute", "Keep satisfied"),
    ]:
        row = table.locator("tbody tr").filter(has=page.get_by_role("rowheader", name=name))
        expect(row).to_contain_text(quadrant, ignore_case=True)
    expect(page.locator("figure.stakeholder-map svg")).to_be_visible()
    expect(page.get_by_text("Nobody has been asked to confirm this map yet.")).to_be_visible()

    # She asks Colin to confirm it; one agreement out of one is enough.
    page.get_by_role("button", name="Ask colleagues to confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask colleagues to confirm the map")
    page.get_by_label("Colin Reyes (Account manager)").check()
    page.get_by_label("Share that must agree (%)").fill("100")
    page.get_by_label("A note to them (optional)").fill("Have I missed anyone at Harbour?")
    page.get_by_role("button", name="Ask them").click()
    expect(page.get_by_text("Version 1 is with 1 colleagues to confirm.")).to_be_visible()
    consensus = page.locator("section.consensus")
    expect(consensus).to_contain_text("Status: Waiting for colleagues.")
    expect(consensus).to_contain_text("Colin Reyes")

    # Colin finds the request in his inbox and agrees.
    log_in(page, base, "colin")
    page.get_by_role("link", name="Inbox").click()
    page.get_by_role("link", name="Amelia Owens asks you to confirm").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Confirm the")
    expect(page.get_by_text("“Have I missed anyone at Harbour?”")).to_be_visible()
    page.get_by_label("I agree: these are our principal stakeholders").check()
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_text("Thank you: your answer is recorded.")).to_be_visible()
    page.get_by_role("link", name="Open the map as it stands now").click()
    consensus = page.locator("section.consensus")
    expect(consensus).to_contain_text("1 of 1 needed agree (100%)")
    expect(consensus).to_contain_text("Status: Signed off, signed off")
    agreed = consensus.locator("h3:text-is('Agreed') + ul")
    expect(agreed).to_contain_text("Colin Reyes")
    stakeholder_map = StakeholderMap.objects.get(client=harbour)
    assert stakeholder_map.status == MapStatus.SIGNED_OFF
    assert stakeholder_map.review_by is not None
    review = MapReview.objects.get(version__map=stakeholder_map, colleague=colleague)

    # The owner hears of the sign-off, then names who is responsible at every juncture.
    log_in(page, base, "amelia")
    page.get_by_role("link", name="Inbox").click()
    expect(page.get_by_role("link", name="Stakeholder map of Harbour Brokers Ltd")).to_be_visible()
    page.goto(f"{base}/clients/{harbour.pk}/")
    page.get_by_role("link", name="Journey and who is responsible").click()
    expect(page.get_by_text("6 stages of this journey have nobody responsible.")).to_be_visible()
    for stage in stages:
        who = coordinator if stage.name == "Delivery" else owner
        juncture = page.locator(f"#stage-{stage.pk}")
        juncture.get_by_label(f"Responsible for {stage.name}").select_option(str(who.pk))
        juncture.get_by_role("button", name="Save").click()
        expect(page.get_by_text(f"{stage.name}: {who.get_full_name()}.")).to_be_visible()
    expect(page.get_by_text("nobody responsible")).to_have_count(0)
    for stage in stages:
        who = coordinator if stage.name == "Delivery" else owner
        expect(page.locator(f"#stage-{stage.pk}")).to_contain_text(
            f"Responsible: {who.get_full_name()}"
        )

    # She logs the meeting with its next step, and an internal-only call.
    due = datetime.date.today() + datetime.timedelta(days=10)
    page.get_by_role("link", name="← Harbour Brokers Ltd").click()
    page.get_by_role("button", name="Log an interaction").click()
    page.get_by_label("Kind").select_option("meeting")
    page.get_by_label("Summary").fill("Walked Erin through the call-handling programme.")
    page.get_by_label("Erin Walsh").check()
    page.get_by_label("Next step", exact=True).fill("Send the course outline and dates")
    page.get_by_label("Next step owner").select_option(str(owner.pk))
    page.get_by_label("Next step due").fill(due.isoformat())
    page.get_by_role("button", name="Log it").click()
    expect(page.get_by_text("The meeting is on Harbour Brokers Ltd's timeline.")).to_be_visible()
    steps = page.locator("section", has=page.get_by_role("heading", name="Open next steps"))
    expect(steps.get_by_role("rowheader", name="Send the course outline and dates")).to_be_visible()
    page.get_by_role("button", name="Log an interaction").click()
    page.get_by_label("Kind").select_option("call")
    page.get_by_label("Summary").fill(INTERNAL_SUMMARY)
    page.get_by_label("Internal only").check()
    page.get_by_role("button", name="Log it").click()
    expect(page.get_by_text("The call is on Harbour Brokers Ltd's timeline.")).to_be_visible()
    timeline = page.locator("ol.timeline")
    expect(timeline.locator("li")).to_have_count(2)
    expect(timeline.locator("li").filter(has_text=INTERNAL_SUMMARY)).to_contain_text(
        "internal only"
    )
    expect(page.get_by_text(SECRET_NOTES)).to_be_visible()  # the owner reads the notes

    # Erin, the employer contact, logs in and opens her organisation's portal.
    log_in(page, base, "erin")
    page.get_by_role("link", name="Open your organisation's portal").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Harbour Brokers Ltd")
    expect(page.get_by_text("Amelia Owens looks after Harbour Brokers Ltd")).to_be_visible()
    needs = page.locator("section", has=page.get_by_role("heading", name="Your organisation's"))
    expect(needs.get_by_role("link", name="Calmer calls after the price rise")).to_be_visible()
    shared = page.locator("section", has=page.get_by_role("heading", name="Stakeholders we work"))
    expect(shared.locator("tbody tr")).to_have_count(1)
    expect(shared.get_by_role("rowheader", name="Erin Walsh")).to_be_visible()
    expect(shared).to_contain_text("Fewer complaints escalated to the ombudsman")
    happened = page.locator("section", has=page.get_by_role("heading", name="What happened"))
    expect(happened.locator("tbody tr")).to_have_count(1)
    expect(happened).to_contain_text("Walked Erin through the call-handling programme.")
    expect(happened).to_contain_text("Send the course outline and dates")
    body = page.locator("body")
    expect(body).not_to_contain_text(INTERNAL_SUMMARY)
    expect(body).not_to_contain_text("Pricing worry")
    expect(body).not_to_contain_text(SECRET_NOTES)
    expect(body).not_to_contain_text("Chartered Insurance Institute")  # not shared with them
    expect(body).not_to_contain_text("Rival")
    expect(body).not_to_contain_text("Dana Delivery")  # on the map, not shared
    needs.get_by_role("link", name="Calmer calls after the price rise").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Calmer calls after the price")
    page.get_by_role("link", name="Our portal").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Harbour Brokers Ltd")

    # Nothing else is hers to open: another client's portal, any client page, map or journey.
    refused = {
        f"/clients/{rival.pk}/portal/": 404,
        f"/clients/{harbour.pk}/": 403,
        f"/clients/{rival.pk}/": 403,
        f"/clients/{harbour.pk}/stakeholder-map/": 403,
        f"/clients/maps/{stakeholder_map.pk}/": 403,
        f"/clients/maps/{stakeholder_map.pk}/download/?format=svg": 403,
        f"/clients/map-reviews/{review.pk}/": 404,
        f"/clients/{harbour.pk}/journey/": 403,
        "/clients/": 403,
    }
    seen = {}
    for path in refused:
        response = page.goto(f"{base}{path}")
        assert response is not None
        seen[path] = response.status
        expect(page.locator("body")).not_to_contain_text(SECRET_NOTES)
        expect(page.locator("body")).not_to_contain_text(INTERNAL_SUMMARY)
    assert seen == refused

    # On a phone the portal, and for the owner the client page, never scroll sideways.
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/clients/portal/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Harbour Brokers Ltd")
    assert_no_sideways_scroll(page, "the portal")
    log_in(page, base, "amelia")
    page.goto(f"{base}/clients/{harbour.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Harbour Brokers Ltd")
    assert_no_sideways_scroll(page, "the client page")
