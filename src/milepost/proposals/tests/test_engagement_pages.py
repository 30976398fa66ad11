"""Consultancy engagements: the list, starting one, the performance analysis, the gap figures of
an internal client's people, consultancy sessions and the step to a proposal."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from milepost.accounts.models import Role, User
from milepost.clients.models import Client, Contact, InteractionKind
from milepost.frameworks.forms import competency_label
from milepost.lib.signals import mark_structure_changed
from milepost.people.models import Assessment
from milepost.proposals.models import BusinessIssue, Engagement, EngagementStatus, Proposal
from milepost.testing.factories import (
    BusinessIssueFactory,
    ClientFactory,
    ContactFactory,
    EngagementFactory,
    InteractionFactory,
    InternalClientFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@dataclass
class Desk:
    manager: User
    harbour: Client
    northgate: Client
    hana: Contact
    complaints: BusinessIssue
    engagement: Engagement
    other: Engagement


@pytest.fixture
def desk(org: Any) -> Desk:
    manager = UserFactory.create(username="am", role=Role.ACCOUNT_MANAGER)
    harbour = ClientFactory.create(name="Harbour Brokers", owner=manager)
    northgate = ClientFactory.create(name="Northgate Insurance", owner=UserFactory.create())
    hana = ContactFactory.create(client=harbour, name="Hana Harbour")
    complaints = BusinessIssueFactory.create(client=harbour, title="Broker complaints up 30 %")
    engagement = EngagementFactory.create(
        client=harbour, title="Why brokers complain", sponsor=hana, consultant=manager
    )
    engagement.issues.add(complaints)
    other = EngagementFactory.create(client=northgate, title="Slow renewals", business_goal="")
    other.issues.add(BusinessIssueFactory.create(client=northgate))
    return Desk(manager, harbour, northgate, hana, complaints, engagement, other)


def _titles(response: Any) -> list[str]:
    return [engagement.title for engagement in response.context["page_obj"]]


def test_the_list_searches_filters_and_exports(desk, org, login):
    page = login(org.coordinator)
    url = reverse("proposals:engagement-list")
    assert set(_titles(page.get(url))) == {"Why brokers complain", "Slow renewals"}
    assert _titles(page.get(url, {"client": desk.northgate.pk})) == ["Slow renewals"]
    assert _titles(page.get(url, {"q": "brokers"})) == ["Why brokers complain"]
    assert _titles(page.get(url, {"status": "findings"})) == []
    export = page.get(url, {"export": "csv", "q": "brokers"})
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "Why brokers complain" in text and "Hana Harbour" in text
    assert "Slow renewals" not in text


def test_employees_and_employer_contacts_cannot_open_engagements(desk, org, login):
    assert login(org.employee_user).get(reverse("proposals:engagement-list")).status_code == 403
    detail = reverse("proposals:engagement-detail", args=[desk.engagement.pk])
    assert login(org.employer_contact).get(detail).status_code == 404
    assert login(org.employee_user).get(detail).status_code == 403


def test_an_engagement_is_started_on_the_clients_issues_with_a_sponsor(desk, login):
    page = login(desk.manager)
    form = page.get(reverse("proposals:engagement-create"), {"client": desk.harbour.pk})
    assert list(form.context["form"].fields["issues"].queryset) == [desk.complaints]
    response = page.post(
        reverse("proposals:engagement-create"),
        {
            "client": desk.harbour.pk,
            "title": "Complaints after the new wording",
            "sponsor": desk.hana.pk,
            "issues": [desk.complaints.pk],
        },
    )
    engagement = Engagement.objects.get(title="Complaints after the new wording")
    assert response.url == reverse("proposals:engagement-detail", args=[engagement.pk])
    assert list(engagement.issues.all()) == [desk.complaints]
    assert engagement.sponsor == desk.hana and engagement.consultant == desk.manager


def test_an_issue_of_another_client_is_refused_and_nothing_is_written(desk, org, login):
    stranger = desk.other.issues.get()
    before = Engagement.objects.count()
    response = login(org.coordinator).post(
        reverse("proposals:engagement-create"),
        {"client": desk.harbour.pk, "title": "Mixed up", "issues": [stranger.pk]},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["issues"]
    assert Engagement.objects.count() == before


def test_the_page_shows_the_analysis_and_the_analysis_form_saves_it(
    desk, org, login, claims_profile
):
    page = login(desk.manager)
    url = reverse("proposals:engagement-analysis", args=[desk.engagement.pk])
    response = page.post(
        url,
        {
            "business_goal": "Complaints down from 130 to 90 a month by June",
            "should_do": "Explain the new wording on the first call",
            "actually_do": "Read the policy text aloud",
            "add_competency": competency_label(claims_profile.negotiation),
            "cause_tools": "No plain-words summary of the wording",
            "non_training_options": "A one-page job aid",
        },
    )
    assert response.status_code == 302
    desk.engagement.refresh_from_db()
    assert desk.engagement.actually_do == "Read the policy text aloud"
    assert list(desk.engagement.capability.all()) == [claims_profile.negotiation]
    html = page.get(reverse("proposals:engagement-detail", args=[desk.engagement.pk])).content
    text = html.decode()
    for words in (
        "Explain the new wording on the first call",
        "Read the policy text aloud",
        "Negotiation",
        "No plain-words summary of the wording",
        "A one-page job aid",
    ):
        assert words in text
    # Unticking a competency takes it off; the rest of the analysis stays as posted.
    page.post(url, {"business_goal": "Complaints down to 90 a month"})
    assert not desk.engagement.capability.exists()


def test_an_internal_clients_page_shows_the_gap_figures_of_its_people(org, login, claims_profile):
    claims = InternalClientFactory.create(name="Claims", unit=org.claims, owner=org.coordinator)
    engagement = EngagementFactory.create(client=claims, title="Fraud losses")
    engagement.issues.add(BusinessIssueFactory.create(client=claims))
    engagement.capability.add(claims_profile.negotiation, claims_profile.customer_care)
    Assessment.objects.create(
        employee=org.motor_handler,
        competency=claims_profile.negotiation,
        kind=Assessment.Kind.AGREED,
        level=1,
        assessed_on=datetime.date(2026, 1, 10),
    )
    mark_structure_changed()
    response = login(org.coordinator).get(
        reverse("proposals:engagement-detail", args=[engagement.pk])
    )
    rows = dict(response.context["capability"])
    figure = rows[claims_profile.negotiation]
    assert (figure.assessed, figure.short, figure.mean_gap) == (1, 1, 2.0)
    assert rows[claims_profile.customer_care] is None  # no profile in Claims requires it
    assert "People assessed" in response.content.decode()


def test_an_external_clients_page_has_no_gap_figures(desk, org, login, claims_profile):
    desk.engagement.capability.add(claims_profile.negotiation)
    response = login(org.coordinator).get(
        reverse("proposals:engagement-detail", args=[desk.engagement.pk])
    )
    assert "People assessed" not in response.content.decode()
    assert response.context["capability"] == [(claims_profile.negotiation, None)]


def test_a_consultancy_session_of_the_client_is_linked(desk, login):
    session = InteractionFactory.create(
        client=desk.harbour, kind=InteractionKind.CONSULTANCY, summary="Walked the claims floor"
    )
    meeting = InteractionFactory.create(client=desk.harbour, summary="Lunch")
    page = login(desk.manager)
    detail = reverse("proposals:engagement-detail", args=[desk.engagement.pk])
    choices = page.get(detail).context["session_form"].fields["interaction"].queryset
    assert list(choices) == [session]
    url = reverse("proposals:engagement-session", args=[desk.engagement.pk])
    page.post(url, {"interaction": meeting.pk})
    assert not desk.engagement.interactions.exists()
    page.post(url, {"interaction": session.pk})
    assert list(desk.engagement.interactions.all()) == [session]
    assert "Walked the claims floor" in page.get(detail).content.decode()


def test_findings_become_a_draft_proposal_in_one_step(desk, login):
    response = login(desk.manager).post(
        reverse("proposals:engagement-propose", args=[desk.engagement.pk])
    )
    proposal = Proposal.objects.get(engagement=desk.engagement)
    assert response.url in (f"/proposals/{proposal.pk}/",)
    assert list(proposal.issues.all()) == [desk.complaints]
    assert proposal.sponsor_contact == desk.hana
    desk.engagement.refresh_from_db()
    assert desk.engagement.status == EngagementStatus.FINDINGS


def test_without_a_business_goal_no_proposal_is_made(desk, org, login):
    response = login(org.coordinator).post(
        reverse("proposals:engagement-propose", args=[desk.other.pk]), follow=True
    )
    assert "State the measurable business goal" in response.content.decode()
    assert not Proposal.objects.filter(engagement=desk.other).exists()


def test_user_text_is_escaped(desk, org, login):
    Engagement.objects.filter(pk=desk.engagement.pk).update(should_do="<b>bold</b>")
    html = (
        login(org.coordinator)
        .get(reverse("proposals:engagement-detail", args=[desk.engagement.pk]))
        .content.decode()
    )
    assert "<b>bold</b>" not in html and "&lt;b&gt;bold&lt;/b&gt;" in html


def test_the_page_query_count_does_not_grow_with_issues_sessions_and_proposals(desk, org, login):
    page = login(org.coordinator)
    url = reverse("proposals:engagement-detail", args=[desk.engagement.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert page.get(url).status_code == 200
        return len(queries)

    few = count()
    for n in range(10):
        desk.engagement.issues.add(BusinessIssueFactory.create(client=desk.harbour))
        desk.engagement.interactions.add(
            InteractionFactory.create(client=desk.harbour, kind=InteractionKind.CONSULTANCY)
        )
        Proposal.objects.create(client=desk.harbour, title=f"P{n}", engagement=desk.engagement)
    assert count() == few
