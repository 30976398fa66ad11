"""The pages keep working under the strict Content-Security-Policy: Chromium reports no refused
script, style or image, the styles apply, htmx swaps, and the API docs render."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import Page, expect

from milepost.reviews.services import open_review_cycle

PASSWORD = "pass-word-123"


def watch_violations(page: Page) -> list[str]:
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return refused


@pytest.mark.django_db(transaction=True)
def test_the_main_pages_satisfy_the_policy(live_server, page: Page, org, claims_profile) -> None:
    cycle = open_review_cycle(
        acting_user=org.coordinator,
        name="Spring review",
        units=[org.group],
        opens_on=datetime.date(2026, 3, 2),
        self_assessment_due=datetime.date(2026, 3, 16),
        manager_assessment_due=datetime.date(2026, 3, 30),
        closes_on=datetime.date(2026, 4, 24),
    )
    refused = watch_violations(page)
    page.goto(f"{live_server.url}/accounts/login/")
    card = page.locator("article.narrow-card")
    assert card.evaluate("element => getComputedStyle(element).maxWidth") == "512px"
    page.get_by_label("Username").fill("coordinator")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")

    for path in (
        "/frameworks/",
        "/people/units/",
        f"/people/reviews/{cycle.pk}/",
        "/needs/board/",
        "/catalogue/booklet/",
        "/accounts/tokens/",
        "/accounts/two-factor/",
    ):
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.ok, path
    expect(page.locator("img.qr-code")).to_be_visible()
    assert page.locator("img.qr-code").evaluate("image => image.naturalWidth") > 0

    page.goto(f"{live_server.url}/frameworks/competencies/")
    page.locator("#id_q").fill("Negotiation")  # htmx swaps the results in
    expect(page.locator("#competency-results")).to_contain_text("Negotiation")

    page.goto(f"{live_server.url}/api/v1/docs")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible(timeout=15_000)
    assert refused == []
