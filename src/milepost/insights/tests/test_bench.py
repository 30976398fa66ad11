"""Bench strength: who is ready or nearly ready for each job profile, within the viewer's scope."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

BENCH_LIST = reverse("insights:profile-list")


def bench_url(profile):
    return reverse("insights:profile-bench", args=[profile.pk])


def names(people):
    return [(person.name, person.short) for person in people]


def test_ready_and_nearly_ready_people_from_the_whole_organisation(gap_world, login):
    response = login(gap_world.org.coordinator).get(bench_url(gap_world.handler))
    # Handler is judged on claims handling 3 (its only essential requirement).
    assert names(response.context["ready_people"]) == [("Mo Handler", 0)]
    assert names(response.context["near_people"]) == [("Clara Claims", 1), ("Ursula Writer", 1)]


def test_a_line_manager_sees_only_people_in_their_units(gap_world, login):
    response = login(gap_world.org.claims_manager).get(bench_url(gap_world.handler))
    assert names(response.context["ready_people"]) == [("Mo Handler", 0)]
    assert names(response.context["near_people"]) == [("Clara Claims", 1)]
    assert "Ursula" not in response.content.decode()


def test_list_counts_per_profile_in_scope(gap_world, login):
    rows = login(gap_world.org.claims_manager).get(BENCH_LIST).context["rows"]
    counts = {row.profile.title: (row.holders, row.ready, row.nearly_ready) for row in rows}
    assert counts == {"Handler": (2, 1, 1), "Underwriter": (0, 0, 0)}
    rows = login(gap_world.org.coordinator).get(BENCH_LIST).context["rows"]
    counts = {row.profile.title: (row.holders, row.ready, row.nearly_ready) for row in rows}
    assert counts == {"Handler": (2, 1, 2), "Underwriter": (1, 1, 0)}


def test_employees_and_employer_contacts_may_not_open_bench_strength(gap_world, login):
    for user in (gap_world.org.employee_user, gap_world.org.employer_contact):
        client = login(user)
        assert client.get(BENCH_LIST).status_code == 403
        assert client.get(bench_url(gap_world.handler)).status_code == 403


def test_inactive_profile_is_not_found(gap_world, login):
    gap_world.handler.is_active = False
    gap_world.handler.save()
    assert login(gap_world.org.coordinator).get(bench_url(gap_world.handler)).status_code == 404


def test_exports(gap_world, login):
    client = login(gap_world.org.coordinator)
    response = client.get(bench_url(gap_world.handler), {"export": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text)))[1:] == [
        ["Mo Handler", "Motor claims", "ready", "0"],
        ["Clara Claims", "Claims", "nearly ready", "1"],
        ["Ursula Writer", "Underwriting", "nearly ready", "1"],
    ]
    listing = client.get(BENCH_LIST, {"export": "csv"})
    text = b"".join(listing.streaming_content).decode("utf-8-sig")
    assert ["Handler", "HANDLER", "1", "2", "1", "2"] in list(csv.reader(io.StringIO(text)))


def test_no_profiles_yet(org, login):
    page = login(org.coordinator).get(BENCH_LIST).content.decode()
    assert "No active job profiles yet" in page


def test_query_counts_do_not_grow_with_people(gap_world, login, django_assert_num_queries):
    from milepost.testing.factories import EmployeeFactory

    org = gap_world.org
    client = login(org.claims_manager)
    client.get(BENCH_LIST)
    client.get(bench_url(gap_world.handler))
    # session, user, user's employee and unit, profiles count and page, structure check, new
    # agreed rows, unread notifications
    with django_assert_num_queries(9):
        client.get(BENCH_LIST)
    # session, user, the profile, structure check, new agreed rows, user's employee and unit,
    # the ready and the nearly ready people's names, unread notifications
    with django_assert_num_queries(10):
        client.get(bench_url(gap_world.handler))
    for _ in range(5):
        EmployeeFactory.create(unit=org.motor_team, job_profile=gap_world.handler)
    client.get(bench_url(gap_world.handler))
    with django_assert_num_queries(10):
        client.get(bench_url(gap_world.handler))
