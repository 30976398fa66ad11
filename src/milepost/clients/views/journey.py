"""The journey map (stages as columns, clients as rows) and one client's journey."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from milepost.accounts.access import can_edit_client, can_view_clients, require
from milepost.accounts.http import AuthenticatedRequest
from milepost.clients import selectors
from milepost.clients.models import Client, JourneyStage, Kind
from milepost.clients.selectors import journey as journey_selectors
from milepost.clients.selectors.journey import JourneyFilters, person_name
from milepost.clients.services import journey as journey_services
from milepost.clients.views.clients import LIST_DENIED
from milepost.lib.exports import requested_format, table_response
from milepost.lib.form_errors import add_service_errors


class JourneyFilterForm(forms.Form):
    q = forms.CharField(label="Client", required=False, max_length=200)
    kind = forms.ChoiceField(label="Kind", required=False, choices=[("", "Any"), *Kind.choices])
    owner = forms.ChoiceField(label="Owner", required=False)
    stage = forms.ChoiceField(label="Current stage", required=False)

    def __init__(self, *args: Any, owners: Any, stages: list[JourneyStage], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [  # type: ignore[attr-defined]
            ("", "Anyone"),
            ("none", "No owner"),
            *[(str(user.pk), person_name(user)) for user in owners],
        ]
        self.fields["stage"].choices = [  # type: ignore[attr-defined]
            ("", "Any"),
            *[(str(s.pk), s.name) for s in stages],
        ]

    def filters(self, template_id: int | None) -> JourneyFilters:
        data = self.cleaned_data if self.is_valid() else {}
        owner = data.get("owner", "")
        return JourneyFilters(
            template=template_id,
            q=data.get("q", "").strip(),
            kind=data.get("kind", ""),
            owner=int(owner) if owner and owner != "none" else None,
            no_owner=owner == "none",
            stage=int(data["stage"]) if data.get("stage") else None,
        )


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@require_GET
def journey_map(request: AuthenticatedRequest) -> HttpResponseBase:
    require(can_view_clients(request.user), LIST_DENIED)
    template = journey_selectors.chosen_template(_int(request.GET.get("template")))
    stages = journey_selectors.stages_of(template) if template else []
    form = JourneyFilterForm(
        request.GET, owners=journey_selectors.journey_owners(request.user), stages=stages
    )
    filters = form.filters(template.pk if template else None)
    if template is None:
        clients = Client.objects.none()
    else:
        clients = journey_selectors.journey_clients(request.user, template, filters)
    export = requested_format(request)
    if export:
        header = ["Client", "Kind", "Owner", "Current stage", *[s.name for s in stages]]
        rows = journey_selectors.journey_export_rows(clients, stages)
        return table_response(export, "journey-map", header, rows)
    page = Paginator(clients, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "clients/journey_map.html",
        {
            "template": template,
            "templates": journey_selectors.journey_templates(),
            "stages": stages,
            "form": form,
            "filtered": filters.filtered,
            "page_obj": page,
            "rows": journey_selectors.journey_rows(page.object_list, stages),
            "summaries": journey_selectors.stage_summaries(clients, stages),
        },
    )


class MoveForm(forms.Form):
    stage = forms.ModelChoiceField(queryset=JourneyStage.objects.none(), label="Move to")
    note = forms.CharField(
        label="Note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why, and what was agreed (needed when going back to an earlier stage).",
    )

    def __init__(self, *args: Any, client: Client, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = client.journey.stages.order_by("position")  # type: ignore[attr-defined]


class ResponsibleForm(forms.Form):
    responsible = forms.ModelChoiceField(
        queryset=journey_selectors.responsible_candidates(),
        required=False,
        empty_label="Nobody yet",
        label="Responsible",
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = journey_selectors.responsible_candidates()  # type: ignore[attr-defined]
        self.fields["responsible"].label_from_instance = person_name  # type: ignore[attr-defined]


def _journey_page(
    request: AuthenticatedRequest,
    client: Client,
    *,
    move_form: MoveForm | None = None,
    failed_stage: int | None = None,
    failed_form: ResponsibleForm | None = None,
    status: int = 200,
) -> HttpResponseBase:
    can_edit = can_edit_client(request.user, owner_id=client.owner_id)
    path = journey_selectors.client_path(client)
    responsible_forms = []
    for item in path:
        if failed_form is not None and failed_stage == item.stage.pk:
            form = failed_form
        else:
            form = ResponsibleForm(
                initial={"responsible": item.responsible},
                prefix=f"stage-{item.stage.pk}",
            )
        responsible_forms.append((item, form))
    return render(
        request,
        "clients/client_journey.html",
        {
            "client": client,
            "path": responsible_forms,
            "history": journey_selectors.stage_history(client),
            "can_edit": can_edit,
            "move_form": move_form or MoveForm(client=client),
            "nobody_count": sum(1 for item in path if item.nobody),
        },
        status=status,
    )


@require_GET
def client_journey(request: AuthenticatedRequest, client_id: int) -> HttpResponseBase:
    require(can_view_clients(request.user), LIST_DENIED)
    return _journey_page(request, selectors.get_client(request.user, client_id))


@require_POST
def journey_move(request: AuthenticatedRequest, client_id: int) -> HttpResponseBase:
    require(can_view_clients(request.user), LIST_DENIED)
    client = selectors.get_client(request.user, client_id)
    form = MoveForm(request.POST, client=client)
    if form.is_valid():
        try:
            journey_services.move_to_stage(
                acting_user=request.user,
                client=client,
                stage=form.cleaned_data["stage"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{client.name} is now at {form.cleaned_data['stage']}.")
            return redirect(reverse("clients:journey", args=[client.pk]))
    else:
        require(can_edit_client(request.user, owner_id=client.owner_id))
    return _journey_page(request, client, move_form=form, status=400)


@require_POST
def journey_responsible(request: AuthenticatedRequest, client_id: int) -> HttpResponseBase:
    require(can_view_clients(request.user), LIST_DENIED)
    client = selectors.get_client(request.user, client_id)
    stage_id = _int(request.POST.get("stage_id"))
    stage = get_object_or_404(JourneyStage, pk=stage_id, template_id=client.journey_id)
    form = ResponsibleForm(request.POST, prefix=f"stage-{stage.pk}")
    if form.is_valid():
        try:
            journey_services.set_responsible(
                acting_user=request.user,
                client=client,
                stage=stage,
                responsible=form.cleaned_data["responsible"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            who = person_name(form.cleaned_data["responsible"]) or "nobody (flagged)"
            messages.success(request, f"{stage.name}: {who}.")
            return redirect(reverse("clients:journey", args=[client.pk]) + f"#stage-{stage.pk}")
    else:
        require(can_edit_client(request.user, owner_id=client.owner_id))
    return _journey_page(request, client, failed_stage=stage.pk, failed_form=form, status=400)
