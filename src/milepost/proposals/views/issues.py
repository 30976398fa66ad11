"""The business issues register: the list, an issue's page, recording and editing issues and
their metrics, changing an issue's status, and promoting a need or a demand theme into an issue."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from milepost.accounts.access import (
    PROPOSAL_DENIED,
    can_edit_proposals,
    can_view_clients,
    require,
)
from milepost.accounts.http import AuthenticatedRequest
from milepost.accounts.models import Role
from milepost.clients.models import Contact
from milepost.lib.exports import requested_format, table_response
from milepost.lib.form_errors import add_service_errors
from milepost.needs.selectors import get_need, visible_themes
from milepost.proposals import selectors_issues as selectors
from milepost.proposals.forms_issues import (
    IssueFilterForm,
    IssueForm,
    IssueStatusForm,
    MetricForm,
    PromoteNeedForm,
    PromoteThemeForm,
)
from milepost.proposals.models import BusinessIssue, Metric
from milepost.proposals.selectors_issues import IssueFilters
from milepost.proposals.services import issues as services

REGISTER_DENIED = (
    "The business issues register is for L&D, account managers, quality leads, executives and "
    "the managers of internal clients."
)
EXPORT_HEADER = (
    "ID",
    "Client",
    "Issue",
    "Owner at the client",
    "Priority",
    "Status",
    "Metrics",
    "Drop reason",
    "Recorded",
)


def require_reader(request: AuthenticatedRequest) -> None:
    """Readers of the register get on; an employer contact is sent on to the scoped lookup (which
    finds nothing: 404); every other role is refused (403)."""
    if request.user.role != Role.EMPLOYER_CONTACT:
        require(can_view_clients(request.user), REGISTER_DENIED)


def _filters(form: IssueFilterForm) -> IssueFilters:
    if not form.is_valid():
        return IssueFilters()
    data = form.cleaned_data
    return IssueFilters(
        q=data["q"].strip(),
        client=data["client"],
        status=data["status"],
        priority=data["priority"],
        owner=data["owner"],
    )


@require_GET
def issue_list(request: AuthenticatedRequest) -> HttpResponseBase:
    user = request.user
    require(can_view_clients(user), REGISTER_DENIED)
    clients = selectors.visible_clients(user)
    form = IssueFilterForm(request.GET, clients=clients, owners=selectors.issue_owners(user))
    filters = _filters(form)
    issues = selectors.issue_list(user, filters)
    if not form.is_valid():
        issues = issues.none()
    export_format = requested_format(request)
    if export_format:
        return table_response(export_format, "business-issues", EXPORT_HEADER, _rows(issues))
    page = Paginator(issues, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    client = next((c for c in clients if c.pk == filters.client), None)
    return render(
        request,
        "proposals/issue_list.html",
        {
            "form": form,
            "page_obj": page,
            "client": client,
            "filtered": any(request.GET.get(name) for name in form.fields),
            "can_create": bool(selectors.editable_clients(user)),
        },
    )


def _rows(issues: QuerySet[BusinessIssue]) -> Iterator[list[Any]]:
    for issue in issues:
        yield [
            issue.pk,
            issue.client.name,
            issue.title,
            issue.owner.name if issue.owner else "",
            issue.get_priority_display(),
            issue.get_status_display(),
            issue.metric_count,  # type: ignore[attr-defined]
            issue.drop_reason,
            issue.created_at.date().isoformat(),
        ]


@require_GET
def issue_detail(request: AuthenticatedRequest, issue_id: int) -> HttpResponse:
    require_reader(request)
    issue = selectors.get_issue(request.user, issue_id)
    can_edit = can_edit_proposals(request.user, owner_id=issue.client.owner_id)
    return render(
        request,
        "proposals/issue_detail.html",
        {
            "issue": issue,
            "page": selectors.issue_page(request.user, issue),
            "history": selectors.status_history(issue),
            "can_edit": can_edit,
            "status_form": IssueStatusForm(initial={"status": issue.status}) if can_edit else None,
            "metric_form": MetricForm() if can_edit else None,
        },
    )


def issue_to_edit(request: AuthenticatedRequest, issue_id: int) -> BusinessIssue:
    """The issue, if the user may see it (404 otherwise) and change it (403 otherwise)."""
    require_reader(request)
    issue = selectors.get_issue(request.user, issue_id)
    require(can_edit_proposals(request.user, owner_id=issue.client.owner_id), PROPOSAL_DENIED)
    return issue


@require_http_methods(["GET", "POST"])
def issue_create(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    require_reader(request)
    clients = selectors.editable_clients(user)
    require(bool(clients), PROPOSAL_DENIED)
    wanted = request.GET.get("client", "")
    chosen = next((c for c in clients if str(c.pk) == wanted), None)
    contacts = Contact.objects.filter(
        client__in=[chosen] if chosen else clients, is_active=True
    ).order_by("client__name", "name")
    form = IssueForm(
        request.POST or None,
        clients=clients,
        contacts=contacts,
        initial={"client": chosen.pk} if chosen else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            issue = services.create_issue(acting_user=user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The business issue is recorded; add how it is measured.")
            return redirect("proposals:issue-detail", issue_id=issue.pk)
    return render(request, "proposals/issue_form.html", {"form": form, "issue": None})


@require_http_methods(["GET", "POST"])
def issue_edit(request: AuthenticatedRequest, issue_id: int) -> HttpResponse:
    issue = issue_to_edit(request, issue_id)
    initial = {
        "title": issue.title,
        "description": issue.description,
        "owner": issue.owner_id,
        "priority": issue.priority,
    }
    form = IssueForm(
        request.POST or None,
        clients=None,
        contacts=Contact.objects.filter(client=issue.client).order_by("name"),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_issue(acting_user=request.user, issue=issue, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The business issue is saved.")
            return redirect("proposals:issue-detail", issue_id=issue.pk)
    return render(request, "proposals/issue_form.html", {"form": form, "issue": issue})


@require_POST
def issue_status(request: AuthenticatedRequest, issue_id: int) -> HttpResponse:
    issue = issue_to_edit(request, issue_id)
    form = IssueStatusForm(request.POST)
    if form.is_valid():
        try:
            services.change_issue_status(
                acting_user=request.user,
                issue=issue,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, f"The issue is {issue.get_status_display().lower()} now.")
    else:
        messages.error(request, "Choose a status.")
    return redirect("proposals:issue-detail", issue_id=issue.pk)


def _metric_page(
    request: AuthenticatedRequest, issue: BusinessIssue, metric: Metric | None
) -> HttpResponse:
    """The add and the edit form of a metric: one page, one set of rules (the services')."""
    form = MetricForm(request.POST or None, initial=_metric_initial(metric) if metric else None)
    if request.method == "POST" and form.is_valid():
        try:
            if metric is None:
                services.add_metric(acting_user=request.user, issue=issue, **form.cleaned_data)
            else:
                services.update_metric(acting_user=request.user, metric=metric, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The metric is saved.")
            return redirect("proposals:issue-detail", issue_id=issue.pk)
    return render(
        request,
        "proposals/issue_metric_form.html",
        {"form": form, "issue": issue, "metric": metric},
    )


def _metric_initial(metric: Metric) -> dict[str, Any]:
    def plain(value: Any) -> str:
        return "" if value is None else f"{value.normalize():f}"

    return {
        "name": metric.name,
        "unit": metric.unit,
        "baseline_value": plain(metric.baseline_value),
        "baseline_on": metric.baseline_on,
        "target_value": plain(metric.target_value),
        "target_on": metric.target_on,
        "data_source": metric.data_source,
    }


@require_http_methods(["GET", "POST"])
def metric_create(request: AuthenticatedRequest, issue_id: int) -> HttpResponse:
    return _metric_page(request, issue_to_edit(request, issue_id), None)


@require_http_methods(["GET", "POST"])
def metric_edit(request: AuthenticatedRequest, issue_id: int, metric_id: int) -> HttpResponse:
    issue = issue_to_edit(request, issue_id)
    return _metric_page(request, issue, selectors.get_metric(issue, metric_id))


@require_POST
def metric_remove(request: AuthenticatedRequest, issue_id: int, metric_id: int) -> HttpResponse:
    issue = issue_to_edit(request, issue_id)
    metric = selectors.get_metric(issue, metric_id)
    try:
        services.remove_metric(acting_user=request.user, metric=metric)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"'{metric.name}' is removed.")
    return redirect("proposals:issue-detail", issue_id=issue.pk)


# --- promoting a need or a demand theme (the forms sit on the needs pages, see sections.py) ---


@require_POST
def promote_need_view(request: AuthenticatedRequest, need_id: int) -> HttpResponse:
    need = get_need(request.user, need_id)
    client = need.client
    if client is not None:
        require(can_edit_proposals(request.user, owner_id=client.owner_id), PROPOSAL_DENIED)
    else:  # the service says what to do about a need without a client
        require(bool(selectors.editable_clients(request.user)), PROPOSAL_DENIED)
    form = PromoteNeedForm(request.POST)
    title = form.cleaned_data["title"] if form.is_valid() else ""
    try:
        issue = services.promote_need(acting_user=request.user, need=need, title=title)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("needs:need-detail", need_id=need.pk)
    messages.success(request, "The need is behind a business issue now; add how it is measured.")
    return redirect("proposals:issue-detail", issue_id=issue.pk)


@require_POST
def promote_theme_view(request: AuthenticatedRequest, theme_id: int) -> HttpResponse:
    theme = get_object_or_404(visible_themes(request.user), pk=theme_id)
    clients = selectors.editable_clients(request.user)
    require(bool(clients), PROPOSAL_DENIED)
    form = PromoteThemeForm(request.POST, clients=clients)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))
        return redirect("needs:theme-detail", theme_id=theme.pk)
    try:
        issue = services.promote_theme(acting_user=request.user, theme=theme, **form.cleaned_data)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("needs:theme-detail", theme_id=theme.pk)
    messages.success(request, "The theme is behind a business issue now; add how it is measured.")
    return redirect("proposals:issue-detail", issue_id=issue.pk)
