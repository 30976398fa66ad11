"""Take the README's screenshots from a running Milepost demo.

Needs a server already running on http://127.0.0.1:8000 with the demo organisation loaded,
e.g. `make run` in another terminal. Then, from the repository root:

    .venv/bin/python scripts/screenshots.py

It drives Debian's Chromium (/usr/bin/chromium) headless through Playwright, logs in as the
demo users `coordinator` and `line.manager` (password `milepost-demo`) and writes 1280x800
PNGs of the visible viewport (not the full page, so each file stays small) to
docs/screenshots/. Nothing in the database is changed. Pages are reached by clicking through
the application as a user would; only the job profile's title is taken from the demo's content.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from playwright.sync_api import Browser, Page, expect, sync_playwright

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
VIEWPORT = {"width": 1280, "height": 800}
JOB_PROFILE = "Claims Handler"  # a demo profile with a dozen requirements
# The demo assesses about half of its people; how many employee pages to try for one.
EMPLOYEES_TO_TRY = 25


def log_in(browser: Browser, username: str) -> Page:
    page = browser.new_page(viewport=VIEWPORT)
    page.goto(f"{BASE_URL}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    return page


def save(page: Page, name: str) -> None:
    path = OUT_DIR / f"{name}.png"
    page.mouse.move(0, 0)  # no hover highlight in the picture
    page.screenshot(path=path)
    print(path.relative_to(ROOT))


def go_to(page: Page, section: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name=section).click()


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
    cycles = coordinator.locator(
        "section", has=coordinator.get_by_role("heading", name="Review cycles")
    )
    cycles.get_by_role("link").first.click()
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


def main() -> None:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        coordinator = log_in(browser, "coordinator")
        framework_tree(coordinator)
        job_profile_and_competency(coordinator)
        people_and_units(coordinator)
        line_manager = log_in(browser, "line.manager")
        assessed_employee(line_manager)
        reviews(coordinator, log_in(browser, "employee"))
        gaps(line_manager)
        catalogue(coordinator)
        recommendation(line_manager)
        browser.close()


if __name__ == "__main__":
    main()
