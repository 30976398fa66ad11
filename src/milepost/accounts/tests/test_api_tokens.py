from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from milepost.accounts.models import ApiToken
from milepost.accounts.services import issue_api_token

pytestmark = pytest.mark.django_db

TOKENS = reverse("api-tokens")
# Any endpoint that needs authentication will do.
PROTECTED = "/api/v1/employees"


def bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


def revoke_url(token: ApiToken) -> str:
    return reverse("api-token-revoke", args=[token.pk])


def test_tokens_page_needs_a_login(db):
    response = Client().get(TOKENS)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_tokens_page_lists_only_my_tokens(org, login):
    issue_api_token(acting_user=org.coordinator, name="HRIS sync")
    issue_api_token(acting_user=org.claims_manager, name="Manager script")
    response = login(org.coordinator).get(TOKENS)
    assert response.status_code == 200
    assert b"HRIS sync" in response.content
    assert b"Manager script" not in response.content


def test_created_token_is_shown_once_and_authenticates_against_the_api(org, login):
    client = login(org.coordinator)
    response = client.post(TOKENS, {"name": "HRIS sync", "scope": "read_write", "lifetime": "90"})
    assert response.status_code == 200
    match = re.search(r'<code id="new-token">([^<]+)</code>', response.content.decode())
    assert match is not None
    raw = match.group(1)
    token = ApiToken.objects.get(user=org.coordinator)
    assert token.name == "HRIS sync"
    assert token.digest != raw and raw not in token.digest
    assert raw.encode() not in client.get(TOKENS).content

    api = Client()
    assert api.get(PROTECTED).status_code == 401
    response = api.get(PROTECTED, headers=bearer(raw))
    assert response.status_code == 200
    assert response.json()["count"] == 4  # a coordinator sees the whole organisation
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_wrong_token_is_401(org):
    assert Client().get(PROTECTED, headers=bearer("mp_not-a-real-token")).status_code == 401


def test_revoked_token_stops_working(org, login):
    token, raw = issue_api_token(acting_user=org.coordinator, name="old")
    assert Client().get(PROTECTED, headers=bearer(raw)).status_code == 200
    response = login(org.coordinator).post(revoke_url(token))
    assert response.status_code == 302
    assert response["Location"] == TOKENS
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    assert Client().get(PROTECTED, headers=bearer(raw)).status_code == 401


def test_cannot_revoke_another_users_token(org, login):
    token, raw = issue_api_token(acting_user=org.claims_manager, name="theirs")
    response = login(org.coordinator).post(revoke_url(token))
    assert response.status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()
    assert Client().get(PROTECTED, headers=bearer(raw)).status_code == 200


def test_revoke_needs_a_post(org, login):
    token, _ = issue_api_token(acting_user=org.coordinator, name="mine")
    assert login(org.coordinator).get(revoke_url(token)).status_code == 405


def test_token_of_a_deactivated_user_is_refused(org):
    _, raw = issue_api_token(acting_user=org.coordinator, name="mine")
    org.coordinator.is_active = False
    org.coordinator.save()
    assert Client().get(PROTECTED, headers=bearer(raw)).status_code == 401
