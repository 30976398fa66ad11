"""Sections that higher apps add to a lower app's page, through a signal the page sends.

The employee page (people) shows reviews, objectives and development plans (reviews) and,
later, training records, without importing those apps: it sends its signal, each connected
receiver returns a `Section` (or None), and the page renders them in order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from django.dispatch import Signal
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString


@dataclass(frozen=True)
class Section:
    template: str
    context: Mapping[str, Any] = field(default_factory=dict)
    order: int = 100


def rendered_sections(signal: Signal, request: HttpRequest, **kwargs: Any) -> list[SafeString]:
    """Ask every receiver of `signal` for its section of the page; render them in order."""
    answers = cast(list[tuple[Any, Any]], signal.send(sender=Section, request=request, **kwargs))
    sections = [section for _receiver, section in answers if isinstance(section, Section)]
    sections.sort(key=lambda section: section.order)
    return [
        render_to_string(section.template, dict(section.context), request=request)
        for section in sections
    ]
