from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

import milepost
from milepost.accounts.access import INTERNAL_ROLES, has_role


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The main menu, limited to the sections the user's role can open."""
    user = request.user
    items: list[dict[str, Any]] = []
    if user.is_authenticated:
        candidates = [
            ("Frameworks", "frameworks:framework-list", True),
            ("Job profiles", "frameworks:profile-list", True),
            ("Organisation", "people:unit-list", has_role(user, INTERNAL_ROLES)),
            ("People", "people:employee-list", has_role(user, INTERNAL_ROLES)),
        ]
        for label, name, allowed in candidates:
            if allowed:
                url = reverse(name)
                items.append({"label": label, "url": url, "active": request.path.startswith(url)})
    return {"nav_items": items, "milepost_version": milepost.__version__}
