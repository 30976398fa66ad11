"""Single sign-on with OpenID Connect (mozilla-django-oidc), off unless OIDC_RP_CLIENT_ID is set.

The provider's user is matched to a Milepost login by e-mail address (case-insensitive, and only
when the provider has not said the address is unverified). An unknown address is refused unless
`OIDC_CREATE_USERS` is on; then a login is made with the role `OIDC_DEFAULT_ROLE` and no
password. docs/security.md lists the settings.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponseBase
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from milepost.accounts.models import User


class SingleSignOnBackend(OIDCAuthenticationBackend):
    """The library's backend, checking the ID token's audience and issuer too, mapping by e-mail
    and creating logins only when configured to."""

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        payload: dict[str, Any] = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token was issued to another client.")
        issuer = settings.OIDC_OP_ISSUER
        if issuer and payload.get("iss") != issuer:
            raise SuspiciousOperation("The ID token comes from another issuer.")
        return payload

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(claims.get("email")) and claims.get("email_verified") is not False

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        return User.objects.filter(email__iexact=claims["email"])

    def create_user(self, claims: dict[str, Any]) -> User:
        email = claims["email"]
        user = User.objects.create_user(
            username=self._free_username(email),
            email=email,
            first_name=str(claims.get("given_name", ""))[:150],
            last_name=str(claims.get("family_name", ""))[:150],
            role=settings.OIDC_DEFAULT_ROLE,
        )
        return user

    @staticmethod
    def _free_username(email: str) -> str:
        base = email.lower()[:140]
        candidate, number = base, 1
        while User.objects.filter(username=candidate).exists():
            number += 1
            candidate = f"{base}-{number}"
        return candidate


class _OnlyWhenEnabled:
    """404 while single sign-on is not configured."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not settings.OIDC_ENABLED:
            raise Http404("Single sign-on is not set up on this server.")
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class SingleSignOnStartView(_OnlyWhenEnabled, OIDCAuthenticationRequestView):
    """Send the browser to the provider's log-in page."""


class SingleSignOnCallbackView(_OnlyWhenEnabled, OIDCAuthenticationCallbackView):
    """Where the provider sends the browser back with a code."""
