"""Similar needs across units, and demand themes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from milepost.accounts.models import Notification
from milepost.needs import selectors, services
from milepost.needs.models import DemandTheme, Need, PlannedTraining, Status

pytestmark = pytest.mark.django_db

ANGRY = [
    "Claims handlers struggle with angry callers since the new policy wording",
    "Our call handlers need help calming angry customers on the phone",
    "Staff find angry and upset callers hard to handle after the policy change",
]
EXCEL = [
    "Analysts need advanced Excel: pivot tables and lookups for reporting",
    "The finance team wants training in Excel pivot tables and spreadsheets",
]


def raise_needs(org, texts, units, requesters) -> list[Need]:
    return [
        services.submit_need(
            acting_user=requester, title=text[:40], description=text, unit=unit, people_affected=5
        )
        for text, unit, requester in zip(texts, units, requesters, strict=True)
    ]


@pytest.fixture
def needs(org, service_framework):
    angry = raise_needs(
        org,
        ANGRY,
        [org.motor_team, org.claims, org.underwriting],
        [org.employee_user, org.claims_manager, org.underwriting_manager],
    )
    excel = raise_needs(
        org, EXCEL, [org.underwriting, org.claims], [org.underwriting_manager, org.coordinator]
    )
    return angry, excel


def test_grouping_proposes_one_theme_per_subject(org, needs):
    angry, excel = needs
    proposals = selectors.proposed_themes(org.coordinator)
    groups = sorted(sorted(need.pk for need in p.needs) for p in proposals)
    assert groups == sorted([sorted(n.pk for n in angry), sorted(n.pk for n in excel)])
    angry_proposal = next(p for p in proposals if len(p.needs) == 3)
    assert angry_proposal.unit_count == 3
    assert angry_proposal.title == "Customer empathy and de-escalation"


def test_coordinator_creates_a_theme_from_a_proposal(org, needs, login):
    angry, _ = needs
    client = login(org.coordinator)
    page = client.get(reverse("needs:theme-suggest"))
    assert page.status_code == 200
    response = client.post(
        reverse("needs:theme-suggest"),
        {"title": "Difficult calls", "need": [need.pk for need in angry]},
    )
    theme = DemandTheme.objects.get()
    assert response["Location"] == reverse("needs:theme-detail", args=[theme.pk])
    assert set(theme.needs.all()) == set(angry)
    # Themed needs are not proposed again.
    remaining = selectors.proposed_themes(org.coordinator)
    assert all(need.theme_id is None for p in remaining for need in p.needs)
    summary = next(row for row in selectors.theme_summaries(org.coordinator) if row.theme == theme)
    assert (summary.need_count, summary.requester_count, summary.unit_count) == (3, 3, 3)


def test_planning_a_theme_moves_every_need_and_tells_every_requester(org, needs):
    angry, _ = needs
    theme = services.create_theme(acting_user=org.coordinator, title="Difficult calls", needs=angry)
    changes = services.change_theme_status(
        acting_user=org.coordinator, theme=theme, status=Status.PLANNED, note="Course in May"
    )
    assert len(changes) == 3
    assert set(Need.objects.filter(theme=theme).values_list("status", flat=True)) == {"planned"}
    told = set(
        Notification.objects.filter(message__contains="is now planned").values_list(
            "user__username", flat=True
        )
    )
    assert told == {"motor.handler", "claims.manager", "uw.manager"}
    entry = PlannedTraining.objects.get()
    assert (entry.theme, entry.need) == (theme, None)


def test_similar_needs_show_what_the_user_may_see_and_count_the_rest(org, needs):
    angry, _ = needs
    for_coordinator = selectors.similar_needs(org.coordinator, angry[0])
    assert {need.pk for need, _ in for_coordinator.visible} == {angry[1].pk, angry[2].pk}
    assert for_coordinator.hidden_count == 0
    for_employee = selectors.similar_needs(org.employee_user, angry[0])
    assert for_employee.visible == []
    assert (for_employee.hidden_count, for_employee.hidden_units) == (2, 2)


def test_requester_page_counts_similar_needs_elsewhere_without_naming_them(org, needs, login):
    angry, _ = needs
    page = login(org.employee_user).get(reverse("needs:need-detail", args=[angry[0].pk]))
    content = page.content.decode()
    assert "2 similar needs were raised in 2 other units" in content
    assert angry[2].title not in content


def test_dissolving_a_theme_keeps_its_needs(org, needs, login):
    angry, _ = needs
    theme = services.create_theme(acting_user=org.coordinator, title="Difficult calls", needs=angry)
    login(org.coordinator).post(reverse("needs:theme-delete", args=[theme.pk]))
    assert not DemandTheme.objects.exists()
    assert Need.objects.filter(pk__in=[n.pk for n in angry], theme__isnull=True).count() == 3
