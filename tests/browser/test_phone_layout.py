"""Every page fits a phone (390 x 844): the page never scrolls sideways (wide tables scroll inside
their own box), the menu collapses behind a button and is still there without JavaScript; and the
heatmap does not widen the page on a laptop (1366 px) either."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import Browser, Page, expect

from milepost.reviews.models import ReviewParticipant
from milepost.reviews.services import open_review_cycle
from milepost.testing.factories import (
    CompetencyFactory,
    JobProfileFactory,
    NeedFactory,
    RequirementFactory,
)

PASSWORD = "pass-word-123"  # what UserFactory sets
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}

# The elements sticking out past the right edge, outside any box that scrolls: what to fix.
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = (element) => {
    for (let box = element.parentElement; box; box = box.parentElement) {
      const overflow = getComputedStyle(box).overflowX;
      if (overflow === "auto" || overflow === "scroll" || overflow === "hidden") return true;
    }
    return false;
  };
  return [...document.querySelectorAll("body *")]
    .filter((element) => element.getBoundingClientRect().right > width + 1 && !scrolls(element))
    .slice(0, 5)
    .map((element) => `${element.tagName.toLowerCase()}.${element.className}: `
      + `${Math.round(element.getBoundingClientRect().right)}px`);
}"""


def assert_no_sideways_scroll(page: Page, path: str) -> None:
    page_width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    assert page_width <= viewport, (
        f"{path}: the page is {page_width}px wide in a {viewport}px window; "
        f"sticking out: {page.evaluate(OVERFLOWING)}"
    )


def log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


@pytest.fixture
def wide_organisation(org, claims_profile) -> dict[str, str]:
    """A heatmap with many long-named competencies, some not required in one unit; a busy
    demand board; an open review sheet."""
    for number in range(14):
        competency = CompetencyFactory(
            framework=claims_profile.negotiation.framework,
            name=f"Handling vulnerable customers and complex complaints, part {number}",
        )
        RequirementFactory(
            job_profile=claims_profile.job_profile, competency=competency, required_level=3
        )
    underwriting_profile = JobProfileFactory(code="uw", title="Underwriter")
    RequirementFactory(
        job_profile=underwriting_profile,
        competency=CompetencyFactory(name="Pricing commercial property risks"),
        required_level=3,
    )
    org.underwriter.job_profile = underwriting_profile
    org.underwriter.save()
    for number in range(4):
        NeedFactory(
            title=f"Claims handlers need help with bereaved and vulnerable customers {number}",
            unit=org.claims,
            requester=org.claims_manager,
            people_affected=12,
        )
    cycle = open_review_cycle(
        acting_user=org.coordinator,
        name="Spring review",
        units=[org.group],
        opens_on=datetime.date(2026, 3, 2),
        self_assessment_due=datetime.date(2026, 3, 16),
        manager_assessment_due=datetime.date(2026, 3, 30),
        closes_on=datetime.date(2026, 4, 24),
    )
    sheet = ReviewParticipant.objects.get(cycle=cycle, employee=org.motor_handler)
    return {
        "home page": "/",
        "need form": "/needs/new/",
        "heatmap": f"/insights/gaps/units/{org.group.pk}/",
        "board": "/needs/board/",
        "review sheet": f"/people/reviews/sheets/{sheet.pk}/",
    }


@pytest.mark.django_db(transaction=True)
def test_main_pages_fit_a_phone_and_the_menu_button_opens_the_menu(
    live_server, page: Page, wide_organisation: dict[str, str]
) -> None:
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url, "coordinator")
    for name, path in wide_organisation.items():
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.ok, name
        assert_no_sideways_scroll(page, path)

    # The need form is one column: what Milepost understands comes below the form, as wide.
    page.goto(f"{live_server.url}{wide_organisation['need form']}")
    form = page.get_by_role("form", name="The need").bounding_box()
    aside = page.locator("aside", has=page.locator("#live-heading")).bounding_box()
    assert form is not None and aside is not None
    assert aside["y"] >= form["y"] + form["height"] and aside["width"] >= form["width"] - 1

    # The heatmap's table scrolls inside its own box instead.
    page.goto(f"{live_server.url}{wide_organisation['heatmap']}")
    box = page.locator(".overflow-auto", has=page.locator("table.heatmap"))
    assert box.evaluate("box => box.scrollWidth > box.clientWidth")

    menu = page.get_by_role("navigation", name="Main")
    needs_link = menu.get_by_role("link", name="Needs", exact=True)
    expect(needs_link).to_be_hidden()
    menu_button = page.get_by_role("button", name="Menu")
    expect(menu_button).to_have_attribute("aria-expanded", "false")
    menu_button.click()
    expect(menu_button).to_have_attribute("aria-expanded", "true")
    expect(needs_link).to_be_visible()
    needs_link.click()
    expect(page).to_have_url(f"{live_server.url}/needs/")
    assert_no_sideways_scroll(page, "/needs/")


@pytest.mark.django_db(transaction=True)
def test_without_javascript_the_menu_is_shown_and_still_fits(
    live_server, browser: Browser, wide_organisation: dict[str, str]
) -> None:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    log_in(page, live_server.url, "coordinator")
    menu = page.get_by_role("navigation", name="Main")
    expect(menu.get_by_role("link", name="Needs", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    assert_no_sideways_scroll(page, "/")
    context.close()


@pytest.mark.django_db(transaction=True)
def test_heatmap_does_not_widen_the_page_on_a_laptop(
    live_server, page: Page, wide_organisation: dict[str, str]
) -> None:
    page.set_viewport_size(LAPTOP)
    log_in(page, live_server.url, "coordinator")
    page.goto(f"{live_server.url}{wide_organisation['heatmap']}")
    expect(page.locator("table.heatmap")).to_contain_text("not required")
    assert_no_sideways_scroll(page, wide_organisation["heatmap"])
