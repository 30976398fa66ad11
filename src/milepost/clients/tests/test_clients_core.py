"""Clients, owners, contacts, interactions and who may see them (services and selectors)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from milepost.accounts.models import Notification, Role
from milepost.clients import selectors
from milepost.clients.models import Kind, OwnerChange
from milepost.clients.services import clients as client_services
from milepost.clients.services import interactions as interaction_services
from milepost.clients.services.health import refresh_health
from milepost.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_account_manager_who_adds_a_client_owns_it_at_the_first_stage(book):
    client = client_services.create_client(
        acting_user=book.account_manager, kind=Kind.EXTERNAL, name="Quayside Mutual"
    )
    assert client.owner == book.account_manager
    assert client.stage is not None and client.stage.position == 1
    assert OwnerChange.objects.filter(client=client, new_owner=book.account_manager).exists()


def test_client_names_are_unique_whatever_the_case(book):
    with pytest.raises(ValidationError) as error:
        client_services.create_client(
            acting_user=book.account_manager, kind=Kind.EXTERNAL, name="harbour BROKERS"
        )
    assert "already exists" in str(error.value.message_dict["name"])


def test_an_internal_client_needs_a_unit_and_an_employer_has_none(book, org):
    with pytest.raises(ValidationError) as error:
        client_services.create_client(acting_user=org.coordinator, kind=Kind.INTERNAL, name="X")
    assert "unit" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        client_services.create_client(
            acting_user=org.coordinator, kind=Kind.EXTERNAL, name="Y", unit=org.motor_team
        )
    assert "unit" in error.value.message_dict


def test_only_coordinators_change_owners_and_the_reason_is_kept(book, org):
    with pytest.raises(PermissionDenied):
        client_services.change_owner(
            acting_user=book.account_manager,
            client=book.harbour,
            owner=book.other_account_manager,
            reason="Holiday",
        )
    with pytest.raises(ValidationError):
        client_services.change_owner(
            acting_user=org.coordinator,
            client=book.harbour,
            owner=book.other_account_manager,
            reason=" ",
        )
    change = client_services.change_owner(
        acting_user=org.coordinator,
        client=book.harbour,
        owner=book.other_account_manager,
        reason="Ann moves to the public sector team.",
    )
    assert change.previous_owner == book.account_manager
    book.harbour.refresh_from_db()
    assert book.harbour.owner == book.other_account_manager
    assert Notification.objects.filter(user=book.other_account_manager).exists()


def test_an_employee_cannot_own_a_client(book, org):
    with pytest.raises(ValidationError) as error:
        client_services.change_owner(
            acting_user=org.coordinator,
            client=book.harbour,
            owner=org.employee_user,
            reason="Try",
        )
    assert "account manager" in error.value.message_dict["owner"][0]


def test_an_account_manager_edits_only_the_clients_they_own(book):
    client_services.update_client(
        acting_user=book.account_manager, client=book.harbour, sector="Marine broking"
    )
    with pytest.raises(PermissionDenied):
        client_services.update_client(
            acting_user=book.account_manager, client=book.northgate, sector="Changed"
        )


def test_contact_emails_are_checked_and_unique_per_client(book):
    with pytest.raises(ValidationError) as error:
        client_services.add_contact(
            acting_user=book.account_manager, client=book.harbour, name="A", email="not-an-email"
        )
    assert "email" in error.value.message_dict
    client_services.add_contact(
        acting_user=book.account_manager, client=book.harbour, name="B", email="b@harbour.test"
    )
    with pytest.raises(ValidationError):
        client_services.add_contact(
            acting_user=book.account_manager, client=book.harbour, name="C", email="B@Harbour.test"
        )


def test_an_interaction_moves_last_contact_and_tells_the_next_step_owner(book, org):
    when = timezone.now() - datetime.timedelta(days=2)
    interaction = interaction_services.record_interaction(
        acting_user=book.account_manager,
        client=book.harbour,
        kind="meeting",
        occurred_at=when,
        summary="Claims director worried about complaint volumes.",
        contacts=[book.harbour_contact],
        next_step="Send the de-escalation outline",
        next_step_owner=org.coordinator,
        next_step_due=timezone.localdate() + datetime.timedelta(days=5),
    )
    book.harbour.refresh_from_db()
    assert book.harbour.last_contact_at == when
    assert book.harbour.health_score is not None
    assert Notification.objects.filter(user=org.coordinator, message__contains="de-escalation")
    assert interaction.has_open_next_step


def test_a_next_step_needs_an_owner_and_a_date(book):
    with pytest.raises(ValidationError) as error:
        interaction_services.record_interaction(
            acting_user=book.account_manager,
            client=book.harbour,
            kind="call",
            occurred_at=timezone.now(),
            summary="Quick call.",
            next_step="Follow up",
        )
    assert {"next_step_owner", "next_step_due"} <= set(error.value.message_dict)


def test_a_contact_of_another_client_cannot_take_part(book):
    with pytest.raises(ValidationError) as error:
        interaction_services.record_interaction(
            acting_user=book.account_manager,
            client=book.harbour,
            kind="call",
            occurred_at=timezone.now(),
            summary="Call.",
            contacts=[book.northgate_contact],
        )
    assert "contacts" in error.value.message_dict


def test_overdue_next_steps_go_to_their_owner_once_a_day(book, org):
    interaction = interaction_services.record_interaction(
        acting_user=book.account_manager,
        client=book.harbour,
        kind="call",
        occurred_at=timezone.now() - datetime.timedelta(days=10),
        summary="Call.",
        next_step="Book the workshop room",
        next_step_owner=book.account_manager,
        next_step_due=timezone.localdate() - datetime.timedelta(days=3),
    )
    assert interaction_services.remind_overdue_next_steps() == 1
    assert interaction_services.remind_overdue_next_steps() == 0
    note = Notification.objects.get(user=book.account_manager, message__startswith="Overdue")
    assert "3 days" in note.message
    interaction_services.complete_next_step(
        acting_user=book.account_manager, interaction=interaction
    )
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert interaction_services.remind_overdue_next_steps(today=tomorrow) == 0


def test_who_sees_which_clients(book, org):
    everyone = {book.claims, book.underwriting, book.harbour, book.northgate}
    for reader in (org.coordinator, book.account_manager, book.quality_lead, org.executive):
        assert set(selectors.visible_clients(reader)) == everyone
    assert set(selectors.visible_clients(org.claims_manager)) == {book.claims}
    assert set(selectors.visible_clients(org.employer_contact)) == {book.harbour}
    assert set(selectors.visible_clients(org.employee_user)) == set()


def test_a_line_manager_below_a_client_unit_sees_that_client(book, org):
    team_lead = UserFactory.create(role=Role.LINE_MANAGER)
    from milepost.testing.factories import EmployeeFactory

    EmployeeFactory.create(user=team_lead, unit=org.motor_team)
    assert set(selectors.visible_clients(team_lead)) == {book.claims}


def test_health_counts_old_contact_and_overdue_steps(book):
    refresh_health()
    book.harbour.refresh_from_db()
    # Never contacted (0) and nothing overdue (100), weighted 0.35 and 0.25: 42, watch.
    assert book.harbour.health_parts == {"contact": 0, "next_steps": 100}
    assert (book.harbour.health_score, book.harbour.health_band) == (42, "watch")
    interaction_services.record_interaction(
        acting_user=book.account_manager,
        client=book.harbour,
        kind="call",
        occurred_at=timezone.now() - datetime.timedelta(days=200),
        summary="Call.",
        next_step="Send dates",
        next_step_owner=book.account_manager,
        next_step_due=timezone.localdate() - datetime.timedelta(days=1),
    )
    book.harbour.refresh_from_db()
    assert book.harbour.health_parts == {"contact": 0, "next_steps": 66}
    assert (book.harbour.health_score, book.harbour.health_band) == (28, "at_risk")


def test_the_shipped_journey_is_written_again_when_no_template_is_the_default(book):
    from milepost.clients.models import JourneyTemplate
    from milepost.clients.services.clients import SHIPPED_STAGES

    JourneyTemplate.objects.update(is_default=False)
    template = client_services.default_journey()
    assert template.is_default
    assert [stage.name for stage in template.stages.order_by("position")] == [
        name for name, _, _ in SHIPPED_STAGES
    ]


def test_the_migration_ships_the_same_journey_as_the_services(db):
    from milepost.clients.models import JourneyTemplate
    from milepost.clients.services.clients import SHIPPED_JOURNEY, SHIPPED_STAGES

    shipped = JourneyTemplate.objects.get(is_default=True)
    assert shipped.name == SHIPPED_JOURNEY
    assert [
        (stage.name, stage.exit_criteria, stage.usual_role)
        for stage in shipped.stages.order_by("position")
    ] == list(SHIPPED_STAGES)
