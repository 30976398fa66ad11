"""Pages of business issues, consultancy engagements and proposals (docs/proposals.md)."""

from __future__ import annotations

from django.urls import path  # noqa: F401  (each block below adds its routes)

app_name = "proposals"

urlpatterns: list = []

# --- business issues and their metrics -----------------------------------------------------------

# --- consultancy engagements --------------------------------------------------------------------

# --- proposals: list, page, items, cost lines, lifecycle ---------------------------------------

# --- the proposal document (HTML and PDF) -------------------------------------------------------
