"""REST API for frameworks, competencies and job profiles: reads for all, writes for editors."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from milepost.frameworks.models import JobProfile
from milepost.testing.factories import (
    CompetencyLevelFactory,
    JobProfileFactory,
    RequirementFactory,
)

pytestmark = pytest.mark.django_db

BASE = "/api/v1"


def send(client, method, path, headers, body=None):
    return getattr(client, method)(
        BASE + path,
        data=json.dumps(body) if body is not None else None,
        content_type="application/json",
        headers=headers,
    )


@pytest.mark.parametrize(
    "path",
    [
        "/frameworks",
        "/frameworks/1",
        "/competencies",
        "/competencies/1",
        "/job-profiles",
        "/job-profiles/1",
    ],
)
def test_anonymous_requests_get_401(db, path):
    assert Client().get(BASE + path).status_code == 401


def test_anonymous_writes_get_401(db):
    assert (
        send(Client(), "post", "/job-profiles", {}, {"code": "X", "title": "X"}).status_code == 401
    )


def test_frameworks_list_and_detail(org, tree, api):
    client = Client()
    response = client.get(f"{BASE}/frameworks", headers=api(org.employee_user))
    [framework] = response.json()
    assert framework["code"] == "digital"
    assert (framework["competency_count"], framework["group_count"]) == (3, 2)
    assert framework["scale"] == {
        "id": tree.framework.scale_id,
        "name": "Core 1-5",
        "min_level": 1,
        "max_level": 5,
    }
    detail = client.get(f"{BASE}/frameworks/{tree.framework.pk}", headers=api(org.employee_user))
    assert detail.json()["name"] == "Digital skills framework"
    assert client.get(f"{BASE}/frameworks/999", headers=api(org.employee_user)).status_code == 404


def test_competency_search_by_alt_label_with_framework_filter_and_pages(org, tree, api):
    headers = api(org.employer_contact)
    response = Client().get(
        f"{BASE}/competencies", {"q": "excel", "framework": tree.framework.pk}, headers=headers
    )
    body = response.json()
    assert body["count"] == 1
    assert body["items"][0]["name"] == "Use spreadsheets"
    assert body["items"][0]["alt_labels"] == ["Excel skills", "working with worksheets"]
    page = Client().get(f"{BASE}/competencies", {"page_size": 2, "page": 3}, headers=headers)
    assert page.json()["count"] == 5
    assert len(page.json()["items"]) == 1


def test_competency_detail_has_levels_with_indicators(org, tree, api):
    CompetencyLevelFactory.create(competency=tree.spreadsheets, level=2, indicators="A\nB")
    response = Client().get(
        f"{BASE}/competencies/{tree.spreadsheets.pk}", headers=api(org.employee_user)
    )
    body = response.json()
    assert body["parent_id"] == tree.data.pk
    assert body["scale"]["name"] == "Core 1-5"
    assert body["levels"] == [
        {"level": 2, "title": "Proficient", "description": "", "indicators": ["A", "B"]}
    ]


def test_job_profiles_list_filters_and_detail_with_requirements(org, tree, api):
    job_profile = JobProfileFactory.create(title="Analyst", alt_titles="Data analyst")
    JobProfileFactory.create(title="Retired", is_active=False)
    RequirementFactory.create(job_profile=job_profile, competency=tree.coding, required_level=4)
    headers = api(org.claims_manager)
    listing = Client().get(f"{BASE}/job-profiles", {"q": "data analyst"}, headers=headers).json()
    assert [item["title"] for item in listing["items"]] == ["Analyst"]
    assert listing["items"][0]["requirement_count"] == 1
    inactive = Client().get(f"{BASE}/job-profiles", {"active": False}, headers=headers).json()
    assert [item["title"] for item in inactive["items"]] == ["Retired"]
    detail = Client().get(f"{BASE}/job-profiles/{job_profile.pk}", headers=headers).json()
    assert detail["alt_titles"] == ["Data analyst"]
    assert detail["requirements"] == [
        {
            "competency_id": tree.coding.pk,
            "competency_name": "Write code",
            "framework_id": tree.framework.pk,
            "required_level": 4,
            "importance": 3,
            "essential": True,
        }
    ]


def test_job_profile_list_query_count_does_not_grow(org, api, django_assert_num_queries):
    headers = api(org.employee_user)
    Client().get(f"{BASE}/job-profiles", headers=headers)  # first use stamps last_used_at
    for _ in range(5):
        RequirementFactory.create()
    with django_assert_num_queries(3):  # token, count, page
        Client().get(f"{BASE}/job-profiles", headers=headers)
    for _ in range(45):
        RequirementFactory.create()
    with django_assert_num_queries(3):
        response = Client().get(f"{BASE}/job-profiles", headers=headers)
    assert response.json()["count"] == 50


def test_job_profile_detail_query_count_does_not_grow(org, api, django_assert_num_queries):
    headers = api(org.employee_user)
    job_profile = JobProfileFactory.create()
    RequirementFactory.create(job_profile=job_profile)
    Client().get(f"{BASE}/job-profiles/{job_profile.pk}", headers=headers)
    with django_assert_num_queries(3):  # token, profile, requirements
        Client().get(f"{BASE}/job-profiles/{job_profile.pk}", headers=headers)
    for _ in range(20):
        RequirementFactory.create(job_profile=job_profile)
    with django_assert_num_queries(3):
        response = Client().get(f"{BASE}/job-profiles/{job_profile.pk}", headers=headers)
    assert len(response.json()["requirements"]) == 21


@pytest.mark.parametrize(
    "role", ["employee_user", "claims_manager", "employer_contact", "executive"]
)
def test_other_roles_get_403_on_every_write(org, tree, api, role):
    headers = api(getattr(org, role))
    job_profile = JobProfileFactory.create(title="Unchanged")
    client = Client()
    requirement = {"competency_id": tree.coding.pk, "required_level": 3}
    attempts = [
        send(client, "post", "/job-profiles", headers, {"code": "N", "title": "N"}),
        send(client, "patch", f"/job-profiles/{job_profile.pk}", headers, {"title": "Hacked"}),
        send(client, "post", f"/job-profiles/{job_profile.pk}/requirements", headers, requirement),
        send(
            client,
            "put",
            f"/job-profiles/{job_profile.pk}/requirements/{tree.coding.pk}",
            headers,
            {"required_level": 2},
        ),
        send(
            client,
            "delete",
            f"/job-profiles/{job_profile.pk}/requirements/{tree.coding.pk}",
            headers,
        ),
    ]
    assert [response.status_code for response in attempts] == [403] * 5
    job_profile.refresh_from_db()
    assert job_profile.title == "Unchanged"
    assert JobProfile.objects.count() == 1


def test_coordinator_creates_a_profile_with_requirements(org, tree, api):
    response = send(
        Client(),
        "post",
        "/job-profiles",
        api(org.coordinator),
        {
            "code": "AN-1",
            "title": "Analyst",
            "alt_titles": ["Data analyst"],
            "requirements": [
                {"competency_id": tree.coding.pk, "required_level": 4, "importance": 5},
                {"competency_id": tree.spreadsheets.pk, "required_level": 2, "essential": False},
            ],
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert body["code"] == "AN-1"
    assert {r["competency_name"]: r["required_level"] for r in body["requirements"]} == {
        "Write code": 4,
        "Use spreadsheets": 2,
    }


def test_coordinator_updates_fields_and_replaces_requirements(org, tree, api):
    job_profile = JobProfileFactory.create(title="Old")
    RequirementFactory.create(job_profile=job_profile, competency=tree.coding)
    response = send(
        Client(),
        "patch",
        f"/job-profiles/{job_profile.pk}",
        api(org.admin),
        {
            "title": "New",
            "is_active": False,
            "requirements": [{"competency_id": tree.pivot_tables.pk, "required_level": 1}],
        },
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["title"], body["is_active"], body["code"]) == ("New", False, job_profile.code)
    assert [r["competency_name"] for r in body["requirements"]] == ["Build pivot tables"]


def test_patch_without_requirements_keeps_them(org, tree, api):
    job_profile = JobProfileFactory.create()
    RequirementFactory.create(job_profile=job_profile, competency=tree.coding)
    send(Client(), "patch", f"/job-profiles/{job_profile.pk}", api(org.coordinator), {"title": "T"})
    assert job_profile.requirements.count() == 1


def test_add_set_and_remove_one_requirement(org, tree, api):
    headers = api(org.coordinator)
    job_profile = JobProfileFactory.create()
    client = Client()
    path = f"/job-profiles/{job_profile.pk}/requirements"
    added = send(
        client, "post", path, headers, {"competency_id": tree.coding.pk, "required_level": 2}
    )
    assert added.status_code == 201
    duplicate = send(
        client, "post", path, headers, {"competency_id": tree.coding.pk, "required_level": 3}
    )
    assert duplicate.status_code == 422
    assert "already requires 'Write code'" in duplicate.json()["message"]
    changed = send(
        client,
        "put",
        f"{path}/{tree.coding.pk}",
        headers,
        {"required_level": 5, "essential": False},
    )
    assert (changed.json()["required_level"], changed.json()["essential"]) == (5, False)
    assert send(client, "delete", f"{path}/{tree.coding.pk}", headers).status_code == 204
    assert not job_profile.requirements.exists()
    assert send(client, "delete", f"{path}/{tree.coding.pk}", headers).status_code == 404


def test_level_off_the_scale_is_422_naming_competency_and_scale(org, tree, api):
    job_profile = JobProfileFactory.create()
    response = send(
        Client(),
        "put",
        f"/job-profiles/{job_profile.pk}/requirements/{tree.coding.pk}",
        api(org.coordinator),
        {"required_level": 9},
    )
    assert response.status_code == 422
    message = response.json()["message"]
    assert "'Write code'" in message and "scale 'Core 1-5' (1-5)" in message


def test_duplicate_code_is_422(org, api):
    JobProfileFactory.create(code="DUP", title="First")
    response = send(
        Client(), "post", "/job-profiles", api(org.coordinator), {"code": "DUP", "title": "Two"}
    )
    assert response.status_code == 422
    assert response.json()["fields"] == {
        "code": ["Code 'DUP' is already used by job profile 'First'. Choose another code."]
    }


def test_unknown_competency_in_requirements_is_422_and_nothing_is_saved(org, api):
    response = send(
        Client(),
        "post",
        "/job-profiles",
        api(org.coordinator),
        {"code": "X", "title": "X", "requirements": [{"competency_id": 999, "required_level": 1}]},
    )
    assert response.status_code == 422
    assert "No competency with id 999" in response.json()["fields"]["competency_id"][0]
    assert not JobProfile.objects.exists()


def test_duplicate_requirements_in_one_request_are_422(org, tree, api):
    requirement = {"competency_id": tree.coding.pk, "required_level": 2}
    response = send(
        Client(),
        "post",
        "/job-profiles",
        api(org.coordinator),
        {"code": "X", "title": "X", "requirements": [requirement, requirement]},
    )
    assert response.status_code == 422
    assert response.json()["fields"] == {
        "requirements": ["'Write code' is listed more than once. Keep one row for it."]
    }
    assert not JobProfile.objects.exists()


def test_session_login_works_for_the_api(org, tree, login):
    response = login(org.employee_user).get(f"{BASE}/frameworks")
    assert response.status_code == 200
