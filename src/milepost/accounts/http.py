"""Typed requests for views and API endpoints behind the login."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from milepost.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    """The request type of views behind the login: `user` is a real User."""

    user: User


class HtmxRequest(AuthenticatedRequest):
    """A view's request with django-htmx's details (`request.htmx`)."""

    htmx: HtmxDetails


def api_caller(request: HttpRequest) -> User:
    """The user an API request acts for: BearerToken and SessionAuth both set `request.auth`."""
    user: User = request.auth  # type: ignore[attr-defined]
    return user
