"""What the clients app asks of apps that build on it, declared here and connected in theirs."""

from __future__ import annotations

from django.dispatch import Signal

# Sent with `request` and `client` when a client's page is drawn; each receiver returns a
# `milepost.lib.sections.Section` for the page (business issues, engagements, proposals), or None.
client_page_sections = Signal()
