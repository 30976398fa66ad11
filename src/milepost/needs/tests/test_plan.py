"""The training plan: pull and push entries, exports, pagination, adding push training and
who may see it."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from milepost.accounts.models import Role
from milepost.needs import services
from milepost.needs.models import Need, PlannedTraining, Status
from milepost.testing.factories import (
    DemandThemeFactory,
    NeedFactory,
    PlannedTrainingFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PLAN = reverse("needs:plan")


def make_need(org, title="Angry callers", **fields) -> Need:
    return NeedFactory.create(
        title=title,
        description=f"{title}: people struggle with this since the spring.",
        unit=org.motor_team,
        requester=org.claims_manager,
        **fields,
    )


def listed(response) -> list[str]:
    return [entry.title for entry in response.context["page_obj"]]


def test_planning_a_need_or_theme_puts_it_on_the_plan_as_pull(org, login):
    need = make_need(org)
    services.change_status(acting_user=org.coordinator, need=need, status=Status.PLANNED)
    theme = DemandThemeFactory.create(title="Spreadsheets")
    make_need(org, "Pivot tables", theme=theme)
    services.change_theme_status(acting_user=org.coordinator, theme=theme, status=Status.PLANNED)
    response = login(org.coordinator).get(PLAN)
    assert listed(response) == ["Spreadsheets", "Angry callers"]
    content = response.content.decode()
    assert content.count('class="badge badge-pull"') == 2
    assert reverse("needs:need-detail", args=[need.pk]) in content
    assert reverse("needs:theme-detail", args=[theme.pk]) in content
    assert "100% of the plan is pull." in content


def test_coordinator_adds_push_training(org, login):
    client = login(org.coordinator)
    response = client.post(
        PLAN,
        {
            "title": "Fire safety refresher",
            "unit": org.claims.pk,
            "starts_on": "2030-05-04",
            "note": "Yearly.",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == PLAN
    entry = PlannedTraining.objects.get()
    assert (entry.title, entry.unit, entry.is_pull, entry.planned_by) == (
        "Fire safety refresher",
        org.claims,
        False,
        org.coordinator,
    )
    page = client.get(PLAN)
    assert b"is on the training plan (push)" in page.content
    assert b'class="badge badge-push"' in page.content


def test_push_training_needs_a_title(org, login):
    response = login(org.admin).post(PLAN, {"title": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not PlannedTraining.objects.exists()


def test_filter_pull_or_push(org, login):
    need = make_need(org)
    PlannedTrainingFactory.create(title="Answers a need", need=need)
    PlannedTrainingFactory.create(title="Nobody asked")
    client = login(org.coordinator)
    assert listed(client.get(PLAN, {"kind": "pull"})) == ["Answers a need"]
    assert listed(client.get(PLAN, {"kind": "push"})) == ["Nobody asked"]
    assert len(listed(client.get(PLAN))) == 2


def test_export_csv_and_xlsx(org, login):
    need = make_need(org)
    PlannedTrainingFactory.create(title="De-escalation", need=need, unit=org.motor_team)
    PlannedTrainingFactory.create(title="Fire safety")
    client = login(org.executive)
    response = client.get(PLAN, {"export": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="training-plan.csv"'
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["Title", "Pull or push", "Need"]
    assert rows[1][:5] == ["Fire safety", "Push", "", "", ""]
    assert rows[2][:5] == ["De-escalation", "Pull", "Angry callers", "", "Motor claims"]
    workbook = load_workbook(io.BytesIO(client.get(PLAN, {"export": "xlsx"}).content))
    assert [row[0] for row in workbook.active.values] == ["Title", "Fire safety", "De-escalation"]


@override_settings(PAGE_SIZE=2)
def test_plan_is_paginated(org, login):
    for index in range(3):
        PlannedTrainingFactory.create(title=f"Entry {index}")
    response = login(org.coordinator).get(PLAN, {"page": "2"})
    assert len(listed(response)) == 1
    assert b"Page 2 of 2" in response.content


def test_empty_plan(org, login):
    response = login(org.coordinator).get(PLAN)
    assert b"No training planned yet" in response.content
    assert b"Add push training" in response.content


@pytest.mark.parametrize("role", [Role.ACCOUNT_MANAGER, Role.QUALITY_LEAD, Role.EXECUTIVE])
def test_read_only_roles_see_the_plan_without_the_form(org, login, role):
    PlannedTrainingFactory.create(title="Fire safety")
    client = login(UserFactory.create(role=role))
    response = client.get(PLAN)
    assert response.status_code == 200
    assert listed(response) == ["Fire safety"]
    assert response.context["form"] is None
    assert b"Add push training" not in response.content
    assert client.post(PLAN, {"title": "Sneaky"}).status_code == 403
    assert PlannedTraining.objects.count() == 1


@pytest.mark.parametrize("user", ["claims_manager", "employee_user", "employer_contact"])
def test_other_roles_may_not_open_the_plan(org, login, user):
    client = login(getattr(org, user))
    assert client.get(PLAN).status_code == 403
    assert client.post(PLAN, {"title": "Sneaky"}).status_code == 403
    assert not PlannedTraining.objects.exists()


@pytest.mark.parametrize("count", [2, 20])
def test_plan_query_count_is_fixed(org, login, django_assert_num_queries, count):
    for index in range(count):
        need = make_need(org, f"Need {index}") if index % 2 else None
        PlannedTrainingFactory.create(title=f"Entry {index}", need=need, unit=org.claims)
    client = login(org.coordinator)
    # session, user, weights, pull ratio, count, page, unread notifications, unit choices
    with django_assert_num_queries(8):
        response = client.get(PLAN)
    assert response.status_code == 200
