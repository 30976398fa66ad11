"""Needs saying the same thing across units, and existing themes proposed for new needs."""

from __future__ import annotations

import pytest
from django.urls import reverse

from milepost.needs import selectors, services
from milepost.needs.models import Need, NeedCompetency

pytestmark = pytest.mark.django_db

PROPERTY = (
    "Property claims handlers speak with bereaved and anxious customers after fires and floods "
    "and are not confident handling these difficult conversations."
)
MOTOR = (
    "Motor claims handlers speak with bereaved and anxious customers after accidents "
    "and are not confident handling these difficult phone conversations."
)


def raise_need(requester, unit, text: str, title: str) -> Need:
    return services.submit_need(
        acting_user=requester, title=title, description=text, unit=unit, people_affected=10
    )


@pytest.fixture
def bereaved(org, service_framework):
    """The same need from two units: Underwriting (first) and the motor team (second); the
    first requester confirmed a competency, the second did not."""
    first = raise_need(org.underwriting_manager, org.underwriting, PROPERTY, "Bereaved customers")
    services.confirm_competencies(
        acting_user=org.underwriting_manager,
        need=first,
        competency_ids=[service_framework.complaints.pk],
    )
    second = raise_need(org.employee_user, org.motor_team, MOTOR, "Bereaved customers (motor)")
    return first, second


def test_a_need_lists_the_same_need_raised_in_another_unit(org, bereaved):
    first, second = bereaved
    # Their competencies differ (one confirmed, one suggested): near-identical words decide.
    counted_first = selectors.mapped_competency_ids(first)
    counted_second = selectors.mapped_competency_ids(second)
    assert counted_first != counted_second
    for need, other in ((first, second), (second, first)):
        similar = selectors.similar_needs(org.coordinator, need)
        assert [row for row, _ in similar.visible] == [other]
        assert similar.visible[0][1] >= 0.75


def test_the_need_page_names_it_for_the_coordinator_and_counts_it_for_the_employee(
    org, bereaved, login
):
    first, second = bereaved
    page = login(org.coordinator).get(reverse("needs:need-detail", args=[first.pk]))
    assert "Bereaved customers (motor)" in page.content.decode()
    own = login(org.employee_user).get(reverse("needs:need-detail", args=[second.pk]))
    assert "1 similar need was raised in 1 other unit" in own.content.decode()


def test_an_unthemed_need_is_proposed_for_the_theme_of_its_twin(org, bereaved, login):
    first, second = bereaved
    theme = services.create_theme(
        acting_user=org.coordinator, title="Difficult customer conversations", needs=[first]
    )
    fits = selectors.needs_fitting_themes(org.coordinator)
    assert [(fit.need, fit.theme) for fit in fits] == [(second, theme)]
    assert 0.5 <= fits[0].similarity <= 1
    page = login(org.coordinator).get(reverse("needs:theme-suggest")).content.decode()
    assert "Needs that fit an existing theme" in page
    assert "Bereaved customers (motor)" in page and "Difficult customer conversations" in page
    detail = login(org.coordinator).get(reverse("needs:need-detail", args=[second.pk]))
    assert "Fits the theme" in detail.content.decode()


def test_no_theme_is_proposed_for_a_need_about_something_else(org, bereaved, service_framework):
    first, _ = bereaved
    services.create_theme(acting_user=org.coordinator, title="Bereavement", needs=[first])
    excel = raise_need(
        org.coordinator,
        org.claims,
        "Analysts need advanced Excel: pivot tables and lookups for the monthly reports.",
        "Excel",
    )
    assert excel not in [fit.need for fit in selectors.needs_fitting_themes(org.coordinator)]


def test_theme_proposals_only_name_needs_the_user_may_see(org, bereaved):
    first, second = bereaved
    services.create_theme(acting_user=org.coordinator, title="Bereavement", needs=[first])
    # The employee cannot see Underwriting's need, so its theme is not proposed to them.
    assert selectors.needs_fitting_themes(org.employee_user) == []
    assert NeedCompetency.objects.filter(need=second).exists()


def test_add_to_theme_from_find_similar_needs_returns_there(org, bereaved, login):
    first, second = bereaved
    theme = services.create_theme(acting_user=org.coordinator, title="Bereavement", needs=[first])
    response = login(org.coordinator).post(
        reverse("needs:need-theme", args=[second.pk]), {"theme": theme.pk, "back": "suggest"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("needs:theme-suggest")
    second.refresh_from_db()
    assert second.theme == theme
    assert selectors.needs_fitting_themes(org.coordinator) == []
