"""The same need sent twice: a warning with "Send it anyway"; a requester withdraws their own."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from milepost.needs import selectors, services
from milepost.needs.models import Need, Status, StatusChange

pytestmark = pytest.mark.django_db

CREATE = reverse("needs:need-create")
TEXT = (
    "Our claims handlers struggle with angry callers since the new policy wording; "
    "calls escalate and end in complaints."
)


def form(unit, **overrides) -> dict:
    return {
        "title": "Angry callers",
        "description": TEXT,
        "unit": unit.pk,
        "people_affected": "25",
        "urgency": "3",
        "impact": "4",
        **overrides,
    }


def raise_need(requester, unit, text: str = TEXT) -> Need:
    return services.submit_need(
        acting_user=requester, title="Angry callers", description=text, unit=unit
    )


def test_the_same_need_sent_twice_is_held_back_with_a_warning(org, service_framework, login):
    first = raise_need(org.employee_user, org.motor_team)
    client = login(org.employee_user)
    response = client.post(CREATE, form(org.motor_team, title="Angry callers again"))
    assert response.status_code == 200
    assert Need.objects.count() == 1
    content = response.content.decode()
    assert "You already sent a need like this" in content
    assert reverse("needs:need-detail", args=[first.pk]) in content
    assert 'name="send_anyway"' in content
    assert "Send it anyway" in content
    # What was typed is kept, so "Send it anyway" sends the same need.
    assert "Angry callers again" in content


def test_send_it_anyway_records_the_second_need(org, service_framework, login):
    raise_need(org.employee_user, org.motor_team)
    client = login(org.employee_user)
    response = client.post(CREATE, form(org.motor_team, send_anyway="1"))
    assert response.status_code == 302
    assert Need.objects.count() == 2


def test_no_warning_for_a_different_need_or_another_requesters(org, service_framework, login):
    raise_need(org.claims_manager, org.motor_team)  # someone else's, same words
    raise_need(
        org.employee_user,
        org.motor_team,
        "The team needs pivot tables and lookups in Excel for the new monthly reports.",
    )
    response = login(org.employee_user).post(CREATE, form(org.motor_team))
    assert response.status_code == 302
    assert Need.objects.count() == 3


def test_a_withdrawn_or_closed_need_is_no_duplicate(org, service_framework, login):
    first = raise_need(org.employee_user, org.motor_team)
    services.withdraw_need(acting_user=org.employee_user, need=first)
    assert selectors.possible_duplicates(org.employee_user, text=first.text) == []


def test_the_requester_withdraws_their_own_need(org, service_framework, login):
    need = raise_need(org.employee_user, org.motor_team)
    client = login(org.employee_user)
    page = client.get(reverse("needs:need-detail", args=[need.pk])).content.decode()
    assert reverse("needs:need-withdraw", args=[need.pk]) in page
    response = client.post(reverse("needs:need-withdraw", args=[need.pk]), {"note": "Sent twice"})
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.status == Status.WITHDRAWN
    change = StatusChange.objects.filter(need=need).last()
    assert change is not None
    assert (change.from_status, change.to_status, change.changed_by, change.note) == (
        Status.SUBMITTED,
        Status.WITHDRAWN,
        org.employee_user,
        "Sent twice",
    )
    page = client.get(reverse("needs:need-detail", args=[need.pk])).content.decode()
    assert "Withdrawn" in page
    assert reverse("needs:need-withdraw", args=[need.pk]) not in page
    again = client.post(reverse("needs:need-withdraw", args=[need.pk]))
    assert again.status_code == 302
    assert Need.objects.get(pk=need.pk).status == Status.WITHDRAWN


@pytest.mark.parametrize("who", ["coordinator", "claims_manager"])
def test_nobody_else_withdraws_a_need(org, service_framework, login, who):
    need = raise_need(org.employee_user, org.motor_team)
    response = login(getattr(org, who)).post(reverse("needs:need-withdraw", args=[need.pk]))
    assert response.status_code == 403
    assert Need.objects.get(pk=need.pk).status == Status.SUBMITTED


def test_withdrawing_needs_a_post_with_a_csrf_token(org, service_framework):
    need = raise_need(org.employee_user, org.motor_team)
    client = Client(enforce_csrf_checks=True)
    client.force_login(org.employee_user)
    url = reverse("needs:need-withdraw", args=[need.pk])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 403
    assert Need.objects.get(pk=need.pk).status == Status.SUBMITTED


def test_a_need_in_delivery_cannot_be_withdrawn(org, service_framework):
    need = raise_need(org.employee_user, org.motor_team)
    for status in (Status.TRIAGED, Status.PLANNED, Status.IN_DELIVERY):
        services.change_status(acting_user=org.coordinator, need=need, status=status)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="ask the L&D team"):
        services.withdraw_need(acting_user=org.employee_user, need=need)


def test_the_warning_page_sends_the_same_need_on_its_second_submit(org, service_framework, login):
    raise_need(org.employee_user, org.motor_team)
    client = login(org.employee_user)
    warning = client.post(CREATE, form(org.motor_team))
    resent = {**warning.context["form"].data.dict()}
    assert resent["send_anyway"] == "1"
    assert 'name="send_anyway" value="1"' in warning.content.decode()
    assert client.post(CREATE, resent).status_code == 302
    assert Need.objects.count() == 2


def test_the_api_withdraws_the_callers_own_need_only(org, service_framework, login):
    need = raise_need(org.employee_user, org.motor_team)
    url = f"/api/v1/needs/{need.pk}/withdraw"
    refused = login(org.claims_manager).post(url, {}, content_type="application/json")
    assert refused.status_code == 403
    answer = login(org.employee_user).post(
        url, {"note": "Sent twice"}, content_type="application/json"
    )
    assert answer.status_code == 200
    assert answer.json()["status"] == "withdrawn"
