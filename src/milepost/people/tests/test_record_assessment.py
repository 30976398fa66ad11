from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from milepost.people.models import Assessment
from milepost.people.services import record_assessment
from milepost.testing.factories import CompetencyFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 2, 1)


def record(user, employee, competency, kind="manager", level=3, **extra):
    return record_assessment(
        acting_user=user,
        employee=employee,
        competency=competency,
        kind=kind,
        level=level,
        assessed_on=extra.pop("assessed_on", DAY),
        note=extra.pop("note", ""),
    )


def url(employee) -> str:
    return reverse("people:assessment-create", args=[employee.pk])


def form_data(competency, kind="manager", level=3, assessed_on="2026-02-01"):
    return {"competency": competency.pk, "kind": kind, "level": level, "assessed_on": assessed_on}


# --- the service --------------------------------------------------------------------------


def test_every_assessment_adds_a_row_and_keeps_the_old_one(org, claims_profile):
    first = record(org.claims_manager, org.motor_handler, claims_profile.negotiation, level=2)
    second = record(org.claims_manager, org.motor_handler, claims_profile.negotiation, level=4)
    assert first.pk != second.pk
    levels = Assessment.objects.filter(employee=org.motor_handler).values_list("level", flat=True)
    assert sorted(levels) == [2, 4]
    assert second.assessed_by == org.claims_manager


def test_employee_records_a_self_assessment_for_themselves(org, claims_profile):
    row = record(org.employee_user, org.motor_handler, claims_profile.negotiation, kind="self")
    assert row.kind == "self"


@pytest.mark.parametrize("kind", ["manager", "agreed"])
def test_employee_cannot_record_a_manager_or_agreed_assessment(org, claims_profile, kind):
    with pytest.raises(PermissionDenied):
        record(org.employee_user, org.motor_handler, claims_profile.negotiation, kind=kind)


def test_employee_cannot_assess_a_colleague(org, claims_profile):
    with pytest.raises(Http404):
        record(org.employee_user, org.underwriter, claims_profile.negotiation, kind="self")


@pytest.mark.parametrize("kind", ["manager", "agreed"])
def test_line_manager_records_manager_and_agreed_in_their_units(org, claims_profile, kind):
    assert record(org.claims_manager, org.motor_handler, claims_profile.negotiation, kind=kind)


def test_line_manager_cannot_record_a_self_assessment_for_a_report(org, claims_profile):
    with pytest.raises(PermissionDenied):
        record(org.claims_manager, org.motor_handler, claims_profile.negotiation, kind="self")


def test_line_manager_rates_only_themselves_as_self(org, claims_profile):
    me = org.claims_manager_employee
    assert record(org.claims_manager, me, claims_profile.negotiation, kind="self")
    with pytest.raises(PermissionDenied):
        record(org.claims_manager, me, claims_profile.negotiation, kind="manager")


def test_line_manager_of_underwriting_cannot_assess_in_claims(org, claims_profile):
    with pytest.raises(Http404):
        record(org.underwriting_manager, org.motor_handler, claims_profile.negotiation)


@pytest.mark.parametrize("kind", ["self", "manager", "agreed"])
def test_coordinator_and_admin_record_any_kind(org, claims_profile, kind):
    assert record(org.coordinator, org.underwriter, claims_profile.negotiation, kind=kind)
    assert record(org.admin, org.motor_handler, claims_profile.negotiation, kind=kind)


def test_read_only_roles_get_permission_denied(org, claims_profile):
    with pytest.raises(PermissionDenied):
        record(org.executive, org.motor_handler, claims_profile.negotiation)


def test_employer_contact_gets_not_found(org, claims_profile):
    with pytest.raises(Http404):
        record(org.employer_contact, org.motor_handler, claims_profile.negotiation)


@pytest.mark.parametrize("level", [0, 6])
def test_level_off_the_scale_names_the_level_and_the_scale(org, claims_profile, level):
    with pytest.raises(ValidationError) as caught:
        record(org.coordinator, org.motor_handler, claims_profile.negotiation, level=level)
    assert caught.value.message_dict["level"] == [f"level {level} is not on scale 'Core 1-5' (1-5)"]
    assert not Assessment.objects.exists()


def test_unknown_kind_is_rejected(org, claims_profile):
    with pytest.raises(ValidationError, match="kind 'peer'"):
        record(org.coordinator, org.motor_handler, claims_profile.negotiation, kind="peer")


def test_a_group_of_competencies_cannot_be_assessed(org, claims_profile):
    group = CompetencyFactory(kind="group", name="Claims handling")
    with pytest.raises(ValidationError, match="'Claims handling' is a group"):
        record(org.coordinator, org.motor_handler, group)


def test_a_future_date_is_rejected(org, claims_profile):
    with pytest.raises(ValidationError, match="in the future"):
        record(
            org.coordinator,
            org.motor_handler,
            claims_profile.negotiation,
            assessed_on=datetime.date.today() + datetime.timedelta(days=3),
        )


# --- the web form -----------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, org, claims_profile):
    response = client.post(url(org.motor_handler), form_data(claims_profile.negotiation))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not Assessment.objects.exists()


def test_get_is_not_allowed(org, login):
    assert login(org.coordinator).get(url(org.motor_handler)).status_code == 405


def test_manager_posts_an_assessment_and_is_sent_back_to_the_page(org, claims_profile, login):
    response = login(org.claims_manager).post(
        url(org.motor_handler), form_data(claims_profile.negotiation, level=4)
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("people:employee-detail", args=[org.motor_handler.pk])
    row = Assessment.objects.get()
    assert (row.kind, row.level, row.assessed_by) == ("manager", 4, org.claims_manager)


def test_htmx_post_returns_the_refreshed_competency_section(org, claims_profile, login):
    response = login(org.claims_manager).post(
        url(org.motor_handler),
        form_data(claims_profile.negotiation, kind="agreed", level=2),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response.templates[0].name == "people/_assessments.html"
    assert b"<html" not in response.content
    assert b"Assessment of Negotiation recorded" in response.content
    assert response.context["standings"][0].agreed_assessment.level == 2


def test_level_off_the_scale_is_shown_on_the_level_field(org, claims_profile, login):
    response = login(org.claims_manager).post(
        url(org.motor_handler), form_data(claims_profile.negotiation, level=9)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["level"] == ["level 9 is not on scale 'Core 1-5' (1-5)"]
    assert not Assessment.objects.exists()


def test_employee_cannot_post_a_manager_assessment(org, claims_profile, login):
    response = login(org.employee_user).post(
        url(org.motor_handler), form_data(claims_profile.negotiation, kind="manager")
    )
    assert response.status_code == 403
    assert not Assessment.objects.exists()


def test_employee_posts_a_self_assessment(org, claims_profile, login):
    response = login(org.employee_user).post(
        url(org.motor_handler), form_data(claims_profile.negotiation, kind="self", level=2)
    )
    assert response.status_code == 302
    assert Assessment.objects.get().kind == "self"


def test_employee_cannot_post_for_a_colleague(org, claims_profile, login):
    response = login(org.employee_user).post(
        url(org.underwriter), form_data(claims_profile.negotiation, kind="self")
    )
    assert response.status_code == 404


def test_line_manager_of_underwriting_cannot_post_for_claims(org, claims_profile, login):
    response = login(org.underwriting_manager).post(
        url(org.motor_handler), form_data(claims_profile.negotiation)
    )
    assert response.status_code == 404
    assert not Assessment.objects.exists()


def test_executive_gets_403(org, claims_profile, login):
    response = login(org.executive).post(
        url(org.motor_handler), form_data(claims_profile.negotiation)
    )
    assert response.status_code == 403


def test_employer_contact_gets_404(org, claims_profile, login):
    response = login(org.employer_contact).post(
        url(org.motor_handler), form_data(claims_profile.negotiation)
    )
    assert response.status_code == 404
