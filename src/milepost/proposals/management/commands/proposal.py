"""`milepost proposal ID FILE.pdf`: print a proposal's document (the same as its PDF download)."""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from milepost.proposals.document import (
    build_document,
    document_proposals,
    render_document_html,
    render_document_pdf,
)


class Command(BaseCommand):
    help = (
        "Write a proposal's document (business issues, analysis, solution, golden thread) as a "
        "PDF, or as HTML when FILE ends in .html. The file appears whole or not at all."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("id", type=int, help="the proposal's id (as in /proposals/ID/)")
        parser.add_argument("file", help="where to write the document (.pdf or .html)")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        # The operator on the command line reads every proposal (user None).
        proposal = document_proposals(None).filter(pk=options["id"]).first()
        if proposal is None:
            raise CommandError(f"no proposal with id {options['id']}; nothing written")
        target = Path(options["file"])
        with _atomic_file(target) as temporary:
            document = build_document(proposal)
            if target.suffix.lower() in {".html", ".htm"}:
                temporary.write_bytes(render_document_html(document).encode("utf-8"))
            else:
                temporary.write_bytes(render_document_pdf(document))
        self.stdout.write(
            f"{target}: \u201c{proposal.title}\u201d version {proposal.number} "
            f"({proposal.get_status_display().lower()}), {len(document.items)} items, "
            f"{len(document.thread)} golden-thread rows in {time.perf_counter() - started:.1f} s"
        )


@contextlib.contextmanager
def _atomic_file(target: Path) -> Iterator[Path]:
    """A temporary file beside `target`, moved over it once written (a reader never sees half a
    PDF, and a failure leaves any earlier file as it was). It is made first, so an unwritable
    place is refused before the document is printed."""
    try:
        handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as error:
        raise CommandError(
            f"cannot write {target}: {error.strerror or error}; choose a folder that exists "
            "and that you may write to"
        ) from error
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # as an ordinary new file (mkstemp makes it 0600)
        os.replace(temporary, target)
    except OSError as error:
        raise CommandError(f"cannot write {target}: {error.strerror or error}") from error
    finally:
        temporary.unlink(missing_ok=True)
