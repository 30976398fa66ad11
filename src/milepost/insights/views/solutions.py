""" "Suggest a solution" for a draft proposal (docs/proposals.md#suggest-a-solution): GET
previews the recommendation for the chosen people, POST adds its items to the proposal."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_http_methods

from milepost.accounts.access import PROPOSAL_DENIED, can_view_clients, proposal_filter, require
from milepost.accounts.http import AuthenticatedRequest
from milepost.accounts.models import Role, User
from milepost.insights.forms import SuggestForm
from milepost.insights.recommendations import TrainingRecommendation
from milepost.insights.selectors import Unassessed
from milepost.insights.solutions import Target, preview_solution, suggest_solution
from milepost.insights.views import _recommendations, _unassessed
from milepost.lib.form_errors import add_service_errors
from milepost.people.models import Employee
from milepost.people.selectors import employee_search, visible_employees
from milepost.proposals.models import Proposal
from milepost.proposals.services.issues import require_editor

SEARCH_LIMIT = 20


def proposal_url(proposal: Proposal) -> str:
    """The proposal's page (built in the proposals app; its path until the name exists)."""
    try:
        return reverse("proposals:proposal-detail", args=[proposal.pk])
    except NoReverseMatch:
        return f"/proposals/{proposal.pk}/"


def _editable_proposal(user: User, pk: int) -> Proposal:
    """A proposal the user may see (404 otherwise) and edit (403 otherwise); a role that reads
    no proposal is refused first (403), as on the proposal pages."""
    if user.role != Role.EMPLOYER_CONTACT:
        require(can_view_clients(user), PROPOSAL_DENIED)
    proposals = Proposal.objects.select_related("client__unit", "client__owner")
    scope = proposal_filter(user)
    if scope is not None:
        proposals = proposals.filter(scope)
    proposal = get_object_or_404(proposals, pk=pk)
    require_editor(user, proposal.client)
    return proposal


def _people(user: User, pks: list[int]) -> QuerySet[Employee]:
    return (
        visible_employees(user)
        .filter(pk__in=pks)
        .select_related("unit")
        .order_by("last_name", "first_name", "employee_id")
    )


def _target(user: User, proposal: Proposal, form: SuggestForm) -> Target | None:
    """The people the form names, or None (with a form error) when they cannot be found."""
    data = form.cleaned_data
    if data["target"] == SuggestForm.UNIT:
        assert proposal.client.unit is not None  # the choice is offered only then
        return proposal.client.unit
    if data["target"] == SuggestForm.TEAM:
        manager = _people(user, [data["manager"]]).first()
        if manager is None:
            form.add_error("manager", "That manager is not someone you can see; find them below.")
        return manager
    people = list(_people(user, data["person"]))
    if not people:
        form.add_error("person", "None of the people chosen is someone you can see.")
        return None
    return people


@require_http_methods(["GET", "POST"])
def proposal_suggest(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    user = request.user
    proposal = _editable_proposal(user, pk)
    has_unit = proposal.client.unit_id is not None
    data = request.POST if request.method == "POST" else request.GET
    form = SuggestForm(
        data if "target" in data else None,
        has_unit=has_unit,
        initial={"target": SuggestForm.UNIT if has_unit else SuggestForm.PEOPLE},
    )
    unassessed = _unassessed(request, Unassessed.LEAVE_OUT)
    result: TrainingRecommendation | None = None
    if form.is_bound and form.is_valid() and proposal.is_editable:
        target = _target(user, proposal, form)
        choices = {"budget": form.cleaned_data["budget"], "unassessed": unassessed}
        if target is not None and request.method == "POST":
            try:
                summary = suggest_solution(
                    acting_user=user, proposal=proposal, target=target, **choices
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                _report(request, summary.items, summary.total_cost, summary.already_there)
                return redirect(proposal_url(proposal))
        if target is not None and not form.errors:
            try:
                result = preview_solution(
                    acting_user=user, proposal=proposal, target=target, **choices
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
    context = _page_context(user, proposal, form, data)
    if result is not None:
        return _recommendations(
            request,
            result,
            form,
            template="insights/proposal_suggest.html",
            filename=f"proposal-{proposal.pk}-suggestion",
            context=context,
        )
    return render(request, "insights/proposal_suggest.html", {"form": form, **context})


def _report(request: AuthenticatedRequest, items: list[Any], cost: Any, already: list[str]) -> None:
    if items:
        messages.success(
            request,
            f"{len(items)} item{'s' if len(items) != 1 else ''} added from the gap analysis, "
            f"costing {cost:,.2f} in all. Narrow each item's issues and metrics as needed.",
        )
    else:
        messages.info(request, "Nothing new to add: the recommendation holds no further item.")
    if already:
        messages.info(request, f"Already in the proposal, not added again: {', '.join(already)}.")


def _page_context(user: User, proposal: Proposal, form: SuggestForm, data: Any) -> dict[str, Any]:
    """The proposal, the people chosen so far and the people the search finds."""
    cleaned = getattr(form, "cleaned_data", {})
    chosen_ids = cleaned.get("person") or []
    manager_id = cleaned.get("manager")
    chosen = list(_people(user, [*chosen_ids, *([manager_id] if manager_id else [])]))
    query = str(data.get("q", "")).strip()[:200]
    found: list[Employee] = []
    if query:
        shown = {person.pk for person in chosen}
        found = [
            person
            for person in employee_search(user, query=query, active=True)[:SEARCH_LIMIT]
            if person.pk not in shown
        ]
    return {
        "proposal": proposal,
        "currency": settings.CATALOGUE_CURRENCY,
        "proposal_url": proposal_url(proposal),
        "chosen": chosen,
        "chosen_ids": set(chosen_ids),
        "manager_id": manager_id,
        "found": found,
        "query": query,
        "search_limit": SEARCH_LIMIT,
        "has_issues": proposal.issues.exists(),
    }
