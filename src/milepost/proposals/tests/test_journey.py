"""What the browser journey (tests/browser/test_proposals_journey.py) found missing between the
pages: the metric form keeps its dates when saved again, and the proposal page leads on to its
document, its issues, its engagement and the metric the rule still waits for; the menu leads
to proposals."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from milepost.accounts.models import Role
from milepost.proposals.models import Metric, Proposal
from milepost.testing.factories import (
    BusinessIssueFactory,
    ClientFactory,
    EngagementFactory,
    MetricFactory,
    PortalContactFactory,
    ProposalFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(org: Any) -> Proposal:
    owner = UserFactory.create(username="am", role=Role.ACCOUNT_MANAGER)
    client = ClientFactory.create(name="Harbour Brokers", owner=owner)
    PortalContactFactory.create(client=client, name="Hana Harbour", user=org.employer_contact)
    issue = BusinessIssueFactory.create(client=client, title="Broker complaints <up> 30 %")
    MetricFactory.create(
        issue=issue, name="Complaints a month", baseline_value=None, baseline_on=None
    )
    proposal: Proposal = ProposalFactory.create(client=client, title="Calmer broker calls")
    proposal.issues.set([issue])
    return proposal


def metric_of(proposal: Proposal) -> Metric:
    return Metric.objects.get(issue__proposals=proposal)


def test_the_metric_form_shows_its_dates_as_the_date_picker_reads_them(login, draft) -> None:
    metric = metric_of(draft)
    page = login(draft.client.owner).get(
        reverse("proposals:metric-edit", args=[metric.issue_id, metric.pk])
    )
    assert page.status_code == 200
    assert 'type="date" name="target_on" value="2027-06-30"' in page.content.decode()


def test_saving_a_metric_with_the_dates_it_was_shown_keeps_them(login, draft) -> None:
    metric = metric_of(draft)
    response = login(draft.client.owner).post(
        reverse("proposals:metric-edit", args=[metric.issue_id, metric.pk]),
        {
            "name": metric.name,
            "unit": metric.unit,
            "baseline_value": "120",
            "baseline_on": "2026-09-30",
            "target_value": "90",
            "target_on": "2027-06-30",  # what the page now shows (the locale's form read empty)
            "data_source": metric.data_source,
        },
    )
    assert response.status_code == 302
    metric.refresh_from_db()
    assert metric.baseline_value == Decimal("120")
    assert metric.baseline_on == datetime.date(2026, 9, 30)
    assert metric.target_on == datetime.date(2027, 6, 30)
    assert metric.missing == []


def test_the_owner_is_led_to_the_document_the_issue_and_the_incomplete_metric(
    login, draft, django_assert_max_num_queries
) -> None:
    metric = metric_of(draft)
    client = login(draft.client.owner)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("proposals:proposal-detail", args=[draft.pk])).content.decode()
    assert reverse("proposals:proposal-document", args=[draft.pk]) in page
    assert reverse("proposals:proposal-pdf", args=[draft.pk]) in page
    issue_url = reverse("proposals:issue-detail", args=[metric.issue_id])
    assert f'<a href="{issue_url}">Broker complaints &lt;up&gt; 30 %</a>' in page
    edit_url = reverse("proposals:metric-edit", args=[metric.issue_id, metric.pk])
    assert f'href="{edit_url}" aria-label="Complete the metric Complaints a month"' in page


def test_a_complete_metric_or_a_reader_who_may_not_edit_gets_no_complete_link(
    login, org, draft
) -> None:
    metric = metric_of(draft)
    edit_url = reverse("proposals:metric-edit", args=[metric.issue_id, metric.pk])
    url = reverse("proposals:proposal-detail", args=[draft.pk])
    assert edit_url not in login(org.executive).get(url).content.decode()
    Metric.objects.filter(pk=metric.pk).update(
        baseline_value=Decimal("120"), baseline_on=datetime.date(2026, 9, 30)
    )
    assert edit_url not in login(draft.client.owner).get(url).content.decode()


def test_the_employer_contact_sees_the_issue_but_no_link_to_the_internal_issue_page(
    login, org, draft
) -> None:
    Proposal.objects.filter(pk=draft.pk).update(status="sent")
    metric = metric_of(draft)
    page = login(org.employer_contact).get(reverse("proposals:proposal-detail", args=[draft.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Broker complaints &lt;up&gt; 30 %" in text
    assert reverse("proposals:issue-detail", args=[metric.issue_id]) not in text
    assert reverse("proposals:proposal-document", args=[draft.pk]) in text


def test_proposals_are_in_the_menu_of_those_who_may_read_the_list(login, org, draft) -> None:
    def menu(user: Any, url: str = "/") -> list[dict[str, Any]]:
        return list(login(user).get(url).context["nav_items"])

    def labels(user: Any) -> list[str]:
        return [item["label"] for item in menu(user)]

    for reader in (org.coordinator, draft.client.owner, org.claims_manager, org.executive):
        assert "Proposals" in labels(reader)
    assert "Proposals" not in labels(org.employee_user)
    assert "Proposals" not in labels(org.employer_contact)  # theirs are in the portal
    register = reverse("proposals:issue-list")
    active = [item["label"] for item in menu(org.coordinator, register) if item["active"]]
    assert active == ["Proposals"]


def test_the_proposal_list_leads_to_the_issue_register_and_the_engagements(login, org) -> None:
    page = login(org.coordinator).get(reverse("proposals:proposal-list")).content.decode()
    assert f'href="{reverse("proposals:issue-list")}"' in page
    assert f'href="{reverse("proposals:engagement-list")}"' in page


def test_the_document_leads_back_to_the_proposals_page(login, org, draft) -> None:
    page = login(org.coordinator).get(reverse("proposals:proposal-document", args=[draft.pk]))
    assert page.status_code == 200
    back = reverse("proposals:proposal-detail", args=[draft.pk])
    assert f'<a href="{back}">← The proposal\'s page</a>' in page.content.decode()


def test_a_proposal_from_consultancy_links_its_engagement_for_internal_readers(
    login, org, draft
) -> None:
    engagement = EngagementFactory.create(client=draft.client, title="Why complaints rose")
    Proposal.objects.filter(pk=draft.pk).update(engagement=engagement, status="sent")
    url = reverse("proposals:proposal-detail", args=[draft.pk])
    link = reverse("proposals:engagement-detail", args=[engagement.pk])
    assert (
        f'<a href="{link}">Why complaints rose</a>'
        in login(org.coordinator).get(url).content.decode()
    )
    assert link not in login(org.employer_contact).get(url).content.decode()
