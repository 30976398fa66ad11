"""Logging an interaction with a client, and closing the next step it led to."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from milepost.accounts.access import can_view_clients, require
from milepost.accounts.http import AuthenticatedRequest
from milepost.clients import selectors
from milepost.clients.forms import InteractionForm
from milepost.clients.models import InteractionKind
from milepost.clients.services import interactions as services
from milepost.clients.views.clients import LIST_DENIED, client_to_edit
from milepost.lib.form_errors import add_service_errors


@require_http_methods(["GET", "POST"])
def interaction_create(request: AuthenticatedRequest, client_id: int) -> HttpResponse:
    user = request.user
    client = client_to_edit(request, client_id)
    form = InteractionForm(
        request.POST or None,
        contacts=selectors.contacts_of(client).filter(is_active=True),
        needs=selectors.client_needs(user, client),
        initial={"occurred_at": timezone.localtime().replace(second=0, microsecond=0)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_interaction(acting_user=user, client=client, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            kind = InteractionKind(form.cleaned_data["kind"]).label.lower()
            messages.success(request, f"The {kind} is on {client}'s timeline.")
            return redirect(client)
    return render(request, "clients/interaction_form.html", {"form": form, "client": client})


@require_POST
def next_step_done(
    request: AuthenticatedRequest, client_id: int, interaction_id: int
) -> HttpResponseBase:
    user = request.user
    require(can_view_clients(user), LIST_DENIED)
    client = selectors.get_client(user, client_id)
    interaction = get_object_or_404(selectors.timeline(user, client), pk=interaction_id)
    interaction.client = client
    try:
        services.complete_next_step(acting_user=user, interaction=interaction)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Done: {interaction.next_step}.")
    return redirect(client)
