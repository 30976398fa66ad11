"""The booklet's "Download PDF" prints what the form shows now, without pressing "Show" first."""

from __future__ import annotations

import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Page

from milepost.testing.factories import CourseFactory, outcome

PASSWORD = "pass-word-123"  # what UserFactory sets


def pdf_text(pdf: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


@pytest.mark.django_db(transaction=True)
def test_download_pdf_carries_the_unit_and_prices_chosen_on_the_form(
    live_server, page: Page, org, claims_profile
) -> None:
    needed = CourseFactory(
        code="NEG-1", title="Negotiating settlements", cost_per_person=Decimal("250")
    )
    outcome(needed, claims_profile.negotiation, 3)
    other = CourseFactory(code="CARE-1", title="Customer care basics")
    outcome(other, claims_profile.customer_care, 2)

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("coordinator")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/catalogue/booklet/")

    # Choices made, "Show" never pressed.
    page.get_by_label("Business unit").select_option(label="Motor claims")
    page.get_by_label("Show prices").check()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download PDF").click()
    text = pdf_text(Path(download_info.value.path()).read_bytes())
    assert "Business unit: Motor claims (CLM-MOT)" in text
    assert "GBP 250.00 a person" in text
    assert "Negotiating settlements" in text and "Customer care basics" not in text
