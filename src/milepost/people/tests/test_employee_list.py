from __future__ import annotations

import csv
import io

import pytest
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from milepost.people.models import Employee
from milepost.testing.factories import EmployeeFactory, JobProfileFactory, OrgUnitFactory

pytestmark = pytest.mark.django_db

URL = reverse("people:employee-list")


def listed(response) -> set[str]:
    return {employee.employee_id for employee in response.context["page_obj"]}


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_coordinator_sees_everyone(org, login):
    response = login(org.coordinator).get(URL)
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 4


def test_line_manager_sees_own_unit_and_below_only(org, login):
    response = login(org.claims_manager).get(URL)
    assert listed(response) == {
        org.claims_manager_employee.employee_id,
        org.motor_handler.employee_id,
    }
    assert b"Ursula" not in response.content


def test_employee_sees_only_themselves(org, login):
    assert listed(login(org.employee_user).get(URL)) == {org.motor_handler.employee_id}


def test_employer_contact_sees_nobody(org, login):
    response = login(org.employer_contact).get(URL)
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 0
    assert b"empty-state" in response.content


@pytest.mark.parametrize(
    "query", ["handler", "HANDLER", "mo handler", "E9", "mo@claims.test", "senior assessor"]
)
def test_search_matches_name_employee_id_email_and_job_title(org, login, query):
    # Everyone else gets fixed names: a random surname such as "Chandler" would match "handler".
    Employee.objects.exclude(pk=org.motor_handler.pk).update(
        job_title="Underwriter", first_name="Ursula", last_name="Writer"
    )
    org.motor_handler.employee_id = "E9"
    org.motor_handler.email = "mo@claims.test"
    org.motor_handler.job_title = "Senior assessor"
    org.motor_handler.save()
    assert listed(login(org.coordinator).get(URL, {"q": query})) == {"E9"}


def test_unit_filter_includes_units_below(org, login):
    response = login(org.coordinator).get(URL, {"unit": org.claims.pk})
    assert listed(response) == {
        org.claims_manager_employee.employee_id,
        org.motor_handler.employee_id,
    }


def test_line_manager_cannot_filter_by_a_unit_outside_their_scope(org, login):
    response = login(org.claims_manager).get(URL, {"unit": org.underwriting.pk})
    assert "unit" in response.context["form"].errors
    assert response.context["page_obj"].paginator.count == 0


def test_job_profile_and_active_filters(org, login):
    profile = JobProfileFactory.create(title="Underwriter")
    org.underwriter.job_profile = profile
    org.underwriter.save()
    EmployeeFactory(unit=org.underwriting, job_profile=profile, is_active=False)
    client = login(org.coordinator)
    assert len(listed(client.get(URL, {"job_profile": profile.pk}))) == 2
    assert listed(client.get(URL, {"job_profile": profile.pk, "active": "1"})) == {
        org.underwriter.employee_id
    }
    inactive = client.get(URL, {"active": "0"})
    assert inactive.context["page_obj"].paginator.count == 1


def test_job_profile_filter_offers_only_profiles_held_by_people_the_user_sees(org, login):
    held_in_claims = JobProfileFactory.create(title="Motor handler")
    held_in_underwriting = JobProfileFactory.create(title="Underwriter")
    JobProfileFactory.create(title="Astronaut")  # imported, held by nobody
    org.motor_handler.job_profile = held_in_claims
    org.motor_handler.save()
    org.underwriter.job_profile = held_in_underwriting
    org.underwriter.save()

    def offered(user) -> list[str]:
        form = login(user).get(URL).context["form"]
        return [profile.title for profile in form.fields["job_profile"].queryset]

    assert offered(org.coordinator) == ["Motor handler", "Underwriter"]
    assert offered(org.claims_manager) == ["Motor handler"]


def test_filters_with_no_match_show_a_clear_link(org, login):
    response = login(org.coordinator).get(URL, {"q": "nobody-has-this-name"})
    assert b"Nobody you can see matches these filters" in response.content


@override_settings(PAGE_SIZE=3)
def test_list_is_paginated_with_page_size(org, login):
    EmployeeFactory.create_batch(4, unit=org.motor_team)
    client = login(org.coordinator)
    first = client.get(URL)
    assert len(first.context["page_obj"]) == 3
    assert first.context["page_obj"].paginator.num_pages == 3
    assert len(client.get(URL, {"page": 3}).context["page_obj"]) == 2


def test_csv_export_has_the_filtered_rows(org, login):
    response = login(org.coordinator).get(URL, {"unit": org.claims.pk, "export": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["Employee ID", "Last name", "First name"]
    assert {row[0] for row in rows[1:]} == {
        org.claims_manager_employee.employee_id,
        org.motor_handler.employee_id,
    }
    handler = next(row for row in rows if row[0] == org.motor_handler.employee_id)
    assert handler[5] == "Motor claims"
    assert handler[8] == "Clara Claims"


def test_xlsx_export_is_limited_to_what_the_user_sees(org, login):
    response = login(org.underwriting_manager).get(URL, {"export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    ids = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert org.underwriter.employee_id in ids
    assert org.motor_handler.employee_id not in ids


def _populate(unit, count: int) -> None:
    profile = JobProfileFactory()
    manager = EmployeeFactory(unit=unit)
    for index in range(count):
        team = OrgUnitFactory(parent=unit) if index % 10 == 0 else unit
        EmployeeFactory(unit=team, job_profile=profile, manager=manager)


# session + user, unit and job profile options, the chosen unit, count, page, unread
# notifications; a coordinator also asks whether any job title lacks a profile; a line
# manager adds their employee record and its unit (fetched once per request).
@pytest.mark.parametrize(("user_attr", "queries"), [("coordinator", 9), ("claims_manager", 10)])
def test_list_runs_a_fixed_number_of_queries(
    org, login, django_assert_num_queries, user_attr, queries
):
    client = login(getattr(org, user_attr))
    params = {"unit": org.claims.pk, "q": "", "active": "1"}
    _populate(org.motor_team, 5)
    with django_assert_num_queries(queries):
        small = client.get(URL, params)
    _populate(org.motor_team, 55)
    with django_assert_num_queries(queries):
        large = client.get(URL, params)
    assert len(small.context["page_obj"]) == 5 + 1 + 2
    assert len(large.context["page_obj"]) == 50


def test_export_runs_a_fixed_number_of_queries(org, login, django_assert_num_queries):
    # session + user + one streamed query for the rows
    client = login(org.coordinator)
    _populate(org.motor_team, 5)
    with django_assert_num_queries(3):
        small = b"".join(client.get(URL, {"export": "csv"}).streaming_content)
    _populate(org.motor_team, 55)
    with django_assert_num_queries(3):
        large = b"".join(client.get(URL, {"export": "csv"}).streaming_content)
    # header + the 4 people of the organisation + 6 and 60 added (and their managers)
    assert small.count(b"\n") == 1 + 4 + 6
    assert large.count(b"\n") == 1 + 4 + 6 + 56
