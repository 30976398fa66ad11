"""Signals a lower app sends and a higher app connects to in its own `apps.py`.

This is how a lower floor tells a higher one something without importing it (docs/architecture.md).
"""

from __future__ import annotations

from django.dispatch import Signal

# The organisation's structure (units, people's units and job profiles, requirements) changed
# through a bulk write that sends no model signals. `insights` reloads its cached gap engines.
structure_changed = Signal()


def mark_structure_changed() -> None:
    """Say that the structure changed; call after `bulk_create`, queryset `update` or raw SQL."""
    structure_changed.send(sender=mark_structure_changed)
