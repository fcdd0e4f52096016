"""GraphQL errors with the `extensions.code` values the Labelbox API uses."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError

from ..state.errors import Conflict, InvalidInput, Malformed, NotAllowed, NotFound, QuotaExceeded, ServiceRefused

AUTHENTICATION_ERROR = "AUTHENTICATION_ERROR"
AUTHORIZATION_ERROR = "AUTHORIZATION_ERROR"
RESOURCE_NOT_FOUND = "RESOURCE_NOT_FOUND"
RESOURCE_CONFLICT = "RESOURCE_CONFLICT"
GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
MALFORMED_REQUEST = "MALFORMED_REQUEST"
INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"
OPERATION_NOT_ALLOWED = "OPERATION_NOT_ALLOWED"

# The codes a test may ask a fault to answer with.
KNOWN_CODES = (
    AUTHENTICATION_ERROR,
    AUTHORIZATION_ERROR,
    RESOURCE_NOT_FOUND,
    RESOURCE_CONFLICT,
    GRAPHQL_PARSE_FAILED,
    GRAPHQL_VALIDATION_FAILED,
    MALFORMED_REQUEST,
    INTERNAL_SERVER_ERROR,
    OPERATION_NOT_ALLOWED,
)

COMPLEXITY_MESSAGE = "Query complexity limit exceeded"


def error_body(message: str, code: str, status: int | None = None, path: list[Any] | None = None) -> dict[str, Any]:
    """One entry of a response's `errors` list.

    Labelbox labels many client errors INTERNAL_SERVER_ERROR and puts the real
    HTTP status in `extensions.exception.status`; clients read it from there.
    """
    extensions: dict[str, Any] = {"code": code}
    if status is not None:
        extensions["exception"] = {"status": status}
    entry: dict[str, Any] = {"message": message, "extensions": extensions}
    if path is not None:
        entry["path"] = path
    return entry


def format_execution_error(error: GraphQLError) -> dict[str, Any]:
    """Maps an error raised inside a resolver to the API's shape, by the state error behind it."""
    original = error.original_error
    path = list(error.path) if error.path else None
    if isinstance(original, NotFound):
        return error_body(str(original), RESOURCE_NOT_FOUND, path=path)
    if isinstance(original, Conflict):
        return error_body(str(original), RESOURCE_CONFLICT, path=path)
    if isinstance(original, (QuotaExceeded, NotAllowed)):
        return error_body(str(original), OPERATION_NOT_ALLOWED, path=path)
    if isinstance(original, ServiceRefused):
        # passed through as the service does: no HTTP status in extensions, so clients read it as a 500
        return error_body(str(original), INTERNAL_SERVER_ERROR, path=path)
    if isinstance(original, Malformed):
        return error_body(str(original), MALFORMED_REQUEST, path=path)
    if isinstance(original, InvalidInput):
        return error_body(str(original), INTERNAL_SERVER_ERROR, status=400, path=path)
    if isinstance(original, GraphQLError):
        # a scalar refusing a variable's value (Int given "ten") arrives wrapped: the caller's mistake
        return error_body(original.message, GRAPHQL_VALIDATION_FAILED, path=path)
    if original is None:
        # a GraphQL error without a cause is a variable or input coercion problem
        code = (error.extensions or {}).get("code", GRAPHQL_VALIDATION_FAILED)
        return error_body(error.message, code, path=path)
    return error_body(f"{type(original).__name__}: {original}", INTERNAL_SERVER_ERROR, status=500, path=path)
