from __future__ import annotations

from collections.abc import Callable
from typing import Any

from auditlog.middleware import AuditlogMiddleware
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponseBase
from django.urls import Resolver404, resolve, reverse

from milepost.accounts import lockout, second_factor


class LoginRequiredExceptApiMiddleware(LoginRequiredMiddleware):
    """Every page needs a login, except the REST API, which authenticates each request
    itself (bearer token or session) and answers 401 rather than redirecting."""

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponseBase | None:
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class SecondFactorMiddleware:
    """Hold a signed-in user who still owes a second factor at the verification or enrolment
    page (accounts/second_factor.py); the API refuses their session (401), bearer tokens work."""

    # Pages open while a second factor is due: the two-factor pages themselves, log-out, about.
    OPEN_PAGES = frozenset({"two-factor", "two-factor-verify", "logout", "login", "about"})

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        due = second_factor.due_for(request)
        if due:
            if request.path_info.startswith("/api/"):
                second_factor.hide_unverified_user(request)
            elif self._url_name(request) not in self.OPEN_PAGES:
                page = "two-factor-verify" if due == second_factor.VERIFY else "two-factor"
                return redirect_to_login(request.get_full_path(), reverse(page), "next")
        return self.get_response(request)

    @staticmethod
    def _url_name(request: HttpRequest) -> str | None:
        try:
            return resolve(request.path_info).url_name
        except Resolver404:
            return None


class AuditActorMiddleware(AuditlogMiddleware):
    """Names who acts on every change a request makes (the audit trail, accounts/audit.py).

    The caller's address is taken as the log-in lockout takes it (REMOTE_ADDR, or what the
    TRUSTED_PROXY_COUNT proxies saw), never from an X-Forwarded-For any client can write."""

    @staticmethod
    def _get_remote_addr(request: HttpRequest) -> str | None:
        return lockout.client_address(request)

    @staticmethod
    def _get_remote_port(request: HttpRequest) -> int | None:
        return None
