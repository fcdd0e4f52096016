"""The exception hierarchy, with the class names the Labelbox SDK uses so `except` clauses carry over."""

from __future__ import annotations

import builtins
from typing import Any


class LabelboxError(Exception):
    """Base of every error the client raises about the API."""

    def __init__(self, message: str, cause: BaseException | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.cause = cause

    def __str__(self) -> str:
        return self.message + (f" ({self.cause})" if self.cause else "")


class AuthenticationError(LabelboxError):
    """The API key is missing, wrong or revoked."""


class AuthorizationError(LabelboxError):
    """The key is valid but may not do this."""


class ResourceNotFoundError(LabelboxError):
    """An id names nothing the caller can see."""

    def __init__(self, db_object_type: Any = None, params: Any = None, message: str | None = None) -> None:
        if message is None:
            kind = getattr(db_object_type, "__name__", db_object_type)
            message = f"Resource '{kind}' not found for params: {params!r}"
        super().__init__(message)
        self.db_object_type = db_object_type
        self.params = params


class ResourceConflict(LabelboxError):
    """The request collides with existing state."""


class ValidationFailedError(LabelboxError):
    """The server rejected the request's content."""


class InternalServerError(LabelboxError):
    """The server failed (HTTP 5xx or INTERNAL_SERVER_ERROR)."""


class InvalidQueryError(LabelboxError):
    """The document or its variables were refused as invalid."""


class UnprocessableEntityError(LabelboxError):
    """The request is well formed but cannot be processed."""


class ResourceCreationError(LabelboxError):
    """An asynchronous creation finished without creating what was asked."""


class NetworkError(LabelboxError):
    """The request did not get a whole response: connection refused, dropped, reset or cut short."""

    def __init__(self, cause: BaseException, message: str | None = None) -> None:
        super().__init__(message or str(cause), cause)

    def __str__(self) -> str:  # the message already says what the cause was
        return self.message


class TimeoutError(LabelboxError, builtins.TimeoutError):  # noqa: A001 - the SDK's name, kept on purpose
    """A request or a wait took longer than allowed.

    Also a builtin TimeoutError, which is what the SDK raises when a model-run
    task outlives its wait, so either `except` clause catches it.
    """

    def __init__(self, message: str, cause: BaseException | None = None) -> None:
        LabelboxError.__init__(self, message, cause)


class TaskFailedError(LabelboxError):
    """An asynchronous task ended FAILED; the message is the server's."""

    def __init__(self, message: str, task_id: str | None = None) -> None:
        super().__init__(message)
        self.task_id = task_id


class InvalidAttributeError(LabelboxError):
    """A field was asked of an entity that does not have it."""


class ApiLimitError(LabelboxError):
    """The server rate-limited the request (HTTP 429)."""


class MalformedQueryException(Exception):
    """The server could not parse the request."""


class UuidError(LabelboxError):
    """An annotation uuid is missing or malformed."""


class OperationNotAllowedException(Exception):
    """The operation is not allowed in the entity's current state."""


class ProcessingWaitTimeout(Exception):
    """Waiting for server-side processing timed out."""


class InconsistentOntologyException(Exception):
    """An ontology being built is inconsistent: a duplicate name, or a choice question without options."""


class ConfidenceNotSupportedException(Exception):
    """A confidence was given to an annotation type that takes none (video objects)."""


class CustomMetricsNotSupportedException(Exception):
    """Custom metrics were given to an annotation type that takes none (video objects)."""
