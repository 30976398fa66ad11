"""The demand board: ranking by the documented formula, themes, filters, exports, charts,
query counts and who may open it."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from milepost.accounts.models import Role
from milepost.engines.demand.priority import PriorityInputs, Weights, priority_factors
from milepost.lib import charts
from milepost.needs import demand, services
from milepost.needs.models import DemandTheme, Need, NeedCompetency, PriorityWeights, Status
from milepost.testing.factories import CompetencyFactory, OrgUnitFactory, UserFactory

pytestmark = pytest.mark.django_db

BOARD = reverse("needs:board")
WEIGHTS = reverse("needs:weights")


def make_need(org, title="A need", *, unit=None, requester=None, **fields) -> Need:
    return Need.objects.create(
        title=title,
        description=f"{title}: people struggle with this since the spring.",
        unit=unit if unit is not None else org.claims,
        requester=requester or org.coordinator,
        **fields,
    )


def map_to(need: Need, competency, *, accepted: bool = True, rank: int = 1) -> NeedCompetency:
    return NeedCompetency.objects.create(
        need=need, competency=competency, accepted=accepted, rank=rank
    )


def rows_of(response) -> list[demand.BoardRow]:
    return list(response.context["page_obj"].object_list)


DEFAULT_WEIGHTS = Weights()


def expected_score(weights: Weights = DEFAULT_WEIGHTS, **inputs) -> float:
    return priority_factors(PriorityInputs(**inputs), weights, timezone.localdate()).score


# --- ranking ---------------------------------------------------------------------------------


def test_rows_are_ranked_by_the_documented_formula(org, login):
    make_need(org, "Minor niggle", impact=1, urgency=1, people_affected=1)
    make_need(org, "Severe and urgent", impact=5, urgency=4, people_affected=40)
    make_need(org, "Middling", impact=3, urgency=2, people_affected=10)
    rows = rows_of(login(org.coordinator).get(BOARD))
    assert [row.title for row in rows] == ["Severe and urgent", "Middling", "Minor niggle"]
    assert [row.rank for row in rows] == [1, 2, 3]
    assert rows[0].score == expected_score(impact=5, urgency=4, people_affected=40)
    assert rows[1].score == expected_score(impact=3, urgency=2, people_affected=10)
    assert rows[2].score == expected_score(impact=1, urgency=1, people_affected=1)


def test_a_near_deadline_counts_as_urgent(org, login):
    soon = timezone.localdate() + datetime.timedelta(days=5)
    make_need(org, "Due soon", impact=2, urgency=1, wanted_by=soon)
    make_need(org, "No date", impact=2, urgency=2)
    rows = rows_of(login(org.coordinator).get(BOARD))
    assert rows[0].title == "Due soon"
    assert rows[0].factors.urgency == 1.0


def test_changing_the_weights_changes_the_ranking(org, login):
    make_need(org, "Severe for a few", impact=5, urgency=1, people_affected=2)
    make_need(org, "Minor for many", impact=1, urgency=1, people_affected=800)
    client = login(org.coordinator)
    assert [row.title for row in rows_of(client.get(BOARD))] == [
        "Severe for a few",
        "Minor for many",
    ]
    services.set_priority_weights(
        acting_user=org.coordinator, impact=0, urgency=0, people=1, breadth=0
    )
    rows = rows_of(client.get(BOARD))
    assert [row.title for row in rows] == ["Minor for many", "Severe for a few"]
    people_only = Weights(impact=0, urgency=0, people=1, breadth=0)
    assert rows[0].score == expected_score(people_only, impact=1, urgency=1, people_affected=800)


def test_a_theme_is_one_row_aggregating_its_needs(org, login):
    excel = CompetencyFactory.create(name="Excel modelling")
    negotiation = CompetencyFactory.create(name="Negotiation")
    theme = DemandTheme.objects.create(title="Spreadsheet skills")
    early = datetime.date(2030, 3, 1)
    first = make_need(
        org,
        "Pivot tables",
        unit=org.motor_team,
        requester=org.claims_manager,
        impact=2,
        urgency=3,
        people_affected=10,
        wanted_by=datetime.date(2030, 6, 1),
        theme=theme,
    )
    second = make_need(
        org,
        "Forecast models",
        unit=org.underwriting,
        requester=org.underwriting_manager,
        impact=4,
        urgency=1,
        people_affected=5,
        wanted_by=early,
        theme=theme,
    )
    third = make_need(
        org,
        "Lookups",
        unit=org.underwriting,
        requester=org.underwriting_manager,
        impact=1,
        urgency=2,
        people_affected=20,
        theme=theme,
    )
    map_to(first, excel)
    map_to(second, negotiation)
    map_to(third, excel)
    make_need(org, "Unthemed need", impact=1, urgency=1)
    rows = rows_of(login(org.coordinator).get(BOARD))
    assert len(rows) == 2
    row = next(row for row in rows if row.theme == theme)
    assert row.title == "Spreadsheet skills"
    assert row.need_count == 3
    assert row.requester_count == 2
    assert row.unit_count == 2
    assert row.unit_names == ["Motor claims", "Underwriting"]
    assert row.people_affected == 35
    assert (row.impact, row.urgency, row.wanted_by) == (4, 3, early)
    assert row.competency_ids == {excel.pk, negotiation.pk}
    assert row.competency_names == ["Excel modelling", "Negotiation"]
    assert row.score == expected_score(
        impact=4, urgency=3, people_affected=35, units=2, wanted_by=early
    )
    assert row.url == reverse("needs:theme-detail", args=[theme.pk])


def test_requesters_entered_on_behalf_count_separately(org, login):
    theme = DemandTheme.objects.create(title="Survey answers")
    make_need(org, "One", theme=theme, requester_name="Ann from claims")
    make_need(org, "Two", theme=theme, requester_name="Bob from claims")
    make_need(org, "Three", theme=theme, requester_name="ann from claims")
    assert rows_of(login(org.coordinator).get(BOARD))[0].requester_count == 2


def test_unthemed_need_links_to_its_page(org, login):
    need = make_need(org, "Alone")
    response = login(org.coordinator).get(BOARD)
    assert rows_of(response)[0].url == reverse("needs:need-detail", args=[need.pk])
    assert reverse("needs:need-detail", args=[need.pk]).encode() in response.content


def test_score_breakdown_is_on_the_page(org, login):
    make_need(org, "Broken printers", impact=5, urgency=4, people_affected=1)
    content = login(org.coordinator).get(BOARD).content.decode()
    assert "impact 100%, urgency 100%, people 10%, breadth 0%" in content
    assert 'class="visually-hidden"> (factors:' in content


# --- filters ---------------------------------------------------------------------------------


def test_unit_filter_includes_units_below(org, login):
    make_need(org, "Claims need", unit=org.claims)
    make_need(org, "Motor need", unit=org.motor_team)
    make_need(org, "Underwriting need", unit=org.underwriting)
    response = login(org.coordinator).get(BOARD, {"unit": org.claims.pk})
    assert {row.title for row in rows_of(response)} == {"Claims need", "Motor need"}


def test_competency_filter_keeps_a_theme_when_any_of_its_needs_maps(org, login):
    excel = CompetencyFactory.create(name="Excel modelling")
    other = CompetencyFactory.create(name="Negotiation")
    theme = DemandTheme.objects.create(title="Spreadsheets")
    map_to(make_need(org, "Pivot tables", theme=theme), excel)
    make_need(org, "Unmapped in theme", theme=theme)
    map_to(make_need(org, "Haggling"), other)
    response = login(org.coordinator).get(BOARD, {"competency": excel.pk})
    rows = rows_of(response)
    assert [row.title for row in rows] == ["Spreadsheets"]
    assert rows[0].need_count == 2


def test_competency_filter_uses_the_top_suggestions_when_nothing_is_confirmed(org, login):
    competencies = [CompetencyFactory.create() for _ in range(4)]
    need = make_need(org, "Suggested only")
    for rank, competency in enumerate(competencies, start=1):
        map_to(need, competency, accepted=False, rank=rank)
    client = login(org.coordinator)
    assert rows_of(client.get(BOARD, {"competency": competencies[2].pk}))
    assert not rows_of(client.get(BOARD, {"competency": competencies[3].pk}))


def test_status_filter_defaults_to_open_needs(org, login):
    make_need(org, "Submitted")
    make_need(org, "Planned", status=Status.PLANNED)
    make_need(org, "Delivered", status=Status.DELIVERED)
    make_need(org, "Declined", status=Status.DECLINED)
    client = login(org.coordinator)
    assert {row.title for row in rows_of(client.get(BOARD))} == {"Submitted", "Planned"}
    assert {row.title for row in rows_of(client.get(BOARD, {"page": "1"}))} == {
        "Submitted",
        "Planned",
    }
    assert len(rows_of(client.get(BOARD, {"status": "all"}))) == 4
    declined = rows_of(client.get(BOARD, {"status": "declined"}))
    assert [row.title for row in declined] == ["Declined"]


def test_board_rows_selector_takes_the_same_filters(org):
    make_need(org, "Claims open", unit=org.claims)
    make_need(org, "Claims delivered", unit=org.claims, status=Status.DELIVERED)
    make_need(org, "Underwriting open", unit=org.underwriting)
    rows = demand.board_rows(org.coordinator, unit=org.claims, status="", weights=Weights())
    assert {row.title for row in rows} == {"Claims open", "Claims delivered"}


def test_filter_choices_are_limited_to_what_the_user_sees(org, login):
    seen = CompetencyFactory.create(name="Seen competency")
    unseen = CompetencyFactory.create(name="Unseen competency")
    map_to(make_need(org, "Claims need", unit=org.motor_team), seen)
    map_to(make_need(org, "Underwriting need", unit=org.underwriting), unseen)
    form = login(org.claims_manager).get(BOARD).context["form"]
    assert set(form.fields["unit"].queryset) == {org.claims, org.motor_team}
    assert list(form.fields["competency"].queryset) == [seen]


def test_a_unit_outside_the_scope_is_a_form_error_not_a_leak(org, login):
    make_need(org, "Underwriting need", unit=org.underwriting)
    response = login(org.claims_manager).get(BOARD, {"unit": org.underwriting.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["unit"]
    assert rows_of(response) == []
    assert b"Underwriting need" not in response.content


# --- pagination and exports --------------------------------------------------------------------


@override_settings(PAGE_SIZE=2)
def test_board_is_paginated_and_ranks_continue_across_pages(org, login):
    for impact in (5, 3, 1):
        make_need(org, f"Impact {impact}", impact=impact)
    response = login(org.coordinator).get(BOARD, {"page": "2"})
    rows = rows_of(response)
    assert [(row.rank, row.title) for row in rows] == [(3, "Impact 1")]
    assert b"Page 2 of 2" in response.content


def test_export_csv_lists_every_ranked_row(org, login):
    theme = DemandTheme.objects.create(title="Telephone manner")
    make_need(org, "Calls", theme=theme, impact=5, unit=org.motor_team)
    make_need(org, "More calls", theme=theme, impact=3, unit=org.underwriting)
    make_need(org, "=cmd|' /C calc'!A0", impact=1)
    response = login(org.coordinator).get(BOARD, {"export": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="demand-board.csv"'
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["Rank", "Score", "Type", "Theme or need"]
    assert rows[1][:5] == ["1", rows[1][1], "Theme", "Telephone manner", "2"]
    assert rows[1][6] == "Motor claims; Underwriting"
    assert rows[2][3] == "'=cmd|' /C calc'!A0"


def test_export_xlsx_follows_the_filters(org, login):
    make_need(org, "Claims need", unit=org.claims)
    make_need(org, "Underwriting need", unit=org.underwriting)
    response = login(org.coordinator).get(BOARD, {"export": "xlsx", "unit": org.underwriting.pk})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][0] == "Rank"
    assert [row[3] for row in values[1:]] == ["Underwriting need"]


# --- charts ----------------------------------------------------------------------------------


def test_demand_by_business_unit_groups_units_under_their_depth_one_ancestor(org, login):
    make_need(org, "Claims", unit=org.claims, people_affected=3)
    make_need(org, "Motor", unit=org.motor_team, people_affected=4)
    make_need(org, "Underwriting", unit=org.underwriting, people_affected=1)
    make_need(org, "Whole group", unit=org.group, people_affected=100)
    chart = login(org.coordinator).get(BOARD).context["by_unit"]
    assert [(bar.label, bar.value, bar.note) for bar in chart.bars] == [
        ("Claims", 2, "7 people"),
        ("Group", 1, "100 people"),
        ("Underwriting", 1, "1 person"),
    ]
    assert [bar.percent for bar in chart.bars] == [100.0, 50.0, 50.0]


def test_demand_by_competency_shows_the_top_twelve(org, login):
    competencies = [CompetencyFactory.create(name=f"Skill {index:02d}") for index in range(14)]
    for index, competency in enumerate(competencies):
        for copy in range(index + 1):
            map_to(make_need(org, f"Need {index}-{copy}"), competency)
    chart = login(org.coordinator).get(BOARD).context["by_competency"]
    assert len(chart.bars) == 12
    assert chart.bars[0].label == "Skill 13"
    assert chart.bars[0].value == 14
    assert chart.bars[-1].label == "Skill 02"


def test_charts_are_accessible_svg_with_a_data_table(org, login):
    make_need(org, "Motor", unit=org.motor_team)
    content = login(org.coordinator).get(BOARD).content.decode()
    assert 'role="img" aria-label="Demand by business unit (needs): Claims 1."' in content
    assert "<summary>Show the data</summary>" in content
    assert '<th scope="row">Claims</th><td>1</td><td>1 person</td>' in content


def test_bar_widths_are_a_share_of_the_longest_bar():
    chart = charts.bar_chart(
        "Test", [("A", 4, ""), ("B", 1, ""), ("C", 0, "")], label_heading="X", value_heading="N"
    )
    assert [bar.percent for bar in chart.bars] == [100.0, 25.0, 0.0]
    assert chart.bars[0].width == charts.BAR_AREA
    assert chart.bars[1].y > chart.bars[0].y


def test_long_labels_are_shortened_in_the_chart_only():
    label = "Customer empathy and de-escalation under pressure"
    chart = charts.bar_chart("T", [(label, 1, "")], label_heading="X", value_heading="N")
    assert chart.bars[0].short_label.endswith("\u2026")
    assert len(chart.bars[0].short_label) == charts.LABEL_CHARS
    assert label in chart.summary


# --- query counts ------------------------------------------------------------------------------


def _needs_with_themes(org, count: int) -> None:
    competency = CompetencyFactory.create()
    theme = DemandTheme.objects.create(title="Theme")
    for index in range(count):
        unit = (org.claims, org.motor_team, org.underwriting)[index % 3]
        need = make_need(org, f"Need {index}", unit=unit, theme=theme if index % 2 else None)
        map_to(need, competency)


@pytest.mark.parametrize("count", [2, 20])
def test_board_selector_query_count_is_fixed(org, django_assert_num_queries, count):
    _needs_with_themes(org, count)
    # needs (with unit and theme), mappings (with competency), business unit names; then
    # what the catalogue offers for every row at once (needs/offers.py): courses,
    # qualifications, their outcomes, tracks, track steps, track targets, job profile
    # requirements (7, fixed however many rows)
    with django_assert_num_queries(10):
        board = demand.demand_board(org.coordinator, weights=Weights())
    assert sum(row.need_count for row in board.rows) == count


@pytest.mark.parametrize("count", [2, 20])
def test_board_page_query_count_is_fixed(org, login, django_assert_num_queries, count):
    _needs_with_themes(org, count)
    client = login(org.coordinator)
    client.get(BOARD)  # loads the gap engine behind "Suggested from skill gaps" once
    # session, user, weights, needs, mappings, business unit names, unread notifications,
    # unit, competency and client choices, the gap engine's freshness check (2), and what the
    # catalogue offers for every row at once (7: see needs/offers.py)
    with django_assert_num_queries(19):
        response = client.get(BOARD)
    assert response.status_code == 200


@override_settings(PAGE_SIZE=5)
def test_board_page_query_count_does_not_grow_with_the_number_of_needs(org, login):
    client = login(org.coordinator)

    def queries_for_page(page: str) -> int:
        with CaptureQueriesContext(connection) as context:
            response = client.get(BOARD, {"page": page})
        assert response.status_code == 200
        return len(context.captured_queries)

    _needs_with_themes(org, 3)
    client.get(BOARD)  # loads the gap engine behind "Suggested from skill gaps" once
    few = queries_for_page("1")
    _needs_with_themes(org, 60)  # 63 needs, several pages of rows
    assert queries_for_page("2") == few
    assert queries_for_page("3") == few


@override_settings(PAGE_SIZE=2)
def test_the_page_asks_the_catalogue_only_about_the_rows_it_shows(org, login):
    competency = CompetencyFactory.create()
    for impact in (5, 4, 3, 2, 1):
        map_to(make_need(org, f"Impact {impact}", impact=impact), competency)
    response = login(org.coordinator).get(BOARD, {"page": "2"})
    rows = response.context["page_obj"].paginator.object_list
    shown = [row.title for row in rows if row.catalogue is not demand.board.EMPTY]
    assert shown == ["Impact 3", "Impact 2"]
    # Nothing in the catalogue answers the competency: the rows shown say so.
    assert all(row.catalogue.is_gap for row in rows_of(response))


@override_settings(PAGE_SIZE=2)
def test_gaps_filter_and_export_still_read_the_catalogue_for_every_row(org, login):
    competency = CompetencyFactory.create()
    for impact in (5, 4, 3):
        map_to(make_need(org, f"Impact {impact}", impact=impact), competency)
    client = login(org.coordinator)
    response = client.get(BOARD, {"gaps": "on", "page": "2"})
    assert [(row.rank, row.title) for row in rows_of(response)] == [(3, "Impact 3")]
    text = b"".join(client.get(BOARD, {"export": "csv"}).streaming_content).decode("utf-8-sig")
    offers_cells = [row[17] for row in csv.reader(io.StringIO(text))][1:]
    assert offers_cells == ["Gap in the catalogue"] * 3


# --- permissions and empty states --------------------------------------------------------------


@pytest.mark.parametrize(
    "role", [Role.COORDINATOR, Role.ADMIN, Role.ACCOUNT_MANAGER, Role.QUALITY_LEAD, Role.EXECUTIVE]
)
def test_organisation_wide_roles_see_the_whole_board(org, login, role):
    make_need(org, "Claims need", unit=org.claims)
    make_need(org, "Underwriting need", unit=org.underwriting)
    response = login(UserFactory.create(role=role)).get(BOARD)
    assert response.status_code == 200
    assert len(rows_of(response)) == 2


def test_line_manager_sees_only_their_scope(org, login):
    theme = DemandTheme.objects.create(title="Shared theme")
    make_need(org, "Motor need", unit=org.motor_team, theme=theme, people_affected=3)
    make_need(org, "Underwriting need", unit=org.underwriting, theme=theme, people_affected=50)
    make_need(org, "Underwriting alone", unit=org.underwriting)
    response = login(org.claims_manager).get(BOARD)
    assert response.status_code == 200
    rows = rows_of(response)
    assert [(row.title, row.need_count, row.people_affected) for row in rows] == [
        ("Shared theme", 1, 3)
    ]
    assert b"Underwriting" not in response.content
    assert WEIGHTS.encode() not in response.content


@pytest.mark.parametrize("user", ["employee_user", "employer_contact"])
def test_employees_and_employer_contacts_may_not_open_the_board(org, login, user):
    assert login(getattr(org, user)).get(BOARD).status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get(BOARD)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_empty_board_says_what_will_appear(org, login):
    response = login(org.coordinator).get(BOARD)
    assert b"No open needs to rank yet" in response.content
    assert b'role="img"' not in response.content


def test_filtered_empty_board_offers_to_clear(org, login):
    make_need(org, "Claims need", unit=org.claims)
    response = login(org.coordinator).get(BOARD, {"status": "delivered"})
    assert b"matches these filters" in response.content
    assert b"Show all open demand" in response.content


def test_board_shows_the_formula_with_the_weights_in_force(org, login):
    PriorityWeights.objects.create(impact=2, urgency=1, people=1, breadth=0)
    content = login(org.executive).get(BOARD).content.decode()
    assert "How the score is worked out" in content
    times = "\u00d7"
    assert (
        f"impact {times} 2.0 + urgency {times} 1.0 + people {times} 1.0 + breadth {times} 0.0)"
        " \u00f7 4.0"
    ) in content


# --- weights ---------------------------------------------------------------------------------


def test_coordinator_sets_the_weights(org, login):
    client = login(org.coordinator)
    page = client.get(WEIGHTS)
    assert page.status_code == 200
    assert page.context["form"].initial["impact"] == 0.4
    assert b"How the score is worked out" in page.content
    response = client.post(WEIGHTS, {"impact": "1", "urgency": "0", "people": "3", "breadth": "0"})
    assert response.status_code == 302
    assert response["Location"] == BOARD
    weights = PriorityWeights.current()
    assert (weights.impact, weights.people, weights.updated_by) == (1, 3, org.coordinator)


def test_weights_must_not_all_be_zero(org, login):
    response = login(org.admin).post(
        WEIGHTS, {"impact": "0", "urgency": "0", "people": "0", "breadth": "0"}
    )
    assert response.status_code == 200
    assert b"At least one weight must be above zero." in response.content
    assert not PriorityWeights.objects.exists()


def test_negative_weight_is_a_field_error(org, login):
    response = login(org.coordinator).post(
        WEIGHTS, {"impact": "-1", "urgency": "1", "people": "1", "breadth": "1"}
    )
    assert response.context["form"].errors["impact"]


@pytest.mark.parametrize("user", ["executive", "claims_manager", "employee_user"])
def test_other_roles_may_not_change_the_weights(org, login, user):
    client = login(getattr(org, user))
    assert client.get(WEIGHTS).status_code == 403
    posted = client.post(WEIGHTS, {"impact": "1", "urgency": "1", "people": "1", "breadth": "1"})
    assert posted.status_code == 403
    assert not PriorityWeights.objects.exists()


def test_business_unit_of_a_deep_unit_is_its_depth_one_ancestor(org):
    desk = OrgUnitFactory.create(name="Desk", parent=org.motor_team)
    desk.refresh_from_db()
    assert demand.business_unit_id(desk.path) == org.claims.pk
    assert demand.business_unit_id(org.claims.path) == org.claims.pk
    assert demand.business_unit_id(org.group.path) == org.group.pk
    assert demand.business_unit_id(None) is None
