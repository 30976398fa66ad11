"""The proposal pages: the list (with the rule's share), a new proposal, a proposal's page with
its draft's items and cost lines, the lifecycle buttons, and the employer contact's list.

Every write goes through `proposals.services.proposals`; a proposal outside the viewer's scope
is not found (404), an action their role may not take is refused (403).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from milepost.accounts.access import (
    CLIENT_OWNERS,
    CLIENT_READERS,
    PROPOSAL_DENIED,
    can_edit_proposals,
    has_role,
    require,
)
from milepost.accounts.http import AuthenticatedRequest
from milepost.accounts.models import Role
from milepost.clients.models import Client
from milepost.lib.exports import requested_format, table_response
from milepost.lib.form_errors import add_service_errors
from milepost.lib.sections import rendered_sections
from milepost.proposals import selectors
from milepost.proposals.evaluation_plan import planned_levels, split_plan
from milepost.proposals.forms import (
    ClientChoiceForm,
    CostLineForm,
    DeclineForm,
    ItemForm,
    ProposalFilterForm,
    ProposalForm,
    SponsorFields,
    WithdrawForm,
)
from milepost.proposals.models import CostLine, Proposal, ProposalItem, ProposalStatus
from milepost.proposals.selectors import ProposalFilters
from milepost.proposals.services import proposals as services
from milepost.proposals.signals import proposal_page_sections

READ_DENIED = (
    "Proposals are for L&D, account managers, quality leads, executives, managers of the "
    "client's unit and the client's own contacts."
)
LIST_DENIED = (
    "The proposal list is for L&D, account managers, quality leads, executives and managers; "
    "an employer's contacts find their proposals in their portal."
)
PORTAL_DENIED = "This page lists an employer's proposals for its own contacts."
EXPORT_HEADER = (
    "ID",
    "Title",
    "Version",
    "Client",
    "Sponsor",
    "Status",
    "Meets the rule",
    "Sent",
    "Decided",
)


def _require_reader(request: AuthenticatedRequest) -> None:
    """Everyone who may see some proposal; which ones is the selector's business."""
    require(
        has_role(request.user, CLIENT_READERS | {Role.LINE_MANAGER, Role.EMPLOYER_CONTACT}),
        READ_DENIED,
    )


def _editable(request: AuthenticatedRequest, pk: int) -> Proposal:
    """A proposal the user may see (404 otherwise) and write (403 otherwise)."""
    _require_reader(request)
    proposal = get_object_or_404(
        selectors.visible_proposals(request.user).select_related("client", "engagement"), pk=pk
    )
    require(can_edit_proposals(request.user, owner_id=proposal.client.owner_id), PROPOSAL_DENIED)
    return proposal


def _not_a_draft(request: AuthenticatedRequest, proposal: Proposal) -> HttpResponse | None:
    """Back to the page with the reason when the proposal is no longer a draft."""
    if proposal.is_editable:
        return None
    messages.error(request, services.NOT_A_DRAFT)
    return redirect("proposals:proposal-detail", proposal.pk)


def _submitted(
    request: AuthenticatedRequest,
    proposal: Proposal,
    form: Any,
    save: Callable[[], object],
    done: str,
) -> HttpResponse | None:
    """Run `save` once the posted form is valid: then a message and the proposal's page; None
    when the form or the service refused (the caller shows the form with the errors)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        save()
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
    messages.success(request, done)
    return redirect("proposals:proposal-detail", proposal.pk)


def sponsor_name(proposal: Proposal) -> str:
    if proposal.sponsor_contact is not None:
        return proposal.sponsor_contact.name
    if proposal.sponsor_user is not None:
        return proposal.sponsor_user.get_full_name() or proposal.sponsor_user.username
    return ""


# --- the list -----------------------------------------------------------------------------------


def _filters(form: ProposalFilterForm) -> ProposalFilters:
    if not form.is_valid():
        return ProposalFilters()
    data = form.cleaned_data
    return ProposalFilters(
        q=data["q"].strip(), client=data["client"], status=data["status"], rule=data["rule"]
    )


@require_GET
def proposal_list_view(request: AuthenticatedRequest) -> HttpResponseBase:
    user = request.user
    require(has_role(user, CLIENT_READERS | {Role.LINE_MANAGER}), LIST_DENIED)
    form = ProposalFilterForm(request.GET, clients=selectors.list_clients(user))
    proposals = selectors.proposal_list(user, _filters(form))
    if not form.is_valid():
        proposals = proposals.none()
    export_format = requested_format(request)
    if export_format:
        return table_response(export_format, "proposals", EXPORT_HEADER, _export_rows(proposals))
    page = Paginator(proposals, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    shares, overall = (
        selectors.rule_shares(user) if selectors.can_see_rule_share(user) else ([], None)
    )
    return render(
        request,
        "proposals/proposal_list.html",
        {
            "form": form,
            "page_obj": page,
            "filtered": any(request.GET.get(name) for name in form.fields),
            "can_create": has_role(user, CLIENT_OWNERS),
            "shares": shares,
            "overall": overall,
        },
    )


def _export_rows(proposals: QuerySet[Proposal]) -> Iterator[list[Any]]:
    for proposal in proposals.iterator(chunk_size=2000):
        yield [
            proposal.pk,
            proposal.title,
            proposal.number,
            proposal.client.name,
            sponsor_name(proposal),
            proposal.get_status_display(),
            "yes" if proposal.meets else "no",  # type: ignore[attr-defined]
            proposal.sent_at.date().isoformat() if proposal.sent_at else "",
            proposal.decided_at.date().isoformat() if proposal.decided_at else "",
        ]


# --- a new proposal -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def proposal_create_view(request: AuthenticatedRequest) -> HttpResponse:
    """Choose the client (or come from an engagement), then title, issues and sponsor."""
    user = request.user
    require(has_role(user, CLIENT_OWNERS), PROPOSAL_DENIED)
    source = request.POST if request.method == "POST" else request.GET
    engagement = None
    if source.get("engagement", "").isdigit():
        engagement = selectors.engagement_for(user, int(source["engagement"]))
        if engagement is None:
            raise Http404("No such engagement.")
    client_id = engagement.client_id if engagement else source.get("client", "")
    if not str(client_id).isdigit():
        step = ClientChoiceForm(source or None, clients=selectors.editable_clients(user))
        return render(request, "proposals/proposal_create.html", {"step": step, "form": None})
    client = get_object_or_404(Client.objects.select_related("unit"), pk=int(client_id))
    require(can_edit_proposals(user, owner_id=client.owner_id), PROPOSAL_DENIED)
    initial: dict[str, Any] = {}
    if engagement is not None:
        initial = {
            "title": engagement.title,
            "issues": list(engagement.issues.all()),
            "sponsor_contact": engagement.sponsor_id,
        }
    form = SponsorFields(
        request.POST if request.method == "POST" else None, client=client, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.create_proposal(
                acting_user=user,
                client=client,
                title=form.cleaned_data["title"],
                issues=list(form.cleaned_data["issues"]),
                engagement=engagement,
                **form.sponsor(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The draft is saved: add its solution items next.")
            return redirect("proposals:proposal-detail", proposal.pk)
    return render(
        request,
        "proposals/proposal_create.html",
        {"form": form, "client": client, "engagement": engagement},
    )


# --- a proposal's page --------------------------------------------------------------------------


def _render_detail(
    request: AuthenticatedRequest, proposal: Proposal, status: int = 200, **forms: Any
) -> HttpResponse:
    user = request.user
    full = selectors.get_proposal(user, proposal.pk)
    can_edit = can_edit_proposals(user, owner_id=full.client.owner_id)
    is_sponsor = services.sponsor_login(full) == user and user.is_authenticated
    problems = services.rule_problems(full)
    roi, ratio = services.forecast_roi(full)
    _, evaluation_notes = split_plan(full.evaluation_plan)
    context = {
        "proposal": full,
        "sponsor": sponsor_name(full),
        "items": list(full.items.all()),
        "cost_lines": list(full.cost_lines.all()),
        "issues": list(full.issues.all()),
        "events": list(full.events.all()),
        "total_cost": services.total_cost(full),
        "roi": roi,
        "ratio": ratio,
        "levels": planned_levels(full.evaluation_plan),
        "evaluation_notes": evaluation_notes,
        "problems": problems,
        "can_edit": can_edit and full.is_editable,
        "can_manage": can_edit,
        "can_send": can_edit and full.status == ProposalStatus.DRAFT,
        "can_withdraw": can_edit and ProposalStatus.WITHDRAWN in full.next_statuses,
        "can_revise": can_edit and ProposalStatus.SUPERSEDED in full.next_statuses,
        "can_answer": is_sponsor and full.status == ProposalStatus.SENT,
        "is_contact": user.role == Role.EMPLOYER_CONTACT,
        "cost_form": forms.get("cost_form") or CostLineForm(),
        "decline_form": forms.get("decline_form") or DeclineForm(),
        "withdraw_form": WithdrawForm(),
        "send_errors": forms.get("send_errors", []),
        "sections": rendered_sections(proposal_page_sections, request, proposal=full),
    }
    return render(request, "proposals/proposal_detail.html", context, status=status)


@require_GET
def proposal_detail_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _require_reader(request)
    proposal = get_object_or_404(selectors.visible_proposals(request.user), pk=pk)
    return _render_detail(request, proposal)


@require_http_methods(["GET", "POST"])
def proposal_edit_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    proposal = _editable(request, pk)
    if (refused := _not_a_draft(request, proposal)) is not None:
        return refused
    form = ProposalForm(
        request.POST or None,
        client=proposal.client,
        initial=ProposalForm.initial_for(proposal),
    )
    saved = _submitted(
        request,
        proposal,
        form,
        lambda: services.update_proposal(
            acting_user=request.user, proposal=proposal, **form.service_arguments()
        ),
        "The proposal is saved.",
    )
    return saved or render(
        request, "proposals/proposal_edit.html", {"form": form, "proposal": proposal}
    )


# --- solution items and cost lines -------------------------------------------------------------


def _item_page(
    request: AuthenticatedRequest,
    proposal: Proposal,
    form: ItemForm,
    save: Callable[[dict[str, Any]], object],
    done: str,
    item: ProposalItem | None = None,
) -> HttpResponse:
    saved = _submitted(request, proposal, form, lambda: save(form.service_arguments()), done)
    return saved or render(
        request,
        "proposals/proposal_item_form.html",
        {"form": form, "proposal": proposal, "item": item},
    )


@require_http_methods(["GET", "POST"])
def item_add_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    proposal = _editable(request, pk)
    if (refused := _not_a_draft(request, proposal)) is not None:
        return refused
    form = ItemForm(
        request.POST or None,
        proposal=proposal,
        initial={"issues": list(proposal.issues.all())},
    )
    return _item_page(
        request,
        proposal,
        form,
        lambda values: services.add_item(acting_user=request.user, proposal=proposal, **values),
        "The item is added.",
    )


@require_http_methods(["GET", "POST"])
def item_edit_view(request: AuthenticatedRequest, pk: int, item_pk: int) -> HttpResponse:
    proposal = _editable(request, pk)
    item = selectors.get_item(proposal, item_pk)
    if (refused := _not_a_draft(request, proposal)) is not None:
        return refused
    form = ItemForm(
        request.POST or None, proposal=proposal, item=item, initial=ItemForm.initial_for(item)
    )
    return _item_page(
        request,
        proposal,
        form,
        lambda values: services.update_item(acting_user=request.user, item=item, **values),
        "The item is saved.",
        item,
    )


def _act(
    request: AuthenticatedRequest, proposal: Proposal, action: Callable[[], object], done: str
) -> HttpResponse:
    """Run a lifecycle step; its refusal is shown as a message, and nothing is written."""
    try:
        action()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("proposals:proposal-detail", proposal.pk)


@require_POST
def item_remove_view(request: AuthenticatedRequest, pk: int, item_pk: int) -> HttpResponse:
    proposal = _editable(request, pk)
    item = selectors.get_item(proposal, item_pk)
    return _act(
        request,
        proposal,
        lambda: services.remove_item(acting_user=request.user, item=item),
        f"\u201c{item.title}\u201d is taken off the proposal.",
    )


@require_POST
def cost_line_add_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    proposal = _editable(request, pk)
    form = CostLineForm(request.POST)
    saved = _submitted(
        request,
        proposal,
        form,
        lambda: services.add_cost_line(
            acting_user=request.user, proposal=proposal, **form.cleaned_data
        ),
        "The cost is added.",
    )
    return saved or _render_detail(request, proposal, cost_form=form)


@require_POST
def cost_line_remove_view(request: AuthenticatedRequest, pk: int, line_pk: int) -> HttpResponse:
    proposal = _editable(request, pk)
    line = get_object_or_404(
        CostLine.objects.select_related("proposal__client"), pk=line_pk, proposal=proposal
    )
    return _act(
        request,
        proposal,
        lambda: services.remove_cost_line(acting_user=request.user, line=line),
        f"The cost \u201c{line.label}\u201d is taken off.",
    )


# --- the lifecycle ------------------------------------------------------------------------------


@require_POST
def send_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    proposal = _editable(request, pk)
    try:
        services.send_proposal(acting_user=request.user, proposal=proposal)
    except ValidationError as exc:
        return _render_detail(request, proposal, send_errors=exc.messages)
    messages.success(request, "The proposal is sent; its sponsor is told in their inbox.")
    return redirect("proposals:proposal-detail", proposal.pk)


@require_POST
def withdraw_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    proposal = _editable(request, pk)
    form = WithdrawForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    return _act(
        request,
        proposal,
        lambda: services.withdraw_proposal(acting_user=request.user, proposal=proposal, note=note),
        "The proposal is withdrawn.",
    )


@require_POST
def new_version_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    proposal = _editable(request, pk)
    try:
        fresh = services.new_version(acting_user=request.user, proposal=proposal)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("proposals:proposal-detail", proposal.pk)
    messages.success(
        request, f"Version {fresh.number} is a draft now; version {proposal.number} keeps its text."
    )
    return redirect("proposals:proposal-detail", fresh.pk)


def _answerable(request: AuthenticatedRequest, pk: int) -> Proposal:
    """A proposal the user may see; whether they are its sponsor is the service's check (403)."""
    _require_reader(request)
    return get_object_or_404(selectors.visible_proposals(request.user), pk=pk)


@require_POST
def accept_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    proposal = _answerable(request, pk)
    return _act(
        request,
        proposal,
        lambda: services.accept_proposal(acting_user=request.user, proposal=proposal),
        "You accepted the proposal; the training team plans it now.",
    )


@require_POST
def decline_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    proposal = _answerable(request, pk)
    form = DeclineForm(request.POST)
    saved = _submitted(
        request,
        proposal,
        form,
        lambda: services.decline_proposal(
            acting_user=request.user, proposal=proposal, reason=form.cleaned_data["reason"]
        ),
        "You declined the proposal; the training team is told why.",
    )
    return saved or _render_detail(request, proposal, decline_form=form)


# --- the employer contact's proposals -----------------------------------------------------------


@require_GET
def portal_proposals_view(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user.role == Role.EMPLOYER_CONTACT, PORTAL_DENIED)
    proposals = list(selectors.portal_proposals(request.user))
    return render(
        request,
        "proposals/proposal_portal.html",
        {
            "proposals": proposals,
            "waiting": [
                proposal
                for proposal in proposals
                if proposal.status == ProposalStatus.SENT
                and proposal.sponsor_contact is not None
                and proposal.sponsor_contact.user_id == request.user.pk
            ],
        },
    )
