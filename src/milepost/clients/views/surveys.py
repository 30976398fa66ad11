"""Service satisfaction: sending a client's contacts the survey, its results per client and
across clients, and the public page a contact answers it on (no login: the link's token)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from milepost.accounts.access import CLIENT_DENIED, can_edit_client, can_view_clients, require
from milepost.accounts.http import AuthenticatedRequest
from milepost.clients import selectors
from milepost.clients.models import SURVEY_ITEMS
from milepost.clients.selectors import surveys as survey_selectors
from milepost.clients.services import surveys as survey_services
from milepost.clients.views.clients import LIST_DENIED
from milepost.lib.charts import line_chart
from milepost.lib.exports import requested_format, table_response
from milepost.lib.form_errors import add_service_errors

LINK_STATUS = {"unknown": 404, "answered": 410, "expired": 410}
ITEM_HEADERS = [label for _, label in SURVEY_ITEMS]


def _tally_cells(tally: survey_selectors.Tally) -> list[Any]:
    return [
        tally.responses,
        tally.promoters,
        tally.passives,
        tally.detractors,
        tally.nps,
        tally.recommend_mean,
        *[mean for _, mean in tally.item_list],
    ]


TALLY_HEADERS = [
    "Responses",
    "Promoters (9-10)",
    "Passives (7-8)",
    "Detractors (0-6)",
    "NPS",
    "Mean recommend (0-10)",
    *[f"{label} (mean 1-5)" for label in ITEM_HEADERS],
]


def _nps_chart(periods: list[survey_selectors.Period], title: str) -> Any:
    return line_chart(
        title,
        [period.label for period in periods],
        [
            ("Promoters", [p.tally.promoters for p in periods]),
            ("Passives", [p.tally.passives for p in periods]),
            ("Detractors", [p.tally.detractors for p in periods]),
        ],
        series_heading="Answers",
        empty_text="No survey answers in the last two years.",
    )


@require_http_methods(["GET", "POST"])
def survey_send(request: AuthenticatedRequest, client_id: int) -> HttpResponseBase:
    require(can_view_clients(request.user), LIST_DENIED)
    client = selectors.get_client(request.user, client_id)
    require(can_edit_client(request.user, owner_id=client.owner_id), CLIENT_DENIED)
    error = ""
    if request.method == "POST":
        try:
            sent = survey_services.send_survey(acting_user=request.user, client=client)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            parts = [f"Survey sent to {len(sent.invitations)} contact(s)."]
            if sent.already_invited:
                names = ", ".join(contact.name for contact in sent.already_invited)
                parts.append(f"Not sent again to {names}: their link is still open.")
            if sent.without_email:
                names = ", ".join(contact.name for contact in sent.without_email)
                parts.append(f"No email address for {names}.")
            messages.success(request, " ".join(parts))
            return redirect(reverse("clients:survey-results", args=[client.pk]))
    return render(
        request,
        "clients/survey_send.html",
        {
            "client": client,
            "contacts": selectors.contacts_of(client).filter(is_active=True),
            "warning": survey_services.stage_warning(client),
            "days": survey_services.INVITATION_DAYS,
            "error": error,
        },
        status=400 if error else 200,
    )


@require_GET
def survey_results(request: AuthenticatedRequest, client_id: int) -> HttpResponseBase:
    require(can_view_clients(request.user), LIST_DENIED)
    client = selectors.get_client(request.user, client_id)
    responses = survey_selectors.client_responses(client)
    export = requested_format(request)
    if export:
        header = ["Answered", "Contact", "Recommend (0-10)", *ITEM_HEADERS, "Comment"]
        rows = (
            [
                response.answered_at.date().isoformat(),
                response.invitation.contact.name,
                response.recommend,
                *[response.items.get(key) for key, _ in SURVEY_ITEMS],
                response.comment,
            ]
            for response in responses.iterator(chunk_size=1000)
        )
        return table_response(export, f"survey-{client.pk}", header, rows)
    periods = survey_selectors.results_by_quarter(responses)
    return render(
        request,
        "clients/survey_results.html",
        {
            "client": client,
            "overall": survey_selectors.overall(responses),
            "periods": [period for period in periods if period.tally.responses],
            "chart": _nps_chart(periods, f"Answers from {client.name} by quarter"),
            "answers": [
                (response, [response.items.get(key) for key, _ in SURVEY_ITEMS])
                for response in responses[: settings.PAGE_SIZE]
            ],
            "invitations": survey_selectors.client_invitations(client)[: settings.PAGE_SIZE],
            "items": SURVEY_ITEMS,
            "can_send": can_edit_client(request.user, owner_id=client.owner_id),
            "warning": survey_services.stage_warning(client),
        },
    )


@require_GET
def survey_overview(request: AuthenticatedRequest) -> HttpResponseBase:
    require(can_view_clients(request.user), LIST_DENIED)
    clients = survey_selectors.results_by_client(request.user)
    export = requested_format(request)
    if export:
        rows = (
            [
                result.client.name,
                result.client.get_kind_display(),
                *_tally_cells(result.tally),
                result.last_answered.date().isoformat() if result.last_answered else "",
            ]
            for result in map(survey_selectors.client_result, clients.iterator(chunk_size=1000))
        )
        header = ["Client", "Kind", *TALLY_HEADERS, "Last answer"]
        return table_response(export, "survey-results", header, rows)
    responses = survey_selectors.visible_responses(request.user)
    periods = survey_selectors.results_by_quarter(responses)
    page = Paginator(clients, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "clients/survey_overview.html",
        {
            "overall": survey_selectors.overall(responses),
            "chart": _nps_chart(periods, "Answers from every client by quarter"),
            "periods": [period for period in periods if period.tally.responses],
            "page_obj": page,
            "results": [survey_selectors.client_result(client) for client in page.object_list],
            "items": SURVEY_ITEMS,
        },
    )


class SurveyForm(forms.Form):
    recommend = forms.TypedChoiceField(
        label="How likely are you to recommend our training service to a colleague?",
        choices=[(str(n), str(n)) for n in range(11)],
        coerce=int,
        widget=forms.RadioSelect,
        help_text="0: not at all likely · 10: extremely likely",
    )
    comment = forms.CharField(
        label="Anything you would like to tell us?",
        required=False,
        max_length=survey_services.COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label in SURVEY_ITEMS:
            self.fields[key] = forms.TypedChoiceField(
                label=label,
                choices=[(str(n), str(n)) for n in range(1, 6)],
                coerce=int,
                widget=forms.RadioSelect,
                help_text="1: strongly disagree · 5: strongly agree",
            )
        # The comment last, after the items.
        self.order_fields(["recommend", *[key for key, _ in SURVEY_ITEMS], "comment"])


def _link_problem(request: HttpRequest, error: survey_services.SurveyLinkError) -> HttpResponseBase:
    return render(
        request,
        "clients/survey_closed.html",
        {"reason": error.reason, "message": error.message},
        status=LINK_STATUS[error.reason],
    )


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def survey_answer(request: HttpRequest, token: str) -> HttpResponseBase:
    """The public page a contact answers the survey on: the link's token is their key."""
    try:
        invitation = survey_services.open_invitation(token)
    except survey_services.SurveyLinkError as error:
        return _link_problem(request, error)
    form = SurveyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey_services.answer_survey(
                token=token,
                recommend=data["recommend"],
                items={key: data[key] for key, _ in SURVEY_ITEMS},
                comment=data["comment"],
            )
        except survey_services.SurveyLinkError as error:
            return _link_problem(request, error)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return render(
                request, "clients/survey_thanks.html", {"client_name": invitation.client.name}
            )
    return render(
        request,
        "clients/survey_answer.html",
        {"form": form, "invitation": invitation},
        status=400 if form.errors else 200,
    )
