"""Take the README's screenshots from a running Milepost demo.

Needs a server already running on http://127.0.0.1:8000 with the demo organisation loaded,
e.g. `make run` in another terminal. Then, from the repository root:

    .venv/bin/python scripts/screenshots.py                   # every shot
    .venv/bin/python scripts/screenshots.py --only clients    # one group's shots
    .venv/bin/python scripts/screenshots.py --only portal heatmap --base-url http://127.0.0.1:8001

`--only` takes group names (see `--list`) or single shot names, so the other PNGs are not
rewritten. It drives Debian's Chromium (/usr/bin/chromium) headless through Playwright, logs
in as the demo users it needs (`coordinator`, `line.manager`, `employee`, `employer`; password
`milepost-demo`) and writes 1280x800 PNGs of the visible viewport (not the full page, so each
file stays small) to docs/screenshots/. Nothing in the database is changed. Pages are reached
by clicking through the application as a user would; only the job profile's title and the
client's name are taken from the demo's content.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Browser, Page, ViewportSize, expect, sync_playwright

BASE_URL = "http://127.0.0.1:8000"
PASSWORD = "milepost-demo"
ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT: ViewportSize = {"width": 1280, "height": 800}
JOB_PROFILE = "Claims Handler"  # a demo profile with a dozen requirements
# The demo's outside employer with the fullest story: contacts, a signed-off stakeholder map,
# two survey rounds, and the `employer` login's own organisation.
CLIENT = "Harbour Logistics Ltd"
# The demo's business issue whose consultancy became an accepted proposal (issue 13's story).
ISSUE = "Motor claims complaints up 30 % since the new policy wording"
# The demo assesses about half of its people; how many employee pages to try for one.
EMPLOYEES_TO_TRY = 25


# The shots to write (None: all of them); set from --only.
wanted: set[str] | None = None


def log_in(browser: Browser, username: str) -> Page:
    page = browser.new_page(viewport=VIEWPORT)
    page.goto(f"{BASE_URL}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    return page


def save(page: Page, name: str) -> None:
    if wanted is not None and name not in wanted:
        return
    path = OUT_DIR / f"{name}.png"
    page.mouse.move(0, 0)  # no hover highlight in the picture
    page.screenshot(path=path)
    print(path.relative_to(ROOT))


def go_to(page: Page, section: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name=section).click()


def open_first_link_under(page: Page, heading: str) -> None:
    """Click the first link in the section headed `heading`."""
    section = page.locator("section", has=page.get_by_role("heading", name=heading))
    section.get_by_role("link").first.click()


def framework_tree(page: Page) -> None:
    go_to(page, "Frameworks")
    page.get_by_role("table").get_by_role("link").first.click()
    # Small frameworks open fully expanded; a large one loads a group's children on demand.
    closed_group = page.locator(".tree details:not([open]) > summary").first
    if closed_group.count():
        closed_group.locator("span").click()
        expect(page.get_by_role("list", name="Below").first).to_be_visible()
    # Start the picture below the menu bar, so more of the tree fits.
    page.get_by_role("navigation", name="breadcrumb").evaluate("nav => nav.scrollIntoView()")
    save(page, "framework-tree")


def job_profile_and_competency(page: Page) -> None:
    go_to(page, "Job profiles")
    page.wait_for_load_state("networkidle")  # htmx (deferred) must be listening before typing
    page.get_by_label("Search job profiles").fill(JOB_PROFILE)
    expect(page).to_have_url(re.compile(r"[?&]q="))  # the live search has answered
    page.get_by_role("link", name=JOB_PROFILE, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(JOB_PROFILE)
    save(page, "job-profile")
    page.get_by_role("table").get_by_role("rowheader").first.get_by_role("link").click()
    expect(page.get_by_role("heading", name="Levels")).to_be_visible()
    save(page, "competency")


def people_and_units(page: Page) -> None:
    go_to(page, "People")
    expect(page.get_by_role("table")).to_be_visible()
    save(page, "people")
    go_to(page, "Organisation")
    expect(page.get_by_role("list", name="Organisation units")).to_be_visible()
    save(page, "org-units")


def assessed_employee(page: Page) -> None:
    """A line manager's view of one of their people who has assessments."""
    go_to(page, "People")
    list_url = page.url
    names = page.get_by_role("table").get_by_role("rowheader").all_inner_texts()
    for name in names[:EMPLOYEES_TO_TRY]:
        page.get_by_role("link", name=name, exact=True).first.click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(name)
        page.wait_for_load_state()
        # The table lists the profile's competencies either way; history links mean assessments.
        if page.get_by_role("link", name=re.compile(r"^History of ")).count():
            save(page, "employee")
            return
        page.goto(list_url)
    sys.exit(f"None of the first {EMPLOYEES_TO_TRY} people has assessments; is the demo loaded?")


def reviews(coordinator: Page, employee: Page) -> None:
    """The open review cycle's progress, and the demo employee's self-assessment sheet."""
    go_to(coordinator, "Reviews")
    open_first_link_under(coordinator, "Review cycles")
    expect(coordinator.get_by_role("heading", name="Progress")).to_be_visible()
    save(coordinator, "review-cycle")
    go_to(employee, "Reviews")
    own = employee.locator("section", has=employee.get_by_role("heading", name="Your reviews"))
    own.get_by_role("link").first.click()
    sheet = employee.get_by_role("heading", name="Your self-assessment")
    expect(sheet).to_be_visible()
    sheet.evaluate("heading => heading.scrollIntoView()")
    save(employee, "self-assessment")


def gaps(manager: Page) -> None:
    """A line manager's unit heatmap, and the bench strength of a job profile."""
    go_to(manager, "Gaps")
    expect(manager.get_by_role("heading", level=1)).to_be_visible()
    heatmap = manager.locator("table.heatmap")
    if not heatmap.count():
        manager.get_by_role("table").get_by_role("link").first.click()
    expect(manager.locator("table.heatmap")).to_be_visible()
    manager.get_by_role("heading", name="Heatmap").evaluate("heading => heading.scrollIntoView()")
    save(manager, "heatmap")


def catalogue(coordinator: Page) -> None:
    """The course list, and a track's steps."""
    go_to(coordinator, "Catalogue")
    expect(coordinator.get_by_role("table")).to_be_visible()
    save(coordinator, "catalogue")


def recommendation(manager: Page) -> None:
    """The least-cost training for one of the line manager's people with gaps."""
    go_to(manager, "People")
    list_url = manager.url
    names = manager.get_by_role("table").get_by_role("rowheader").all_inner_texts()
    for name in names[:EMPLOYEES_TO_TRY]:
        manager.get_by_role("link", name=name, exact=True).first.click()
        gaps = manager.get_by_role("link", name="Gap analysis")
        if gaps.count():
            gaps.click()
            manager.get_by_role("link", name="Recommended training to close these gaps").click()
            if manager.locator("table.data").count():
                manager.get_by_role("heading", level=1).evaluate("h => h.scrollIntoView()")
                save(manager, "recommendation")
                return
        manager.goto(list_url)
    sys.exit(f"None of the first {EMPLOYEES_TO_TRY} people has a recommendation.")


def clients(coordinator: Page, employer: Page) -> None:
    """The client list, a client's page and satisfaction, our stakeholder map, the journey map;
    then the employer contact's portal: their organisation as the training function shows it."""
    go_to(coordinator, "Clients")
    expect(coordinator.get_by_role("table")).to_be_visible()
    save(coordinator, "client-list")
    list_url = coordinator.url
    coordinator.get_by_role("link", name=CLIENT, exact=True).click()
    expect(coordinator.get_by_role("heading", level=1)).to_have_text(CLIENT)
    expect(
        coordinator.get_by_role("heading", name=re.compile(r"^Relationship health"))
    ).to_be_visible()
    save(coordinator, "client")
    coordinator.get_by_role("link", name="Satisfaction", exact=True).click()
    expect(coordinator.get_by_role("heading", name="Answers")).to_be_visible()
    # Start at the heading, so the chart of answers by quarter fits below the figures.
    coordinator.get_by_role("heading", level=1).evaluate("h => h.scrollIntoView()")
    save(coordinator, "client-satisfaction")
    coordinator.goto(list_url)
    coordinator.get_by_role("link", name="Our stakeholder map").click()
    expect(coordinator.locator("figure.stakeholder-map svg")).to_be_visible()
    save(coordinator, "stakeholder-map")
    coordinator.goto(list_url)
    coordinator.get_by_role("link", name="Journey map").click()
    expect(coordinator.locator("table.journey-map")).to_be_visible()
    # Start at the clients-by-stage grid; the per-stage summary above it is one table of figures.
    coordinator.get_by_role("heading", name="Clients", exact=True).evaluate(
        "h => h.scrollIntoView()"
    )
    save(coordinator, "journey-map")
    go_to(employer, "Our portal")
    expect(employer.get_by_role("heading", level=1)).to_have_text(CLIENT)
    expect(employer.get_by_role("heading", name="What happened")).to_be_visible()
    save(employer, "portal")


def proposals(coordinator: Page) -> None:
    """The business issues register, an issue with its metrics, the consultancy engagement on
    it, the proposal made from its findings, and that proposal's document."""
    go_to(coordinator, "Proposals")
    coordinator.get_by_role("link", name="Business issues", exact=True).click()
    expect(coordinator.get_by_role("heading", level=1)).to_have_text("Business issues")
    save(coordinator, "issue-register")
    coordinator.get_by_role("link", name=ISSUE, exact=True).click()
    expect(coordinator.get_by_role("heading", name="Metrics")).to_be_visible()
    save(coordinator, "business-issue")
    open_first_link_under(coordinator, "What addresses it")  # the engagement, then proposals
    expect(coordinator.get_by_role("heading", name="The measurable business goal")).to_be_visible()
    save(coordinator, "engagement")
    open_first_link_under(coordinator, "Proposals from these findings")
    expect(coordinator.get_by_role("heading", name="The solution")).to_be_visible()
    save(coordinator, "proposal")
    coordinator.get_by_role("link", name="The proposal document").click()
    thread = coordinator.get_by_role("heading", name="The golden thread")
    expect(thread).to_be_visible()
    # The document's own ending: issue -> metric -> item -> competencies -> evaluation.
    thread.evaluate("heading => heading.scrollIntoView()")
    save(coordinator, "proposal-document")


class Logins:
    """One logged-in page per demo user, opened the first time a group needs it."""

    def __init__(self, browser: Browser) -> None:
        self.browser = browser
        self.pages: dict[str, Page] = {}

    def __call__(self, username: str) -> Page:
        if username not in self.pages:
            self.pages[username] = log_in(self.browser, username)
        return self.pages[username]


@dataclass(frozen=True)
class Group:
    name: str
    shots: tuple[str, ...]
    take: Callable[[Logins], None]


GROUPS = (
    Group("frameworks", ("framework-tree",), lambda as_: framework_tree(as_("coordinator"))),
    Group(
        "profiles",
        ("job-profile", "competency"),
        lambda as_: job_profile_and_competency(as_("coordinator")),
    ),
    Group("people", ("people", "org-units"), lambda as_: people_and_units(as_("coordinator"))),
    Group("employee", ("employee",), lambda as_: assessed_employee(as_("line.manager"))),
    Group(
        "reviews",
        ("review-cycle", "self-assessment"),
        lambda as_: reviews(as_("coordinator"), as_("employee")),
    ),
    Group("gaps", ("heatmap",), lambda as_: gaps(as_("line.manager"))),
    Group("catalogue", ("catalogue",), lambda as_: catalogue(as_("coordinator"))),
    Group("recommendation", ("recommendation",), lambda as_: recommendation(as_("line.manager"))),
    Group(
        "clients",
        (
            "client-list",
            "client",
            "client-satisfaction",
            "stakeholder-map",
            "journey-map",
            "portal",
        ),
        lambda as_: clients(as_("coordinator"), as_("employer")),
    ),
    Group(
        "proposals",
        ("issue-register", "business-issue", "engagement", "proposal", "proposal-document"),
        lambda as_: proposals(as_("coordinator")),
    ),
)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--only",
        nargs="+",
        metavar="NAME",
        help="take only these groups or shots (names from --list); the other PNGs are left alone",
    )
    parser.add_argument(
        "--base-url", default=BASE_URL, help=f"the running demo (default {BASE_URL})"
    )
    parser.add_argument("--list", action="store_true", help="list the groups and their shots")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    global BASE_URL, wanted
    args = parse_args(argv)
    if args.list:
        for group in GROUPS:
            print(f"{group.name}: {', '.join(group.shots)}")
        return
    BASE_URL = args.base_url.rstrip("/")
    groups = list(GROUPS)
    if args.only:
        names = {name for value in args.only for name in value.split(",") if name}
        known = {g.name for g in GROUPS} | {shot for g in GROUPS for shot in g.shots}
        if unknown := sorted(names - known):
            sys.exit(f"Unknown group or shot: {', '.join(unknown)} (see --list)")
        groups = [g for g in GROUPS if g.name in names or names & set(g.shots)]
        wanted = {shot for g in groups for shot in g.shots if g.name in names or shot in names}
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        logins = Logins(browser)
        for group in groups:
            group.take(logins)
        browser.close()


if __name__ == "__main__":
    main()
