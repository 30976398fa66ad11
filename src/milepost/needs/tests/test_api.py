"""The needs REST API: intake with suggestions, scope per role, triage, mapping and themes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from milepost.accounts.models import OrgUnit, User
from milepost.accounts.services import issue_api_token
from milepost.frameworks.models import Competency
from milepost.needs import matching, services
from milepost.needs.models import Need, NeedCompetency, Source, Status
from milepost.testing.factories import CompetencyFactory, FrameworkFactory

pytestmark = pytest.mark.django_db

NEEDS = "/api/v1/needs"
THEMES = "/api/v1/themes"

ANGRY_CALLERS = (
    "Since the premium rise our handlers struggle to calm angry callers; "
    "too many calls escalate to supervisors."
)
FRENCH = (
    "Les gestionnaires ont besoin d'une formation pour la gestion des appels difficiles "
    "avec les clients qui sont mécontents."
)


@dataclass
class ServiceSkills:
    empathy: Competency
    excel: Competency
    negotiation: Competency


@pytest.fixture(autouse=True)
def fresh_index() -> Iterator[None]:
    # The competency index lives for the process; each test builds its own framework.
    matching.competency_index.reset()
    yield
    matching.competency_index.reset()


@pytest.fixture
def skills(db: None) -> ServiceSkills:
    framework = FrameworkFactory(name="Service skills")
    return ServiceSkills(
        empathy=CompetencyFactory.create(
            framework=framework,
            name="Customer empathy and de-escalation",
            description="Calms angry or upset callers, listens to their complaint and agrees "
            "what happens next.",
        ),
        excel=CompetencyFactory.create(
            framework=framework,
            name="Excel modelling",
            description="Builds spreadsheet models of reserves and pricing in Microsoft Excel, "
            "with formulas and pivot tables.",
        ),
        negotiation=CompetencyFactory.create(
            framework=framework,
            name="Negotiation",
            description="Agrees settlements with claimants, brokers and suppliers, trading "
            "concessions to reach a fair deal.",
        ),
    )


def raise_need(user: User, unit: OrgUnit | None, title: str, **fields: Any) -> Need:
    return services.submit_need(
        acting_user=user,
        title=title,
        description=fields.pop("description", ANGRY_CALLERS),
        unit=unit,
        **fields,
    )


def post_need(client: Client, **fields: Any) -> Any:
    payload = {"title": "Handling angry callers", "description": ANGRY_CALLERS, **fields}
    return client.post(NEEDS, payload, content_type="application/json")


def titles(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return sorted(row["title"] for row in response.json()["items"])


# --- intake ------------------------------------------------------------------------------------


def test_submitted_need_reads_back_with_suggested_competencies(org, skills, login):
    client = login(org.claims_manager)
    response = post_need(
        client,
        unit_id=org.motor_team.pk,
        business_issue="Complaints up 30% since April",
        people_affected=40,
        urgency=3,
        impact=4,
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["source"] == "api"
    assert body["status"] == "submitted"
    assert body["unit"] == {"id": org.motor_team.pk, "code": "CLM-MOT", "name": "Motor claims"}
    assert (body["people_affected"], body["urgency"], body["impact"]) == (40, 3, 4)
    top = body["competencies"][0]
    assert top["competency"]["name"] == "Customer empathy and de-escalation"
    assert top["origin"] == "suggested"
    assert top["score"] > 0
    assert {"angry", "callers"} <= set(top["matched_terms"])
    assert "Excel modelling" not in [row["competency"]["name"] for row in body["competencies"]]
    assert [(c["from_status"], c["to_status"]) for c in body["status_history"]] == [
        ("", "submitted")
    ]

    read_back = client.get(f"{NEEDS}/{body['id']}").json()
    assert read_back["competencies"] == body["competencies"]
    assert read_back["title"] == "Handling angry callers"
    assert Need.objects.get().requester == org.claims_manager


def test_executive_cannot_submit(org, skills, login):
    response = post_need(login(org.executive), unit_id=org.claims.pk)

    assert response.status_code == 403
    assert "cannot raise needs" in response.json()["message"]
    assert response.json()["code"] == "forbidden"
    assert not Need.objects.exists()


@pytest.mark.parametrize(
    ("description", "says"),
    [
        ("", "at least 15 characters"),
        ("a" * 20_000, "20,000 characters"),
        (FRENCH, "language other than English"),
    ],
    ids=["empty", "20000-characters", "french"],
)
def test_bad_description_is_422_naming_the_field(org, skills, login, description, says):
    response = post_need(login(org.coordinator), unit_id=org.claims.pk, description=description)

    assert response.status_code == 422
    [message] = response.json()["fields"]["description"]
    assert says in message
    assert not Need.objects.exists()


def test_unknown_unit_is_422(org, skills, login):
    response = post_need(login(org.coordinator), unit_id=999_999)

    assert response.status_code == 422
    assert response.json() == {
        "message": "unit_id: no unit with id 999999.",
        "fields": {"unit_id": ["no unit with id 999999."]},
        "code": "invalid",
    }


def test_unit_outside_the_managers_scope_is_422_without_naming_it(org, skills, login):
    response = post_need(login(org.claims_manager), unit_id=org.underwriting.pk)

    assert response.status_code == 422
    [message] = response.json()["fields"]["unit_id"]
    assert message.startswith("you cannot raise needs for unit")
    assert "Underwriting" not in message
    assert not Need.objects.exists()


def test_internal_roles_must_give_a_unit(org, skills, login):
    response = post_need(login(org.employee_user))

    assert response.status_code == 422
    assert response.json()["fields"] == {"unit_id": ["Choose the unit that has the need."]}


def test_anonymous_gets_401(org, skills):
    need = raise_need(org.coordinator, org.claims, "Angry callers")
    client = Client()
    assert client.get(NEEDS).status_code == 401
    assert client.get(f"{NEEDS}/{need.pk}").status_code == 401
    assert post_need(client, unit_id=org.claims.pk).status_code == 401
    assert client.get(THEMES).status_code == 401
    assert Need.objects.count() == 1


def test_bearer_token_submits_and_reads(org, skills):
    _, raw = issue_api_token(acting_user=org.coordinator, name="survey tool")
    headers = {"Authorization": f"Bearer {raw}"}
    client = Client(headers=headers)

    created = post_need(client, unit_id=org.underwriting.pk)

    assert created.status_code == 201
    assert titles(client.get(NEEDS)) == ["Handling angry callers"]


# --- who sees what -----------------------------------------------------------------------------


@pytest.fixture
def spread(org, skills) -> dict[str, Need]:
    """A need in each corner of the organisation."""
    return {
        "own": raise_need(org.employee_user, org.motor_team, "Mine", suggest=False),
        "team": raise_need(org.coordinator, org.motor_team, "Motor team", suggest=False),
        "claims": raise_need(org.claims_manager, org.claims, "Claims", suggest=False),
        "uw": raise_need(org.underwriting_manager, org.underwriting, "Underwriting", suggest=False),
        "external": raise_need(org.employer_contact, None, "External", suggest=False),
    }


def test_employee_sees_only_own_and_own_units_needs(org, spread, login):
    client = login(org.employee_user)

    assert titles(client.get(NEEDS)) == ["Mine", "Motor team"]
    assert client.get(f"{NEEDS}/{spread['claims'].pk}").status_code == 404
    assert client.get(f"{NEEDS}/{spread['uw'].pk}").status_code == 404


def test_line_manager_sees_their_unit_and_below(org, spread, login):
    assert titles(login(org.claims_manager).get(NEEDS)) == ["Claims", "Mine", "Motor team"]


def test_line_manager_gets_404_for_another_units_need(org, spread, login):
    client = login(org.underwriting_manager)
    claims_need = spread["claims"]

    assert client.get(f"{NEEDS}/{claims_need.pk}").status_code == 404
    response = client.post(
        f"{NEEDS}/{claims_need.pk}/confirm", {"competency_ids": []}, content_type="application/json"
    )
    assert response.status_code == 404
    assert titles(client.get(NEEDS)) == ["Underwriting"]


def test_employer_contact_sees_only_their_own(org, spread, login):
    client = login(org.employer_contact)

    assert titles(client.get(NEEDS)) == ["External"]
    assert client.get(f"{NEEDS}/{spread['team'].pk}").status_code == 404
    response = post_need(client)
    assert response.status_code == 201
    assert response.json()["unit"] is None


def test_executive_reads_every_need(org, spread, login):
    assert len(titles(login(org.executive).get(NEEDS))) == 5


# --- filters -----------------------------------------------------------------------------------


def test_list_filters(org, skills, login):
    angry = raise_need(org.coordinator, org.motor_team, "Angry callers")
    sheets = raise_need(
        org.coordinator,
        org.underwriting,
        "Reserving spreadsheets",
        description="Analysts rebuild the reserving spreadsheet by hand each month.",
        source=Source.SURVEY,
    )
    services.change_status(
        acting_user=org.coordinator, need=sheets, status=Status.DECLINED, note="No"
    )
    theme = services.create_theme(acting_user=org.coordinator, title="Callers", needs=[angry])
    client = login(org.coordinator)

    assert titles(client.get(NEEDS, {"status": "open"})) == ["Angry callers"]
    assert titles(client.get(NEEDS, {"status": "declined"})) == ["Reserving spreadsheets"]
    assert titles(client.get(NEEDS, {"unit": org.claims.pk})) == ["Angry callers"]
    assert titles(client.get(NEEDS, {"competency": skills.excel.pk})) == ["Reserving spreadsheets"]
    assert titles(client.get(NEEDS, {"source": "survey"})) == ["Reserving spreadsheets"]
    assert titles(client.get(NEEDS, {"theme": theme.pk})) == ["Angry callers"]
    assert titles(client.get(NEEDS, {"q": "reserving"})) == ["Reserving spreadsheets"]
    body = client.get(NEEDS).json()
    assert body["count"] == 2
    assert body["items"][0]["theme"] is None  # newest first
    assert body["items"][1]["theme"] == {"id": theme.pk, "title": "Callers"}


def test_unknown_filter_values_are_422(org, skills, login):
    client = login(org.coordinator)

    bad_status = client.get(NEEDS, {"status": "closed"})
    assert bad_status.status_code == 422
    assert bad_status.json()["fields"]["status"][0].startswith("'closed' is not a status")
    assert client.get(NEEDS, {"source": "email"}).status_code == 422
    assert client.get(NEEDS, {"unit": 999_999}).json()["fields"] == {
        "unit": ["no unit with id 999999."]
    }


def test_list_runs_a_fixed_number_of_queries(org, skills, login):
    client = login(org.coordinator)
    raise_need(org.coordinator, org.claims, "First", suggest=False)
    with CaptureQueriesContext(connection) as one:
        client.get(NEEDS)
    for number in range(10):
        raise_need(org.claims_manager, org.motor_team, f"Need {number}", suggest=False)
    with CaptureQueriesContext(connection) as eleven:
        assert client.get(NEEDS).json()["count"] == 11
    assert len(eleven) == len(one)


# --- mapping and triage ------------------------------------------------------------------------


def test_requester_confirms_a_suggestion(org, skills, login):
    need = raise_need(org.claims_manager, org.claims, "Angry callers")
    client = login(org.claims_manager)

    response = client.post(
        f"{NEEDS}/{need.pk}/confirm",
        {"competency_ids": [skills.empathy.pk]},
        content_type="application/json",
    )

    assert response.status_code == 200
    [row] = response.json()["competencies"]
    assert row["confirmed_by_requester"] is True


def test_confirming_a_competency_that_was_not_suggested_is_422(org, skills, login):
    need = raise_need(org.claims_manager, org.claims, "Angry callers")
    response = login(org.claims_manager).post(
        f"{NEEDS}/{need.pk}/confirm",
        {"competency_ids": [skills.excel.pk]},
        content_type="application/json",
    )

    assert response.status_code == 422
    assert response.json()["fields"]["competency_ids"][0].startswith("Competencies [")


def test_coordinator_sets_the_mapping(org, skills, login):
    need = raise_need(org.claims_manager, org.claims, "Angry callers")

    response = login(org.coordinator).put(
        f"{NEEDS}/{need.pk}/mapping",
        {"accepted_ids": [skills.empathy.pk], "add_ids": [skills.negotiation.pk]},
        content_type="application/json",
    )

    assert response.status_code == 200
    mapping = {
        row["competency"]["name"]: (row["origin"], row["accepted"])
        for row in response.json()["competencies"]
    }
    assert mapping == {
        "Customer empathy and de-escalation": ("suggested", True),
        "Negotiation": ("added", True),
    }


def test_non_coordinator_cannot_change_status_or_mapping(org, skills, login):
    need = raise_need(org.claims_manager, org.claims, "Angry callers")
    client = login(org.claims_manager)

    status = client.post(
        f"{NEEDS}/{need.pk}/status", {"status": "triaged"}, content_type="application/json"
    )
    mapping = client.put(
        f"{NEEDS}/{need.pk}/mapping",
        {"accepted_ids": [skills.excel.pk]},
        content_type="application/json",
    )

    assert (status.status_code, mapping.status_code) == (403, 403)
    need.refresh_from_db()
    assert need.status == Status.SUBMITTED
    assert not NeedCompetency.objects.filter(accepted=True).exists()


def test_coordinator_moves_a_need_on_and_the_history_shows_it(org, skills, login):
    need = raise_need(org.claims_manager, org.claims, "Angry callers")

    response = login(org.coordinator).post(
        f"{NEEDS}/{need.pk}/status",
        {"status": "triaged", "note": "Looking at it with the contact centre"},
        content_type="application/json",
    )

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "triaged"
    assert body["status_history"][-1] == {
        **body["status_history"][-1],
        "from_status": "submitted",
        "to_status": "triaged",
        "changed_by": "coordinator",
        "note": "Looking at it with the contact centre",
    }
    assert org.claims_manager.notifications.count() == 1


def test_declining_needs_a_note(org, skills, login):
    need = raise_need(org.claims_manager, org.claims, "Angry callers")

    response = login(org.coordinator).post(
        f"{NEEDS}/{need.pk}/status", {"status": "declined"}, content_type="application/json"
    )

    assert response.status_code == 422
    assert response.json()["fields"] == {
        "note": ["Say why the need is declined: the requester sees it."]
    }
    need.refresh_from_db()
    assert need.status == Status.SUBMITTED


def test_a_move_the_workflow_forbids_is_422_naming_status(org, skills, login):
    need = raise_need(org.claims_manager, org.claims, "Angry callers")

    response = login(org.coordinator).post(
        f"{NEEDS}/{need.pk}/status", {"status": "delivered"}, content_type="application/json"
    )

    assert response.status_code == 422
    assert response.json()["fields"]["status"][0].startswith("A submitted need cannot become")


# --- themes ------------------------------------------------------------------------------------


def test_themes_show_only_the_needs_the_caller_can_see(org, spread, login):
    shared = services.create_theme(
        acting_user=org.coordinator, title="Angry callers", needs=[spread["claims"], spread["uw"]]
    )
    elsewhere = services.create_theme(
        acting_user=org.coordinator, title="Employer request", needs=[spread["external"]]
    )
    client = login(org.claims_manager)

    listed = client.get(THEMES).json()
    assert [(row["title"], row["need_count"]) for row in listed["items"]] == [("Angry callers", 1)]
    detail = client.get(f"{THEMES}/{shared.pk}").json()
    assert [need["title"] for need in detail["needs"]] == ["Claims"]
    assert client.get(f"{THEMES}/{elsewhere.pk}").status_code == 404

    coordinator = login(org.coordinator).get(THEMES).json()
    assert [(row["title"], row["need_count"]) for row in coordinator["items"]] == [
        ("Angry callers", 2),
        ("Employer request", 1),
    ]
