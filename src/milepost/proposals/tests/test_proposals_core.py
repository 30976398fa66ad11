"""Business issues, metrics and proposals: the rule before sending, and the lifecycle."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from milepost.accounts.access import proposal_filter
from milepost.accounts.models import Notification, Role
from milepost.catalogue.models import Course, Qualification
from milepost.needs.models import PlannedTraining
from milepost.proposals.models import IssueStatus, Proposal, ProposalStatus
from milepost.proposals.services import issues as issue_services
from milepost.proposals.services import proposals as services
from milepost.testing.factories import (
    ClientFactory,
    InternalClientFactory,
    NeedFactory,
    PortalContactFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def deal(org: Any) -> dict[str, Any]:
    owner = UserFactory.create(username="am", role=Role.ACCOUNT_MANAGER)
    client = ClientFactory.create(name="Harbour Brokers", owner=owner)
    sponsor = PortalContactFactory.create(client=client, user=org.employer_contact)
    issue = issue_services.create_issue(
        acting_user=owner,
        client=client,
        title="Motor claims complaints up 30 % since the new policy wording",
        owner=sponsor,
    )
    course = Course.objects.create(
        code="CALM-1",
        title="Calm calls",
        modality="classroom",
        cost_per_person=Decimal("50.00"),
        cost_per_run=Decimal("800.00"),
        places_per_run=12,
    )
    return {"owner": owner, "client": client, "sponsor": sponsor, "issue": issue, "course": course}


def _draft(deal: dict[str, Any]) -> Proposal:
    proposal = services.create_proposal(
        acting_user=deal["owner"],
        client=deal["client"],
        title="Calmer calls",
        issues=[deal["issue"]],
        sponsor_contact=deal["sponsor"],
    )
    services.add_item(
        acting_user=deal["owner"],
        proposal=proposal,
        kind="course",
        course=deal["course"],
        people=20,
        issues=[deal["issue"]],
    )
    return proposal


def test_a_metric_needs_numbers_and_a_target_after_its_baseline(deal):
    with pytest.raises(ValidationError) as error:
        issue_services.add_metric(
            acting_user=deal["owner"],
            issue=deal["issue"],
            name="Complaints a month",
            baseline_value="about 130",
            baseline_on=datetime.date(2026, 9, 30),
            target_value="90",
            target_on=datetime.date(2026, 6, 30),
        )
    assert set(error.value.message_dict) == {"baseline_value", "target_on"}
    assert "must come after the baseline date" in error.value.message_dict["target_on"][0]


def test_a_proposal_is_not_sent_until_its_issue_has_a_complete_metric(deal):
    proposal = _draft(deal)
    metric = issue_services.add_metric(
        acting_user=deal["owner"],
        issue=deal["issue"],
        name="Complaints a month",
        target_value="90",
        target_on=datetime.date(2027, 6, 30),
    )
    with pytest.raises(ValidationError) as error:
        services.send_proposal(acting_user=deal["owner"], proposal=proposal)
    assert error.value.messages == [
        "Metric \u201cComplaints a month\u201d of \u201cMotor claims complaints up 30 % since the "
        "new policy wording\u201d has no baseline value, no baseline date."
    ]
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.DRAFT
    metric.baseline_value = Decimal("130")
    metric.baseline_on = datetime.date(2026, 9, 30)
    metric.save()
    services.send_proposal(acting_user=deal["owner"], proposal=proposal)
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.SENT
    assert Notification.objects.filter(user=deal["sponsor"].user).exists()


def test_every_item_names_the_issue_it_answers(deal):
    proposal = _draft(deal)
    issue_services.add_metric(
        acting_user=deal["owner"],
        issue=deal["issue"],
        name="Complaints a month",
        baseline_value=130,
        baseline_on=datetime.date(2026, 9, 30),
        target_value=90,
        target_on=datetime.date(2027, 6, 30),
    )
    services.add_item(
        acting_user=deal["owner"],
        proposal=proposal,
        kind="non_training",
        title="New script",
        issues=[],
    )
    assert services.rule_problems(proposal) == [
        "Solution item \u201cNew script\u201d names no business issue it answers."
    ]


def test_catalogue_items_are_priced_by_the_costing_rule_and_retired_ones_refused(deal):
    proposal = _draft(deal)
    item = proposal.items.get()
    assert item.cost == Decimal("2600.00")  # 2 runs of 12 at 800 + 20 people at 50
    qualification = Qualification.objects.create(
        code="CII-CERT",
        title="Certificate",
        awarding_body="CII",
        level=3,
        cost_per_person=Decimal("420.00"),
    )
    priced = services.add_item(
        acting_user=deal["owner"],
        proposal=proposal,
        kind="qualification",
        qualification=qualification,
        people=3,
        issues=[deal["issue"]],
    )
    assert priced.cost == Decimal("1260.00")
    deal["course"].is_active = False
    deal["course"].save()
    with pytest.raises(ValidationError) as error:
        services.add_item(
            acting_user=deal["owner"],
            proposal=proposal,
            kind="course",
            course=deal["course"],
            issues=[deal["issue"]],
        )
    assert "retired" in error.value.message_dict["course"][0]
    with pytest.raises(ValidationError) as error:
        services.add_cost_line(
            acting_user=deal["owner"], proposal=proposal, label="Venue", amount="-5"
        )
    assert "negative" in error.value.message_dict["amount"][0]


def test_only_the_sponsor_accepts_once_and_training_is_planned(deal, org):
    proposal = _draft(deal)
    issue_services.add_metric(
        acting_user=deal["owner"],
        issue=deal["issue"],
        name="Complaints",
        baseline_value=130,
        baseline_on=datetime.date(2026, 9, 30),
        target_value=90,
        target_on=datetime.date(2027, 6, 30),
    )
    services.send_proposal(acting_user=deal["owner"], proposal=proposal)
    with pytest.raises(PermissionDenied):
        services.accept_proposal(acting_user=deal["owner"], proposal=proposal)
    accepted = services.accept_proposal(acting_user=org.employer_contact, proposal=proposal)
    assert accepted.status == ProposalStatus.ACCEPTED
    entry = PlannedTraining.objects.get()
    assert entry == proposal.items.get().plan_entry
    deal["issue"].refresh_from_db()
    assert deal["issue"].status == IssueStatus.ADDRESSING
    with pytest.raises(ValidationError):
        services.accept_proposal(acting_user=org.employer_contact, proposal=proposal)
    assert PlannedTraining.objects.count() == 1


def test_declining_needs_a_reason_and_a_new_version_keeps_the_old_text(deal, org):
    proposal = _draft(deal)
    issue_services.add_metric(
        acting_user=deal["owner"],
        issue=deal["issue"],
        name="Complaints",
        baseline_value=130,
        baseline_on=datetime.date(2026, 9, 30),
        target_value=90,
        target_on=datetime.date(2027, 6, 30),
    )
    services.send_proposal(acting_user=deal["owner"], proposal=proposal)
    with pytest.raises(ValidationError):
        services.decline_proposal(acting_user=org.employer_contact, proposal=proposal, reason="")
    services.decline_proposal(
        acting_user=org.employer_contact, proposal=proposal, reason="Budget frozen until April."
    )
    fresh = services.new_version(acting_user=deal["owner"], proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUPERSEDED
    assert proposal.decline_reason == "Budget frozen until April."
    assert (fresh.number, fresh.status, fresh.previous) == (2, ProposalStatus.DRAFT, proposal)
    assert [item.title for item in fresh.items.all()] == ["Calm calls"]
    assert list(fresh.items.get().issues.all()) == [deal["issue"]]


def test_an_account_manager_changes_only_their_own_clients_proposals(deal):
    other = UserFactory.create(role=Role.ACCOUNT_MANAGER)
    with pytest.raises(PermissionDenied):
        services.create_proposal(
            acting_user=other, client=deal["client"], title="Poach", issues=[deal["issue"]]
        )


def test_who_sees_which_proposals(deal, org):
    draft = _draft(deal)
    sent = services.create_proposal(
        acting_user=deal["owner"], client=deal["client"], title="Sent", issues=[deal["issue"]]
    )
    type(sent).objects.filter(pk=sent.pk).update(status=ProposalStatus.SENT)
    unit_client = InternalClientFactory.create(name="Claims", unit=org.claims)
    internal = services.create_proposal(
        acting_user=org.coordinator, client=unit_client, title="Internal", issues=[]
    )

    def seen(user: Any) -> set[int]:
        scope = proposal_filter(user)
        rows = Proposal.objects.all() if scope is None else Proposal.objects.filter(scope)
        return set(rows.values_list("pk", flat=True))

    assert seen(org.executive) == {draft.pk, sent.pk, internal.pk}
    assert seen(org.employer_contact) == {sent.pk}  # never a draft, never another client's
    assert seen(org.claims_manager) == {internal.pk}
    assert seen(org.employee_user) == set()


def test_a_need_promoted_to_a_business_issue_lists_the_need(deal):
    need = NeedFactory.create(
        client=deal["client"], unit=None, business_issue="Renewals lost to slow claims"
    )
    issue = issue_services.promote_need(acting_user=deal["owner"], need=need)
    assert issue.title == "Renewals lost to slow claims"
    assert list(issue.needs.all()) == [need]


def test_consultancy_findings_become_a_draft_proposal_in_one_step(deal):
    from milepost.proposals.services import engagements
    from milepost.testing.factories import CompetencyFactory, InteractionFactory

    engagement = engagements.start_engagement(
        acting_user=deal["owner"],
        client=deal["client"],
        title="Complaints after the new wording",
        issues=[deal["issue"]],
        sponsor=deal["sponsor"],
    )
    with pytest.raises(ValidationError):
        engagements.propose_from_findings(acting_user=deal["owner"], engagement=engagement)
    empathy = CompetencyFactory.create(name="Customer empathy")
    engagements.record_analysis(
        acting_user=deal["owner"],
        engagement=engagement,
        business_goal="Complaints down from 130 to 90 a month by June 2027",
        should_do="Explain the new wording before the customer asks",
        actually_do="Read the policy clause aloud",
        cause_process="The script was never updated",
        capability=[empathy],
    )
    session = InteractionFactory.create(client=deal["client"], kind="consultancy")
    engagements.link_session(acting_user=deal["owner"], engagement=engagement, interaction=session)
    proposal = engagements.propose_from_findings(acting_user=deal["owner"], engagement=engagement)
    assert (proposal.engagement, proposal.sponsor_contact) == (engagement, deal["sponsor"])
    assert list(proposal.issues.all()) == [deal["issue"]]
    assert proposal.learning_objectives.startswith("Complaints down")
    assert list(session.engagements.all()) == [engagement]
