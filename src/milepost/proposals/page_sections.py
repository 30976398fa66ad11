"""The proposals app's sections of lower apps' pages (lib/sections.py): a need's and a demand
theme's business issues with a "Promote to business issue" form, and a client's issues,
engagements and proposals. Connected in apps.py."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from milepost.accounts.access import can_edit_proposals, can_view_clients
from milepost.clients.models import Client
from milepost.lib.sections import Section
from milepost.needs.models import DemandTheme, Need
from milepost.proposals import selectors_issues as selectors
from milepost.proposals.forms_issues import PromoteNeedForm, PromoteThemeForm


def need_section(sender: Any, request: HttpRequest, need: Need, **kwargs: Any) -> Section | None:
    user = request.user
    if not can_view_clients(user):
        return None  # employees and employer contacts do not see the register
    client = need.client
    can_promote = client is not None and can_edit_proposals(user, owner_id=client.owner_id)
    return Section(
        "proposals/issue_need_section.html",
        {
            "need": need,
            "issues": selectors.issues_behind(user, need=need),
            "form": PromoteNeedForm() if can_promote else None,
        },
        order=50,
    )


def theme_section(
    sender: Any, request: HttpRequest, theme: DemandTheme, **kwargs: Any
) -> Section | None:
    user = request.user
    if not can_view_clients(user):
        return None
    clients = selectors.editable_clients(user)
    return Section(
        "proposals/issue_theme_section.html",
        {
            "theme": theme,
            "issues": selectors.issues_behind(user, theme=theme),
            "form": PromoteThemeForm(clients=clients) if clients else None,
        },
        order=50,
    )


def client_section(
    sender: Any, request: HttpRequest, client: Client, **kwargs: Any
) -> Section | None:
    user = request.user
    return Section(
        "proposals/issue_client_section.html",
        {
            "client": client,
            "work": selectors.client_work(user, client),
            "can_edit": can_edit_proposals(user, owner_id=client.owner_id),
            "new_proposal_url": _new_proposal_url(client),
        },
        order=50,
    )


def _new_proposal_url(client: Client) -> str:
    # The proposal pages are another part of this app; no link until their route exists.
    try:
        return f"{reverse('proposals:proposal-create')}?client={client.pk}"
    except NoReverseMatch:
        return ""
