from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

import milepost
from milepost.accounts.access import (
    INTERNAL_ROLES,
    can_view_audit_trail,
    can_view_clients,
    can_view_demand_board,
    has_role,
)
from milepost.accounts.models import Role
from milepost.accounts.selectors import unread_notification_count


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
            ("Reviews", "reviews:review-list", has_role(user, INTERNAL_ROLES)),
            ("Our portal", "clients:portal", user.role == Role.EMPLOYER_CONTACT),
            ("Catalogue", "catalogue:course-list", True),
            ("Needs", "needs:need-list", True),
            ("Demand", "needs:board", can_view_demand_board(user)),
            ("Clients", "clients:list", can_view_clients(user)),
            # Business issues, engagements and proposals; a contact's are in their portal.
            ("Proposals", "proposals:proposal-list", can_view_clients(user)),
            ("Gaps", "insights:gap-overview", has_role(user, INTERNAL_ROLES)),
            ("Audit", "audit-trail", can_view_audit_trail(user)),
        ]
        for label, name, allowed in candidates:
            if allowed:
                url = reverse(name)
                items.append({"label": label, "url": url, "active": False})
        # The most specific section wins: /needs/board/ is Demand, not Needs.
        matching = [item for item in items if request.path.startswith(item["url"])]
        if matching:
            max(matching, key=lambda item: len(item["url"]))["active"] = True
    return {
        "sso_enabled": settings.OIDC_ENABLED,
        "sso_provider_name": settings.OIDC_PROVIDER_NAME,
        "nav_items": items,
        "milepost_version": milepost.__version__,
        # Lazy: counted only when a page shows it (one small indexed query).
        "unread_notifications": SimpleLazyObject(lambda: unread_notification_count(user)),
    }
