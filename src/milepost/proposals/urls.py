"""Pages of business issues, consultancy engagements and proposals (docs/proposals.md)."""

from __future__ import annotations

from django.urls import path

from milepost.proposals.views import document, engagements, issues

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

# --- the proposal document (HTML and PDF) -------------------------------------------------------
urlpatterns += [
    path("<int:pk>/document/", document.proposal_document_view, name="proposal-document"),
    path("<int:pk>/document.pdf", document.proposal_pdf_view, name="proposal-pdf"),
]
