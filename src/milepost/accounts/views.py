from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from milepost.accounts import selectors, services
from milepost.accounts.forms import ApiTokenForm
from milepost.accounts.http import AuthenticatedRequest


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
