from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.urls import reverse

from milepost.people.services import record_assessment
from milepost.testing.factories import AssessmentFactory

pytestmark = pytest.mark.django_db


def url(employee) -> str:
    return reverse("people:employee-history", args=[employee.pk])


def test_anonymous_is_sent_to_login(client, org):
    response = client.get(url(org.motor_handler))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_history_shows_both_old_and_new_rows_after_two_assessments(org, claims_profile, login):
    for level, day in ((2, 1), (4, 20)):
        record_assessment(
            acting_user=org.claims_manager,
            employee=org.motor_handler,
            competency=claims_profile.negotiation,
            kind="manager",
            level=level,
            assessed_on=datetime.date(2026, 1, day),
            note=f"review {day}",
        )
    response = login(org.claims_manager).get(url(org.motor_handler))
    assert response.status_code == 200
    rows = list(response.context["assessments"])
    assert [(row.level, row.assessed_on.day) for row in rows] == [(4, 20), (2, 1)]
    assert b"review 1" in response.content
    assert b"review 20" in response.content


def test_history_can_be_narrowed_to_one_competency(org, claims_profile, login):
    AssessmentFactory(employee=org.motor_handler, competency=claims_profile.negotiation)
    AssessmentFactory(employee=org.motor_handler, competency=claims_profile.fraud_awareness)
    response = login(org.coordinator).get(
        url(org.motor_handler), {"competency": claims_profile.fraud_awareness.pk}
    )
    assert [row.competency for row in response.context["assessments"]] == [
        claims_profile.fraud_awareness
    ]


def test_empty_history_says_so(org, login):
    response = login(org.coordinator).get(url(org.underwriter))
    assert b"No assessments have been recorded" in response.content


def test_history_is_hidden_outside_the_users_scope(org, login):
    assert login(org.underwriting_manager).get(url(org.motor_handler)).status_code == 404
    assert login(org.employee_user).get(url(org.claims_manager_employee)).status_code == 404
    assert login(org.employer_contact).get(url(org.motor_handler)).status_code == 404


def test_history_runs_a_fixed_number_of_queries(
    org, claims_profile, login, django_assert_num_queries
):
    client = login(org.coordinator)
    AssessmentFactory(employee=org.motor_handler, competency=claims_profile.negotiation)
    # session, user, employee, count, a page of assessments, unread count
    with django_assert_num_queries(6):
        client.get(url(org.motor_handler))
    AssessmentFactory.create_batch(40, employee=org.motor_handler)
    with django_assert_num_queries(6):
        response = client.get(url(org.motor_handler))
    assert len(response.context["assessments"]) == 41


def test_history_exports_every_row_as_csv(org, claims_profile, login):
    for level, day in ((2, 1), (4, 20)):
        record_assessment(
            acting_user=org.claims_manager,
            employee=org.motor_handler,
            competency=claims_profile.negotiation,
            kind="manager",
            level=level,
            assessed_on=datetime.date(2026, 1, day),
            note=f"review {day}",
        )
    response = login(org.claims_manager).get(url(org.motor_handler), {"export": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text)))
    assert header[:6] == ["Employee ID", "Competency", "Kind", "Level", "Scale", "Assessed on"]
    assert [(row[1], row[3], row[5], row[7], row[9]) for row in rows] == [
        ("Negotiation", "4", "2026-01-20", "Recorded directly", "review 20"),
        ("Negotiation", "2", "2026-01-01", "Recorded directly", "review 1"),
    ]
    assert {row[0] for row in rows} == {org.motor_handler.employee_id}


def test_history_export_is_hidden_outside_the_users_scope(org, login):
    client = login(org.underwriting_manager)
    assert client.get(url(org.motor_handler), {"export": "xlsx"}).status_code == 404


def test_a_long_history_comes_a_page_at_a_time(org, claims_profile, login):
    AssessmentFactory.create_batch(
        250, employee=org.motor_handler, competency=claims_profile.negotiation
    )
    client = login(org.coordinator)
    first = client.get(url(org.motor_handler))
    assert len(first.context["assessments"]) == 100
    assert "Page 1 of 3 (250 in all)" in first.content.decode()
    last = client.get(url(org.motor_handler), {"page": 3})
    assert len(last.context["assessments"]) == 50
    # The export still holds every row.
    csv_text = b"".join(client.get(url(org.motor_handler), {"export": "csv"}).streaming_content)
    assert csv_text.decode().count("\n") == 251
