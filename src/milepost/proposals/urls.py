"""Pages of business issues, consultancy engagements and proposals (docs/proposals.md)."""

from __future__ import annotations

from django.urls import path

from milepost.proposals.views import document, engagements, issues, proposals

app_name = "proposals"

urlpatterns: list = []

# --- business issues and their metrics -----------------------------------------------------------
urlpatterns += [
    path("issues/", issues.issue_list, name="issue-list"),
    path("issues/new/", issues.issue_create, name="issue-create"),
    path("issues/<int:issue_id>/", issues.issue_detail, name="issue-detail"),
    path("issues/<int:issue_id>/edit/", issues.issue_edit, name="issue-edit"),
    path("issues/<int:issue_id>/status/", issues.issue_status, name="issue-status"),
    path("issues/<int:issue_id>/metrics/new/", issues.metric_create, name="metric-create"),
    path(
        "issues/<int:issue_id>/metrics/<int:metric_id>/edit/",
        issues.metric_edit,
        name="metric-edit",
    ),
    path(
        "issues/<int:issue_id>/metrics/<int:metric_id>/remove/",
        issues.metric_remove,
        name="metric-remove",
    ),
    path("issues/from-need/<int:need_id>/", issues.promote_need_view, name="promote-need"),
    path("issues/from-theme/<int:theme_id>/", issues.promote_theme_view, name="promote-theme"),
]

# --- consultancy engagements --------------------------------------------------------------------
urlpatterns += [
    path("engagements/", engagements.engagement_list, name="engagement-list"),
    path("engagements/new/", engagements.engagement_create, name="engagement-create"),
    path(
        "engagements/<int:engagement_id>/",
        engagements.engagement_detail,
        name="engagement-detail",
    ),
    path(
        "engagements/<int:engagement_id>/analysis/",
        engagements.engagement_analysis,
        name="engagement-analysis",
    ),
    path(
        "engagements/<int:engagement_id>/sessions/",
        engagements.engagement_link_session,
        name="engagement-session",
    ),
    path(
        "engagements/<int:engagement_id>/propose/",
        engagements.engagement_propose,
        name="engagement-propose",
    ),
]

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
urlpatterns += [
    path("<int:pk>/document/", document.proposal_document_view, name="proposal-document"),
    path("<int:pk>/document.pdf", document.proposal_pdf_view, name="proposal-pdf"),
]
