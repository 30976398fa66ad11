"""API tokens expire (90 days unless chosen otherwise) and are read-only or read-write."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from milepost.accounts.models import ApiToken
from milepost.accounts.services import issue_api_token
from milepost.frameworks.models import JobProfile

pytestmark = pytest.mark.django_db

TOKENS = reverse("api-tokens")
PROFILES = "/api/v1/job-profiles"


def bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


def create_profile(raw: str, code: str = "NEW-PROFILE"):
    payload = json.dumps({"code": code, "title": "New profile"})
    return Client().post(PROFILES, payload, "application/json", headers=bearer(raw))


def test_a_new_token_expires_after_the_configured_number_of_days(org):
    token, _ = issue_api_token(acting_user=org.coordinator, name="sync")
    expected = timezone.now() + datetime.timedelta(days=settings.API_TOKEN_LIFETIME_DAYS)
    assert token.expires_at is not None
    assert abs((token.expires_at - expected).total_seconds()) < 60


def test_an_expired_token_answers_401_saying_it_expired(org):
    token, raw = issue_api_token(acting_user=org.coordinator, name="old sync")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(1))
    response = Client().get(PROFILES, headers=bearer(raw))
    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "unauthorized"
    assert "expired" in body["message"]
    assert "old sync" in body["message"]


def test_a_token_without_expiry_keeps_working(org):
    token, raw = issue_api_token(acting_user=org.coordinator, name="forever", lifetime_days=None)
    assert token.expires_at is None
    assert Client().get(PROFILES, headers=bearer(raw)).status_code == 200


def test_a_read_only_token_reads_but_may_not_write(org):
    _, raw = issue_api_token(acting_user=org.coordinator, name="report", scope=ApiToken.Scope.READ)
    assert Client().get(PROFILES, headers=bearer(raw)).status_code == 200
    response = create_profile(raw)
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert "read-only" in response.json()["message"]
    assert not JobProfile.objects.filter(code="NEW-PROFILE").exists()


@pytest.mark.parametrize(
    ("method", "path", "payload"),
    [
        ("patch", "{profile}", {"title": "Renamed"}),
        ("put", "{profile}/requirements/{competency}", {"required_level": 4}),
        ("delete", "{profile}/requirements/{competency}", None),
    ],
)
def test_a_read_only_token_is_refused_every_writing_method(
    org, claims_profile, method, path, payload
):
    _, raw = issue_api_token(acting_user=org.coordinator, name="report", scope=ApiToken.Scope.READ)
    profile = claims_profile.job_profile
    url = f"{PROFILES}/" + path.format(profile=profile.pk, competency=claims_profile.negotiation.pk)
    body = json.dumps(payload) if payload else ""
    response = Client().generic(method.upper(), url, body, "application/json", headers=bearer(raw))
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    profile.refresh_from_db()
    assert profile.title == "Claims handler"
    assert profile.requirements.filter(competency=claims_profile.negotiation).exists()


def test_a_read_write_token_writes(org):
    _, raw = issue_api_token(
        acting_user=org.coordinator, name="sync", scope=ApiToken.Scope.READ_WRITE
    )
    assert create_profile(raw).status_code == 201


def test_a_token_lifetime_must_be_positive(org):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        issue_api_token(acting_user=org.coordinator, name="x", lifetime_days=0)
    assert "lifetime_days" in refused.value.message_dict


# --- the tokens page ---------------------------------------------------------------------------


def test_the_tokens_page_creates_a_read_only_token_for_the_chosen_lifetime(org, login):
    client = login(org.coordinator)
    response = client.post(TOKENS, {"name": "Dashboards", "scope": "read", "lifetime": "30"})
    assert response.status_code == 200
    shown = re.search(r'<code id="new-token">([^<]+)</code>', response.content.decode())
    assert shown is not None
    raw = shown.group(1)
    token = ApiToken.objects.get(user=org.coordinator)
    assert token.scope == ApiToken.Scope.READ
    assert token.expires_at is not None
    assert token.expires_at.date() == (timezone.now() + datetime.timedelta(days=30)).date()
    assert Client().get(PROFILES, headers=bearer(raw)).status_code == 200
    assert create_profile(raw).status_code == 403
    page = client.get(TOKENS).content.decode()
    assert "Read only" in page
    assert token.expires_at.strftime("%-d %b %Y") in page


def test_the_tokens_page_offers_read_only_and_the_default_lifetime_first(org, login):
    page = login(org.coordinator).get(TOKENS).content.decode()
    assert re.search(r'<input[^>]*name="scope"[^>]*value="read"[^>]*checked', page)
    default = settings.API_TOKEN_LIFETIME_DAYS
    assert re.search(rf'<option value="{default}" selected', page)


def test_the_tokens_page_refuses_an_unknown_lifetime_and_creates_nothing(org, login):
    response = login(org.coordinator).post(
        TOKENS, {"name": "x", "scope": "read", "lifetime": "100000"}
    )
    assert response.status_code == 200
    assert "form" in response.context and response.context["form"].errors["lifetime"]
    assert not ApiToken.objects.filter(user=org.coordinator).exists()


def test_an_expired_token_is_marked_on_the_tokens_page(org, login):
    token, _ = issue_api_token(acting_user=org.coordinator, name="old sync")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(1))
    page = login(org.coordinator).get(TOKENS).content.decode()
    assert "expired" in page
