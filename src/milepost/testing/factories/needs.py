"""Factories for needs: needs in people's words, their competency mapping, themes, the plan."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from milepost.needs.models import DemandTheme, Need, NeedCompetency, PlannedTraining
from milepost.testing.factories.accounts import OrgUnitFactory, UserFactory
from milepost.testing.factories.frameworks import CompetencyFactory


class DemandThemeFactory(DjangoModelFactory):
    class Meta:
        model = DemandTheme

    title = factory.Sequence(lambda n: f"Theme {n}")


class NeedFactory(DjangoModelFactory):
    """A need written straight to the database: no matching, no inbox message (use
    `needs.services.submit_need` when the test is about intake)."""

    class Meta:
        model = Need

    title = factory.Sequence(lambda n: f"Need {n}")
    description = "Our claims handlers struggle to calm angry callers since the price rise."
    unit = factory.SubFactory(OrgUnitFactory)
    requester = factory.SubFactory(UserFactory)


class NeedCompetencyFactory(DjangoModelFactory):
    class Meta:
        model = NeedCompetency

    need = factory.SubFactory(NeedFactory)
    competency = factory.SubFactory(CompetencyFactory)
    rank = factory.Sequence(lambda n: n)


class PlannedTrainingFactory(DjangoModelFactory):
    class Meta:
        model = PlannedTraining

    title = factory.Sequence(lambda n: f"Planned training {n}")
