"""The REST API at /api/v1: token or session authentication, one router per app."""

from __future__ import annotations

import json
from typing import Any

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.db import DatabaseError
from django.http import HttpRequest
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError
from ninja.parser import Parser
from ninja.security import HttpBearer, SessionAuth

from milepost.accounts import audit, lockout
from milepost.accounts.models import ApiToken
from milepost.lib.db import is_busy, without_waiting
from milepost.lib.text import clean_strings
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
        record_token_use(api_token)
        request.user = api_token.user
        audit.act_for_request(api_token.user)  # the audit trail names the token's owner
        return api_token.user


def record_token_use(api_token: ApiToken) -> None:
    """Note when a token was last used: at most once a minute, and never waiting for another
    writer (an import holding SQLite's write lock made read-only calls fail after 20 s). When
    the database is busy the use is recorded by a later call instead."""
    now = timezone.now()
    if api_token.last_used_at is not None and (now - api_token.last_used_at).total_seconds() <= 60:
        return
    try:
        with without_waiting():
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
    except DatabaseError as exc:
        if not is_busy(exc):
            raise


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


class Session(SessionAuth):
    """The browser session; CSRF is checked only when there is a session to forge, so an
    anonymous write is told to authenticate (401), not that a CSRF check failed (403)."""

    def __call__(self, request: HttpRequest) -> Any:
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


class CleanJSON(Parser):
    """JSON bodies with control characters taken out of every string (lib/text.py). A body
    past DATA_UPLOAD_MAX_MEMORY_SIZE is a 413 (api_errors)."""

    def parse_body(self, request: HttpRequest) -> Any:
        try:
            return clean_strings(json.loads(request.body))
        except (ValueError, RecursionError):
            raise HttpError(400, "The request body is not valid JSON.") from None


class MilepostAPI(NinjaAPI):
    """The API root: its OpenAPI document lists the error responses of every operation."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return api_errors.document_errors(schema)


api = MilepostAPI(
    title="Milepost API",
    version="1.0.0",
    description=(
        "Competency frameworks, job profiles, organisation, people and training needs. "
        "Authenticate with `Authorization: Bearer <token>` (create tokens under "
        "your name > API tokens) or a logged-in browser session. Every endpoint "
        "shows only what your role may see in the web app."
    ),
    auth=[BearerToken(), Session()],
    parser=CleanJSON(),
    urls_namespace="api",
    # Swagger UI sets inline styles and draws icons from data: URIs: relaxed on its page only.
    docs_decorator=csp_update({"style-src": [SELF, UNSAFE_INLINE], "img-src": [SELF, "data:"]}),
)


api_errors.register(api)


def _register_routers() -> None:
    from milepost.catalogue.api import router as catalogue_router
    from milepost.clients.api import router as clients_router
    from milepost.frameworks.api import router as frameworks_router
    from milepost.insights.api import router as insights_router
    from milepost.needs.api import router as needs_router
    from milepost.people.api import router as people_router
    from milepost.proposals.api import router as proposals_router
    from milepost.reviews.api import router as reviews_router

    api.add_router("/", frameworks_router)
    api.add_router("/", people_router)
    api.add_router("/", reviews_router)
    api.add_router("/", needs_router)
    api.add_router("/", insights_router)
    api.add_router("/", catalogue_router)
    api.add_router("/", clients_router)
    api.add_router("/", proposals_router)


_register_routers()
