from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from milepost.catalogue import selectors
from milepost.testing.factories import (
    CompetencyFactory,
    CourseFactory,
    QualificationFactory,
    outcome,
)

pytestmark = pytest.mark.django_db


def test_search_filters_by_text_modality_provider_competency_and_status(org: Any) -> None:
    competency = CompetencyFactory.create()
    excel = CourseFactory.create(code="XLS-1", title="Excel basics", modality="online")
    CourseFactory.create(
        code="NEG-1", title="Negotiation", summary="Win-win deals", provider_kind="external"
    )
    CourseFactory.create(code="OLD-1", title="Old Excel", modality="online", is_active=False)
    outcome(excel, competency, 2)

    def codes(**filters: Any) -> list[str]:
        return [c.code for c in selectors.search_courses(org.employee_user, **filters)]

    assert codes(query="excel") == ["XLS-1", "OLD-1"]
    assert codes(query="win-win") == ["NEG-1"]
    assert codes(modality="online", active=True) == ["XLS-1"]
    assert codes(provider_kind="external") == ["NEG-1"]
    assert codes(competency_id=competency.pk) == ["XLS-1"]


def test_employer_contacts_browse_the_catalogue(org: Any) -> None:
    CourseFactory.create(code="C1")
    QualificationFactory.create(code="Q1")
    assert selectors.search_courses(org.employer_contact).count() == 1
    assert selectors.search_qualifications(org.employer_contact).count() == 1


def test_offers_for_competencies_lists_active_offers_with_their_levels(
    django_assert_num_queries: Any,
) -> None:
    wanted, other = CompetencyFactory.create(), CompetencyFactory.create()
    course = CourseFactory.create(code="B", cost_per_person=Decimal("99"))
    outcome(course, wanted, 3)
    outcome(course, other, 2)
    outcome(CourseFactory.create(code="A", is_active=False), wanted, 4)
    outcome(CourseFactory.create(code="C"), other, 4)
    qualification = QualificationFactory.create(code="Q", guided_learning_hours=120)
    outcome(qualification, wanted, 4)
    with django_assert_num_queries(3):
        offers = selectors.offers_for_competencies([wanted.pk])
    assert [(o.kind, o.code, o.levels) for o in offers] == [
        ("course", "B", {wanted.pk: 3}),
        ("qualification", "Q", {wanted.pk: 4}),
    ]
    assert offers[0].cost_per_person == Decimal("99")
    assert offers[1].duration_hours == Decimal(120)
    assert selectors.offers_for_competencies([]) == []
