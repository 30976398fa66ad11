"""Reads for the home page, each narrowed to what the user may see."""

from __future__ import annotations

from typing import Any

from milepost.accounts.access import AnyUser
from milepost.accounts.selectors import visible_units
from milepost.frameworks.models import Competency, Framework, JobProfile
from milepost.people.selectors import visible_employees


def home_summary(user: AnyUser) -> dict[str, Any]:
    """Counts for the start page, each limited to what the user may see."""
    return {
        "frameworks": Framework.objects.count(),
        "competencies": Competency.objects.exclude(kind=Competency.Kind.GROUP).count(),
        "job_profiles": JobProfile.objects.filter(is_active=True).count(),
        "units": visible_units(user).count(),
        "employees": visible_employees(user).count(),
    }
