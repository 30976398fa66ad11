"""Pages of business issues, consultancy engagements and proposals (docs/proposals.md)."""

from __future__ import annotations

from django.urls import path

app_name = "proposals"

urlpatterns: list = []

# --- business issues and their metrics -----------------------------------------------------------

# --- consultancy engagements --------------------------------------------------------------------

# --- proposals: list, page, items, cost lines, lifecycle ---------------------------------------

# --- the proposal document (HTML and PDF) -------------------------------------------------------
from milepost.proposals.views import document  # noqa: E402

urlpatterns += [
    path("<int:pk>/document/", document.proposal_document_view, name="proposal-document"),
    path("<int:pk>/document.pdf", document.proposal_pdf_view, name="proposal-pdf"),
]
