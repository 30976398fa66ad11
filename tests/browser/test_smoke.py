from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from milepost.accounts.models import Role
from milepost.testing.factories import UserFactory


@pytest.mark.django_db(transaction=True)
def test_login_shows_the_start_page(live_server, page: Page) -> None:
    UserFactory(username="coord", role=Role.COORDINATOR, first_name="Cora")
    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill("coord")
    page.get_by_label("Password").fill("pass-word-123")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome, Cora")
