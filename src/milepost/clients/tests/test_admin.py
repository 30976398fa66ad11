"""The admin site: journey templates are data an admin manages; histories are read-only."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from milepost.clients.models import (
    JourneyStage,
    JourneyTemplate,
    OwnerChange,
    StageChange,
    SurveyInvitation,
    SurveyResponse,
)
from milepost.clients.services.journey import move_to_stage
from milepost.clients.services.surveys import answer_survey, issue_invitation
from milepost.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

CLIENT_MODELS = [model for model in admin.site._registry if model._meta.app_label == "clients"]


@pytest.fixture
def superuser():
    return UserFactory.create(username="root", is_staff=True, is_superuser=True)


def test_every_clients_model_is_in_the_admin():
    from django.apps import apps

    assert set(CLIENT_MODELS) == set(apps.get_app_config("clients").get_models())


def test_every_clients_admin_list_and_page_opens(book, org, superuser, login):
    move_to_stage(
        acting_user=org.coordinator,
        client=book.harbour,
        stage=book.harbour.journey.stages.get(position=2),
    )
    _, token = issue_invitation(
        client=book.harbour, contact=book.harbour_contact, sent_by=org.coordinator
    )
    answer_survey(
        token=token, recommend=9, items=dict.fromkeys(("met_needs", "easy", "results", "value"), 4)
    )
    page = login(superuser)
    for model in CLIENT_MODELS:
        meta = model._meta
        listing = page.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        assert listing.status_code == 200, meta.model_name
        first = model._default_manager.first()
        if first is not None:
            detail = page.get(
                reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[first.pk])
            )
            assert detail.status_code == 200, meta.model_name
    invitation = SurveyInvitation.objects.get()
    detail = page.get(reverse("admin:clients_surveyinvitation_change", args=[invitation.pk]))
    assert invitation.token_digest not in detail.content.decode()


def test_an_admin_adds_a_journey_template_with_its_stages(superuser, login):
    response = login(superuser).post(
        reverse("admin:clients_journeytemplate_add"),
        {
            "name": "Short journey",
            "stages-TOTAL_FORMS": "2",
            "stages-INITIAL_FORMS": "0",
            "stages-MIN_NUM_FORMS": "0",
            "stages-MAX_NUM_FORMS": "1000",
            "stages-0-position": "1",
            "stages-0-name": "Hello",
            "stages-0-exit_criteria": "We met",
            "stages-0-usual_role": "account_manager",
            "stages-1-position": "2",
            "stages-1-name": "Review",
            "stages-1-exit_criteria": "They said how it went",
            "stages-1-usual_role": "coordinator",
        },
    )
    assert response.status_code == 302
    template = JourneyTemplate.objects.get(name="Short journey")
    assert list(template.stages.values_list("name", "usual_role")) == [
        ("Hello", "account_manager"),
        ("Review", "coordinator"),
    ]
    assert JourneyStage.objects.filter(template=template).count() == 2


@pytest.mark.parametrize("model", [OwnerChange, StageChange, SurveyInvitation, SurveyResponse])
def test_histories_cannot_be_written_in_the_admin(model, superuser, login):
    meta = model._meta
    response = login(superuser).get(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))
    assert response.status_code == 403
