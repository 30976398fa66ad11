"""Every link a role is shown on the demand board and the themes page leads somewhere it may
go: no 403, 404 or 500 (a "Raise as a need" link for a role that may not raise needs did)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import reverse

from milepost.accounts.access import can_view_demand_board
from milepost.accounts.models import Role
from milepost.catalogue.models import Course, LearningOutcome
from milepost.needs.models import DemandTheme, Need, NeedCompetency
from milepost.people.models import Assessment
from milepost.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

BOARD = reverse("needs:board")
THEMES = reverse("needs:theme-list")
ROLES = [
    "admin",
    "coordinator",
    "account_manager",
    "quality_lead",
    "executive",
    "claims_manager",
    "employee_user",
    "employer_contact",
]


class Links(HTMLParser):
    """The href of every <a> on a page."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def internal_links(page_url: str, html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        url = urljoin(page_url, href)
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path or href.startswith("#"):
            continue  # another site, or a place on this page
        found.append(url)
    return sorted(set(found))


@pytest.fixture
def demo_like(org, claims_profile):
    """Needs in a theme and alone, mapped to a competency a course raises, and skill gaps
    (two people below their job profile's level) for the board to suggest."""
    org.account_manager = UserFactory(username="account.manager", role=Role.ACCOUNT_MANAGER)
    org.quality_lead = UserFactory(username="quality.lead", role=Role.QUALITY_LEAD)
    theme = DemandTheme.objects.create(title="Difficult customer conversations")
    needs = [
        Need.objects.create(
            title=title,
            description=f"{title}: handlers struggle since the spring.",
            unit=org.motor_team,
            requester=requester,
            theme=theme if themed else None,
        )
        for title, requester, themed in [
            ("Angry callers", org.claims_manager, True),
            ("Upset customers", org.employee_user, True),
            ("Settlement talks", org.coordinator, False),
        ]
    ]
    for need in needs:
        NeedCompetency.objects.create(
            need=need, competency=claims_profile.negotiation, rank=1, accepted=True
        )
    course = Course.objects.create(
        code="NEG-1",
        title="Negotiating settlements",
        modality="classroom",
        cost_per_run=Decimal("2100"),
        places_per_run=16,
    )
    LearningOutcome.objects.create(
        course=course, competency=claims_profile.negotiation, raises_to_level=3
    )
    # Agreed levels below the profile's 3: gaps the board suggests (unassessed people are not).
    for person in (org.motor_handler, org.underwriter):
        Assessment.objects.create(
            employee=person,
            competency=claims_profile.negotiation,
            kind=Assessment.Kind.AGREED,
            level=1,
            assessed_on=datetime.date(2026, 3, 1),
        )
    return org


@pytest.mark.parametrize("role", ROLES)
def test_every_link_on_the_board_and_themes_page_answers(demo_like, login, role):
    user = getattr(demo_like, role)
    client = login(user)
    pages = [THEMES, *([BOARD] if can_view_demand_board(user) else [])]
    followed: dict[str, int] = {}
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        for url in internal_links(page, response.content.decode()):
            if url not in followed:
                followed[url] = client.get(url).status_code
    broken = {url: status for url, status in followed.items() if status in (403, 404, 500)}
    assert broken == {}
    assert len(followed) > 5  # the menu, themes, needs: the crawl did follow links


def test_the_board_suggests_gaps_and_only_needs_raisers_may_raise_them(demo_like, login):
    raiser = login(demo_like.coordinator).get(BOARD)
    assert raiser.context["gap_suggestions"]
    assert "Raise as a need" in raiser.content.decode()
    for role in ("quality_lead", "executive"):
        page = login(getattr(demo_like, role)).get(BOARD)
        assert page.context["gap_suggestions"], role  # the gaps are still shown
        assert "Raise as a need" not in page.content.decode(), role
        assert reverse("needs:need-create") not in page.content.decode(), role
