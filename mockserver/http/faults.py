"""Fault injection, after WireMock's faults and LocalStack's chaos API.

A fault matches requests by GraphQL operation name (or `*`) and fires for the
next `times` of them, before the request reaches state.
"""

from __future__ import annotations

import threading
from typing import Any

from attrs import define, field, validators

from ..api.errors import KNOWN_CODES

FAULT_KINDS = ("status", "graphql_error", "delay", "reset", "truncate")


def _positive(_instance: Any, attribute: Any, value: int) -> None:
    if value < 1:
        raise ValueError(f"{attribute.name} must be at least 1, got {value}")


@define
class Fault:
    operation: str = "*"
    times: int = field(default=1, validator=_positive)
    status: int | None = field(
        default=None, validator=validators.optional(validators.and_(validators.ge(400), validators.le(599)))
    )
    retry_after: float | None = None
    graphql_error: str | None = field(default=None, validator=validators.optional(validators.in_(KNOWN_CODES)))
    delay: float | None = field(default=None, validator=validators.optional(validators.ge(0)))
    reset: bool = False
    truncate: bool = False

    def __attrs_post_init__(self) -> None:
        chosen = [
            name
            for name, value in (
                ("status", self.status),
                ("graphql_error", self.graphql_error),
                ("delay", self.delay),
                ("reset", self.reset or None),
                ("truncate", self.truncate or None),
            )
            if value is not None
        ]
        if len(chosen) != 1:
            raise ValueError(f"a fault takes exactly one of {', '.join(FAULT_KINDS)}; got {chosen or 'none'}")
        if self.retry_after is not None and self.status is None:
            raise ValueError("retry_after goes with status")

    @classmethod
    def from_json(cls, doc: Any) -> Fault:
        if not isinstance(doc, dict):
            raise ValueError("a fault is a JSON object")
        allowed = {"operation", "times", "status", "retry_after", "graphql_error", "delay", "reset", "truncate"}
        unknown = sorted(set(doc) - allowed)
        if unknown:
            raise ValueError(f"unknown fault keys: {', '.join(unknown)}")
        try:
            return cls(**doc)
        except TypeError as exc:
            raise ValueError(f"invalid fault: {exc}") from None


class FaultBook:
    """The faults waiting to fire; thread-safe, since server threads consult it concurrently."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def add(self, fault: Fault) -> None:
        with self._lock:
            self._faults.append(fault)

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def pending(self) -> list[Fault]:
        with self._lock:
            return list(self._faults)

    def take(self, operation: str | None) -> Fault | None:
        """The first fault matching `operation`, counted down by one firing."""
        with self._lock:
            for fault in self._faults:
                if fault.operation in ("*", operation):
                    if fault.times <= 1:
                        self._faults.remove(fault)
                    else:
                        fault.times -= 1
                    return fault
        return None
