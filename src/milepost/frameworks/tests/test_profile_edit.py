"""Creating and editing a job profile and its requirements from the web."""

from __future__ import annotations

import pytest
from django.urls import reverse

from milepost.frameworks.forms import competency_label
from milepost.frameworks.models import JobProfile
from milepost.testing.factories import JobProfileFactory, RequirementFactory

pytestmark = pytest.mark.django_db

CREATE_URL = reverse("frameworks:profile-create")


def edit_url(job_profile):
    return reverse("frameworks:profile-edit", args=[job_profile.pk])


def form_data(*rows, **profile):
    """POST data for the profile form with one formset row per requirement dict."""
    data = {
        "title": "Claims handler",
        "code": "CLM-HND",
        "description": "Handles motor claims.",
        "alt_titles": "Claims adjuster\n\n Loss handler ",
        "is_active": "on",
        "requirements-TOTAL_FORMS": str(len(rows)),
        "requirements-INITIAL_FORMS": "0",
        "requirements-MIN_NUM_FORMS": "0",
        "requirements-MAX_NUM_FORMS": "1000",
    }
    data.update(profile)
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"requirements-{index}-{key}"] = value
    return data


def row(competency, level=3, importance=3, essential="yes", **extra):
    text = competency if isinstance(competency, str) else competency_label(competency)
    return {
        "competency": text,
        "required_level": str(level),
        "importance": str(importance),
        "essential": essential,
        **extra,
    }


def test_anonymous_user_is_sent_to_login(client):
    job_profile = JobProfileFactory.create()
    for url in (CREATE_URL, edit_url(job_profile)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    "role", ["employee_user", "claims_manager", "employer_contact", "executive"]
)
def test_other_roles_cannot_open_or_post_the_forms(org, tree, login, role):
    client = login(getattr(org, role))
    job_profile = JobProfileFactory.create(title="Unchanged")
    assert client.get(CREATE_URL).status_code == 403
    assert client.post(CREATE_URL, form_data(row(tree.coding))).status_code == 403
    assert client.get(edit_url(job_profile)).status_code == 403
    assert client.post(edit_url(job_profile), form_data(code="X")).status_code == 403
    job_profile.refresh_from_db()
    assert job_profile.title == "Unchanged"
    assert not JobProfile.objects.filter(code="CLM-HND").exists()


def test_coordinator_creates_a_profile_with_requirements(org, tree, login):
    client = login(org.coordinator)
    form = client.get(CREATE_URL)
    assert form.status_code == 200
    assert b'<datalist id="competency-options">' in form.content
    response = client.post(
        CREATE_URL,
        form_data(
            row(tree.spreadsheets, level=4, importance=5),
            row(tree.coding.code, level=2, essential="no"),
            row("", level="", importance=3, essential="yes"),  # untouched extra row: ignored
        ),
    )
    job_profile = JobProfile.objects.get(code="CLM-HND")
    assert response.status_code == 302
    assert response["Location"] == reverse("frameworks:profile-detail", args=[job_profile.pk])
    assert job_profile.alt_titles == "Claims adjuster\nLoss handler"
    requirements = {
        r.competency.name: (r.required_level, r.importance, r.essential)
        for r in job_profile.requirements.all()
    }
    assert requirements == {"Use spreadsheets": (4, 5, True), "Write code": (2, 3, False)}


def test_admin_can_create_too(org, login):
    response = login(org.admin).post(CREATE_URL, form_data())
    assert response.status_code == 302


def test_edit_changes_fields_updates_and_removes_requirements(org, tree, login):
    job_profile = JobProfileFactory.create(code="OLD", title="Old title")
    RequirementFactory.create(job_profile=job_profile, competency=tree.spreadsheets)
    RequirementFactory.create(job_profile=job_profile, competency=tree.coding)
    client = login(org.coordinator)
    page = client.get(edit_url(job_profile))
    initial = page.context["formset"].initial
    assert {item["competency"] for item in initial} == {
        competency_label(tree.spreadsheets),
        competency_label(tree.coding),
    }
    data = form_data(
        row(tree.spreadsheets, level=5),
        row(tree.coding, DELETE="on"),
        row(tree.pivot_tables, level=1),
        title="New title",
        code="NEW",
    )
    data["requirements-INITIAL_FORMS"] = "2"
    response = client.post(edit_url(job_profile), data)
    assert response.status_code == 302
    job_profile.refresh_from_db()
    assert (job_profile.code, job_profile.title) == ("NEW", "New title")
    levels = {r.competency.name: r.required_level for r in job_profile.requirements.all()}
    assert levels == {"Use spreadsheets": 5, "Build pivot tables": 1}


def test_level_off_the_scale_names_the_competency_and_scale(org, tree, login):
    response = login(org.coordinator).post(CREATE_URL, form_data(row(tree.coding, level=7)))
    assert response.status_code == 200
    errors = " ".join(response.context["requirement_errors"])
    assert "'Write code'" in errors
    assert "scale 'Core 1-5' (1-5)" in errors
    assert b'role="alert"' in response.content
    assert not JobProfile.objects.exists()


def test_duplicate_code_is_refused_with_the_profile_using_it(org, login):
    JobProfileFactory.create(code="CLM-HND", title="Existing handler")
    response = login(org.coordinator).post(CREATE_URL, form_data(code="clm-hnd"))
    assert response.status_code == 200
    assert response.context["form"].errors["code"] == [
        "Code 'clm-hnd' is already used by job profile 'Existing handler'. Choose another code."
    ]
    assert JobProfile.objects.count() == 1


def test_duplicate_requirement_rows_are_refused(org, tree, login):
    response = login(org.coordinator).post(
        CREATE_URL, form_data(row(tree.coding), row(tree.coding, level=2))
    )
    assert response.status_code == 200
    assert response.context["requirement_errors"] == [
        "'Write code' is listed more than once. Keep one row for it."
    ]
    assert not JobProfile.objects.exists()


def test_unknown_competency_text_gets_a_field_error(org, tree, login):
    response = login(org.coordinator).post(CREATE_URL, form_data(row("Juggling")))
    errors = response.context["formset"].errors[0]["competency"]
    assert errors == [
        "No competency is called 'Juggling'. Type part of its name and pick a suggestion."
    ]


def test_exact_name_resolves_when_unique(org, tree, login):
    response = login(org.coordinator).post(CREATE_URL, form_data(row("write code")))
    assert response.status_code == 302
    assert JobProfile.objects.get().requirements.get().competency == tree.coding


def test_missing_title_is_a_form_error(org, login):
    response = login(org.coordinator).post(CREATE_URL, form_data(title=""))
    assert "title" in response.context["form"].errors
