"""Brute-force protection: failed log-ins and wrong API tokens lock an account or an address.

django-axes records every failure (the web login, the admin login, and, through
`record_token_failure`, a wrong bearer token) and its authentication backend refuses a locked
account or address before any password is hashed, so a refusal costs a few queries, not 0.3 s
of PBKDF2. Two limits within the cool-off window (settings, docs/security.md):
`AXES_FAILURE_LIMIT` failures for one username from anywhere, `LOGIN_ADDRESS_FAILURE_LIMIT`
failures from one address for any username or token (higher: colleagues behind one office
proxy share an address).
"""

from __future__ import annotations

import datetime
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db.models import Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

# What a wrong API token is recorded as: no username, so only the address counts it.
TOKEN_CREDENTIALS: dict[str, Any] = {"username": None}


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with one limit per account and a higher one per address.

    Axes compares one failure count with one limit (`AXES_FAILURE_LIMIT`, the account's), so the
    count given back is the nearer lockout's: the account's failures, or the address's scaled so
    that it reaches the account limit exactly at `LOGIN_ADDRESS_FAILURE_LIMIT`.
    """

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        since = timezone.now() - settings.AXES_COOLOFF_TIME
        recent = AccessAttempt.objects.filter(attempt_time__gte=since)
        username = get_client_username(request, credentials)
        account = _failures(recent.filter(username=username)) if username else 0
        address = _failures(recent.filter(ip_address=request.axes_ip_address))  # type: ignore[attr-defined]
        account_limit: int = settings.AXES_FAILURE_LIMIT
        return max(account, address * account_limit // settings.LOGIN_ADDRESS_FAILURE_LIMIT)


def _failures(attempts: Any) -> int:
    return int(attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0)


def client_address(request: HttpRequest) -> str | None:
    """The caller's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT reverse proxies the
    address the outermost of them saw (the proxies append to X-Forwarded-For, so the entries
    before theirs are whatever the client chose to send and are never trusted)."""
    proxies: int = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def lockout_parameters(request: Any, credentials: dict[str, Any] | None = None) -> list[str]:
    """What Axes files a failure under (and resets): the username when there is one, always the
    address."""
    if isinstance(request, HttpRequest):
        username = get_client_username(request, credentials)
    else:  # an AccessAttempt being reset or deleted
        username = request.username
    return ["username", "ip_address"] if username else ["ip_address"]


def retry_at() -> datetime.datetime:
    """When a lockout that starts now ends (each further failure starts the wait again)."""
    return timezone.now() + settings.AXES_COOLOFF_TIME


def cooloff_seconds() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    at = timezone.localtime(retry_at()).strftime("%H:%M")
    return (
        f"Too many failed log-ins: you can try again at {at} (in {minutes} minutes). "
        "Each further attempt starts the wait again; if you cannot wait, ask an administrator "
        "to unlock your account."
    )


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any = None
) -> HttpResponse:
    """The page a locked-out person sees instead of the login form (AXES_LOCKOUT_CALLABLE)."""
    return render(
        request,
        "registration/locked_out.html",
        {"message": lockout_message(), "retry_at": retry_at()},
        status=429,
    )


def address_is_locked(request: HttpRequest) -> bool:
    """Whether the caller's address has failed too often (wrong passwords or tokens)."""
    return not AxesProxyHandler.is_allowed(request, TOKEN_CREDENTIALS)


def record_token_failure(request: HttpRequest) -> None:
    """Count a wrong API token against the caller's address, as a failed log-in."""
    user_login_failed.send(sender=__name__, credentials=TOKEN_CREDENTIALS, request=request)


def unlock(*, username: str | None = None, address: str | None = None) -> int:
    """Forget the failures recorded for a username and/or an address (the admin's unlock);
    returns how many failures were forgotten."""
    matching = Q(pk__in=[])
    if username:
        matching |= Q(username=username)
    if address:
        matching |= Q(ip_address=address)
    attempts = AccessAttempt.objects.filter(matching)
    forgotten = _failures(attempts)
    attempts.delete()
    return forgotten
