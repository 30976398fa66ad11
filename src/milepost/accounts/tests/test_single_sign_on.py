"""Single sign-on with OpenID Connect against a real provider started for the test
(oidc_provider.py): the browser round trip through the provider's authorize endpoint, and the
server-to-server token, JWKS and userinfo calls the library makes."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from urllib.parse import parse_qsl, urlparse
from urllib.request import urlopen

import pytest
from django.test import Client
from django.urls import reverse

from milepost.accounts.models import Role, User
from milepost.accounts.tests.oidc_provider import (
    CLIENT_ID,
    CLIENT_SECRET,
    Provider,
    RunningProvider,
)
from milepost.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

SSO_BACKEND = "milepost.accounts.sso.SingleSignOnBackend"


@pytest.fixture
def provider(settings) -> Iterator[Provider]:
    """A running provider, and Milepost configured for it from its discovery document (as an
    operator copies the endpoints into the environment)."""
    with RunningProvider() as running:
        with urlopen(f"{running.issuer}/.well-known/openid-configuration", timeout=10) as answer:
            discovery = json.load(answer)
        settings.OIDC_ENABLED = True
        settings.OIDC_RP_CLIENT_ID = CLIENT_ID
        settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
        settings.OIDC_OP_AUTHORIZATION_ENDPOINT = discovery["authorization_endpoint"]
        settings.OIDC_OP_TOKEN_ENDPOINT = discovery["token_endpoint"]
        settings.OIDC_OP_USER_ENDPOINT = discovery["userinfo_endpoint"]
        settings.OIDC_OP_JWKS_ENDPOINT = discovery["jwks_uri"]
        settings.OIDC_OP_ISSUER = discovery["issuer"]
        settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, SSO_BACKEND]
        yield running


def sso_login(client: Client, provider: Provider, claims: dict, next_page: str = "/needs/"):
    """Click "Log in with ...", let the provider log `claims` in, follow it back."""
    provider.next_login = claims
    start = client.get(reverse("oidc-login"), {"next": next_page})
    assert start.status_code == 302
    authorize = urlparse(start["Location"])
    assert start["Location"].startswith(f"{provider.issuer}/authorize?")
    connection = http.client.HTTPConnection(authorize.netloc, timeout=10)
    connection.request("GET", f"{authorize.path}?{authorize.query}")
    back = connection.getresponse().getheader("Location") or ""
    connection.close()
    callback = urlparse(back)
    assert callback.path == reverse("oidc-callback")
    return client.get(callback.path, dict(parse_qsl(callback.query)))


def logged_in_user(client: Client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def test_single_sign_on_logs_in_the_user_with_the_same_email(provider):
    lena = UserFactory(username="lena", email="lena@example.test", role=Role.COORDINATOR)
    client = Client()
    response = sso_login(client, provider, {"email": "Lena@Example.test", "email_verified": True})
    assert response.status_code == 302
    assert response["Location"] == "/needs/"
    assert logged_in_user(client) == lena
    assert provider.token_requests == 1
    assert client.get(reverse("home")).status_code == 200


def test_an_unknown_email_is_refused_by_default(provider):
    client = Client()
    response = sso_login(client, provider, {"email": "stranger@example.test"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?sso=failed"
    assert logged_in_user(client) is None
    assert not User.objects.filter(email="stranger@example.test").exists()
    page = client.get(response["Location"]).content.decode()
    assert "Single sign-on did not log you in" in page


def test_an_unknown_email_gets_a_login_with_the_default_role_when_configured(provider, settings):
    settings.OIDC_CREATE_USER = True
    settings.OIDC_DEFAULT_ROLE = Role.EMPLOYEE
    client = Client()
    claims = {"email": "new.starter@example.test", "given_name": "Nia", "family_name": "Starter"}
    sso_login(client, provider, claims)
    user = logged_in_user(client)
    assert user is not None
    assert (user.email, user.role, user.first_name) == (
        "new.starter@example.test",
        Role.EMPLOYEE,
        "Nia",
    )
    assert not user.has_usable_password()


def test_an_email_the_provider_has_not_verified_is_refused(provider):
    UserFactory(username="lena", email="lena@example.test")
    client = Client()
    sso_login(client, provider, {"email": "lena@example.test", "email_verified": False})
    assert logged_in_user(client) is None


def test_an_id_token_issued_to_another_client_is_refused(provider):
    UserFactory(username="lena", email="lena@example.test")
    provider.audience = "another-application"
    client = Client()
    sso_login(client, provider, {"email": "lena@example.test"})
    assert logged_in_user(client) is None


def test_a_deactivated_login_is_refused(provider):
    UserFactory(username="lena", email="lena@example.test", is_active=False)
    client = Client()
    sso_login(client, provider, {"email": "lena@example.test"})
    assert logged_in_user(client) is None


def test_the_login_page_offers_single_sign_on_when_it_is_on(provider, settings):
    settings.OIDC_PROVIDER_NAME = "Contoso account"
    page = Client().get(reverse("login")).content.decode()
    assert "Log in with Contoso account" in page
    assert reverse("oidc-login") in page


def test_single_sign_on_is_off_by_default(db):
    assert Client().get(reverse("oidc-login")).status_code == 404
    assert Client().get(reverse("oidc-callback")).status_code == 404
    assert reverse("oidc-login") not in Client().get(reverse("login")).content.decode()
