"""What the gap analytics keep in the database: only the structure token of the cached engine."""

from __future__ import annotations

from django.db import models


class GapStructure(models.Model):
    """One row whose `token` changes whenever the organisation's structure changes.

    Structure means what the gap engine is built from apart from agreed levels: active
    employees with their unit and job profile, the unit tree, active job profiles and their
    requirements. Every web worker compares the token with the one its cached engine was built
    at and reloads when they differ; a random token (not a counter) stays unique even when a
    transaction that bumped it is rolled back.
    """

    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "gap analysis structure version"

    def __str__(self) -> str:
        return f"structure {self.token} ({self.changed_at:%Y-%m-%d %H:%M})"
