"""The business issues register: the list, an issue's page, its forms, promoting a need or a
theme, the client page's section and the demand board's badges."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from milepost.accounts.models import Role, User
from milepost.clients.models import Client, Contact
from milepost.proposals.models import BusinessIssue, IssueStatus, Metric, Priority
from milepost.testing.factories import (
    BusinessIssueFactory,
    ClientFactory,
    ContactFactory,
    DemandThemeFactory,
    EngagementFactory,
    InternalClientFactory,
    MetricFactory,
    NeedFactory,
    ProposalFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@dataclass
class Book:
    manager: User  # the account manager who owns harbour
    harbour: Client
    northgate: Client  # owned by another account manager
    claims: Client  # the line manager's unit's internal client
    hana: Contact
    complaints: BusinessIssue
    renewals: BusinessIssue
    backlog: BusinessIssue


@pytest.fixture
def book(org: Any) -> Book:
    manager = UserFactory.create(username="am", role=Role.ACCOUNT_MANAGER)
    other = UserFactory.create(username="am2", role=Role.ACCOUNT_MANAGER)
    harbour = ClientFactory.create(name="Harbour Brokers", owner=manager)
    northgate = ClientFactory.create(name="Northgate Insurance", owner=other)
    claims = InternalClientFactory.create(name="Claims", unit=org.claims, owner=org.coordinator)
    hana = ContactFactory.create(client=harbour, name="Hana Harbour")
    complaints = BusinessIssueFactory.create(
        client=harbour, title="Broker complaints up 30 %", owner=hana, priority=Priority.HIGH
    )
    MetricFactory.create(issue=complaints)
    renewals = BusinessIssueFactory.create(client=northgate, title="Renewals take too long")
    backlog = BusinessIssueFactory.create(client=claims, title="Claims backlog doubled")
    return Book(manager, harbour, northgate, claims, hana, complaints, renewals, backlog)


def _titles(response: Any) -> list[str]:
    return [issue.title for issue in response.context["page_obj"]]


# --- the register ---------------------------------------------------------------------------


def test_the_register_lists_issues_with_client_owner_priority_status_and_metric_count(
    book, org, login
):
    response = login(org.coordinator).get(reverse("proposals:issue-list"))
    assert response.status_code == 200
    assert set(_titles(response)) == {
        "Broker complaints up 30 %",
        "Renewals take too long",
        "Claims backlog doubled",
    }
    assert _titles(response)[0] == "Broker complaints up 30 %"  # high priority first
    html = response.content.decode()
    assert "Hana Harbour" in html and "none yet" in html


def test_the_register_filters_by_client_status_priority_owner_and_search(book, org, login):
    page = login(org.coordinator)
    url = reverse("proposals:issue-list")
    assert _titles(page.get(url, {"client": book.harbour.pk})) == ["Broker complaints up 30 %"]
    assert _titles(page.get(url, {"q": "renewals"})) == ["Renewals take too long"]
    assert _titles(page.get(url, {"priority": Priority.HIGH})) == ["Broker complaints up 30 %"]
    assert _titles(page.get(url, {"owner": book.hana.pk})) == ["Broker complaints up 30 %"]
    BusinessIssue.objects.filter(pk=book.renewals.pk).update(status=IssueStatus.RESOLVED)
    assert _titles(page.get(url, {"status": "resolved"})) == ["Renewals take too long"]
    empty = page.get(url, {"q": "nothing like this"})
    assert "No business issue you can see matches" in empty.content.decode()


def test_a_line_manager_sees_only_the_issues_of_their_units_client(book, org, login):
    response = login(org.claims_manager).get(reverse("proposals:issue-list"))
    assert _titles(response) == ["Claims backlog doubled"]
    other = login(org.claims_manager).get(
        reverse("proposals:issue-list"), {"client": book.harbour.pk}
    )
    assert _titles(other) == []
    assert (
        login(org.claims_manager)
        .get(reverse("proposals:issue-detail", args=[book.complaints.pk]))
        .status_code
        == 404
    )


def test_employees_and_employer_contacts_have_no_register(book, org, login):
    assert login(org.employee_user).get(reverse("proposals:issue-list")).status_code == 403
    assert login(org.employer_contact).get(reverse("proposals:issue-list")).status_code == 403
    detail = reverse("proposals:issue-detail", args=[book.complaints.pk])
    assert login(org.employer_contact).get(detail).status_code == 404


def test_the_register_exports_what_it_shows_as_csv(book, org, login):
    response = login(org.coordinator).get(
        reverse("proposals:issue-list"), {"export": "csv", "client": book.harbour.pk}
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["ID", "Client", "Issue"]
    assert rows[1][1:7] == [
        "Harbour Brokers",
        "Broker complaints up 30 %",
        "Hana Harbour",
        "High",
        "Open",
        "1",
    ]
    assert len(rows) == 2


def test_the_register_query_count_does_not_grow_with_issues(book, org, login):
    page = login(org.coordinator)
    url = reverse("proposals:issue-list")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert page.get(url).status_code == 200
        return len(queries)

    few = count()
    for n in range(20):
        issue = BusinessIssueFactory.create(client=book.harbour, owner=book.hana)
        MetricFactory.create(issue=issue, name=f"Measure {n}")
    assert count() == few


# --- an issue's page ----------------------------------------------------------------------


def test_the_issue_page_shows_metrics_what_is_missing_and_what_is_behind_and_addresses_it(
    book, org, login
):
    Metric.objects.create(issue=book.complaints, name="Lost brokers", unit="brokers")
    need = NeedFactory.create(title="Calming angry brokers", client=book.harbour, unit=None)
    theme = DemandThemeFactory.create(title="Difficult calls")
    book.complaints.needs.add(need)
    book.complaints.themes.add(theme)
    engagement = EngagementFactory.create(client=book.harbour, title="Why brokers complain")
    engagement.issues.add(book.complaints)
    proposal = ProposalFactory.create(client=book.harbour, title="Calmer calls programme")
    proposal.issues.add(book.complaints)
    response = login(book.manager).get(reverse("proposals:issue-detail", args=[book.complaints.pk]))
    html = response.content.decode()
    assert "Complaints a month" in html and "Complaints log" in html
    assert "Missing: baseline value, baseline date, target value, target date" in html
    assert "Calming angry brokers" in html and "Difficult calls" in html
    assert "Why brokers complain" in html and "Calmer calls programme" in html
    assert "Add a metric" in html and "Change status" in html


def test_readers_who_cannot_edit_see_no_forms(book, org, login):
    response = login(book.manager).get(reverse("proposals:issue-detail", args=[book.renewals.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Add a metric" not in html and "Change status" not in html


def test_user_text_is_escaped_on_the_issue_page(book, org, login):
    BusinessIssue.objects.filter(pk=book.complaints.pk).update(
        description="<script>alert(1)</script>"
    )
    html = (
        login(org.coordinator)
        .get(reverse("proposals:issue-detail", args=[book.complaints.pk]))
        .content.decode()
    )
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


# --- recording and editing --------------------------------------------------------------------


def test_an_account_manager_records_an_issue_for_a_client_they_own(book, org, login):
    page = login(book.manager)
    form = page.get(reverse("proposals:issue-create"), {"client": book.harbour.pk})
    assert [c.name for c in form.context["form"].fields["client"].queryset] == ["Harbour Brokers"]
    response = page.post(
        reverse("proposals:issue-create"),
        {
            "client": book.harbour.pk,
            "title": "Quotes lost to price comparison sites",
            "owner": book.hana.pk,
            "priority": "2",
        },
    )
    issue = BusinessIssue.objects.get(title="Quotes lost to price comparison sites")
    assert response.url == reverse("proposals:issue-detail", args=[issue.pk])
    assert issue.client == book.harbour and issue.owner == book.hana


def test_an_owner_from_another_client_is_refused_and_nothing_is_written(book, org, login):
    stranger = ContactFactory.create(client=book.northgate, name="Nick Gate")
    before = BusinessIssue.objects.count()
    response = login(org.coordinator).post(
        reverse("proposals:issue-create"),
        {"client": book.harbour.pk, "title": "Quotes lost", "owner": stranger.pk, "priority": "2"},
    )
    assert response.status_code == 200
    assert "is not a contact of Harbour Brokers" in response.content.decode()
    assert BusinessIssue.objects.count() == before


def test_editing_an_issue_rewords_it_and_keeps_its_client(book, org, login):
    response = login(book.manager).post(
        reverse("proposals:issue-edit", args=[book.complaints.pk]),
        {"title": "Broker complaints up a third", "priority": "3", "description": "Since May"},
    )
    assert response.status_code == 302
    book.complaints.refresh_from_db()
    assert book.complaints.title == "Broker complaints up a third"
    assert book.complaints.priority == Priority.LOW and book.complaints.client == book.harbour


def test_another_account_manager_may_read_but_not_edit(book, login):
    page = login(book.manager)
    assert page.get(reverse("proposals:issue-edit", args=[book.renewals.pk])).status_code == 403


def test_a_metric_is_added_edited_and_removed(book, login):
    page = login(book.manager)
    page.post(
        reverse("proposals:metric-create", args=[book.complaints.pk]),
        {
            "name": "Broker churn",
            "unit": "%",
            "baseline_value": "12.5",
            "baseline_on": "2026-01-01",
            "target_value": "8",
            "target_on": "2026-12-31",
            "data_source": "CRM",
        },
    )
    metric = Metric.objects.get(name="Broker churn")
    assert metric.missing == [] and metric.baseline_value == Decimal("12.5")
    edit = page.get(reverse("proposals:metric-edit", args=[book.complaints.pk, metric.pk]))
    assert edit.context["form"].initial["baseline_value"] == "12.5"
    page.post(
        reverse("proposals:metric-edit", args=[book.complaints.pk, metric.pk]),
        {"name": "Broker churn", "baseline_value": "12", "target_value": "7"},
    )
    metric.refresh_from_db()
    assert metric.target_value == 7 and metric.baseline_on is None
    page.post(reverse("proposals:metric-remove", args=[book.complaints.pk, metric.pk]))
    assert not Metric.objects.filter(pk=metric.pk).exists()


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("target_on", "2025-12-01", "must come after the baseline date"),
        ("baseline_value", "about 130", "is not a number"),
    ],
)
def test_bad_metrics_get_a_field_error_and_nothing_is_written(book, login, field, value, error):
    before = Metric.objects.count()
    data = {
        "name": "Complaints a week",
        "baseline_value": "30",
        "baseline_on": "2026-01-01",
        "target_value": "20",
        "target_on": "2026-06-30",
    }
    data[field] = value
    response = login(book.manager).post(
        reverse("proposals:metric-create", args=[book.complaints.pk]), data
    )
    assert response.status_code == 200
    assert error in " ".join(response.context["form"].errors[field])
    assert Metric.objects.count() == before


def test_a_metric_of_another_issue_is_not_found(book, org, login):
    metric = book.complaints.metrics.get()
    url = reverse("proposals:metric-edit", args=[book.backlog.pk, metric.pk])
    assert login(org.coordinator).get(url).status_code == 404


def test_dropping_an_issue_needs_a_reason(book, login):
    page = login(book.manager)
    url = reverse("proposals:issue-status", args=[book.complaints.pk])
    response = page.post(url, {"status": "dropped"}, follow=True)
    assert "Say why the issue is dropped." in response.content.decode()
    book.complaints.refresh_from_db()
    assert book.complaints.status == IssueStatus.OPEN
    page.post(url, {"status": "dropped", "reason": "The broker left the panel."})
    book.complaints.refresh_from_db()
    assert book.complaints.status == IssueStatus.DROPPED
    html = page.get(reverse("proposals:issue-detail", args=[book.complaints.pk])).content.decode()
    assert "The broker left the panel." in html
    assert "Open → <strong>Dropped</strong> by" in html  # the status history, from the trail


# --- promoting a need or a theme ------------------------------------------------------------


def test_a_need_is_promoted_from_its_page_and_then_lists_its_issue(book, org, login):
    need = NeedFactory.create(
        title="Calming angry brokers", client=book.harbour, unit=None, requester=book.manager
    )
    page = login(book.manager)
    html = page.get(reverse("needs:need-detail", args=[need.pk])).content.decode()
    assert "Promote to business issue" in html
    response = page.post(
        reverse("proposals:promote-need", args=[need.pk]), {"title": "Brokers leave the panel"}
    )
    issue = BusinessIssue.objects.get(title="Brokers leave the panel")
    assert response.url == reverse("proposals:issue-detail", args=[issue.pk])
    assert list(issue.needs.all()) == [need] and issue.client == book.harbour
    html = page.get(reverse("needs:need-detail", args=[need.pk])).content.decode()
    assert "This need is behind" in html and "Brokers leave the panel" in html


def test_a_need_of_a_client_the_user_does_not_own_offers_no_promotion(book, org, login):
    need = NeedFactory.create(client=book.northgate, unit=None, requester=book.manager)
    page = login(book.manager)
    html = page.get(reverse("needs:need-detail", args=[need.pk])).content.decode()
    assert "Business issues" in html and "Promote to business issue" not in html
    assert page.post(reverse("proposals:promote-need", args=[need.pk])).status_code == 403
    assert not BusinessIssue.objects.filter(needs=need).exists()


def test_a_theme_is_promoted_into_an_issue_of_a_chosen_client(book, org, login):
    theme = DemandThemeFactory.create(title="Difficult calls")
    ours = NeedFactory.create(client=book.harbour, unit=None, theme=theme)
    NeedFactory.create(client=book.northgate, unit=None, theme=theme)
    page = login(org.coordinator)
    html = page.get(reverse("needs:theme-detail", args=[theme.pk])).content.decode()
    assert "Promote to business issue" in html
    page.post(reverse("proposals:promote-theme", args=[theme.pk]), {"client": book.harbour.pk})
    issue = BusinessIssue.objects.get(themes=theme)
    assert issue.title == "Difficult calls" and issue.client == book.harbour
    assert list(issue.needs.all()) == [ours]


# --- the client page and the demand board -----------------------------------------------------


def test_the_client_page_lists_its_issues_engagements_and_proposals(book, org, login):
    EngagementFactory.create(client=book.harbour, title="Why brokers complain")
    ProposalFactory.create(client=book.harbour, title="Calmer calls programme")
    page = login(book.manager)
    html = page.get(book.harbour.get_absolute_url()).content.decode()
    assert "Broker complaints up 30 %" in html
    assert "Why brokers complain" in html and "Calmer calls programme" in html
    assert "New business issue" in html and "New engagement" in html
    other = page.get(book.northgate.get_absolute_url()).content.decode()
    assert "Renewals take too long" in other and "New business issue" not in other


def test_the_demand_board_shows_which_themes_have_an_issue_and_a_proposal(book, org, login):
    theme = DemandThemeFactory.create(title="Difficult calls")
    NeedFactory.create(client=book.harbour, unit=org.claims, theme=theme)
    NeedFactory.create(title="Lone need", client=book.harbour, unit=org.claims)
    page = login(org.coordinator)
    html = page.get(reverse("needs:board")).content.decode()
    assert "Issue ✓" not in html
    book.complaints.themes.add(theme)
    html = page.get(reverse("needs:board")).content.decode()
    assert html.count("Issue ✓") == 1 and "Proposal ✓" not in html
    ProposalFactory.create(client=book.harbour).issues.add(book.complaints)
    html = page.get(reverse("needs:board")).content.decode()
    assert "Proposal ✓" in html
