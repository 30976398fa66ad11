"""A busy database is a moment to retry: a 503 page with Retry-After, not a server error.

The API answers the same in JSON (site/api_errors.py); `lib/db.py` tells busy from broken.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from milepost.lib.db import BUSY_MESSAGE, RETRY_AFTER_SECONDS, is_busy


class BusyDatabaseMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_busy(exception):
            return None
        body = render_to_string("503.html", {"message": BUSY_MESSAGE}, request=None)
        response = HttpResponse(body, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
