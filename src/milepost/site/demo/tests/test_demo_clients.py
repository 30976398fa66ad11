"""The demo's clients tell the issue's story: owners and gaps, maps, journeys, interactions."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import Count
from django.utils import timezone

from milepost.accounts.access import own_client_id
from milepost.accounts.models import OrgUnit, Role, User
from milepost.clients.models import (
    SURVEY_ITEMS,
    Client,
    Interaction,
    Kind,
    MapStatus,
    OwnerChange,
    ReviewAnswer,
    StageChange,
    StageResponsibility,
    StakeholderMap,
    SurveyResponse,
)
from milepost.clients.selectors import timeline
from milepost.engines import stakeholders as grid
from milepost.needs.models import Need
from milepost.site.demo.clients import EXTERNAL, INTERACTION_COUNT, UNOWNED_JUNCTURE
from milepost.site.demo.tests.test_demo import SMALL, run_demo


@pytest.fixture
def demo(shared_demo: str, db: None) -> str:
    """The demo of this package's conftest.py, built once; each test's writes rolled back."""
    return shared_demo


def test_demo_clients_story_holds(demo: str) -> None:
    assert "clients    6 business units and 8 employers (2 without an owner)" in demo
    internal = Client.objects.filter(kind=Kind.INTERNAL)
    assert internal.count() == 6
    business_units = OrgUnit.objects.filter(kind=OrgUnit.Kind.BUSINESS_UNIT)
    assert set(internal.values_list("unit_id", flat=True)) == set(
        business_units.values_list("pk", flat=True)
    )
    external = Client.objects.filter(kind=Kind.EXTERNAL)
    assert external.count() == len(EXTERNAL) == 8
    assert all(client.sector and client.size_band for client in external)
    assert not Client.objects.annotate(n=Count("contacts")).filter(n=0).exists()

    # Owners: account managers and the coordinator; two clients nobody owns, with history.
    unowned = Client.objects.filter(owner__isnull=True)
    assert unowned.count() == 2
    owner_roles = set(Client.objects.exclude(owner=None).values_list("owner__role", flat=True))
    assert owner_roles == {Role.ACCOUNT_MANAGER, Role.COORDINATOR}
    second = User.objects.get(username="account.manager2", role=Role.ACCOUNT_MANAGER)
    assert second.owned_clients.exists() and "account.manager2" in demo
    handed_back = OwnerChange.objects.filter(new_owner=None, previous_owner__isnull=False)
    assert handed_back.count() == 1 and handed_back.get().client in unowned

    # The employer contact's login belongs to one client, whose portal hides internal notes.
    employer = User.objects.get(username="employer", role=Role.EMPLOYER_CONTACT)
    harbour_id = own_client_id(employer)
    assert harbour_id is not None
    harbour = Client.objects.get(pk=harbour_id)
    assert harbour.kind == Kind.EXTERNAL and harbour.name == "Harbour Logistics Ltd"
    assert harbour.interactions.filter(internal_only=True).exists()
    assert not timeline(employer, harbour).filter(internal_only=True).exists()


def test_demo_interactions_maps_journeys_surveys_and_needs(demo: str) -> None:
    # 120 interactions over nine months, of every kind, some internal, a few steps overdue.
    now = timezone.now()
    interactions = Interaction.objects.all()
    assert interactions.count() == INTERACTION_COUNT
    assert interactions.filter(occurred_at__lt=now - datetime.timedelta(days=240)).exists()
    assert not interactions.filter(occurred_at__lt=now - datetime.timedelta(days=275)).exists()
    assert len(set(interactions.values_list("kind", flat=True))) == 6
    assert 5 < interactions.filter(internal_only=True).count() < 40
    open_steps = interactions.exclude(next_step="").filter(next_step_done_at=None)
    overdue = open_steps.filter(next_step_due__lt=timezone.localdate())
    assert 3 <= overdue.count() <= 8
    assert open_steps.filter(next_step_due__gte=timezone.localdate()).exists()
    assert interactions.exclude(next_step="").exclude(next_step_done_at=None).exists()

    # Maps: ours and Harbour's signed off with every version's reviews; Meridian's waiting.
    signed = StakeholderMap.objects.filter(status=MapStatus.SIGNED_OFF)
    assert signed.count() == 2
    assert signed.filter(client=None).exists()
    assert signed.filter(client__name="Harbour Logistics Ltd").exists()
    for stakeholder_map in signed:
        latest = stakeholder_map.versions.get(number=stakeholder_map.version)
        agreed = latest.reviews.filter(answer=ReviewAnswer.AGREED).count()
        assert latest.signed_off_at is not None and stakeholder_map.review_by is not None
        assert agreed * 100 >= stakeholder_map.agreement_share * latest.reviews.count()
        assert len(latest.stakeholders) == stakeholder_map.stakeholders.count()
        for row in latest.stakeholders:
            assert row["quadrant"] == grid.quadrant(row["power"], row["interest"]).key
            assert (
                row["salience"] == grid.salience(row["power"], row["legitimate"], row["urgent"]).key
            )
    assert StakeholderMap.objects.get(client=None).versions.count() == 2
    waiting = StakeholderMap.objects.get(status=MapStatus.IN_REVIEW)
    reviews = waiting.versions.get().reviews
    assert reviews.filter(answer=ReviewAnswer.PENDING).exists()
    challenge = reviews.get(answer=ReviewAnswer.CHALLENGED)
    assert challenge.comment
    agreed = reviews.filter(answer=ReviewAnswer.AGREED).count()
    assert agreed * 100 < waiting.agreement_share * reviews.count()

    # Journeys at various stages, with history; exactly one juncture nobody owns.
    positions = dict(Client.objects.values_list("pk", "stage__position"))
    assert len(set(positions.values())) >= 5
    for client_id, position in positions.items():
        assert StageChange.objects.filter(client_id=client_id).count() == position - 1
        assert StageResponsibility.objects.filter(client_id=client_id).count() == 6
    nobody = StageResponsibility.objects.filter(responsible=None)
    assert nobody.count() == 1
    juncture = nobody.get()
    assert (juncture.client.name, juncture.stage.position) == ("Meridian Risk Partners", 4)
    assert UNOWNED_JUNCTURE == ("meridian", 4)

    # Satisfaction over two rounds for five clients; every client has a health score.
    responses = SurveyResponse.objects.all()
    assert responses.values("client").distinct().count() == 5
    assert {key for r in responses for key in r.items} == {key for key, _ in SURVEY_ITEMS}
    oldest = responses.order_by("answered_at").first()
    assert oldest is not None and oldest.answered_at < now - datetime.timedelta(days=150)
    assert not Client.objects.filter(health_score=None).exists()
    assert len(set(Client.objects.values_list("health_band", flat=True))) >= 2

    # Needs raised in the business units or by the employer contact belong to their client.
    assert not Need.objects.filter(unit__isnull=False, client=None).exists()
    employer_need = Need.objects.get(requester__username="employer")
    assert employer_need.client is not None and employer_need.client.name == "Harbour Logistics Ltd"
    linked = Need.objects.filter(interactions__isnull=False).distinct()
    assert linked.count() >= 8
    for need in linked:
        assert set(need.interactions.values_list("client_id", flat=True)) == {need.client_id}


def test_demo_reset_removes_and_rebuilds_the_clients(demo: str) -> None:
    before = sorted(Client.objects.values_list("name", "kind"))
    run_demo("--reset", "--size", str(SMALL))
    assert sorted(Client.objects.values_list("name", "kind")) == before
    assert Interaction.objects.count() == INTERACTION_COUNT
    assert StakeholderMap.objects.count() == 3
