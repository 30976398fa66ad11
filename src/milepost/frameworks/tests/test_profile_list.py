"""Job profile list: search, filters, pagination, exports and a fixed query count."""

from __future__ import annotations

import io

import pytest
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from milepost.frameworks.models import Source
from milepost.testing.factories import JobProfileFactory, RequirementFactory

pytestmark = pytest.mark.django_db

URL = reverse("frameworks:profile-list")


def titles(response):
    return [job_profile.title for job_profile in response.context["page_obj"]]


@pytest.fixture
def profiles(db):
    handler = JobProfileFactory.create(
        code="CLM-HND", title="Claims handler", alt_titles="Loss adjuster assistant"
    )
    JobProfileFactory.create(code="UW-01", title="Underwriter", source=Source.ESCO)
    JobProfileFactory.create(code="OLD-01", title="Telex operator", is_active=False)
    RequirementFactory.create(job_profile=handler, essential=True)
    RequirementFactory.create(job_profile=handler, essential=False)
    return handler


def test_anonymous_user_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_every_role_can_read_the_list(org, profiles, login):
    for user in (org.employee_user, org.employer_contact, org.claims_manager, org.executive):
        assert login(user).get(URL).status_code == 200


def test_list_shows_requirement_counts(org, profiles, login):
    response = login(org.employee_user).get(URL)
    assert titles(response) == ["Claims handler", "Telex operator", "Underwriter"]
    assert b'2 <span class="muted">(1 essential)</span>' in response.content


def test_search_by_title_code_and_alternative_title(org, profiles, login):
    client = login(org.employee_user)
    assert titles(client.get(URL, {"q": "underwr"})) == ["Underwriter"]
    assert titles(client.get(URL, {"q": "clm-hnd"})) == ["Claims handler"]
    assert titles(client.get(URL, {"q": "loss adjuster"})) == ["Claims handler"]


def test_filters_by_source_and_status(org, profiles, login):
    client = login(org.employee_user)
    assert titles(client.get(URL, {"source": "esco"})) == ["Underwriter"]
    assert titles(client.get(URL, {"active": "no"})) == ["Telex operator"]
    assert "Telex operator" not in titles(client.get(URL, {"active": "yes"}))


def test_htmx_request_gets_only_the_results_partial(org, profiles, login):
    response = login(org.employee_user).get(URL, {"q": "claims"}, HTTP_HX_REQUEST="true")
    assert b"<html" not in response.content
    assert b"Claims handler" in response.content


def test_empty_state_invites_import_or_create(org, login):
    response = login(org.coordinator).get(URL)
    assert b"No job profiles yet. Import ESCO or O*NET, or create one." in response.content
    assert reverse("frameworks:profile-create").encode() in response.content


def test_create_button_only_for_editors(org, login):
    assert b"New job profile" not in login(org.employee_user).get(URL).content
    assert b"New job profile" in login(org.coordinator).get(URL).content


@override_settings(PAGE_SIZE=2)
def test_list_is_paginated(org, profiles, login):
    response = login(org.employee_user).get(URL, {"page": 2})
    assert titles(response) == ["Underwriter"]


def test_export_csv_of_the_filtered_list(org, profiles, login):
    response = login(org.employee_user).get(URL, {"active": "yes", "export": "csv"})
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Code,Title,Source,Active,Requirements,Essential")
    assert lines[1:] == [
        "CLM-HND,Claims handler,Custom,yes,2,1,Loss adjuster assistant,",
        "UW-01,Underwriter,ESCO,yes,0,0,,",
    ]


def test_export_xlsx(org, profiles, login):
    response = login(org.employee_user).get(URL, {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 4
    assert rows[1][:2] == ("CLM-HND", "Claims handler")


def test_list_query_count_does_not_grow_with_profiles(org, login, django_assert_num_queries):
    client = login(org.employee_user)
    for _ in range(5):
        RequirementFactory.create()
    # session, user, count, page of profiles with annotated requirement counts
    with django_assert_num_queries(5):
        response = client.get(URL)
    assert len(response.context["page_obj"]) == 5
    for _ in range(45):
        RequirementFactory.create()
    with django_assert_num_queries(5):
        response = client.get(URL)
    assert len(response.context["page_obj"]) == 50
