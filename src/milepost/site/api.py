"""The REST API at /api/v1: token or session authentication, one router per app."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import NinjaAPI
from ninja.security import HttpBearer, SessionAuth

from milepost.accounts import lockout
from milepost.accounts.models import ApiToken
from milepost.site import api_errors


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        try:
            api_token = ApiToken.objects.select_related("user").get(
                digest=ApiToken.digest_of(token)
            )
        except ApiToken.DoesNotExist:
            refuse_wrong_token(request)
            return None
        if not api_token.user.is_active:
            return None
        # One write per minute at most, so busy clients do not hammer the table.
        now = timezone.now()
        if api_token.last_used_at is None or (now - api_token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        request.user = api_token.user
        return api_token.user


def refuse_wrong_token(request: HttpRequest) -> None:
    """A wrong token counts against the caller's address like a failed log-in; past the limit
    the address gets 429 (a digest lookup, no password hashing: cheap to refuse)."""
    if not lockout.address_is_locked(request):
        lockout.record_token_failure(request)
    if lockout.address_is_locked(request):
        raise api_errors.TooManyFailures(lockout.lockout_message(), wait=lockout.cooloff_seconds())


api = NinjaAPI(
    title="Milepost API",
    version="1.0.0",
    description=(
        "Competency frameworks, job profiles, organisation, people and training needs. "
        "Authenticate with `Authorization: Bearer <token>` (create tokens under "
        "your name > API tokens) or a logged-in browser session. Every endpoint "
        "shows only what your role may see in the web app."
    ),
    auth=[BearerToken(), SessionAuth()],
    urls_namespace="api",
)


api_errors.register(api)


def _register_routers() -> None:
    from milepost.catalogue.api import router as catalogue_router
    from milepost.frameworks.api import router as frameworks_router
    from milepost.insights.api import router as insights_router
    from milepost.needs.api import router as needs_router
    from milepost.people.api import router as people_router
    from milepost.reviews.api import router as reviews_router

    api.add_router("/", frameworks_router)
    api.add_router("/", people_router)
    api.add_router("/", reviews_router)
    api.add_router("/", needs_router)
    api.add_router("/", insights_router)
    api.add_router("/", catalogue_router)


_register_routers()
