"""The pull dashboard: pull ratio, time to first response, open needs by age and demand by
business unit over time, on known data."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from milepost.accounts.models import Role
from milepost.lib import charts
from milepost.needs import demand
from milepost.needs.models import DemandTheme, Need, PlannedTraining, Status
from milepost.testing.factories import OrgUnitFactory, UserFactory

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("needs:dashboard")
NOW = timezone.make_aware(datetime.datetime(2026, 3, 15, 12, 0))


def make_need(org, title="A need", *, unit=None, created_at=None, responded_after=None, **fields):
    need = Need.objects.create(
        title=title,
        description=f"{title}: people struggle with this since the spring.",
        unit=unit if unit is not None else org.claims,
        requester=org.coordinator,
        **fields,
    )
    created_at = created_at or timezone.now()
    first_response_at = created_at + responded_after if responded_after is not None else None
    # auto_now_add ignores values given to create(): set the dates the dashboard reads directly.
    Need.objects.filter(pk=need.pk).update(
        created_at=created_at, first_response_at=first_response_at
    )
    return need


# --- pull ratio ------------------------------------------------------------------------------


def test_no_training_planned_yet(org, login):
    response = login(org.coordinator).get(DASHBOARD)
    assert response.status_code == 200
    assert response.context["dashboard"].pull_ratio.percent is None
    assert b"No training planned yet" in response.content


def test_pull_ratio_is_the_share_of_plan_entries_with_a_need_or_theme(org, login):
    need = make_need(org, "Angry callers")
    theme = DemandTheme.objects.create(title="Spreadsheets")
    PlannedTraining.objects.create(title="De-escalation", need=need)
    PlannedTraining.objects.create(title="Excel", theme=theme)
    PlannedTraining.objects.create(title="Fire safety refresher")
    response = login(org.executive).get(DASHBOARD)
    ratio = response.context["dashboard"].pull_ratio
    assert (ratio.pull, ratio.total, ratio.push, ratio.percent) == (2, 3, 1, 67)
    assert b"67%" in response.content
    assert (
        b"2 of 3 training plan entries answer a need or a theme someone raised (pull); "
        b"1 was planned by L&amp;D without one (push)." in response.content
    )


# --- time to first response --------------------------------------------------------------------


def test_median_time_to_first_response_in_hours(org, login):
    for hours in (2, 4, 30):
        make_need(org, created_at=NOW, responded_after=datetime.timedelta(hours=hours))
    make_need(org, "Waiting", created_at=NOW)
    make_need(org, "Waiting too", created_at=NOW)
    response = login(org.coordinator).get(DASHBOARD)
    figure = response.context["dashboard"].response
    assert (figure.median_hours, figure.answered, figure.awaiting) == (4, 3, 2)
    assert figure.display == "4 hours"
    assert b"2 needs still await a first response." in response.content


def test_median_time_to_first_response_in_days_from_48_hours(org):
    make_need(org, created_at=NOW, responded_after=datetime.timedelta(hours=48))
    make_need(org, created_at=NOW, responded_after=datetime.timedelta(days=4))
    figure = demand.response_time(org.coordinator)
    assert figure.median_hours == 72
    assert figure.display == "3.0 days"


@pytest.mark.parametrize(
    ("hours", "shown"),
    [
        (None, "\u2014"),
        (0.4, "under 1 hour"),
        (1, "1 hour"),
        (47.4, "47 hours"),
        (60, "2.5 days"),
        (24 * 15, "15 days"),
    ],
)
def test_response_time_display(hours, shown):
    assert demand.ResponseTime(hours, 1, 0).display == shown


# --- open needs by age -------------------------------------------------------------------------


def test_open_needs_by_age_bucket(org, login):
    for days in (0, 6, 7, 29, 30, 89, 90, 400):
        make_need(org, created_at=NOW - datetime.timedelta(days=days, hours=1))
    make_need(org, "Old but delivered", created_at=NOW - datetime.timedelta(days=200))
    Need.objects.filter(title="Old but delivered").update(status=Status.DELIVERED)
    chart = demand.open_needs_by_age(org.coordinator, now=NOW)
    assert [(bar.label, bar.value) for bar in chart.bars] == [
        ("Under 7 days", 2),
        ("7 to 30 days", 2),
        ("30 to 90 days", 2),
        ("Over 90 days", 2),
    ]
    dashboard = login(org.coordinator).get(DASHBOARD).context["dashboard"]
    assert dashboard.open_needs == 8


# --- demand by business unit over time -----------------------------------------------------


def test_month_starts_cross_the_year_boundary():
    months = demand.month_starts(datetime.date(2026, 3, 15))
    assert len(months) == 12
    assert months[0] == datetime.date(2025, 4, 1)
    assert months[-1] == datetime.date(2026, 3, 1)
    assert datetime.date(2026, 1, 1) in months


def test_needs_per_month_by_business_unit(org):
    def at(year: int, month: int, day: int = 10) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime(year, month, day, 9, 0))

    make_need(org, unit=org.motor_team, created_at=at(2026, 3))
    make_need(org, unit=org.claims, created_at=at(2026, 3))
    make_need(org, unit=org.claims, created_at=at(2025, 4, 1))
    make_need(org, unit=org.underwriting, created_at=at(2026, 1))
    make_need(org, "Too old", unit=org.underwriting, created_at=at(2025, 3, 31))
    chart = demand.demand_over_time(org.coordinator, today=datetime.date(2026, 3, 15))
    assert chart.x_labels[0] == "Apr 2025"
    assert chart.x_labels[-1] == "Mar 2026"
    by_label = {series.label: series.values for series in chart.series}
    assert list(by_label) == ["Claims", "Underwriting"]
    assert by_label["Claims"] == [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]
    assert by_label["Underwriting"][9] == 1
    assert chart.total == 4
    assert "Claims 3; Underwriting 1" in chart.summary


def test_top_six_business_units_then_other(org):
    units = [OrgUnitFactory.create(name=f"Unit {index}", parent=org.group) for index in range(8)]
    for index, unit in enumerate(units):
        for _ in range(10 - index):
            make_need(org, unit=unit, created_at=NOW)
    chart = demand.demand_over_time(org.coordinator, today=NOW.date())
    labels = [series.label for series in chart.series]
    assert labels == [f"Unit {index}" for index in range(6)] + ["Other units"]
    assert chart.series[-1].total == (10 - 6) + (10 - 7)
    assert chart.column_totals[-1] == sum(10 - index for index in range(8))


def test_line_chart_points_stay_inside_the_plot():
    chart = charts.line_chart("T", ["a", "b", "c"], [("S", [0, 5, 3])])
    xs = [x for x, _ in chart.series[0].coordinates]
    ys = [y for _, y in chart.series[0].coordinates]
    assert xs[0] == chart.left and xs[-1] == chart.right
    assert ys[0] == chart.bottom
    assert all(chart.top <= y <= chart.bottom for y in ys)
    assert [mark.label for mark in chart.y_marks] == ["0", "2", "4", "6", "8"]


@pytest.mark.parametrize(("value", "top"), [(0, 4), (3, 4), (5, 8), (13, 20), (41, 80), (399, 400)])
def test_axis_top(value, top):
    assert charts.axis_top(value) == top


def test_dashboard_page_shows_charts_with_their_data(org, login):
    make_need(org, unit=org.motor_team, created_at=timezone.now() - datetime.timedelta(days=2))
    content = login(org.coordinator).get(DASHBOARD).content.decode()
    assert content.count('role="img"') == 2
    assert "Open needs by age (open needs): Under 7 days 1;" in content
    assert "<polyline" in content
    assert '<th scope="row">Claims</th>' in content


def test_empty_dashboard(org, login):
    content = login(org.coordinator).get(DASHBOARD).content.decode()
    assert "No need has had a response yet." in content
    assert "No needs raised in the last 12 months." in content


# --- permissions and query counts --------------------------------------------------------------


@pytest.mark.parametrize(
    "role", [Role.COORDINATOR, Role.ADMIN, Role.ACCOUNT_MANAGER, Role.QUALITY_LEAD, Role.EXECUTIVE]
)
def test_organisation_wide_roles_open_the_dashboard(org, login, role):
    assert login(UserFactory.create(role=role)).get(DASHBOARD).status_code == 200


@pytest.mark.parametrize("user", ["claims_manager", "employee_user", "employer_contact"])
def test_other_roles_may_not_open_the_dashboard(org, login, user):
    assert login(getattr(org, user)).get(DASHBOARD).status_code == 403


@pytest.mark.parametrize("count", [2, 20])
def test_dashboard_query_count_is_fixed(org, login, django_assert_num_queries, count):
    for index in range(count):
        unit = (org.claims, org.motor_team, org.underwriting)[index % 3]
        make_need(
            org,
            unit=unit,
            created_at=NOW - datetime.timedelta(days=index * 9),
            responded_after=datetime.timedelta(hours=index) if index % 2 else None,
        )
        PlannedTraining.objects.create(title=f"Plan {index}")
    client = login(org.coordinator)
    # session, user, weights, plan, response times, ages, months, unit names, notifications
    with django_assert_num_queries(9):
        response = client.get(DASHBOARD)
    assert response.status_code == 200
