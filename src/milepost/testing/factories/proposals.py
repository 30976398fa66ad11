"""Factories for proposals: business issues with metrics, proposals and their items."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from milepost.proposals.models import (
    BusinessIssue,
    Engagement,
    ItemKind,
    Metric,
    Proposal,
    ProposalItem,
)
from milepost.testing.factories.clients import ClientFactory


class BusinessIssueFactory(DjangoModelFactory):
    class Meta:
        model = BusinessIssue

    client = factory.SubFactory(ClientFactory)
    title = factory.Sequence(lambda n: f"Motor claims complaints up 30 % ({n})")


class MetricFactory(DjangoModelFactory):
    """A complete metric: baseline and target, each with its date."""

    class Meta:
        model = Metric

    issue = factory.SubFactory(BusinessIssueFactory)
    name = "Complaints a month"
    unit = "complaints"
    baseline_value = Decimal("130")
    baseline_on = datetime.date(2026, 9, 30)
    target_value = Decimal("90")
    target_on = datetime.date(2027, 6, 30)
    data_source = "Complaints log"


class ProposalFactory(DjangoModelFactory):
    class Meta:
        model = Proposal

    client = factory.SubFactory(ClientFactory)
    title = factory.Sequence(lambda n: f"Calmer calls programme {n}")


class ProposalItemFactory(DjangoModelFactory):
    class Meta:
        model = ProposalItem

    proposal = factory.SubFactory(ProposalFactory)
    kind = ItemKind.BESPOKE
    title = factory.Sequence(lambda n: f"Workshop {n}")


class EngagementFactory(DjangoModelFactory):
    """A consultancy engagement with its performance analysis started."""

    class Meta:
        model = Engagement

    client = factory.SubFactory(ClientFactory)
    title = factory.Sequence(lambda n: f"Why complaints rose ({n})")
    business_goal = "Complaints down from 130 to 90 a month by June"
