"""Name a service's fields as an API endpoint's input names them, for the one error handler.

Services raise ValidationError keyed by their own argument names (`unit`); an endpoint whose
input says `unit_id` declares `@api_field_names(unit="unit_id")`, and the API's error handler
(site/api_errors.py) reports the error under `unit_id`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from django.http import HttpRequest

View = TypeVar("View", bound=Callable[..., Any])

ATTRIBUTE = "api_field_names"


def api_field_names(**names: str) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @functools.wraps(view)
        def named(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            setattr(request, ATTRIBUTE, names)
            return view(request, *args, **kwargs)

        return named  # type: ignore[return-value]

    return decorate


def api_name(request: HttpRequest, name: str) -> str:
    """The endpoint's name for a service's field (the same name unless declared)."""
    names: dict[str, str] = getattr(request, ATTRIBUTE, {})
    return names.get(name, name)
