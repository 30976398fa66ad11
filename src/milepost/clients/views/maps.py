"""Stakeholder map pages: the map (SVG, data table, consensus), its downloads, stakeholder
forms, asking colleagues, a colleague's answer and the version history."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from milepost.accounts.access import can_view_clients, require
from milepost.accounts.http import AuthenticatedRequest
from milepost.accounts.models import Role, User
from milepost.clients import map_drawing, selectors
from milepost.clients.models import MapStatus, ReviewAnswer, StakeholderMap
from milepost.clients.selectors import maps as map_selectors
from milepost.clients.services import maps as map_services
from milepost.clients.stakeholder_forms import AnswerForm, AskColleaguesForm, StakeholderForm
from milepost.lib.form_errors import add_service_errors

DOWNLOADS = {
    "svg": "image/svg+xml; charset=utf-8",
    "png": "image/png",
    "pdf": "application/pdf",
}


def _map_page(request: AuthenticatedRequest, stakeholder_map: StakeholderMap) -> HttpResponse:
    stakeholders = list(map_selectors.stakeholders_of(stakeholder_map))
    picture = map_drawing.map_picture(stakeholder_map, stakeholders)
    consensus = map_selectors.consensus(stakeholder_map)
    my_review = next(
        (
            review
            for review in [*consensus.waiting, *consensus.agreed, *consensus.challenged]
            if review.colleague_id == request.user.pk
        ),
        None,
    )
    return render(
        request,
        "clients/maps/map_detail.html",
        {
            "map": stakeholder_map,
            "picture": picture,
            "svg": map_drawing.render_svg(picture),
            "consensus": consensus,
            "my_review": my_review if stakeholder_map.status == MapStatus.IN_REVIEW else None,
            "can_edit": map_services.can_edit_map(request.user, stakeholder_map),
        },
    )


@require_GET
def own_map_view(request: AuthenticatedRequest) -> HttpResponseBase:
    require(can_view_clients(request.user), map_selectors.READ_DENIED)
    return _map_page(request, map_services.get_own_map(acting_user=request.user))


@require_GET
def client_map_view(request: AuthenticatedRequest, client_id: int) -> HttpResponseBase:
    require(can_view_clients(request.user), map_selectors.READ_DENIED)
    client = selectors.get_client(request.user, client_id)
    return _map_page(request, map_services.get_client_map(acting_user=request.user, client=client))


@require_GET
def map_view(request: AuthenticatedRequest, map_id: int) -> HttpResponseBase:
    return _map_page(request, map_selectors.get_map(request.user, map_id))


@require_GET
def map_download(request: AuthenticatedRequest, map_id: int) -> HttpResponseBase:
    """?format=svg|png|pdf: the map as it stands now."""
    stakeholder_map = map_selectors.get_map(request.user, map_id)
    kind = request.GET.get("format", "svg")
    if kind not in DOWNLOADS:
        raise Http404("Maps download as svg, png or pdf.")
    picture = map_drawing.map_picture(
        stakeholder_map, list(map_selectors.stakeholders_of(stakeholder_map))
    )
    if kind == "svg":
        body: bytes = map_drawing.render_svg(picture, standalone=True).encode()
    elif kind == "png":
        body = map_drawing.render_png(picture)
    else:
        body = map_drawing.render_pdf(
            picture,
            subtitle=(
                f"Version {stakeholder_map.version}, {stakeholder_map.get_status_display()}"
                + (
                    f", review by {stakeholder_map.review_by:%d %b %Y}"
                    if stakeholder_map.review_by
                    else ""
                )
            ),
        )
    response = HttpResponse(body, content_type=DOWNLOADS[kind])
    name = slugify(picture.title) or "stakeholder-map"
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response


def _internal_people() -> QuerySet[User]:
    return (
        User.objects.filter(is_active=True)
        .exclude(role=Role.EMPLOYER_CONTACT)
        .order_by("last_name", "first_name", "username")
    )


@require_http_methods(["GET", "POST"])
def stakeholder_add(request: AuthenticatedRequest, map_id: int) -> HttpResponseBase:
    stakeholder_map = map_selectors.get_map(request.user, map_id)
    map_services.require_map_editor(request.user, stakeholder_map)
    form = StakeholderForm(
        request.POST or None, stakeholder_map=stakeholder_map, people=_internal_people()
    )
    if request.method == "POST" and form.is_valid():
        try:
            stakeholder = map_services.add_stakeholder(
                acting_user=request.user,
                stakeholder_map=stakeholder_map,
                **form.service_arguments(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{stakeholder.name} is on the map.")
            return redirect("clients:map", stakeholder_map.pk)
    return render(
        request,
        "clients/maps/stakeholder_form.html",
        {"map": stakeholder_map, "form": form, "stakeholder": None},
    )


@require_http_methods(["GET", "POST"])
def stakeholder_edit(request: AuthenticatedRequest, stakeholder_id: int) -> HttpResponseBase:
    stakeholder = map_selectors.get_stakeholder(request.user, stakeholder_id)
    stakeholder_map = stakeholder.map
    map_services.require_map_editor(request.user, stakeholder_map)
    initial = {field: getattr(stakeholder, field) for field in map_services.STAKEHOLDER_EDITABLE}
    form = StakeholderForm(
        request.POST or None,
        initial=initial,
        stakeholder_map=stakeholder_map,
        people=_internal_people(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            map_services.update_stakeholder(
                acting_user=request.user, stakeholder=stakeholder, **form.service_arguments()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{stakeholder.name} is changed.")
            return redirect("clients:map", stakeholder_map.pk)
    return render(
        request,
        "clients/maps/stakeholder_form.html",
        {"map": stakeholder_map, "form": form, "stakeholder": stakeholder},
    )


@require_POST
def stakeholder_remove(request: AuthenticatedRequest, stakeholder_id: int) -> HttpResponseBase:
    stakeholder = map_selectors.get_stakeholder(request.user, stakeholder_id)
    map_id, name = stakeholder.map_id, stakeholder.name
    map_services.remove_stakeholder(acting_user=request.user, stakeholder=stakeholder)
    messages.success(request, f"{name} is off the map.")
    return redirect("clients:map", map_id)


@require_http_methods(["GET", "POST"])
def map_ask(request: AuthenticatedRequest, map_id: int) -> HttpResponseBase:
    stakeholder_map = map_selectors.get_map(request.user, map_id)
    map_services.require_map_editor(request.user, stakeholder_map)
    form = AskColleaguesForm(
        request.POST or None,
        initial={"agreement_share": stakeholder_map.agreement_share},
        people=map_selectors.colleagues_to_ask(stakeholder_map).exclude(pk=request.user.pk),
    )
    if request.method == "POST" and form.is_valid():
        try:
            version = map_services.ask_colleagues(
                acting_user=request.user,
                stakeholder_map=stakeholder_map,
                colleagues=list(form.cleaned_data["colleagues"]),
                note=form.cleaned_data["note"],
                agreement_share=form.cleaned_data["agreement_share"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"Version {version.number} is with {version.reviews.count()} colleagues to "
                "confirm.",
            )
            return redirect("clients:map", stakeholder_map.pk)
    return render(
        request,
        "clients/maps/map_ask.html",
        {
            "map": stakeholder_map,
            "form": form,
            "count": stakeholder_map.stakeholders.count(),
        },
    )


@require_http_methods(["GET", "POST"])
def map_review_answer(request: AuthenticatedRequest, review_id: int) -> HttpResponseBase:
    """The colleague's page: the version they were asked about, and their answer."""
    review = map_selectors.get_review(request.user, review_id)
    version = review.version
    stakeholder_map = version.map
    initial = {"answer": review.answer, "comment": review.comment}
    if review.answer == ReviewAnswer.PENDING:
        initial = {}
    form = AnswerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            map_services.answer_review(
                acting_user=request.user,
                review=review,
                answer=form.cleaned_data["answer"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Thank you: your answer is recorded.")
            return redirect("clients:map-review", review.pk)
    picture = map_drawing.picture_rows(
        version.stakeholders,
        title=f"{stakeholder_map}, version {version.number}",
        centre=map_drawing.centre_name(stakeholder_map),
    )
    is_open = (
        stakeholder_map.status == MapStatus.IN_REVIEW and stakeholder_map.version == version.number
    )
    return render(
        request,
        "clients/maps/map_review.html",
        {
            "review": review,
            "version": version,
            "map": stakeholder_map,
            "picture": picture,
            "svg": map_drawing.render_svg(picture),
            "form": form,
            "is_open": is_open,
        },
    )


@require_GET
def map_history(request: AuthenticatedRequest, map_id: int) -> HttpResponseBase:
    stakeholder_map = map_selectors.get_map(request.user, map_id)
    return render(
        request,
        "clients/maps/map_history.html",
        {"map": stakeholder_map, "versions": map_selectors.versions_of(stakeholder_map)},
    )
