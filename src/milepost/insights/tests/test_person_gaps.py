"""One person's required versus agreed levels."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def person_url(employee):
    return reverse("insights:person-gaps", args=[employee.pk])


def test_each_requirement_shows_required_agreed_gap_and_weight(gap_world, login):
    org = gap_world.org
    response = login(org.coordinator).get(person_url(org.claims_manager_employee))
    rows = [
        (r.competency_name, r.required_level, r.agreed_level, r.gap, r.weight, r.weighted_gap)
        for r in response.context["result"].requirements
    ]
    assert rows == [
        ("Claims handling", 3, 2, 1, 4.0, 4.0),
        ("Negotiation", 2, None, 2, 1.0, 2.0),  # optional: importance 2 halved
    ]
    summary = response.context["result"].summary
    assert (summary.met, summary.unassessed, summary.weighted_gap) == (0, 1, 6)
    page = response.content.decode()
    assert reverse("people:employee-history", args=[org.claims_manager_employee.pk]) in page
    assert "not assessed" in page


def test_a_manager_links_to_their_teams_gaps(gap_world, login):
    org = gap_world.org
    team = reverse("insights:team-gaps", args=[org.claims_manager_employee.pk])
    manager_page = login(org.coordinator).get(person_url(org.claims_manager_employee))
    assert team in manager_page.content.decode()
    handler_page = login(org.coordinator).get(person_url(org.motor_handler))
    assert "direct reports" not in handler_page.content.decode()


def test_an_employee_sees_only_their_own_gaps(gap_world, login):
    org = gap_world.org
    client = login(org.employee_user)
    assert client.get(person_url(org.motor_handler)).status_code == 200
    assert client.get(person_url(org.claims_manager_employee)).status_code == 404
    assert client.get(person_url(org.underwriter)).status_code == 404


def test_employer_contact_sees_nobody(gap_world, login):
    client = login(gap_world.org.employer_contact)
    assert client.get(person_url(gap_world.org.motor_handler)).status_code == 404


def test_person_without_a_job_profile_has_an_explaining_empty_state(gap_world, login):
    org = gap_world.org
    uma = org.underwriting_manager.employee
    page = login(org.coordinator).get(person_url(uma)).content.decode()
    assert "has no job profile, so there are no gaps to show" in page


def test_inactive_person_is_not_in_the_analysis(gap_world, login):
    org = gap_world.org
    org.underwriter.is_active = False
    org.underwriter.save()
    page = login(org.coordinator).get(person_url(org.underwriter)).content.decode()
    assert "is inactive, so they are not part of the gap analysis" in page


def test_export(gap_world, login):
    org = gap_world.org
    response = login(org.coordinator).get(
        person_url(org.claims_manager_employee), {"export": "csv"}
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1:] == [
        ["Claims handling", "yes", "3", "2", "1", "4.0", "4.0", ""],
        ["Negotiation", "no", "2", "", "2", "1.0", "2.0", "counted as level 0"],
    ]


def test_query_count_is_fixed(gap_world, login, django_assert_num_queries):
    org = gap_world.org
    client = login(org.claims_manager)
    url = person_url(org.motor_handler)
    client.get(url)
    # session, user, user's employee and unit, the person, structure check, new agreed rows,
    # competency names, direct reports, unread notifications
    with django_assert_num_queries(10):
        assert client.get(url).status_code == 200
