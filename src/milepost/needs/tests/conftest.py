"""A small service framework whose competencies real needs are about."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from milepost.frameworks.models import Competency, CompetencyLevel
from milepost.needs.matching import competency_index
from milepost.testing.factories import CompetencyFactory, FrameworkFactory


@dataclass
class ServiceFramework:
    de_escalation: Competency
    complaints: Competency
    excel: Competency
    negotiation: Competency


@pytest.fixture
def service_framework(db: None) -> ServiceFramework:
    framework = FrameworkFactory.create(code="service", name="Service framework")
    group = CompetencyFactory.create(
        framework=framework, name="Customer", kind=Competency.Kind.GROUP
    )
    de_escalation = CompetencyFactory.create(
        framework=framework,
        parent=group,
        name="Customer empathy and de-escalation",
        alt_labels="Handling difficult conversations\nCalming upset customers",
        description="Recognises how a customer feels and calms tense, angry conversations.",
    )
    CompetencyLevel.objects.create(
        competency=de_escalation,
        level=3,
        indicators="Turns an angry caller into a workable plan with agreed actions.",
    )
    complaints = CompetencyFactory.create(
        framework=framework,
        parent=group,
        name="Complaints handling",
        description="Investigates and resolves complaints fairly within the FCA time limits.",
    )
    excel = CompetencyFactory.create(
        framework=framework,
        name="Excel modelling",
        alt_labels="Spreadsheets\nPivot tables",
        description="Builds spreadsheet models with pivot tables, lookups and charts.",
    )
    negotiation = CompetencyFactory.create(
        framework=framework,
        name="Negotiation",
        description="Agrees settlements with customers, brokers and suppliers.",
    )
    competency_index.reset()
    return ServiceFramework(de_escalation, complaints, excel, negotiation)
