"""The booklet's "Download PDF" prints what the form shows now, without pressing "Show" first;
with a task worker, the progress page follows the printing and then offers the PDF."""

from __future__ import annotations

import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import override_settings
from playwright.sync_api import Page, expect

from milepost.catalogue.models import BookletPrint
from milepost.catalogue.printing import run_booklet_print
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


@pytest.mark.django_db(transaction=True)
def test_progress_page_follows_a_print_made_by_the_worker(
    live_server, page: Page, org, claims_profile
) -> None:
    outcome(CourseFactory(title="Negotiating settlements"), claims_profile.negotiation, 3)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("coordinator")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/catalogue/booklet/")
    # Tasks queued, not run: the worker below prints while the page watches.
    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    ):
        page.get_by_role("button", name="Download PDF").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Printing the booklet")
        expect(page.get_by_text("Waiting for the printer")).to_be_visible()
        run_booklet_print(print_id=BookletPrint.objects.get().pk)
        link = page.get_by_role("button", name="Download the PDF")
        expect(link).to_be_visible(timeout=5_000)  # htmx asked again and swapped it in
    with page.expect_download() as download_info:
        link.click()
    assert "Negotiating settlements" in pdf_text(Path(download_info.value.path()).read_bytes())
