"""Requesters: one definition (people who raised an open need; a need entered on someone's
behalf counts the person named once), the same number on the board, the themes page, the
theme page and the board's exports."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from milepost.needs.models import DemandTheme, Need, Status
from milepost.needs.selectors import requester_count

pytestmark = pytest.mark.django_db

BOARD = reverse("needs:board")


def raise_need(org, theme, title, requester, requester_name="", status=Status.SUBMITTED) -> Need:
    return Need.objects.create(
        title=title,
        description=f"{title}: people struggle with this since the spring.",
        unit=org.claims,
        requester=requester,
        requester_name=requester_name,
        theme=theme,
        status=status,
    )


@pytest.fixture
def theme(org) -> DemandTheme:
    """Three people: the claims manager (two needs), the renewals survey (entered twice, by
    two people, in different case), the property focus group; a declined need is not counted."""
    theme = DemandTheme.objects.create(title="Difficult customer conversations")
    raise_need(org, theme, "Angry callers", org.claims_manager)
    raise_need(org, theme, "Calming upset customers", org.claims_manager)
    raise_need(org, theme, "Abuse in renewals calls", org.coordinator, "Renewals team survey, Q2")
    raise_need(org, theme, "Distress at renewal", org.admin, " renewals team survey,  q2")
    raise_need(org, theme, "Bereaved customers", org.coordinator, "Property claims focus group")
    raise_need(org, theme, "Old request", org.employee_user, status=Status.DECLINED)
    return theme


def test_requester_count_counts_people_behind_open_needs(org, theme):
    assert requester_count(theme.needs.all()) == 3


def test_board_themes_page_theme_page_and_exports_agree(org, theme, login):
    client = login(org.coordinator)
    board = client.get(BOARD)
    assert board.context["page_obj"][0].requester_count == 3
    themes = client.get(reverse("needs:theme-list"))
    assert [row.requester_count for row in themes.context["themes"]] == [3]
    assert "<td>3</td>" in themes.content.decode()
    detail = client.get(reverse("needs:theme-detail", args=[theme.pk])).content.decode()
    assert "5 open needs from 3 requesters" in detail
    response = client.get(BOARD, {"export": "csv"})
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert lines[1][lines[0].index("Requesters")] == "3"
    sheet = load_workbook(io.BytesIO(client.get(BOARD, {"export": "xlsx"}).content)).active
    values = list(sheet.values)
    assert values[1][values[0].index("Requesters")] == 3


def test_a_line_manager_counts_only_the_needs_they_can_see(org, theme, login):
    raise_need(org, theme, "Underwriting too", org.underwriting_manager)
    client = login(org.underwriting_manager)
    assert [
        row.requester_count for row in client.get(reverse("needs:theme-list")).context["themes"]
    ] == [1]
    assert client.get(BOARD).context["page_obj"][0].requester_count == 1
