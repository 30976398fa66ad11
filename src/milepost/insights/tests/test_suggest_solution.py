""" "Suggest a solution": a draft proposal's items from the recommendation engine.

The conftest's gap world, unassessed requirements left out (the default for groups):
  Clara (Claims, Handler):  Claims handling 2 -> 3 (weight 4)
  Mo (Motor claims, under Claims, reports to Clara): Negotiation 1 -> 2 (weight 1)
Courses: HAND (run 100 + 50 a person, handling to 3) raises Clara: 150;
  NEGO (40 a person, negotiation to 2) raises Mo: 40.
So the Claims unit gets both (190, closing 4 + 1 = 5), Clara's team (Mo) only NEGO.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from milepost.accounts.models import Role
from milepost.catalogue.models import Course
from milepost.insights.solutions import suggest_solution
from milepost.insights.tests.conftest import course
from milepost.proposals.models import ItemKind, Proposal, ProposalItem, ProposalStatus
from milepost.testing.factories import (
    BusinessIssueFactory,
    ClientFactory,
    InternalClientFactory,
    MetricFactory,
    ProposalFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(gap_world):
    world = gap_world
    org = world.org
    course("HAND", {world.handling: 3}, per_person="50", per_run="100")
    course("NEGO", {world.negotiation: 2}, per_person="40")
    client = InternalClientFactory.create(name="Claims", unit=org.claims, owner=org.coordinator)
    issue = BusinessIssueFactory.create(client=client, title="Claims backlog")
    MetricFactory.create(issue=issue)
    proposal = ProposalFactory.create(client=client, title="Faster claims")
    proposal.issues.set([issue])
    world.client, world.issue, world.proposal = client, issue, proposal
    return world


def items_of(proposal):
    return [
        (
            item.kind,
            item.course.code,
            item.people,
            item.cost,
            sorted(c.name for c in item.competencies.all()),
            [i.title for i in item.issues.all()],
        )
        for item in proposal.items.select_related("course").order_by("pk")
    ]


def test_the_clients_unit_gets_an_item_per_recommended_course_naming_every_issue(setting):
    org = setting.org
    summary = suggest_solution(
        acting_user=org.coordinator, proposal=setting.proposal, target=org.claims
    )
    assert items_of(setting.proposal) == [
        ("course", "HAND", 1, Decimal("150.00"), ["Claims handling"], ["Claims backlog"]),
        ("course", "NEGO", 1, Decimal("40.00"), ["Negotiation"], ["Claims backlog"]),
    ]
    assert summary.total_cost == Decimal("190")
    assert summary.gap_closed == pytest.approx(5)
    assert summary.total_gap == pytest.approx(5)
    assert summary.uncovered == []
    assert "1 person on Claims handling from level 2 to 3" in summary.items[0].description


def test_a_budget_keeps_the_items_within_it(setting):
    org = setting.org
    summary = suggest_solution(
        acting_user=org.coordinator,
        proposal=setting.proposal,
        target=org.claims,
        budget=Decimal("100"),
    )
    assert [item.course and item.course.code for item in summary.items] == ["NEGO"]
    assert summary.total_cost == Decimal("40")


def test_a_team_and_a_list_of_people_are_aggregated_like_a_group(setting):
    org = setting.org
    team = suggest_solution(
        acting_user=org.coordinator, proposal=setting.proposal, target=org.claims_manager_employee
    )
    assert [item.course and item.course.code for item in team.items] == ["NEGO"]
    ProposalItem.objects.all().delete()
    people = suggest_solution(
        acting_user=org.coordinator,
        proposal=setting.proposal,
        target=[org.claims_manager_employee, org.motor_handler],
    )
    assert [item.course and item.course.code for item in people.items] == ["HAND", "NEGO"]
    assert people.recommendation.people == 2


def test_uncovered_gaps_are_reported_and_nothing_is_added_for_them(setting):
    Course.objects.filter(code="HAND").update(is_active=False)
    summary = suggest_solution(
        acting_user=setting.org.coordinator, proposal=setting.proposal, target=setting.org.claims
    )
    assert [item.course and item.course.code for item in summary.items] == ["NEGO"]
    assert [row.competency_name for row in summary.uncovered] == ["Claims handling"]


def test_suggesting_twice_does_not_add_the_same_offer_again(setting):
    org = setting.org
    suggest_solution(acting_user=org.coordinator, proposal=setting.proposal, target=org.claims)
    again = suggest_solution(
        acting_user=org.coordinator, proposal=setting.proposal, target=org.claims
    )
    assert again.items == []
    assert sorted(again.already_there) == ["Course HAND", "Course NEGO"]
    assert setting.proposal.items.count() == 2


def test_a_sent_proposal_is_refused_and_nothing_is_written(setting):
    org = setting.org
    setting.proposal.status = ProposalStatus.SENT
    setting.proposal.save()
    with pytest.raises(ValidationError, match="Only a draft changes"):
        suggest_solution(acting_user=org.coordinator, proposal=setting.proposal, target=org.claims)
    assert not ProposalItem.objects.exists()


def test_a_proposal_without_issues_is_refused(setting):
    setting.proposal.issues.clear()
    with pytest.raises(ValidationError, match="Name the business issues"):
        suggest_solution(
            acting_user=setting.org.coordinator,
            proposal=setting.proposal,
            target=setting.org.claims,
        )
    assert not ProposalItem.objects.exists()


def test_another_unit_than_the_clients_is_refused(setting):
    with pytest.raises(ValidationError) as refused:
        suggest_solution(
            acting_user=setting.org.coordinator,
            proposal=setting.proposal,
            target=setting.org.underwriting,
        )
    assert "is not the unit of Claims" in str(refused.value)
    assert not ProposalItem.objects.exists()


def test_only_the_clients_editors_suggest(setting):
    other_manager = UserFactory.create(username="am", role=Role.ACCOUNT_MANAGER)
    for user in (other_manager, setting.org.executive, setting.org.claims_manager):
        with pytest.raises(PermissionDenied):
            suggest_solution(acting_user=user, proposal=setting.proposal, target=setting.org.claims)
    assert not ProposalItem.objects.exists()


# --- the page ---------------------------------------------------------------------------------


def page(proposal):
    return reverse("insights:proposal-suggest", args=[proposal.pk])


def test_the_page_previews_the_units_solution_and_adds_it_on_post(
    setting, django_assert_max_num_queries
):
    browser = Client()
    browser.force_login(setting.org.coordinator)
    with django_assert_max_num_queries(40):
        response = browser.get(page(setting.proposal), {"target": "unit"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Course HAND" in text and "Course NEGO" in text
    assert "Add 2 items to the proposal" in text
    assert not ProposalItem.objects.exists()  # a preview writes nothing

    response = browser.post(page(setting.proposal), {"target": "unit", "unassessed": "leave-out"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/proposals/{setting.proposal.pk}/")
    items = setting.proposal.items.order_by("pk")
    assert [i.course and i.course.code for i in items] == ["HAND", "NEGO"]


def test_the_page_exports_the_preview(setting):
    browser = Client()
    browser.force_login(setting.org.coordinator)
    response: Any = browser.get(page(setting.proposal), {"target": "unit", "export": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "HAND" in text and "Negotiation" in text


def test_an_employer_proposal_finds_people_and_escapes_the_search(setting):
    org = setting.org
    employer = ClientFactory.create(name="Harbour Brokers", owner=org.coordinator)
    issue = BusinessIssueFactory.create(client=employer)
    proposal = ProposalFactory.create(client=employer)
    proposal.issues.set([issue])
    browser = Client()
    browser.force_login(org.coordinator)
    response = browser.get(page(proposal))
    text = response.content.decode()
    assert "outside employer" in text
    assert 'value="unit"' not in text  # no unit to recommend for
    found = browser.get(page(proposal), {"target": "people", "q": "Mo <b>"}).content.decode()
    assert "&ldquo;Mo &lt;b&gt;&rdquo;" in found and "Mo <b>" not in found
    listed = browser.get(page(proposal), {"target": "people", "q": "Handler"})
    assert listed.status_code == 200
    response = browser.get(page(proposal), {"target": "people", "person": [org.motor_handler.pk]})
    assert "Course NEGO" in response.content.decode()
    response = browser.post(page(proposal), {"target": "people", "person": [org.motor_handler.pk]})
    assert response.status_code == 302
    assert [(i.kind, i.course.code) for i in proposal.items.all()] == [(ItemKind.COURSE, "NEGO")]


def test_a_list_without_people_is_explained_and_writes_nothing(setting):
    browser = Client()
    browser.force_login(setting.org.coordinator)
    response = browser.post(page(setting.proposal), {"target": "people"})
    assert response.status_code == 200
    assert "Find people below and tick" in response.content.decode()
    response = browser.get(page(setting.proposal), {"target": "people", "person": ["999999"]})
    assert "None of the people chosen" in response.content.decode()
    assert not ProposalItem.objects.exists()


def test_a_sent_proposals_page_says_only_a_draft_changes(setting):
    setting.proposal.status = ProposalStatus.SENT
    setting.proposal.save()
    browser = Client()
    browser.force_login(setting.org.coordinator)
    response = browser.post(page(setting.proposal), {"target": "unit"})
    assert response.status_code == 200
    assert "only a draft changes" in response.content.decode()
    assert not ProposalItem.objects.exists()


def test_readers_get_403_and_people_outside_the_client_404(setting):
    browser = Client()
    browser.force_login(setting.org.executive)
    assert browser.get(page(setting.proposal)).status_code == 403
    browser.force_login(setting.org.employer_contact)
    assert browser.get(page(setting.proposal)).status_code == 404
    browser.force_login(setting.org.employee_user)  # reads no proposal at all
    assert browser.get(page(setting.proposal)).status_code == 403


def test_the_proposal_page_offers_suggest_a_solution_to_editors_of_a_draft(setting):
    org = setting.org
    detail = reverse("proposals:proposal-detail", args=[setting.proposal.pk])
    browser = Client()
    browser.force_login(org.coordinator)
    assert page(setting.proposal) in browser.get(detail).content.decode()
    browser.force_login(org.executive)  # reads every proposal, edits none
    assert page(setting.proposal) not in browser.get(detail).content.decode()
    Proposal.objects.filter(pk=setting.proposal.pk).update(status=ProposalStatus.SENT)
    browser.force_login(org.coordinator)
    assert page(setting.proposal) not in browser.get(detail).content.decode()
