"""Raising a need: the form, live suggestions, what Milepost understood, and bad input."""

from __future__ import annotations

import pytest
from django.urls import reverse

from milepost.needs.models import Need, NeedCompetency, StatusChange

pytestmark = pytest.mark.django_db

CREATE = reverse("needs:need-create")
ANGRY_CALLERS = (
    "Our claims handlers struggle with angry callers since the new policy wording; "
    "calls escalate and end in complaints."
)


def need_form(unit, **overrides) -> dict:
    return {
        "title": "Angry callers",
        "description": ANGRY_CALLERS,
        "business_issue": "Complaints up 30% since April",
        "unit": unit.pk,
        "people_affected": "25",
        "urgency": "3",
        "impact": "4",
        "wanted_by": "",
        **overrides,
    }


def test_employee_raises_a_need_and_sees_suggested_competencies(org, service_framework, login):
    client = login(org.employee_user)
    response = client.post(CREATE, need_form(org.motor_team))
    need = Need.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("needs:need-detail", args=[need.pk])
    assert (need.requester, need.unit, need.people_affected) == (
        org.employee_user,
        org.motor_team,
        25,
    )
    assert StatusChange.objects.get(need=need).to_status == "submitted"
    top_two = {row.competency: row for row in need.mappings.order_by("rank")[:2]}
    assert set(top_two) == {service_framework.de_escalation, service_framework.complaints}
    assert "angry" in top_two[service_framework.de_escalation].matched_term_list
    assert all(row.score is not None for row in top_two.values())
    page = client.get(response["Location"])
    assert b"Customer empathy and de-escalation" in page.content
    assert b"Confirm these competencies" in page.content


def test_requester_confirms_some_suggestions(org, service_framework, login):
    client = login(org.employee_user)
    client.post(CREATE, need_form(org.motor_team))
    need = Need.objects.get()
    chosen = service_framework.de_escalation.pk
    client.post(reverse("needs:need-confirm", args=[need.pk]), {"competency": [chosen]})
    confirmed = NeedCompetency.objects.filter(need=need, confirmed_by_requester=True)
    assert list(confirmed.values_list("competency_id", flat=True)) == [chosen]


def test_live_suggestions_follow_the_text_and_save_nothing(org, service_framework, login):
    client = login(org.claims_manager)
    response = client.post(
        reverse("needs:need-suggest"),
        {"title": "Spreadsheets", "description": "People cannot build pivot tables in Excel"},
    )
    assert response.status_code == 200
    assert b"Excel modelling" in response.content
    assert b"<mark>pivot</mark>" in response.content
    short = client.post(reverse("needs:need-suggest"), {"title": "", "description": "Excel"})
    assert b"Keep going" in short.content
    assert not Need.objects.exists()


def test_the_form_offers_only_units_the_user_may_raise_needs_for(org, login):
    employee_form = login(org.employee_user).get(CREATE).context["form"]
    assert list(employee_form.fields["unit"].queryset) == [org.motor_team]
    manager_form = login(org.claims_manager).get(CREATE).context["form"]
    assert set(manager_form.fields["unit"].queryset) == {org.claims, org.motor_team}


def test_a_manager_cannot_raise_a_need_for_another_units_team(org, login):
    response = login(org.claims_manager).post(CREATE, need_form(org.underwriting))
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert not Need.objects.exists()


@pytest.mark.parametrize(
    ("description", "message"),
    [
        ("", "This field is required."),
        ("Too short", "at least 15 characters"),
        ("x" * 20_000, "5000 characters"),
        (
            "Nos gestionnaires ont besoin de formation pour les appels difficiles avec les clients",
            "language other than English",
        ),
    ],
)
def test_bad_descriptions_get_a_clear_error_and_nothing_is_saved(org, login, description, message):
    response = login(org.employee_user).post(
        CREATE, need_form(org.motor_team, description=description)
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["description"])
    assert message in errors
    assert not Need.objects.exists()


def test_a_wanted_by_date_in_the_past_is_refused(org, login):
    response = login(org.employee_user).post(
        CREATE, need_form(org.motor_team, wanted_by="2020-01-01")
    )
    assert "in the past" in " ".join(response.context["form"].errors["wanted_by"])


def test_employer_contact_raises_a_need_without_an_internal_unit(org, service_framework, login):
    client = login(org.employer_contact)
    form = client.get(CREATE).context["form"]
    assert "unit" not in form.fields
    data = need_form(org.motor_team)
    del data["unit"]
    assert client.post(CREATE, data).status_code == 302
    assert Need.objects.get().unit is None


def test_a_need_no_competency_matches_says_so(org, login):
    client = login(org.employee_user)
    client.post(
        CREATE,
        need_form(org.motor_team, description="Forklift licence renewals for the warehouse."),
    )
    page = client.get(reverse("needs:need-detail", args=[Need.objects.get().pk]))
    assert b"No competency in the frameworks matches this need" in page.content


def test_an_over_long_business_issue_is_refused_through_the_service(org):
    from django.core.exceptions import ValidationError

    from milepost.needs.services import submit_need

    with pytest.raises(ValidationError) as raised:
        submit_need(
            acting_user=org.employee_user,
            title="Angry callers",
            description=ANGRY_CALLERS,
            business_issue="x" * 6000,
            unit=org.motor_team,
        )
    assert "business_issue" in raised.value.message_dict
