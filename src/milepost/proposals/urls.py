"""Pages of business issues, consultancy engagements and proposals (docs/proposals.md)."""

from __future__ import annotations

from django.urls import path

from milepost.proposals.views import proposals

app_name = "proposals"

urlpatterns: list = []

# --- business issues and their metrics -----------------------------------------------------------

# --- consultancy engagements --------------------------------------------------------------------

# --- proposals: list, page, items, cost lines, lifecycle ---------------------------------------
urlpatterns += [
    path("", proposals.proposal_list_view, name="proposal-list"),
    path("new/", proposals.proposal_create_view, name="proposal-create"),
    path("<int:pk>/", proposals.proposal_detail_view, name="proposal-detail"),
    path("<int:pk>/edit/", proposals.proposal_edit_view, name="proposal-edit"),
    path("<int:pk>/items/new/", proposals.item_add_view, name="item-add"),
    path("<int:pk>/items/<int:item_pk>/edit/", proposals.item_edit_view, name="item-edit"),
    path("<int:pk>/items/<int:item_pk>/remove/", proposals.item_remove_view, name="item-remove"),
    path("<int:pk>/costs/new/", proposals.cost_line_add_view, name="cost-line-add"),
    path(
        "<int:pk>/costs/<int:line_pk>/remove/",
        proposals.cost_line_remove_view,
        name="cost-line-remove",
    ),
    path("<int:pk>/send/", proposals.send_view, name="proposal-send"),
    path("<int:pk>/withdraw/", proposals.withdraw_view, name="proposal-withdraw"),
    path("<int:pk>/new-version/", proposals.new_version_view, name="proposal-new-version"),
    path("<int:pk>/accept/", proposals.accept_view, name="proposal-accept"),
    path("<int:pk>/decline/", proposals.decline_view, name="proposal-decline"),
    path("portal/", proposals.portal_proposals_view, name="portal-proposals"),
]

# --- the proposal document (HTML and PDF) -------------------------------------------------------
