"""What the people app asks of apps that build on it, declared here and connected in theirs."""

from __future__ import annotations

from django.dispatch import Signal

# Sent with `request` and `employee` when an employee's page is drawn; each receiver returns a
# `milepost.lib.sections.Section` for the page (reviews, plans, training), or None.
employee_page_sections = Signal()
