"""Stakeholder maps: who may change them, stakeholders, consensus, sign-off and versions."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from milepost.accounts.models import Notification, Role
from milepost.clients.models import MapStatus, ReviewAnswer, StakeholderMap
from milepost.clients.services import maps
from milepost.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleagues(db):
    return [
        UserFactory.create(username=f"colleague{n}", role=Role.COORDINATOR, first_name=f"C{n}")
        for n in range(5)
    ]


def _harbour_map(book):
    return maps.get_client_map(acting_user=book.account_manager, client=book.harbour)


def _body(stakeholder_map, user, name="Chartered Insurance Institute", **extra):
    fields = {"power": 4, "interest": 4, "legitimate": True} | extra
    return maps.add_stakeholder(
        acting_user=user,
        stakeholder_map=stakeholder_map,
        body_name=name,
        body_type="awarding_body",
        **fields,
    )


def test_the_own_map_is_made_once_and_owned_by_a_coordinator(book, org):
    first = maps.get_own_map(acting_user=book.quality_lead)
    again = maps.get_own_map(acting_user=org.coordinator)
    assert first == again and first.client is None
    assert first.owner is not None and first.owner.role == Role.COORDINATOR
    assert StakeholderMap.objects.filter(client__isnull=True).count() == 1


def test_a_client_map_is_owned_by_the_client_owner(book):
    stakeholder_map = _harbour_map(book)
    assert stakeholder_map.owner == book.account_manager
    assert (
        maps.get_client_map(acting_user=book.quality_lead, client=book.harbour) == stakeholder_map
    )


def test_only_the_client_editor_changes_a_client_map_and_only_coordinators_the_own_map(book, org):
    harbour_map = _harbour_map(book)
    _body(harbour_map, book.account_manager)
    with pytest.raises(PermissionDenied):
        _body(harbour_map, book.other_account_manager, name="Other body")
    with pytest.raises(PermissionDenied):
        _body(harbour_map, book.quality_lead, name="Other body")
    own = maps.get_own_map(acting_user=org.coordinator)
    with pytest.raises(PermissionDenied):
        _body(own, book.account_manager)
    assert _body(own, org.coordinator).map == own


def test_a_contact_of_another_client_is_refused(book):
    with pytest.raises(ValidationError) as error:
        maps.add_stakeholder(
            acting_user=book.account_manager,
            stakeholder_map=_harbour_map(book),
            contact=book.northgate_contact,
            power=3,
            interest=3,
        )
    assert "another client" in error.value.message_dict["contact"][0]


def test_a_contact_of_this_client_a_colleague_and_a_body_are_accepted(book, org):
    harbour_map = _harbour_map(book)
    contact = maps.add_stakeholder(
        acting_user=book.account_manager,
        stakeholder_map=harbour_map,
        contact=book.harbour_contact,
        power=5,
        interest=5,
        legitimate=True,
        urgent=True,
        shared_with_client=True,
    )
    person = maps.add_stakeholder(
        acting_user=book.account_manager,
        stakeholder_map=harbour_map,
        person=org.coordinator,
        power=2,
        interest=4,
    )
    body = _body(harbour_map, book.account_manager)
    assert (contact.quadrant.key, contact.salience.key) == ("manage_closely", "definitive")
    assert (person.kind_label, person.quadrant.key) == ("Colleague", "keep_informed")
    assert body.kind_label == "Awarding body"


@pytest.mark.parametrize("power", [0, 6, None, "3"])
def test_power_outside_one_to_five_is_refused(book, power):
    with pytest.raises(ValidationError) as error:
        _body(_harbour_map(book), book.account_manager, power=power)
    assert "power" in error.value.message_dict
    assert not _harbour_map(book).stakeholders.exists()


def test_a_stakeholder_is_one_thing_and_a_body_has_a_type(book, org):
    harbour_map = _harbour_map(book)
    with pytest.raises(ValidationError) as error:
        maps.add_stakeholder(
            acting_user=book.account_manager, stakeholder_map=harbour_map, power=3, interest=3
        )
    assert "contact" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        maps.add_stakeholder(
            acting_user=book.account_manager,
            stakeholder_map=harbour_map,
            person=org.coordinator,
            body_name="Regulator",
            body_type="regulator",
            power=3,
            interest=3,
        )
    assert "body_name" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        maps.add_stakeholder(
            acting_user=book.account_manager,
            stakeholder_map=harbour_map,
            body_name="Regulator",
            power=3,
            interest=3,
        )
    assert "body_type" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        maps.add_stakeholder(
            acting_user=book.account_manager,
            stakeholder_map=harbour_map,
            person=org.employer_contact,
            power=3,
            interest=3,
        )
    assert "person" in error.value.message_dict


def test_asking_colleagues_snapshots_the_map_and_tells_each_of_them(book, colleagues):
    harbour_map = _harbour_map(book)
    _body(harbour_map, book.account_manager)
    version = maps.ask_colleagues(
        acting_user=book.account_manager,
        stakeholder_map=harbour_map,
        colleagues=colleagues[:3],
        note="Is the CII right at the top?",
    )
    harbour_map.refresh_from_db()
    assert harbour_map.status == MapStatus.IN_REVIEW and version.number == 1
    [row] = version.stakeholders
    assert row["name"] == "Chartered Insurance Institute"
    assert (row["quadrant"], row["salience"], row["attributes"]) == (
        "manage_closely",
        "dominant",
        2,
    )
    assert version.reviews.count() == 3
    assert all(Notification.objects.filter(user=c).exists() for c in colleagues[:3])


def test_the_owner_cannot_be_asked_and_an_empty_map_cannot_be_put_to_colleagues(book, colleagues):
    harbour_map = _harbour_map(book)
    with pytest.raises(ValidationError) as error:
        maps.ask_colleagues(
            acting_user=book.account_manager, stakeholder_map=harbour_map, colleagues=colleagues
        )
    assert "Add the principal stakeholders" in str(error.value)
    _body(harbour_map, book.account_manager)
    with pytest.raises(ValidationError) as error:
        maps.ask_colleagues(
            acting_user=book.account_manager,
            stakeholder_map=harbour_map,
            colleagues=[colleagues[0], book.account_manager],
        )
    assert "colleagues" in error.value.message_dict


def _asked(book, colleagues, share=60):
    harbour_map = _harbour_map(book)
    _body(harbour_map, book.account_manager)
    version = maps.ask_colleagues(
        acting_user=book.account_manager,
        stakeholder_map=harbour_map,
        colleagues=colleagues,
        agreement_share=share,
    )
    return harbour_map, version, list(version.reviews.order_by("pk"))


def test_the_map_is_signed_off_when_the_agreed_share_is_reached(book, colleagues):
    harbour_map, version, reviews = _asked(book, colleagues, share=60)  # 3 of 5 needed
    maps.answer_review(acting_user=colleagues[0], review=reviews[0], answer=ReviewAnswer.AGREED)
    maps.answer_review(
        acting_user=colleagues[1],
        review=reviews[1],
        answer=ReviewAnswer.CHALLENGED,
        comment="The regulator is missing.",
    )
    maps.answer_review(acting_user=colleagues[2], review=reviews[2], answer=ReviewAnswer.AGREED)
    harbour_map.refresh_from_db()
    assert harbour_map.status == MapStatus.IN_REVIEW  # 2 of 5 is 40 %
    assert Notification.objects.filter(
        user=book.account_manager, message__contains="The regulator is missing."
    ).exists()
    maps.answer_review(acting_user=colleagues[3], review=reviews[3], answer=ReviewAnswer.AGREED)
    harbour_map.refresh_from_db()
    version.refresh_from_db()
    assert harbour_map.status == MapStatus.SIGNED_OFF  # 3 of 5 is 60 %
    assert version.signed_off_at is not None and harbour_map.signed_off_at is not None
    today = timezone.localdate()
    assert harbour_map.review_by == maps.a_year_on(today)
    assert (harbour_map.review_by - today).days in (365, 366)
    assert Notification.objects.filter(
        user=book.account_manager, message__contains="signed off"
    ).exists()
    # The last colleague's answer comes too late: the version is closed.
    with pytest.raises(ValidationError, match="no longer waiting"):
        maps.answer_review(acting_user=colleagues[4], review=reviews[4], answer="agreed")


def test_a_challenge_needs_a_comment_and_only_the_asked_colleague_answers(book, colleagues):
    _, _, reviews = _asked(book, colleagues)
    with pytest.raises(ValidationError) as error:
        maps.answer_review(
            acting_user=colleagues[0], review=reviews[0], answer="challenged", comment="  "
        )
    assert "comment" in error.value.message_dict
    with pytest.raises(ValidationError):
        maps.answer_review(acting_user=colleagues[1], review=reviews[0], answer="agreed")
    reviews[0].refresh_from_db()
    assert reviews[0].answer == ReviewAnswer.PENDING


def test_editing_a_signed_off_map_starts_a_new_draft_and_keeps_the_history(book, colleagues):
    harbour_map, version, reviews = _asked(book, colleagues[:1], share=100)
    maps.answer_review(acting_user=colleagues[0], review=reviews[0], answer="agreed")
    harbour_map.refresh_from_db()
    assert harbour_map.status == MapStatus.SIGNED_OFF
    stakeholder = harbour_map.stakeholders.get()
    maps.update_stakeholder(acting_user=book.account_manager, stakeholder=stakeholder, power=1)
    harbour_map.refresh_from_db()
    assert (harbour_map.version, harbour_map.status) == (2, MapStatus.DRAFT)
    version.refresh_from_db()
    assert version.stakeholders[0]["power"] == 4  # version 1 kept as it was signed off
    assert version.signed_off_at is not None
    # A second change to the same draft stays on version 2; asking again snapshots it.
    _body(harbour_map, book.account_manager, name="Financial Conduct Authority")
    harbour_map.refresh_from_db()
    assert harbour_map.version == 2
    second = maps.ask_colleagues(
        acting_user=book.account_manager, stakeholder_map=harbour_map, colleagues=colleagues[1:3]
    )
    assert second.number == 2 and len(second.stakeholders) == 2
    assert list(harbour_map.versions.values_list("number", flat=True)) == [2, 1]


def test_editing_while_colleagues_are_asked_moves_to_a_new_draft(book, colleagues):
    harbour_map, _, reviews = _asked(book, colleagues[:2])
    maps.remove_stakeholder(
        acting_user=book.account_manager, stakeholder=harbour_map.stakeholders.get()
    )
    harbour_map.refresh_from_db()
    assert (harbour_map.version, harbour_map.status) == (2, MapStatus.DRAFT)
    with pytest.raises(ValidationError, match="no longer waiting"):
        maps.answer_review(acting_user=colleagues[0], review=reviews[0], answer="agreed")


def test_a_year_on_handles_the_leap_day():
    assert maps.a_year_on(datetime.date(2028, 2, 29)) == datetime.date(2029, 2, 28)
    assert maps.a_year_on(datetime.date(2026, 12, 3)) == datetime.date(2027, 12, 3)


def test_the_same_contact_or_colleague_is_on_a_map_once(book, org):
    harbour_map = _harbour_map(book)
    for who in ({"contact": book.harbour_contact}, {"person": org.coordinator}):
        maps.add_stakeholder(
            acting_user=book.account_manager,
            stakeholder_map=harbour_map,
            power=3,
            interest=3,
            **who,
        )
        with pytest.raises(ValidationError) as error:
            maps.add_stakeholder(
                acting_user=book.account_manager,
                stakeholder_map=harbour_map,
                power=2,
                interest=2,
                **who,
            )
        assert "already on this map" in next(iter(error.value.message_dict.values()))[0]
