"""Triage: statuses, the requester's inbox, the mapping, and the training plan."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from milepost.accounts.models import Notification
from milepost.needs import services
from milepost.needs.models import Need, NeedCompetency, PlannedTraining, Status
from milepost.testing.factories import CompetencyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def need(org, service_framework) -> Need:
    return services.submit_need(
        acting_user=org.employee_user,
        title="Angry callers",
        description="Our handlers struggle with angry callers since the new policy wording.",
        unit=org.motor_team,
        people_affected=12,
    )


def status_url(need: Need) -> str:
    return reverse("needs:need-status", args=[need.pk])


def test_coordinator_moves_a_need_on_and_the_requester_is_told(org, need, login):
    client = login(org.coordinator)
    client.post(status_url(need), {"status": "triaged", "note": "We will call you"})
    need.refresh_from_db()
    assert need.status == Status.TRIAGED
    assert need.first_response_at is not None
    note = Notification.objects.get(user=org.employee_user)
    assert "is now triaged" in note.message
    assert "We will call you" in note.message
    assert note.url == reverse("needs:need-detail", args=[need.pk])
    inbox = login(org.employee_user).get(reverse("notifications"))
    assert "is now triaged" in inbox.content.decode()
    assert b'1<span class="visually-hidden"> unread' in inbox.content


def test_first_response_is_kept_from_the_first_change(org, need):
    services.change_status(acting_user=org.coordinator, need=need, status=Status.TRIAGED)
    first = Need.objects.get(pk=need.pk).first_response_at
    services.change_status(acting_user=org.coordinator, need=need, status=Status.PLANNED)
    assert Need.objects.get(pk=need.pk).first_response_at == first


def test_declining_needs_a_reason_the_requester_sees(org, need, login):
    with pytest.raises(ValidationError, match="Say why"):
        services.change_status(acting_user=org.coordinator, need=need, status=Status.DECLINED)
    services.change_status(
        acting_user=org.coordinator, need=need, status=Status.DECLINED, note="Covered by induction"
    )
    page = login(org.employee_user).get(reverse("needs:need-detail", args=[need.pk]))
    assert b"Covered by induction" in page.content
    told = Notification.objects.get(user=org.employee_user)
    assert "Reason: Covered by induction" in told.message


def test_impossible_moves_name_the_allowed_ones(org, need):
    with pytest.raises(ValidationError, match="cannot become delivered; it can become"):
        services.change_status(acting_user=org.coordinator, need=need, status=Status.DELIVERED)


def test_planning_a_need_puts_it_on_the_training_plan_once(org, need):
    services.change_status(acting_user=org.coordinator, need=need, status=Status.PLANNED)
    services.change_status(acting_user=org.coordinator, need=need, status=Status.TRIAGED)
    services.change_status(acting_user=org.coordinator, need=need, status=Status.PLANNED)
    entry = PlannedTraining.objects.get()
    assert (entry.need, entry.is_pull) == (need, True)


def test_only_coordinators_triage(org, need):
    for user in (org.claims_manager, org.executive, org.employee_user):
        with pytest.raises(PermissionDenied):
            services.change_status(acting_user=user, need=need, status=Status.TRIAGED)
    assert Need.objects.get(pk=need.pk).status == Status.SUBMITTED


def test_history_lists_every_change_with_who_and_why(org, need, login):
    services.change_status(
        acting_user=org.coordinator, need=need, status=Status.TRIAGED, note="Seen"
    )
    history = login(org.employee_user).get(reverse("needs:need-detail", args=[need.pk]))
    content = history.content.decode()
    assert "Submitted → <strong>Triaged</strong>" in content
    assert "Seen" in content


def test_coordinator_accepts_suggestions_and_adds_a_competency(org, need, service_framework, login):
    client = login(org.coordinator)
    client.post(
        reverse("needs:need-mapping", args=[need.pk]),
        {
            "accepted": [service_framework.de_escalation.pk],
            "competency": f"Negotiation (service) #{service_framework.negotiation.pk}",
        },
    )
    accepted = set(
        NeedCompetency.objects.filter(need=need, accepted=True).values_list(
            "competency__name", flat=True
        )
    )
    assert accepted == {"Customer empathy and de-escalation", "Negotiation"}
    added = NeedCompetency.objects.get(need=need, competency=service_framework.negotiation)
    assert added.origin == NeedCompetency.Origin.ADDED


def test_a_group_cannot_be_mapped(org, need, service_framework):
    group = service_framework.de_escalation.parent
    with pytest.raises(ValidationError, match="is a group"):
        services.set_mapping(
            acting_user=org.coordinator, need=need, accepted_ids=[], add_ids=[group.pk]
        )


def test_requester_cannot_confirm_what_was_not_suggested(org, need):
    created_later = CompetencyFactory.create(name="Forklift driving")
    with pytest.raises(ValidationError, match="were not suggested"):
        services.confirm_competencies(
            acting_user=org.employee_user, need=need, competency_ids=[created_later.pk]
        )


def test_suggestions_are_refreshed_but_confirmations_kept(org, need, service_framework):
    services.confirm_competencies(
        acting_user=org.employee_user,
        need=need,
        competency_ids=[service_framework.de_escalation.pk],
    )
    services.refresh_suggestions(need)
    assert NeedCompetency.objects.get(
        need=need, competency=service_framework.de_escalation
    ).confirmed_by_requester


def test_a_need_knows_where_it_may_go_next(need):
    assert need.next_statuses == {Status.TRIAGED, Status.PLANNED, Status.DECLINED}
    need.status = Status.DELIVERED
    assert need.next_statuses == frozenset()
