from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from milepost.accounts import second_factor, selectors, services
from milepost.accounts.forms import ApiTokenForm, NotificationSettingsForm, SecondFactorCodeForm
from milepost.accounts.http import AuthenticatedRequest
from milepost.accounts.selectors import visible_units
from milepost.lib.form_errors import add_service_errors


@login_required
def api_tokens(request: AuthenticatedRequest) -> HttpResponse:
    new_token = None
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _, new_token = services.issue_api_token(
            acting_user=request.user,
            name=form.cleaned_data["name"].strip() or "API token",
            scope=form.cleaned_data["scope"],
            lifetime_days=form.lifetime_days,
        )
        messages.success(request, "Token created. Copy it now: it will not be shown again.")
        form = ApiTokenForm()
    tokens = request.user.api_tokens.all()
    return render(
        request,
        "accounts/api_tokens.html",
        {"tokens": tokens, "new_token": new_token, "form": form, "now": timezone.now()},
    )


@login_required
@require_POST
def revoke_api_token_view(request: AuthenticatedRequest, token_id: int) -> HttpResponse:
    services.revoke_api_token(acting_user=request.user, token_id=token_id)
    messages.success(request, "Token revoked.")
    return redirect("api-tokens")


@login_required
def notifications(request: AuthenticatedRequest) -> HttpResponse:
    """The user's inbox; POST marks everything read."""
    if request.method == "POST":
        count = services.mark_notifications_read(acting_user=request.user)
        messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked read.")
        return redirect("notifications")
    page = Paginator(selectors.notifications_of(request.user), settings.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "accounts/notifications.html", {"page_obj": page})


@login_required
def notification_settings(request: AuthenticatedRequest) -> HttpResponse:
    """Whether notifications also go to the person's email address."""
    # An unticked box sends an empty form: bind on the method, not on the data.
    form = NotificationSettingsForm(
        request.POST if request.method == "POST" else None,
        initial={"email_notifications": request.user.email_notifications},
    )
    if request.method == "POST" and form.is_valid():
        enabled = form.cleaned_data["email_notifications"]
        services.set_email_notifications(acting_user=request.user, enabled=enabled)
        messages.success(
            request,
            "Notifications will also be emailed to you."
            if enabled
            else "Notifications stay in your inbox; no more emails.",
        )
        return redirect("notification-settings")
    return render(request, "accounts/notification_settings.html", {"form": form})


@login_required
def two_factor_view(request: AuthenticatedRequest) -> HttpResponse:
    """Two-factor log-in: its state, and setting up an authenticator app (QR code, then a code)."""
    form = SecondFactorCodeForm(request.POST or None)
    recovery_codes: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            recovery_codes = second_factor.confirm_authenticator(
                acting_user=request.user, request=request, code=form.cleaned_data["code"]
            )
        except ValidationError as refused:
            add_service_errors(form, refused)
        else:
            messages.success(request, "Two-factor log-in is on.")
    enrolled = second_factor.has_authenticator(request.user)
    pending = None if enrolled else second_factor.pending_authenticator(acting_user=request.user)
    return render(
        request,
        "accounts/two_factor.html",
        {
            "form": form,
            "enrolled": enrolled,
            "required": second_factor.is_required_for(request.user),
            "qr_code": second_factor.qr_code_data_uri(pending) if pending else "",
            "secret": second_factor.secret_for_typing(pending) if pending else "",
            "recovery_codes": recovery_codes,
            "codes_left": second_factor.recovery_codes_left(request.user) if enrolled else 0,
        },
    )


@login_required
@require_POST
def two_factor_codes_view(request: AuthenticatedRequest) -> HttpResponse:
    """Replace the recovery codes (the old ones stop working)."""
    if not second_factor.has_authenticator(request.user):
        return redirect("two-factor")
    codes = second_factor.replace_recovery_codes(acting_user=request.user)
    messages.success(request, "New recovery codes made: the old ones no longer work.")
    return render(
        request,
        "accounts/two_factor.html",
        {"enrolled": True, "recovery_codes": codes, "codes_left": len(codes)},
    )


@login_required
def two_factor_verify_view(request: AuthenticatedRequest) -> HttpResponse:
    """The step after the password: a code from the authenticator app or a recovery code."""
    if second_factor.due_for(request) != second_factor.VERIFY:
        return redirect(_safe_next(request))
    form = SecondFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            second_factor.verify_second_factor(
                acting_user=request.user, request=request, code=form.cleaned_data["code"]
            )
        except ValidationError as refused:
            add_service_errors(form, refused)
        else:
            return redirect(_safe_next(request))
    return render(request, "accounts/two_factor_verify.html", {"form": form})


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else reverse("home")


UNIT_SEARCH_RESULTS = 20


@require_GET
def unit_search(request: AuthenticatedRequest) -> JsonResponse:
    """Units the user may see whose name or code contains `q`, for unit drop-downs too large
    to draw whole (accounts/unit_fields.py); at most 20, in chart order."""
    query = request.GET.get("q", "").strip()[:100]
    if len(query) < 2:
        return JsonResponse({"results": []})
    units = (
        visible_units(request.user)
        .filter(Q(name__icontains=query) | Q(code__icontains=query))
        .order_by("path")
        .only("pk", "name", "code")[:UNIT_SEARCH_RESULTS]
    )
    return JsonResponse(
        {
            "results": [
                {"id": unit.pk, "code": unit.code, "label": f"{unit.name} ({unit.code})"}
                for unit in units
            ]
        }
    )
