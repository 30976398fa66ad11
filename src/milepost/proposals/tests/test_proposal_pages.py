"""The proposal pages: the list and the rule's share, a new proposal, a proposal's page, editing
a draft, the lifecycle buttons, the employer contact's portal list and the home to-dos."""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client as WebClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from milepost.accounts.models import Notification, Role, User
from milepost.catalogue.models import Course
from milepost.clients.models import Client, Contact
from milepost.proposals import selectors
from milepost.proposals.evaluation_plan import join_plan, split_plan
from milepost.proposals.models import (
    BusinessIssue,
    CostLine,
    ItemKind,
    Metric,
    Proposal,
    ProposalEvent,
    ProposalStatus,
)
from milepost.proposals.services import proposals as services
from milepost.testing.factories import (
    BusinessIssueFactory,
    ClientFactory,
    CompetencyFactory,
    EngagementFactory,
    InternalClientFactory,
    MetricFactory,
    PortalContactFactory,
    ProposalFactory,
    ProposalItemFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@dataclass
class Deal:
    owner: User  # the account manager who owns the client
    client: Client
    sponsor: Contact  # the employer contact column's login
    issue: BusinessIssue
    metric: Metric
    course: Course
    draft: Proposal


@pytest.fixture
def deal(org: Any) -> Deal:
    owner = UserFactory.create(username="am", role=Role.ACCOUNT_MANAGER, first_name="Ann")
    client = ClientFactory.create(name="Harbour Brokers", owner=owner)
    sponsor = PortalContactFactory.create(
        client=client, name="Hana Harbour", user=org.employer_contact
    )
    issue = BusinessIssueFactory.create(client=client, title="Broker complaints up 30 %")
    metric = MetricFactory.create(issue=issue, name="Complaints a month")
    course = Course.objects.create(
        code="CALM-1", title="Calm calls", modality="classroom", cost_per_person=Decimal("50")
    )
    draft = services.create_proposal(
        acting_user=owner,
        client=client,
        title="Calmer broker calls",
        issues=[issue],
        sponsor_contact=sponsor,
    )
    services.add_item(
        acting_user=owner,
        proposal=draft,
        kind="course",
        course=course,
        people=10,
        issues=[issue],
        metrics=[metric],
    )
    return Deal(owner, client, sponsor, issue, metric, course, draft)


def detail(proposal: Proposal) -> str:
    return reverse("proposals:proposal-detail", args=[proposal.pk])


def _sent(deal: Deal) -> Proposal:
    return services.send_proposal(acting_user=deal.owner, proposal=deal.draft)


# --- the list -----------------------------------------------------------------------------------


def test_the_list_searches_and_filters_by_client_status_and_the_rule(org, deal, login):
    other = ProposalFactory.create(client=deal.client, title="Renewals desk coaching")
    page = login(deal.owner)
    assert page.get(reverse("proposals:proposal-list"), {"q": "broker calls"}).context[
        "page_obj"
    ].object_list == [deal.draft]
    statuses = page.get(reverse("proposals:proposal-list"), {"rule": "fails"})
    assert list(statuses.context["page_obj"].object_list) == [other]
    meets = page.get(reverse("proposals:proposal-list"), {"rule": "meets", "status": "draft"})
    assert list(meets.context["page_obj"].object_list) == [deal.draft]
    by_client = page.get(reverse("proposals:proposal-list"), {"client": deal.client.pk})
    assert by_client.context["page_obj"].paginator.count == 2
    assert "Write a proposal" in by_client.content.decode()


def test_the_list_downloads_as_csv_and_xlsx_with_the_filters(org, deal, login):
    page = login(deal.owner)
    response = page.get(reverse("proposals:proposal-list"), {"export": "csv", "rule": "meets"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["ID", "Title", "Version"]
    assert rows[1][1:7] == [
        "Calmer broker calls",
        "1",
        "Harbour Brokers",
        "Hana Harbour",
        "Draft",
        "yes",
    ]
    xlsx = page.get(reverse("proposals:proposal-list"), {"export": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_line_manager_never_sees_another_clients_proposals(org, deal, login):
    unit_client = InternalClientFactory.create(name="Claims", unit=org.claims)
    own = ProposalFactory.create(client=unit_client, title="Claims backlog plan")
    response = login(org.claims_manager).get(reverse("proposals:proposal-list"))
    assert list(response.context["page_obj"].object_list) == [own]
    assert "Calmer broker calls" not in response.content.decode()
    assert login(org.claims_manager).get(detail(deal.draft)).status_code == 404


def test_the_rules_sql_flag_agrees_with_the_rules_own_check(deal):
    bare = ProposalFactory.create(client=deal.client)  # no issue, no item
    no_metric = ProposalFactory.create(client=deal.client)
    no_metric.issues.set([BusinessIssueFactory.create(client=deal.client)])
    ProposalItemFactory.create(proposal=no_metric).issues.set(no_metric.issues.all())
    loose_item = ProposalFactory.create(client=deal.client)
    loose_item.issues.set([deal.issue])
    ProposalItemFactory.create(proposal=loose_item)
    flags = {p.pk: p.meets for p in selectors.with_rule_flag(Proposal.objects.all())}  # type: ignore[attr-defined]
    for proposal in (deal.draft, bare, no_metric, loose_item):
        assert flags[proposal.pk] == services.meets_rule(proposal), proposal
    assert flags[deal.draft.pk] is True


def _sent_proposals(client: Client, count: int, *, meeting: bool) -> None:
    for _ in range(count):
        proposal = ProposalFactory.create(
            client=client,
            status=ProposalStatus.SENT,
            sent_at=datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC),
        )
        issue = BusinessIssueFactory.create(client=client)
        if meeting:
            MetricFactory.create(issue=issue)
        proposal.issues.set([issue])
        ProposalItemFactory.create(proposal=proposal).issues.set([issue])


def test_coordinators_see_the_share_meeting_the_rule_per_client_and_overall(
    org, deal, login, django_assert_num_queries
):
    other = ClientFactory.create(name="Northgate Insurance")
    _sent_proposals(deal.client, 3, meeting=True)
    _sent_proposals(deal.client, 1, meeting=False)
    _sent_proposals(other, 2, meeting=False)
    rows, overall = selectors.rule_shares(org.coordinator)
    assert [(row.client, row.meeting, row.sent, row.percent) for row in rows] == [
        ("Harbour Brokers", 3, 4, 75),
        ("Northgate Insurance", 0, 2, 0),
    ]
    assert (overall.meeting, overall.sent, overall.percent) == (3, 6, 50)
    response = login(org.coordinator).get(reverse("proposals:proposal-list"))
    assert "50 %" in response.content.decode()
    # The same queries for 6 proposals as for 26: no query per proposal.
    with django_assert_num_queries(5):
        selectors.rule_shares(org.coordinator)
    _sent_proposals(other, 20, meeting=True)
    with django_assert_num_queries(5):
        assert selectors.rule_shares(org.coordinator)[1].sent == 26


def test_account_managers_do_not_get_the_rule_share(deal, login):
    response = login(deal.owner).get(reverse("proposals:proposal-list"))
    assert response.context["overall"] is None
    assert "meet the rule" not in response.content.decode()


# --- a new proposal -----------------------------------------------------------------------------


def test_a_new_proposal_offers_only_the_clients_the_user_looks_after(org, deal, login):
    ClientFactory.create(name="Northgate Insurance")
    response = login(deal.owner).get(reverse("proposals:proposal-create"))
    assert list(response.context["step"].fields["client"].queryset) == [deal.client]
    other = ClientFactory.create(name="Someone Else Ltd")
    refused = login(deal.owner).get(reverse("proposals:proposal-create"), {"client": other.pk})
    assert refused.status_code == 403


def test_a_new_proposal_is_written_with_its_issues_and_sponsor(org, deal, login):
    response = login(deal.owner).post(
        reverse("proposals:proposal-create"),
        {
            "client": deal.client.pk,
            "title": "Broker call clinic",
            "issues": [deal.issue.pk],
            "sponsor_contact": deal.sponsor.pk,
        },
    )
    proposal = Proposal.objects.get(title="Broker call clinic")
    assert response.status_code == 302 and response["Location"] == detail(proposal)
    assert list(proposal.issues.all()) == [deal.issue]
    assert proposal.sponsor_contact == deal.sponsor and proposal.created_by == deal.owner


def test_a_tampered_issue_of_another_client_writes_nothing(org, deal, login):
    stranger = BusinessIssueFactory.create(client=ClientFactory.create())
    response = login(deal.owner).post(
        reverse("proposals:proposal-create"),
        {"client": deal.client.pk, "title": "Sneaky", "issues": [stranger.pk]},
    )
    assert response.status_code == 200
    assert "issues" in response.context["form"].errors
    assert not Proposal.objects.filter(title="Sneaky").exists()


def test_an_internal_clients_sponsor_is_a_line_manager_of_its_unit(org, login):
    unit_client = InternalClientFactory.create(
        name="Claims", unit=org.claims, owner=org.coordinator
    )
    response = login(org.coordinator).get(
        reverse("proposals:proposal-create"), {"client": unit_client.pk}
    )
    assert list(response.context["form"].fields["sponsor_user"].queryset) == [org.claims_manager]
    login(org.coordinator).post(
        reverse("proposals:proposal-create"),
        {"client": unit_client.pk, "title": "Backlog", "sponsor_user": org.claims_manager.pk},
    )
    assert Proposal.objects.get(title="Backlog").sponsor_user == org.claims_manager


def test_a_proposal_starts_from_an_engagement_with_its_issues_and_sponsor(org, deal, login):
    engagement = EngagementFactory.create(
        client=deal.client, sponsor=deal.sponsor, title="Why complaints rose"
    )
    engagement.issues.set([deal.issue])
    page = login(deal.owner)
    form = page.get(reverse("proposals:proposal-create"), {"engagement": engagement.pk}).context[
        "form"
    ]
    assert form.initial["title"] == "Why complaints rose"
    page.post(
        reverse("proposals:proposal-create"),
        {
            "engagement": engagement.pk,
            "title": "From findings",
            "issues": [deal.issue.pk],
            "sponsor_contact": deal.sponsor.pk,
        },
    )
    assert Proposal.objects.get(title="From findings").engagement == engagement


# --- a proposal's page --------------------------------------------------------------------------


def test_the_page_shows_issues_items_costs_roi_plan_and_history(org, deal, login):
    CostLine.objects.create(proposal=deal.draft, label="Venue", amount=Decimal("500"))
    services.update_proposal(
        acting_user=deal.owner,
        proposal=deal.draft,
        sponsor_contact=deal.sponsor,
        forecast_benefit="3000",
        evaluation_plan=join_plan({3: "Manager observes five calls, 3 months after"}),
        risks="Brokers too busy in renewal season",
    )
    proposal = _sent(deal)
    page = login(deal.owner).get(detail(proposal)).content.decode()
    for text in (
        "Harbour Brokers",
        "Hana Harbour",
        "Broker complaints up 30 %",
        "Complaints a month",
        "Calm calls",
        "Venue",
        "1,000.00",  # 10 people at 50, plus the venue
        "200.0 %",  # (3000 - 1000) / 1000
        "3.00 : 1",
        "Manager observes five calls, 3 months after",
        "Brokers too busy in renewal season",
        "sent by Ann",
    ):
        assert text in page, text


def test_a_drafts_page_lists_what_the_rule_still_needs(org, deal, login):
    deal.metric.baseline_value = None
    deal.metric.save()
    page = login(deal.owner).get(detail(deal.draft)).content.decode()
    assert "Before it can be sent" in page
    assert "has no baseline value." in page


def test_the_page_costs_the_same_queries_with_40_items(
    org, deal, login, django_assert_max_num_queries
):
    page = login(deal.owner)
    page.get(detail(deal.draft))  # warm the session
    competency = CompetencyFactory.create()
    with CaptureQueriesContext(connection) as few:
        page.get(detail(deal.draft))
    for number in range(39):
        item = ProposalItemFactory.create(proposal=deal.draft, title=f"Clinic {number}")
        item.issues.set([deal.issue])
        item.metrics.set([deal.metric])
        item.competencies.set([competency])
    with django_assert_max_num_queries(len(few)):
        response = page.get(detail(deal.draft))
    assert response.content.decode().count("Clinic ") >= 39
    assert len(few) <= 15, len(few)  # 13 today: session, user, the page's reads, inbox


def test_user_text_is_escaped_on_the_page(org, deal, login):
    ProposalItemFactory.create(proposal=deal.draft, title="<script>alert(1)</script>")
    page = login(deal.owner).get(detail(deal.draft)).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# --- editing a draft ----------------------------------------------------------------------------


def test_editing_the_text_writes_the_evaluation_plan_level_by_level(org, deal, login):
    response = login(deal.owner).post(
        reverse("proposals:proposal-edit", args=[deal.draft.pk]),
        {
            "title": "Calmer broker calls",
            "issues": [deal.issue.pk],
            "sponsor_contact": deal.sponsor.pk,
            "forecast_benefit": "12,500",
            "level_1": "End-of-day questionnaire",
            "level_4": "Complaints log, 6 months after",
            "learning_objectives": "Calm an angry broker",
        },
    )
    assert response.status_code == 302
    deal.draft.refresh_from_db()
    assert deal.draft.forecast_benefit == Decimal("12500")
    assert split_plan(deal.draft.evaluation_plan) == (
        {1: "End-of-day questionnaire", 4: "Complaints log, 6 months after"},
        "",
    )
    form = (
        login(deal.owner)
        .get(reverse("proposals:proposal-edit", args=[deal.draft.pk]))
        .context["form"]
    )
    assert form.initial["level_4"] == "Complaints log, 6 months after"


def test_a_forecast_benefit_that_is_not_a_number_is_refused_and_nothing_written(org, deal, login):
    response = login(deal.owner).post(
        reverse("proposals:proposal-edit", args=[deal.draft.pk]),
        {"title": "Renamed", "forecast_benefit": "lots", "issues": [deal.issue.pk]},
    )
    assert "is not a number" in str(response.context["form"].errors["forecast_benefit"])
    deal.draft.refresh_from_db()
    assert deal.draft.title == "Calmer broker calls"


def _item_form(deal: Deal, **changes: Any) -> dict[str, Any]:
    return {
        "kind": "course",
        "course": deal.course.pk,
        "people": "4",
        "issues": [deal.issue.pk],
        "metrics": [deal.metric.pk],
        **changes,
    }


def test_an_item_is_added_priced_by_the_catalogue_with_a_competency(org, deal, login):
    competency = CompetencyFactory.create(name="Calming callers")
    response = login(deal.owner).post(
        reverse("proposals:item-add", args=[deal.draft.pk]),
        _item_form(deal, add_competency=competency.code),
    )
    assert response.status_code == 302
    item = deal.draft.items.order_by("pk").last()
    assert item.cost == Decimal("200.00") and item.title == "Calm calls"
    assert list(item.competencies.all()) == [competency]


def test_a_retired_course_is_refused_with_a_clear_error(org, deal, login):
    retired = Course.objects.create(
        code="OLD", title="Old calls", modality="online", is_active=False
    )
    page = login(deal.owner)
    form = page.get(reverse("proposals:item-add", args=[deal.draft.pk])).context["form"]
    assert str(retired.pk) not in [str(value) for value, _ in form.fields["course"].widget.choices]
    response = page.post(
        reverse("proposals:item-add", args=[deal.draft.pk]), _item_form(deal, course=retired.pk)
    )
    assert "has been retired from the catalogue" in str(response.context["form"].errors["course"])
    assert deal.draft.items.count() == 1


def test_a_tampered_metric_of_another_client_writes_nothing(org, deal, login):
    stranger = MetricFactory.create()
    response = login(deal.owner).post(
        reverse("proposals:item-add", args=[deal.draft.pk]), _item_form(deal, metrics=[stranger.pk])
    )
    assert response.status_code == 200 and "metrics" in response.context["form"].errors
    assert deal.draft.items.count() == 1


def test_a_negative_cost_is_refused(org, deal, login):
    page = login(deal.owner)
    response = page.post(
        reverse("proposals:item-add", args=[deal.draft.pk]), _item_form(deal, cost="-5")
    )
    assert "cannot be negative" in str(response.context["form"].errors["cost"])
    line = page.post(
        reverse("proposals:cost-line-add", args=[deal.draft.pk]), {"label": "Venue", "amount": "-1"}
    )
    assert "cannot be negative" in line.content.decode()
    assert not CostLine.objects.exists() and deal.draft.items.count() == 1


def test_an_item_is_edited_and_removed_and_a_cost_line_added_and_removed(org, deal, login):
    page = login(deal.owner)
    item = deal.draft.items.get()
    page.post(
        reverse("proposals:item-edit", args=[deal.draft.pk, item.pk]),
        _item_form(deal, kind="bespoke", course="", title="Broker clinic", cost="900"),
    )
    item.refresh_from_db()
    assert (item.kind, item.title, item.cost, item.course) == (
        ItemKind.BESPOKE,
        "Broker clinic",
        Decimal("900"),
        None,
    )
    page.post(
        reverse("proposals:cost-line-add", args=[deal.draft.pk]),
        {"label": "Venue", "amount": "250"},
    )
    line = CostLine.objects.get()
    assert page.get(detail(deal.draft)).context["total_cost"] == Decimal("1150")
    page.post(reverse("proposals:cost-line-remove", args=[deal.draft.pk, line.pk]))
    page.post(reverse("proposals:item-remove", args=[deal.draft.pk, item.pk]))
    assert not CostLine.objects.exists() and not deal.draft.items.exists()


def test_an_item_keeps_its_course_retired_since(org, deal, login):
    item = deal.draft.items.get()
    Course.objects.filter(pk=deal.course.pk).update(is_active=False)
    response = login(deal.owner).post(
        reverse("proposals:item-edit", args=[deal.draft.pk, item.pk]), _item_form(deal, people="6")
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.people == 6 and item.course_id == deal.course.pk


def test_a_sent_proposal_is_not_edited(org, deal, login):
    proposal = _sent(deal)
    page = login(deal.owner)
    response = page.post(
        reverse("proposals:item-add", args=[proposal.pk]), _item_form(deal), follow=True
    )
    assert "Only a draft changes" in response.content.decode()
    assert proposal.items.count() == 1


# --- the lifecycle ------------------------------------------------------------------------------


def test_sending_refused_lists_every_problem_and_writes_nothing(org, deal, login):
    deal.metric.baseline_on = None
    deal.metric.save()
    ProposalItemFactory.create(proposal=deal.draft, title="Loose end")
    response = login(deal.owner).post(reverse("proposals:proposal-send", args=[deal.draft.pk]))
    page = response.content.decode()
    assert response.status_code == 200 and "Not sent." in page
    assert response.context["send_errors"] == [
        "Metric \u201cComplaints a month\u201d of \u201cBroker complaints up 30 %\u201d has no "
        "baseline date.",
        "Solution item \u201cLoose end\u201d names no business issue it answers.",
    ]
    deal.draft.refresh_from_db()
    assert deal.draft.status == ProposalStatus.DRAFT and not deal.draft.events.exists()


def test_sending_tells_the_sponsor_with_a_link_to_the_page(org, deal, login):
    response = login(deal.owner).post(reverse("proposals:proposal-send", args=[deal.draft.pk]))
    assert response.status_code == 302
    note = Notification.objects.get(user=org.employer_contact)
    assert note.url == detail(deal.draft)


def test_the_contact_finds_the_proposal_in_the_portal_and_accepts_it(org, deal, login):
    proposal = _sent(deal)
    page = login(org.employer_contact)
    assert (
        reverse("proposals:portal-proposals")
        in page.get(reverse("clients:portal")).content.decode()
    )
    listed = page.get(reverse("proposals:portal-proposals"))
    assert listed.context["proposals"] == [proposal] and listed.context["waiting"] == [proposal]
    assert "Accept the proposal" in page.get(detail(proposal)).content.decode()
    response = page.post(reverse("proposals:proposal-accept", args=[proposal.pk]))
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (
        proposal.status == ProposalStatus.ACCEPTED and proposal.decided_by == org.employer_contact
    )
    assert Notification.objects.get(user=deal.owner).url == detail(proposal)


def test_a_proposal_accepted_twice_shows_an_error_and_writes_nothing(org, deal, login):
    proposal = _sent(deal)
    page = login(org.employer_contact)
    page.post(reverse("proposals:proposal-accept", args=[proposal.pk]))
    events = ProposalEvent.objects.count()
    again = page.post(reverse("proposals:proposal-accept", args=[proposal.pk]), follow=True)
    assert "only a sent proposal can be accepted" in again.content.decode()
    assert ProposalEvent.objects.count() == events


def test_only_the_sponsor_accepts(org, deal, login):
    proposal = _sent(deal)
    colleague = PortalContactFactory.create(client=deal.client, name="Colin Harbour")
    assert (
        login(colleague.user)
        .post(reverse("proposals:proposal-accept", args=[proposal.pk]))
        .status_code
        == 403
    )
    assert (
        login(deal.owner).post(reverse("proposals:proposal-accept", args=[proposal.pk])).status_code
        == 403
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SENT


def test_a_contact_never_sees_a_draft_or_another_employers_proposal(org, deal, login):
    other = ProposalFactory.create(client=ClientFactory.create(), status=ProposalStatus.SENT)
    page = login(org.employer_contact)
    assert page.get(detail(deal.draft)).status_code == 404
    assert page.get(detail(other)).status_code == 404
    assert page.get(reverse("proposals:portal-proposals")).context["proposals"] == []


def test_declining_needs_a_reason_which_the_history_keeps(org, deal, login):
    proposal = _sent(deal)
    page = login(org.employer_contact)
    refused = page.post(reverse("proposals:proposal-decline", args=[proposal.pk]), {"reason": " "})
    assert "Say why the proposal is declined." in refused.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SENT
    page.post(
        reverse("proposals:proposal-decline", args=[proposal.pk]), {"reason": "No budget this year"}
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DECLINED
    history = login(deal.owner).get(detail(proposal)).content.decode()
    assert "declined by" in history and "No budget this year" in history


def test_an_internal_sponsor_accepts_in_the_app(org, login):
    unit_client = InternalClientFactory.create(
        name="Claims", unit=org.claims, owner=org.coordinator
    )
    issue = BusinessIssueFactory.create(client=unit_client)
    MetricFactory.create(issue=issue)
    proposal = services.create_proposal(
        acting_user=org.coordinator,
        client=unit_client,
        title="Backlog plan",
        issues=[issue],
        sponsor_user=org.claims_manager,
    )
    services.add_item(
        acting_user=org.coordinator,
        proposal=proposal,
        kind="bespoke",
        title="Clinic",
        issues=[issue],
    )
    services.send_proposal(acting_user=org.coordinator, proposal=proposal)
    page = login(org.claims_manager)
    assert "Accept the proposal" in page.get(detail(proposal)).content.decode()
    page.post(reverse("proposals:proposal-accept", args=[proposal.pk]))
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED


def test_withdraw_and_new_version(org, deal, login):
    proposal = _sent(deal)
    page = login(deal.owner)
    response = page.post(reverse("proposals:proposal-new-version", args=[proposal.pk]))
    fresh = Proposal.objects.get(previous=proposal)
    assert response["Location"] == detail(fresh) and fresh.number == 2
    links = page.get(detail(fresh)).content.decode()
    assert detail(proposal) in links
    assert detail(fresh) in page.get(detail(proposal)).content.decode()
    page.post(
        reverse("proposals:proposal-withdraw", args=[fresh.pk]), {"note": "Client reorganising"}
    )
    fresh.refresh_from_db()
    assert fresh.status == ProposalStatus.WITHDRAWN
    assert "Client reorganising" in page.get(detail(fresh)).content.decode()


# --- home ---------------------------------------------------------------------------------------


def test_home_shows_sponsors_their_proposals_and_editors_their_drafts(
    org, deal, login, django_assert_max_num_queries
):
    ProposalFactory.create(client=deal.client, title="Second draft", created_by=deal.owner)
    page = login(deal.owner)
    with django_assert_max_num_queries(15):
        editor = page.get(reverse("home"))
    todos = {todo.key: todo for todo in editor.context["page"].todos}
    assert "2 draft proposals not sent yet." in todos["proposal-drafts"].summary
    _sent(deal)
    sponsor = WebClient()
    sponsor.force_login(org.employer_contact)
    with django_assert_max_num_queries(15):
        home = sponsor.get(reverse("home"))
    todos = {todo.key: todo for todo in home.context["page"].todos}
    assert todos["proposals-to-answer"].summary.startswith("1 proposal waits for your answer")
    assert todos["proposals-to-answer"].lines[0].url == detail(deal.draft)
