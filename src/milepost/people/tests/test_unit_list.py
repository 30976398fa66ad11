from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from milepost.testing.factories import EmployeeFactory, OrgUnitFactory

pytestmark = pytest.mark.django_db

URL = reverse("people:unit-list")


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_coordinator_sees_the_whole_tree_with_counts(org, login):
    response = login(org.coordinator).get(URL)
    assert response.status_code == 200
    tree = response.context["tree"]
    assert [node.unit.code for node in tree] == ["GRP"]
    group = tree[0]
    assert [child.unit.code for child in group.children] == ["CLM", "UW"]
    claims = group.children[0]
    assert claims.employee_count == 1  # Clara
    assert claims.total_count == 2  # Clara and Mo in the motor team
    assert group.total_count == 4
    assert b"Motor claims" in response.content


def test_inactive_employees_are_not_counted(org, login):
    EmployeeFactory(unit=org.underwriting, is_active=False)
    tree = login(org.coordinator).get(URL).context["tree"]
    underwriting = next(n for n in tree[0].children if n.unit.code == "UW")
    assert underwriting.employee_count == 2


def test_line_manager_tree_starts_at_their_own_unit(org, login):
    response = login(org.claims_manager).get(URL)
    tree = response.context["tree"]
    assert [node.unit.code for node in tree] == ["CLM"]
    assert [child.unit.code for child in tree[0].children] == ["CLM-MOT"]
    assert b"Underwriting" not in response.content


def test_employee_and_employer_contact_see_an_empty_state(org, login):
    for user in (org.employee_user, org.employer_contact):
        response = login(user).get(URL)
        assert response.status_code == 200
        assert response.context["tree"] == []
        assert b"empty-state" in response.content
        assert b"Claims" not in response.content


# session + user + a count + one annotated query for the units; a line manager adds their
# employee record and their unit.
@pytest.mark.parametrize(("user_attr", "queries"), [("coordinator", 5), ("claims_manager", 7)])
def test_tree_renders_any_depth_in_a_fixed_number_of_queries(
    org, login, django_assert_num_queries, user_attr, queries
):
    client = login(getattr(org, user_attr))
    with django_assert_num_queries(queries):
        client.get(URL)
    parent = org.motor_team
    for depth in range(8):
        parent = OrgUnitFactory(parent=parent, name=f"Level {depth}")
        EmployeeFactory(unit=parent)
    with django_assert_num_queries(queries):
        response = client.get(URL)
    assert b"Level 7" in response.content


def _csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_csv_export_lists_units_in_tree_order_with_counts(org, login):
    response = login(org.coordinator).get(URL, {"export": "csv"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="organisation-units.csv"'
    header, *rows = _csv_rows(response)
    assert header[:4] == ["Code", "Name", "Kind", "Parent code"]
    assert [(row[0], row[3], row[5], row[6]) for row in rows] == [
        ("GRP", "", "0", "4"),
        ("CLM", "GRP", "1", "2"),
        ("CLM-MOT", "CLM", "1", "1"),
        ("UW", "GRP", "2", "2"),
    ]


def test_line_manager_export_holds_only_their_units(org, login):
    response = login(org.claims_manager).get(URL, {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["CLM", "CLM-MOT"]


def test_export_of_an_empty_scope_is_a_header_only(org, login):
    response = login(org.employer_contact).get(URL, {"export": "csv"})
    [header] = _csv_rows(response)
    assert header[0] == "Code"


def test_a_large_organisation_draws_the_top_of_the_chart_with_counts_below(org, login, monkeypatch):
    """Group > Claims > Motor claims, Underwriting: with room for 3 units, two levels are drawn
    and Motor claims is counted, not drawn (issue 11: 70,000 units took 9 s)."""
    EmployeeFactory(unit=org.motor_team)
    monkeypatch.setattr("milepost.people.selectors.TREE_UNIT_LIMIT", 3)
    response = login(org.coordinator).get(URL)
    chart = response.context["chart"]
    assert not chart.complete and chart.total_units == 4
    group = chart.roots[0]
    claims = next(node for node in group.children if node.unit.code == "CLM")
    assert claims.children == [] and claims.hidden_children == 1
    # Clara is in Claims, Mo and the new person in Motor claims: all three are counted below.
    assert claims.total_count == 3
    assert group.total_count == 5
    html = response.content.decode()
    assert "4 units: the top of the chart is drawn" in html
    assert "1 unit below" in html


def test_units_are_found_by_name_or_code_a_page_at_a_time(org, login):
    client = login(org.coordinator)
    response = client.get(URL, {"q": "motor"})
    assert [unit.code for unit in response.context["page_obj"]] == ["CLM-MOT"]
    assert [unit.code for unit in client.get(URL, {"q": "UW"}).context["page_obj"]] == ["UW"]
    # A line manager's search stays inside their units.
    found = login(org.claims_manager).get(URL, {"q": "Underwriting"}).context["page_obj"]
    assert list(found) == []
