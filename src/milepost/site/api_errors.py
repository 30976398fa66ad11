"""The API's one error shape, from one set of handlers: `{"message", "fields", "code"}`.

`message` is a sentence a person can act on; `fields` maps each input field that failed to its
messages (empty when the whole request is refused); `code` is a stable word an integration can
branch on (docs/api.md lists them). Services raise Django's ValidationError keyed by their own
argument names; an endpoint whose input names a field otherwise declares it with
`lib.api_fields.api_field_names` (a service takes `unit`, the API `unit_id`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    PermissionDenied,
    RequestDataTooBig,
    ValidationError,
)
from django.db import DataError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as RequestInvalid

from milepost.lib.api_fields import api_name
from milepost.lib.db import BUSY_MESSAGE, RETRY_AFTER_SECONDS, is_busy

logger = logging.getLogger("milepost.api")

# Request locations ninja puts in front of a field's name.
_LOCATIONS = {"body", "query", "path", "form", "file", "header", "cookie"}

CODE_BY_STATUS = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid",
    429: "throttled",
    500: "server_error",
    503: "busy",
}


# The error shape, as the OpenAPI document describes it for every operation.
ERROR_SCHEMA: dict[str, Any] = {
    "title": "Error",
    "type": "object",
    "required": ["message", "fields", "code"],
    "properties": {
        "message": {"type": "string", "description": "A sentence a person can act on."},
        "fields": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "description": "Each input field that failed, with its messages.",
        },
        "code": {"type": "string", "description": "A stable word to branch on (docs/api.md)."},
    },
}
ERROR_RESPONSES = {
    "400": "The body is not JSON.",
    "401": "No credentials, or a token that is wrong or expired.",
    "403": "Your role, or a read-only token, may not do this.",
    "404": "Not found, or outside what your role may see.",
    "413": "The body is larger than the server takes.",
    "422": "Input that does not fit the schema or a rule, naming each field.",
    "429": "Too many failed attempts from your address; see Retry-After.",
    "500": "An error on the server's side, logged there.",
    "503": "The database is busy with another write; retry after Retry-After seconds.",
}


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the error responses, in the one shape, to every operation of an OpenAPI document."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR_SCHEMA
    reference = {"$ref": "#/components/schemas/Error"}
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for status, description in ERROR_RESPONSES.items():
                responses.setdefault(
                    status,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": reference}},
                    },
                )
    return schema


class TooManyFailures(Throttled):
    """429 with a message saying when to try again (and a Retry-After header)."""

    def __init__(self, message: str, *, wait: int) -> None:
        super().__init__(wait=wait)
        self.message = message


def error_body(
    message: str, *, code: str, fields: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    return {"message": message, "fields": fields or {}, "code": code}


def _sentence(fields: dict[str, list[str]], others: Iterable[str]) -> str:
    parts = [f"{name}: {message}" for name, messages in fields.items() for message in messages]
    return " ".join([*others, *parts]) or "The request is not valid."


def _first_code(exc: ValidationError) -> str | None:
    errors = exc.error_list if not hasattr(exc, "error_dict") else []
    if hasattr(exc, "error_dict"):
        errors = [error for group in exc.error_dict.values() for error in group]
    codes = {error.code for error in errors if error.code}
    return codes.pop() if len(codes) == 1 else None


def register(api: NinjaAPI) -> None:
    """Install the handlers on the API root."""

    def respond(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
        return api.create_response(request, body, status=status)

    @api.exception_handler(ValidationError)
    def service_refused(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        fields: dict[str, list[str]] = {}
        others: list[str] = []
        if hasattr(exc, "error_dict"):
            for name, messages in exc.message_dict.items():
                if name == NON_FIELD_ERRORS:
                    others.extend(messages)
                else:
                    fields.setdefault(api_name(request, name), []).extend(messages)
        else:
            others = list(exc.messages)
        code = _first_code(exc) or "invalid"
        return respond(
            request, 422, error_body(_sentence(fields, others), code=code, fields=fields)
        )

    @api.exception_handler(RequestInvalid)
    def request_invalid(request: HttpRequest, exc: RequestInvalid) -> HttpResponse:
        fields: dict[str, list[str]] = {}
        for error in exc.errors:
            location = [str(part) for part in error.get("loc", ())]
            while location and (location[0] in _LOCATIONS or location[0] == "payload"):
                location = location[1:]
            name = ".".join(location) or "request"
            fields.setdefault(name, []).append(str(error.get("msg", "is not valid")))
        return respond(
            request, 422, error_body(_sentence(fields, []), code="invalid", fields=fields)
        )

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        message = str(exc) or "Your role may not do this."
        return respond(request, 403, error_body(message, code="forbidden"))

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        message = str(exc) or "Not found (or not yours to see)."
        return respond(request, 404, error_body(message, code="not_found"))

    @api.exception_handler(AuthenticationError)
    def unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        message = "Log in, or send 'Authorization: Bearer <token>' with a valid API token."
        if exc.message != AuthenticationError().message:  # a reason given (an expired token)
            message = exc.message
        return respond(request, 401, error_body(message, code="unauthorized"))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = CODE_BY_STATUS.get(exc.status_code, "error")
        response = respond(request, exc.status_code, error_body(str(exc), code=code))
        if isinstance(exc, Throttled) and exc.wait:
            response["Retry-After"] = str(int(exc.wait))
        return response

    @api.exception_handler(OverflowError)
    @api.exception_handler(DataError)
    def out_of_range(request: HttpRequest, exc: Exception) -> HttpResponse:
        # An id or number past what the database stores (2**70 on SQLite's 64-bit integers).
        message = "A number in the request is out of range for what Milepost stores."
        return respond(request, 422, error_body(message, code="out_of_range"))

    @api.exception_handler(RequestDataTooBig)
    def too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
        message = f"The request body is too large; send at most {limit / 1e6:.1f} MB of JSON."
        return respond(request, 413, error_body(message, code="too_large"))

    @api.exception_handler(OperationalError)
    def busy(request: HttpRequest, exc: OperationalError) -> HttpResponse:
        if not is_busy(exc):
            return server_error(request, exc)
        response = respond(request, 503, error_body(BUSY_MESSAGE, code="busy"))
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        # Logged with its traceback for the operator; the caller gets the error shape in JSON.
        logger.exception("API error on %s %s", request.method, request.path, exc_info=exc)
        message = "Something went wrong on our side; it has been logged. Try again later."
        return respond(request, 500, error_body(message, code="server_error"))
