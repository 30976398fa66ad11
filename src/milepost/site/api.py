"""The REST API at /api/v1: token or session authentication, one router per app."""

from __future__ import annotations

from typing import Any

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.http import HttpRequest
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError
from ninja.security import HttpBearer, SessionAuth

from milepost.accounts import audit, lockout
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
        check_token_may(api_token, request)
        # One write per minute at most, so busy clients do not hammer the table.
        now = timezone.now()
        if api_token.last_used_at is None or (now - api_token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        request.user = api_token.user
        audit.act_for_request(api_token.user)  # the audit trail names the token's owner
        return api_token.user


def check_token_may(api_token: ApiToken, request: HttpRequest) -> None:
    """An expired token is 401, a read-only token's write 403, each saying what to do."""
    if api_token.is_expired:
        raise AuthenticationError(
            message=f"The API token '{api_token.name}' expired on "
            f"{api_token.expires_at:%d %b %Y}: create a new one under your name > API tokens."
        )
    if not api_token.allows(request.method or "GET"):
        raise AuthorizationError(
            message=f"The API token '{api_token.name}' is read-only: use a read-write token "
            "(your name > API tokens) to change anything."
        )


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
    # Swagger UI sets inline styles and draws icons from data: URIs: relaxed on its page only.
    docs_decorator=csp_update({"style-src": [SELF, UNSAFE_INLINE], "img-src": [SELF, "data:"]}),
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
