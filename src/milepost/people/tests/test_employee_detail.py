from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from milepost.people.models import Assessment
from milepost.testing.factories import AssessmentFactory, CompetencyFactory, RequirementFactory

pytestmark = pytest.mark.django_db


def url(employee) -> str:
    return reverse("people:employee-detail", args=[employee.pk])


def test_anonymous_is_sent_to_login(client, org):
    response = client.get(url(org.motor_handler))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_shows_identity_unit_manager_and_job_profile(org, claims_profile, login):
    response = login(org.coordinator).get(url(org.motor_handler))
    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1>Mo Handler" in content
    assert org.motor_handler.employee_id in content
    assert "Motor claims" in content
    assert "Clara Claims" in content
    assert "Claims handler" in content


def test_job_profile_links_to_its_frameworks_page(org, claims_profile, login):
    response = login(org.coordinator).get(url(org.motor_handler))
    link = reverse("frameworks:profile-detail", args=[claims_profile.job_profile.pk])
    assert f'href="{link}"'.encode() in response.content


def test_standings_list_required_then_other_assessed_competencies(org, claims_profile, login):
    kwargs = {"employee": org.motor_handler}
    AssessmentFactory(
        **kwargs,
        competency=claims_profile.negotiation,
        kind="self",
        level=2,
        assessed_on=datetime.date(2026, 1, 5),
    )
    AssessmentFactory(
        **kwargs,
        competency=claims_profile.negotiation,
        kind="self",
        level=4,
        assessed_on=datetime.date(2026, 2, 5),
    )
    AssessmentFactory(
        **kwargs,
        competency=claims_profile.negotiation,
        kind="agreed",
        level=3,
        assessed_on=datetime.date(2026, 2, 9),
    )
    AssessmentFactory(**kwargs, competency=claims_profile.customer_care, kind="manager", level=1)
    response = login(org.coordinator).get(url(org.motor_handler))
    standings = response.context["standings"]
    assert [s.competency.name for s in standings] == [
        "Negotiation",
        "Fraud awareness",
        "Customer care",
    ]
    negotiation, fraud, care = standings
    assert negotiation.required_level == 3
    assert negotiation.self_assessment.level == 4  # the latest, not the first
    assert negotiation.self_assessment.assessed_on == datetime.date(2026, 2, 5)
    assert negotiation.agreed_assessment.level == 3
    assert negotiation.manager_assessment is None
    assert negotiation.gap == 0
    assert negotiation.history_count == 3
    assert fraud.required_level == 2 and not fraud.history_count
    assert care.required_level is None
    assert care.manager_assessment.level == 1
    assert b"5 Feb 2026" in response.content


def test_same_day_reassessment_shows_the_row_recorded_last(org, claims_profile, login):
    for level in (2, 5):
        Assessment.objects.create(
            employee=org.motor_handler,
            competency=claims_profile.negotiation,
            kind="manager",
            level=level,
            assessed_on=datetime.date(2026, 3, 1),
        )
    standings = login(org.coordinator).get(url(org.motor_handler)).context["standings"]
    assert standings[0].manager_assessment.level == 5


def test_employee_without_profile_or_assessments_gets_an_empty_state(org, login):
    response = login(org.coordinator).get(url(org.underwriter))
    assert b"No job profile is assigned" in response.content


def test_employee_opens_their_own_page(org, claims_profile, login):
    response = login(org.employee_user).get(url(org.motor_handler))
    assert response.status_code == 200
    assert list(response.context["form"].fields["kind"].widget.choices) == [("self", "Self")]


def test_employee_gets_404_for_a_colleague(org, login):
    assert login(org.employee_user).get(url(org.claims_manager_employee)).status_code == 404


def test_line_manager_gets_404_for_another_units_employee(org, login):
    client = login(org.underwriting_manager)
    assert client.get(url(org.motor_handler)).status_code == 404
    assert client.get(url(org.underwriter)).status_code == 200


def test_employer_contact_gets_404(org, login):
    assert login(org.employer_contact).get(url(org.motor_handler)).status_code == 404


def test_executive_sees_but_gets_no_assessment_form(org, claims_profile, login):
    response = login(org.executive).get(url(org.motor_handler))
    assert response.status_code == 200
    assert response.context["form"] is None
    assert b"Record an assessment" not in response.content


def _add_assessed_competencies(employee, profile, count: int) -> None:
    for _ in range(count):
        competency = CompetencyFactory(framework=profile.negotiation.framework)
        RequirementFactory(job_profile=profile.job_profile, competency=competency)
        AssessmentFactory(employee=employee, competency=competency, kind="self")
        AssessmentFactory(employee=employee, competency=competency, kind="agreed")
        AssessmentFactory(employee=employee, competency=CompetencyFactory(), kind="manager")


# session + user, employee, requirements, assessments, unit visibility, objectives, development
# plan, the profile's competencies for the plan form, reviews; a line manager adds their
# employee record and its unit (fetched once, however many scopes ask).
@pytest.mark.parametrize(("user_attr", "queries"), [("coordinator", 14), ("claims_manager", 15)])
def test_detail_runs_a_fixed_number_of_queries(
    org, claims_profile, login, django_assert_num_queries, user_attr, queries
):
    client = login(getattr(org, user_attr))
    _add_assessed_competencies(org.motor_handler, claims_profile, 2)
    with django_assert_num_queries(queries):
        small = client.get(url(org.motor_handler))
    _add_assessed_competencies(org.motor_handler, claims_profile, 30)
    with django_assert_num_queries(queries):
        large = client.get(url(org.motor_handler))
    assert len(large.context["standings"]) > len(small.context["standings"])


def test_assessment_form_offers_iso_dates_and_the_scale_range(org, claims_profile, login):
    response = login(org.claims_manager).get(url(org.motor_handler))
    content = response.content.decode()
    assert 'type="date"' in content
    assert f'value="{timezone.localdate().isoformat()}"' in content
    assert 'min="1"' in content and 'max="5"' in content
    assert "Core 1-5: 1 to 5" in content
