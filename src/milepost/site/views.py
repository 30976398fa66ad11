"""The home page, the about page and the audit trail."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from milepost.accounts import audit
from milepost.accounts.access import can_view_audit_trail, require
from milepost.accounts.http import AuthenticatedRequest
from milepost.lib.exports import requested_format, table_response
from milepost.site import selectors
from milepost.site.forms import AuditFilterForm

AUDIT_DENIED = "The audit trail is for admins and the quality lead."
AUDIT_EXPORT_HEADER = [
    "When",
    "Who",
    "Who (e-mail)",
    "Kind",
    "Record",
    "Object id",
    "Object",
    "Changes",
    "Address",
    "Correlation id",
]
# A workbook is built in memory: past this many entries the page asks for CSV (streamed).
AUDIT_XLSX_LIMIT = 50_000


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "site/home.html", {"page": selectors.home_page(request.user)})


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "site/about.html")


@require_GET
def audit_trail(request: AuthenticatedRequest) -> HttpResponseBase:
    """Who changed what and when: filters, pages, CSV and XLSX. Read only: entries are never
    changed or deleted here (nor in the admin site)."""
    require(can_view_audit_trail(request.user), AUDIT_DENIED)
    form = AuditFilterForm(request.GET)
    if form.is_valid():
        entries = selectors.audit_entries(request.user, **form.filters())
    else:
        entries = selectors.audit_entries(request.user).none()
    export_format = requested_format(request)
    if export_format == "xlsx" and entries.count() > AUDIT_XLSX_LIMIT:
        messages.error(
            request,
            f"More than {AUDIT_XLSX_LIMIT:,} entries match: narrow the filters (a date range) "
            "or download CSV, which has no limit.",
        )
        query = request.GET.copy()
        query.pop("export", None)
        return redirect(f"{request.path}?{query.urlencode()}")
    if export_format:
        return table_response(
            export_format, "audit-trail", AUDIT_EXPORT_HEADER, _export_rows(entries)
        )
    page = Paginator(entries, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    lines = [
        {
            "entry": entry,
            "who": audit.actor_of(entry),
            "kind": audit.kind_of(entry),
            "changes": audit.changes_of(entry),
        }
        for entry in page
    ]
    return render(
        request,
        "site/audit_trail.html",
        {
            "form": form,
            "page_obj": page,
            "lines": lines,
            "filtered": any(request.GET.get(name) for name in form.fields),
        },
    )


def _export_rows(entries: QuerySet[LogEntry]) -> Iterator[list[Any]]:
    for entry in entries.iterator(chunk_size=2000):
        yield [
            timezone.localtime(entry.timestamp).isoformat(timespec="seconds"),
            audit.actor_of(entry),
            entry.actor.email if entry.actor else entry.actor_email or "",
            audit.kind_of(entry),
            str(entry.content_type.model_class()._meta.verbose_name)
            if entry.content_type.model_class()
            else entry.content_type.model,
            entry.object_pk,
            entry.object_repr,
            "; ".join(str(change) for change in audit.changes_of(entry)),
            entry.remote_addr or "",
            entry.cid or "",
        ]
