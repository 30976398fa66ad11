"""The unit gaps page: figures, heatmap, key-person risks, exports, scope and query count."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from milepost.insights import selectors
from milepost.insights.gaps import current_gaps
from milepost.people.models import Assessment
from milepost.people.services import answer_agreed_change, propose_agreed_change
from milepost.testing.factories import EmployeeFactory, OrgUnitFactory

pytestmark = pytest.mark.django_db
# The hand-computed figures count unassessed requirements as level 0; the page's default leaves
# them out (test_coverage.py).
COUNTED = {"unassessed": "count"}


def unit_url(unit, **query):
    return reverse("insights:unit-gaps", args=[unit.pk])


def csv_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def cells_by_name(heatmap):
    """{row name: {competency name: (below, required)}}"""
    names = [name for _, name in heatmap.columns]
    return {
        row.name: {
            name: (cell.below, cell.required)
            for name, cell in zip(names, row.cells, strict=True)
            if cell is not None
        }
        for row in heatmap.rows
    }


def test_summary_equals_the_hand_computed_figures(gap_world, login):
    org = gap_world.org
    response = login(org.coordinator).get(unit_url(org.claims), COUNTED)
    assert response.status_code == 200
    summary = response.context["gaps"].summary
    # Clara: 0 of 2 met, weighted gap 4 + 2; Mo: 1 of 2 met, weighted gap 1.
    assert (summary.headcount, summary.requirements, summary.met) == (2, 4, 1)
    assert (summary.unassessed, summary.weighted_gap, summary.weighted_required) == (1, 7, 28)
    assert summary.pct_met == 25.0 and summary.gap_index == 0.25
    assert summary.ready_in_role == 1
    own = response.context["gaps"].own_summary
    assert (own.headcount, own.weighted_gap) == (1, 6)
    assert [row.name for row in response.context["gaps"].children] == ["Motor claims"]
    assert "25 %" in response.content.decode()


def test_heatmap_rows_are_the_unit_then_its_children_and_columns_the_largest_gaps(gap_world, login):
    org = gap_world.org
    response = login(org.coordinator).get(unit_url(org.group), COUNTED)
    heatmap = response.context["heatmap"]
    assert [name for _, name in heatmap.columns] == [
        "Claims handling",  # weighted gap 4
        "Negotiation",  # 3
        "Risk pricing",  # 0
    ]
    assert cells_by_name(heatmap) == {
        "Group": {"Claims handling": (1, 3), "Negotiation": (2, 2), "Risk pricing": (0, 1)},
        "Claims": {"Claims handling": (1, 2), "Negotiation": (2, 2)},
        "Underwriting": {"Claims handling": (0, 1), "Risk pricing": (0, 1)},
    }
    page = response.content.decode()
    assert "<caption>Gaps by unit and competency" in page
    assert 'class="heat heat-4"' in page and "2/2" in page  # colour and number
    assert "More than three quarters below" in page  # the legend


def test_heatmap_filters_columns_by_competency_name_and_shows_more_on_request(gap_world, login):
    org = gap_world.org
    client = login(org.coordinator)
    filtered = client.get(unit_url(org.group), {"competency": "pric"}).context["heatmap"]
    assert [name for _, name in filtered.columns] == ["Risk pricing"]
    assert filtered.total_columns == 3 and filtered.matching_columns == 1
    narrow = selectors.unit_heatmap(org.coordinator, org.group, columns=1)
    assert [name for _, name in narrow.columns] == ["Claims handling"]
    response = client.get(unit_url(org.group), {"columns": "1"})
    assert response.context["more_columns"] == 21


def test_recording_an_agreed_level_changes_the_heatmap(gap_world, login):
    org = gap_world.org
    client = login(org.coordinator)
    before = cells_by_name(client.get(unit_url(org.claims), COUNTED).context["heatmap"])
    assert before["Claims"]["Negotiation"] == (2, 2)
    change = propose_agreed_change(
        acting_user=org.claims_manager,
        employee=org.motor_handler,
        competency=gap_world.negotiation,
        to_level=2,
        reason="Handled the spring negotiations alone.",
    )
    answer_agreed_change(acting_user=org.employee_user, change=change, agree=True)
    after = cells_by_name(client.get(unit_url(org.claims), COUNTED).context["heatmap"])
    assert after["Claims"]["Negotiation"] == (1, 2)
    assert after["Motor claims"]["Negotiation"] == (0, 1)
    assert current_gaps().full_loads == 1  # applied incrementally


def test_key_person_risks_name_the_sole_holder(gap_world, login):
    org = gap_world.org
    response = login(org.coordinator).get(unit_url(org.claims))
    risks = [
        (r.competency_name, r.required, r.holders, r.sole_holder_name)
        for r in response.context["page_obj"]
    ]
    assert risks == [
        ("Negotiation", 2, 0, ""),
        ("Claims handling", 2, 1, "Mo Handler"),
    ]
    assert "nobody" in response.content.decode()


def test_heatmap_export_has_every_cell(gap_world, login):
    org = gap_world.org
    client = login(org.coordinator)
    rows = csv_rows(client.get(unit_url(org.group), {"export": "csv", "columns": "1", **COUNTED}))
    assert rows[0] == list(selectors.HEATMAP_EXPORT_HEADER)
    counted = ["2", "0", "2", "100.0", "3", "3.0"]  # counted, holders, below, %, levels, weighted
    assert ["Claims", "Negotiation", "2", "1", "1", "counted as level 0", *counted] in rows
    assert len(rows) == 1 + 7  # every non-empty cell, whatever the page shows
    workbook = load_workbook(
        io.BytesIO(client.get(unit_url(org.group), {"export": "xlsx"}).content)
    )
    assert workbook.active.max_row == 1 + 7


def test_risk_and_sub_unit_exports(gap_world, login):
    org = gap_world.org
    client = login(org.coordinator)
    risks = csv_rows(client.get(unit_url(org.claims), {"export": "csv", "table": "risks"}))
    assert risks[1:] == [
        ["Claims", "Negotiation", "2", "0", ""],
        ["Claims", "Claims handling", "2", "1", "Mo Handler"],
    ]
    units = csv_rows(
        client.get(unit_url(org.group), {"export": "csv", "table": "units", **COUNTED})
    )
    assert [row[0] for row in units[1:]] == ["Claims", "Underwriting"]
    assert units[1][1:10] == ["2", "2", "4", "3", "1", "counted as level 0", "4", "1", "25.0"]


def test_manager_sees_their_units_and_never_another_units_rows(gap_world, login):
    org = gap_world.org
    client = login(org.claims_manager)
    assert client.get(unit_url(org.underwriting)).status_code == 404
    assert client.get(unit_url(org.group)).status_code == 404
    response = client.get(unit_url(org.claims))
    names = {row.name for row in response.context["heatmap"].rows}
    assert names == {"Claims", "Motor claims"}
    assert "Underwriting" not in response.content.decode()
    assert "Ursula" not in response.content.decode()


def test_sole_holder_outside_the_viewers_scope_is_not_named(gap_world, login):
    org = gap_world.org
    # Ursula (underwriting) is the only holder of risk pricing in the group.
    risks = selectors.key_person_risks(org.coordinator, org.group)
    pricing = next(r for r in risks if r.competency_name == "Risk pricing")
    assert pricing.sole_holder_name == "Ursula Writer"


def test_empty_organisation_says_what_to_do(org, login):
    response = login(org.coordinator).get(unit_url(org.claims))
    assert response.status_code == 200
    assert "No job profile held here has requirements yet" in response.content.decode()


def test_query_count_is_fixed_whatever_the_organisation_size(
    gap_world, login, django_assert_num_queries
):
    org = gap_world.org
    client = login(org.claims_manager)
    client.get(unit_url(org.claims))  # loads the engine once
    # session, user, user's employee and unit, the unit, structure check, new agreed rows,
    # unit names, heatmap competency names, risk competency names, sole holders.
    with django_assert_num_queries(11):
        client.get(unit_url(org.claims))
    for number in range(5):
        team = OrgUnitFactory.create(parent=org.claims, name=f"Team {number}")
        for _ in range(3):
            person = EmployeeFactory.create(unit=team, job_profile=gap_world.handler)
            Assessment.objects.create(
                employee=person,
                competency=gap_world.handling,
                kind=Assessment.Kind.AGREED,
                level=number % 3,  # below 3: Mo stays the sole holder of claims handling
                assessed_on=datetime.date(2026, 1, 1),
            )
    client.get(unit_url(org.claims))
    with django_assert_num_queries(11):
        response = client.get(unit_url(org.claims))
    assert len(response.context["heatmap"].rows) == 7
