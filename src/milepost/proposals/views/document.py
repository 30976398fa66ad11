"""The proposal document: as a page and as a PDF, for anyone who may see the proposal."""

from __future__ import annotations

from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from milepost.accounts.access import can_view_clients, require
from milepost.accounts.http import AuthenticatedRequest
from milepost.accounts.models import Role
from milepost.proposals.document import (
    ProposalDocument,
    build_document,
    document_proposals,
    render_document_pdf,
)

DOCUMENT_DENIED = (
    "Proposals are read by the training function, the client's line manager and the client's "
    "own contacts; ask the client's account manager for a copy."
)


def _document(request: AuthenticatedRequest, pk: int) -> ProposalDocument:
    # A role that reads no proposal is refused (403); an employer contact goes on to the scoped
    # lookup, which finds only their own organisation's sent proposals. Outside the reader's
    # scope the proposal is simply not found (404).
    if request.user.role != Role.EMPLOYER_CONTACT:
        require(can_view_clients(request.user), DOCUMENT_DENIED)
    return build_document(get_object_or_404(document_proposals(request.user), pk=pk))


@require_GET
def proposal_document_view(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    return render(request, "proposals/document.html", {"document": _document(request, pk)})


@require_GET
def proposal_pdf_view(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    document = _document(request, pk)
    response = HttpResponse(render_document_pdf(document), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    return response
