"""The proposal document: as a page and as a PDF, for anyone who may see the proposal."""

from __future__ import annotations

from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from milepost.accounts.http import AuthenticatedRequest
from milepost.proposals.document import (
    ProposalDocument,
    build_document,
    document_proposals,
    render_document_pdf,
)


def _document(request: AuthenticatedRequest, pk: int) -> ProposalDocument:
    # Outside the reader's scope the proposal is simply not found (404).
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
