"""Suggestions follow the problem, not the requester's job; filler words never match; the fit
a person reads is a percentage with a word (strong, fair, weak)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.urls import reverse

from milepost.frameworks.models import Competency, CompetencyLevel
from milepost.needs import matching
from milepost.needs.matching import competency_index
from milepost.needs.models import Need
from milepost.testing.factories import CompetencyFactory, FrameworkFactory

pytestmark = pytest.mark.django_db

BEREAVED = "our motor claims handlers struggle with difficult phone calls from bereaved customers"


@dataclass
class ClaimsFramework:
    motor: Competency
    vulnerable: Competency
    empathy: Competency


@pytest.fixture
def claims_framework(db: None) -> ClaimsFramework:
    """Three competencies worded as the demo's are."""
    framework = FrameworkFactory.create(code="northwind", name="Northwind framework")
    motor = CompetencyFactory.create(
        framework=framework,
        code="CLM-MOT",
        name="Motor claims handling",
        alt_labels="Motor claims\nVehicle damage claims",
        description="Handles motor claims from first notification to settlement, including "
        "repairs, total losses, hire and third-party capture.",
    )
    CompetencyLevel.objects.create(
        competency=motor,
        level=2,
        indicators="Handles non-fault and simple fault claims end to end. | Settles total "
        "losses and explains the offer to the customer.",
    )
    vulnerable = CompetencyFactory.create(
        framework=framework,
        code="CUS-VUL",
        name="Supporting vulnerable customers",
        alt_labels="Customer vulnerability\nVulnerable customers",
        description="Spots the signs of vulnerability (health, life events, resilience, "
        "capability) and adapts service so vulnerable customers get good outcomes.",
    )
    CompetencyLevel.objects.create(
        competency=vulnerable,
        level=1,
        indicators="Recognises cues such as confusion, distress or a mention of bereavement "
        "during a contact.",
    )
    empathy = CompetencyFactory.create(
        framework=framework,
        code="CUS-EMP",
        name="Customer empathy and de-escalation",
        description="Recognises how a customer feels and calms tense conversations, working "
        "with senior colleagues when needed.",
    )
    competency_index.reset()
    return ClaimsFramework(motor, vulnerable, empathy)


def ranked(suggestions: list[matching.Suggestion]) -> list[Competency]:
    return [suggestion.competency for suggestion in suggestions]


def test_the_requesters_own_job_and_unit_count_for_less(org, claims_framework):
    # The motor handler: job title "Claims handler", unit "Motor claims".
    context = matching.requester_context(org.employee_user)
    assert "Claims handler" in context and "Motor claims" in context
    plain = ranked(matching.suggest_competencies(BEREAVED, limit=3, min_score=0))
    assert plain.index(claims_framework.motor) < plain.index(claims_framework.vulnerable)
    with_context = ranked(
        matching.suggest_competencies(BEREAVED, context=context, limit=3, min_score=0)
    )
    assert with_context.index(claims_framework.vulnerable) < with_context.index(
        claims_framework.motor
    )


def test_a_need_raised_by_a_claims_handler_is_mapped_to_the_problem_first(
    org, claims_framework, login
):
    client = login(org.employee_user)
    response = client.post(
        reverse("needs:need-create"),
        {
            "title": "Bereaved customers",
            "description": BEREAVED,
            "unit": org.motor_team.pk,
            "people_affected": "12",
            "urgency": "2",
            "impact": "3",
        },
    )
    assert response.status_code == 302
    order = [row.competency for row in Need.objects.get().mappings.order_by("rank")]
    assert order.index(claims_framework.vulnerable) < order.index(claims_framework.motor)


def test_filler_words_never_count_as_matched(org, claims_framework, login):
    text = (
        "Senior handlers including team leaders struggle with motor claims conversations, "
        "including calming tense customers."
    )
    suggestions = matching.suggest_competencies(text, min_score=0)
    assert suggestions
    for suggestion in suggestions:
        assert not {"senior", "including"} & set(suggestion.matched_terms)
    assert "motor" in next(
        s.matched_terms for s in suggestions if s.competency == claims_framework.motor
    )
    live = login(org.claims_manager).post(
        reverse("needs:need-suggest"), {"title": "Senior handlers", "description": text}
    )
    assert b"<mark>including</mark>" not in live.content
    assert b"<mark>senior</mark>" not in live.content


def test_the_fit_shown_is_a_percentage_with_a_word(org, claims_framework, login):
    client = login(org.employee_user)
    live = client.post(
        reverse("needs:need-suggest"), {"title": "Bereaved customers", "description": BEREAVED}
    )
    text = live.content.decode()
    fits = [int(value) for value in re.findall(r"(\d+)% fit", text)]
    assert fits and all(0 <= fit <= 100 for fit in fits)
    assert re.search(r"\d+% fit \((strong|fair|weak)\)", text)
    assert "score" not in text.lower()
    client.post(
        reverse("needs:need-create"),
        {
            "title": "Bereaved customers",
            "description": BEREAVED,
            "unit": org.motor_team.pk,
            "people_affected": "12",
            "urgency": "2",
            "impact": "3",
        },
    )
    need = Need.objects.get()
    assert all(row.score is not None and 0 <= row.score <= 1 for row in need.mappings.all())
    page = client.get(reverse("needs:need-detail", args=[need.pk])).content.decode()
    shown = [int(value) for value in re.findall(r"(\d+)%", page)]
    assert shown and all(0 <= fit <= 100 for fit in shown)


@pytest.mark.parametrize(
    ("score", "percent", "word"),
    [
        (0.0, 0, "weak"),
        (0.45, 38, "weak"),
        (0.7, 58, "fair"),
        (0.93, 78, "strong"),
        (1.8, 100, "strong"),
    ],
)
def test_hybrid_scores_become_a_fit_on_0_to_100(score, percent, word):
    fit = matching.fit_from_score(score, dense=True)
    assert round(100 * fit) == percent
    assert matching.fit_word(fit) == word


def test_lexical_only_scores_stay_below_100_percent():
    assert 0 < matching.fit_from_score(12.0, dense=False) < 1
    assert matching.fit_from_score(0.0, dense=False) == 0
