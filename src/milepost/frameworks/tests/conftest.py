"""Fixtures for the frameworks tests: a small tree, logged-in clients and API headers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from milepost.accounts.models import User
from milepost.accounts.services import issue_api_token
from milepost.frameworks.models import Competency, Framework
from milepost.testing.factories import CompetencyFactory, FrameworkFactory, ScaleFactory


@dataclass
class DigitalTree:
    """Digital skills (group) > Data (group) > Spreadsheets > Pivot tables; plus Coding."""

    framework: Framework
    digital: Competency
    data: Competency
    spreadsheets: Competency
    pivot_tables: Competency
    coding: Competency


@pytest.fixture
def tree(db: None) -> DigitalTree:
    framework = FrameworkFactory.create(
        code="digital", name="Digital skills framework", scale=ScaleFactory.create()
    )
    group = Competency.Kind.GROUP
    digital = CompetencyFactory.create(
        framework=framework, code="D", name="Digital skills", kind=group
    )
    data = CompetencyFactory.create(
        framework=framework, code="D.1", name="Data handling", kind=group, parent=digital
    )
    spreadsheets = CompetencyFactory.create(
        framework=framework,
        code="D.1.1",
        name="Use spreadsheets",
        alt_labels="Excel skills\nworking with worksheets",
        description="Builds formulas and checks totals in tabular workbooks.",
        parent=data,
    )
    pivot_tables = CompetencyFactory.create(
        framework=framework, code="D.1.1.1", name="Build pivot tables", parent=spreadsheets
    )
    coding = CompetencyFactory.create(
        framework=framework, code="D.2", name="Write code", parent=digital
    )
    return DigitalTree(framework, digital, data, spreadsheets, pivot_tables, coding)


@pytest.fixture
def login() -> Callable[[User], Client]:
    def logged_in(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return logged_in


@pytest.fixture
def api() -> Callable[[User], dict[str, Any]]:
    """Headers for an API request as `user` (a fresh bearer token)."""

    def headers(user: User) -> dict[str, Any]:
        _, raw = issue_api_token(acting_user=user, name="tests")
        return {"Authorization": f"Bearer {raw}"}

    return headers
