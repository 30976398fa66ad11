"""The demo's proposals tell the issue's story: an engaged manager's consultancy whose findings
became an accepted proposal, one declined with its reason, one refused at sending until a
baseline was added, drafts on both sides of the rule."""

from __future__ import annotations

import pytest

from milepost.clients.models import InteractionKind, Kind
from milepost.delivery.models import Event
from milepost.proposals.models import (
    BusinessIssue,
    Engagement,
    ItemKind,
    Proposal,
    ProposalStatus,
)
from milepost.proposals.services.proposals import rule_problems
from milepost.site.demo.tests.test_demo import SMALL, run_demo


@pytest.fixture
def demo(shared_demo: str, db: None) -> str:
    """The demo of this package's conftest.py, built once; each test's writes rolled back."""
    return shared_demo


def test_demo_proposals_story_holds(demo: str) -> None:
    assert "proposals  6 business issues, 2 consultancy engagements, 5 proposals" in demo
    issues = BusinessIssue.objects.all()
    assert issues.count() == 6
    assert {Kind.INTERNAL, Kind.EXTERNAL} <= set(issues.values_list("client__kind", flat=True))

    # The engaged Claims Director: consultancy -> findings -> proposal -> accepted -> plan.
    engagement = Engagement.objects.get(title="Why motor claims complaints rose")
    assert engagement.sponsor is not None and engagement.sponsor.job_title == "Claims Director"
    assert engagement.capability.exists() and engagement.business_goal
    assert engagement.interactions.get().kind == InteractionKind.CONSULTANCY
    accepted = engagement.proposals.get()
    assert accepted.status == ProposalStatus.ACCEPTED
    assert accepted.decided_by is not None and accepted.decided_by.username == "line.manager"
    training = accepted.items.exclude(kind=ItemKind.NON_TRAINING)
    assert training.count() == 2 and not training.filter(plan_entry=None).exists()
    assert accepted.items.filter(kind=ItemKind.NON_TRAINING, plan_entry=None).count() == 1
    # ... and events to schedule (interest lists) for its two courses.
    events = Event.objects.filter(proposal_item__proposal=accepted)
    assert sorted(events.values_list("status", flat=True)) == ["interest", "interest"]
    assert accepted.issues.get().status == "addressing"
    assert accepted.sent_at is not None and accepted.decided_at is not None
    assert accepted.sent_at < accepted.decided_at

    declined = Proposal.objects.get(status=ProposalStatus.DECLINED)
    assert "June" in declined.decline_reason
    assert declined.events.filter(status=ProposalStatus.DECLINED, note__contains="June").exists()

    # Harbour: refused until the baseline came, then version 2 waits for Priya in her portal.
    first = Proposal.objects.get(status=ProposalStatus.SUPERSEDED)
    second = first.next_version
    assert second.status == ProposalStatus.SENT and second.number == 2
    assert second.sponsor_contact is not None and second.sponsor_contact.user is not None
    assert second.sponsor_contact.user.username == "employer"
    assert first.issues.get().metrics.get().baseline_value is not None

    drafts = Proposal.objects.filter(status=ProposalStatus.DRAFT)
    assert drafts.count() == 2
    assert sorted(bool(rule_problems(draft)) for draft in drafts) == [False, True]
    assert Engagement.objects.count() == 2
    # Every proposal that left draft met the rule.
    assert all(not rule_problems(p) for p in Proposal.objects.exclude(status=ProposalStatus.DRAFT))


def test_demo_reset_removes_and_rebuilds_the_proposals(demo: str) -> None:
    run_demo("--size", str(SMALL), "--reset")
    assert BusinessIssue.objects.count() == 6
    assert Proposal.objects.count() == 6
