"""Errors raised by state operations; the GraphQL layer maps them to API error codes."""

from __future__ import annotations


class StateError(Exception):
    """Base of the errors a state operation raises instead of changing anything."""


class NotFound(StateError):
    """An id (or global key) names nothing in the caller's organisation."""

    def __init__(self, kind: str, key: str, by: str = "id") -> None:
        self.kind = kind
        self.key = key
        self.by = by
        super().__init__(f"{kind} not found: {by} {key!r}")


class ServiceRefused(StateError):
    """The service refuses the operation outright (the real API's gRPC precondition failures); the message
    is the service's own, passed through unchanged."""


class InvalidInput(StateError):
    """The request is well formed but its content is not acceptable."""


class Malformed(InvalidInput):
    """Input the API answers with MALFORMED_REQUEST rather than a 400 (a batch of which no row can join)."""


class QuotaExceeded(StateError):
    """The organisation already stores as much of this kind as it may (a count or a byte quota)."""


class NotAllowed(StateError):
    """The operation is not allowed on this record (a kind of project it does not apply to)."""


class Conflict(StateError):
    """The request collides with existing state (a duplicate name or key)."""


class ProblemsError(InvalidInput):
    """Input refused whole; `problems` lists every (path, message) found, so it is fixed in one pass."""

    what = "input"

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        listing = "; ".join(f"{path}: {message}" for path, message in problems)
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        super().__init__(f"invalid {self.what} ({count}): {listing}")
