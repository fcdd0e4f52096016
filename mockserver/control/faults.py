"""Fault injection, after WireMock's faults and LocalStack's chaos API.

A fault matches requests by GraphQL operation name (or `*`) and fires for the
next `times` of them, before the request reaches state.
"""

from __future__ import annotations

import math
import threading
from typing import Any

from attrs import define, field, validators

from ..api.errors import KNOWN_CODES

FAULT_KINDS = ("status", "graphql_error", "delay", "reset", "truncate")


# A delayed answer holds a server thread; past this it is a hang, not a slow answer.
MAX_DELAY_SECONDS = 30.0


def _integer(low: int, high: int | None = None) -> Any:
    def check(_instance: Any, attribute: Any, value: Any) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{attribute.name} must be an integer, got {value!r}")
        if value < low or (high is not None and value > high):
            bounds = f"between {low} and {high}" if high is not None else f"at least {low}"
            raise ValueError(f"{attribute.name} must be {bounds}, got {value}")

    return check


def _seconds(high: float | None = None) -> Any:
    def check(_instance: Any, attribute: Any, value: Any) -> None:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
            raise ValueError(f"{attribute.name} must be a non-negative number of seconds, got {value!r}")
        if high is not None and value > high:
            raise ValueError(f"{attribute.name} must be at most {high:g} seconds, got {value}")

    return check


def _known_code(_instance: Any, attribute: Any, value: Any) -> None:
    if value not in KNOWN_CODES:
        raise ValueError(f"{attribute.name} must be one of {', '.join(KNOWN_CODES)}; got {value!r}")


@define
class Fault:
    """One injected fault: `times` requests for `operation` ("*" for any) get exactly one kind.

    status: that HTTP status (429 with the rate-limit body, others with an
        INTERNAL_SERVER_ERROR carrying the status), `retry_after` seconds in Retry-After;
    graphql_error: HTTP 200 (401 for AUTHENTICATION_ERROR) with that `extensions.code`;
    delay: the request is served, and its answer waits `delay` seconds;
    reset: the connection closes without an answer;
    truncate: the answer announces its length and stops halfway.
    """

    operation: str = field(default="*", validator=validators.instance_of(str))
    times: int = field(default=1, validator=_integer(1))
    status: int | None = field(default=None, validator=validators.optional(_integer(400, 599)))
    retry_after: float | None = field(default=None, validator=validators.optional(_seconds()))
    graphql_error: str | None = field(default=None, validator=validators.optional(_known_code))
    delay: float | None = field(default=None, validator=validators.optional(_seconds(MAX_DELAY_SECONDS)))
    reset: bool = field(default=False, validator=validators.instance_of(bool))
    truncate: bool = field(default=False, validator=validators.instance_of(bool))

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
        except TypeError as exc:  # attrs' instance_of and in_ checks raise TypeError
            raise ValueError(f"invalid fault: {exc.args[0] if exc.args else exc}") from None


@define(frozen=True)
class ArmedFault:
    """A fault in the book: its id (what DELETE /_mock/faults/<id> names) and the tenant that set it
    (None: server-wide, fires on anyone's requests)."""

    id: str
    owner: str | None
    fault: Fault


class FaultBook:
    """The faults waiting to fire; thread-safe, since server threads consult it concurrently.

    A fault belongs to the tenant (organisation id) that set it and fires only on that tenant's
    requests, so CI workers sharing a mock cannot consume each other's faults; one set without a
    tenant (in-process) fires on anyone's.
    """

    def __init__(self) -> None:
        self._faults: list[ArmedFault] = []
        self._lock = threading.Lock()

    def add(self, fault: Fault, tenant: str | None = None, fault_id: str = "") -> None:
        with self._lock:
            self._faults.append(ArmedFault(fault_id, tenant, fault))

    def clear(self, tenant: str | None = None) -> None:
        """Drops the faults of `tenant`; without one, every fault."""
        with self._lock:
            self._faults = [] if tenant is None else [armed for armed in self._faults if armed.owner != tenant]

    def pending(self, tenant: str | None = None) -> list[Fault]:
        """The faults that would fire on `tenant`'s requests (all of them, without a tenant)."""
        return [armed.fault for armed in self.armed(tenant)]

    def armed(self, tenant: str | None = None) -> list[ArmedFault]:
        """As `pending`, with each fault's id and owner."""
        with self._lock:
            return [armed for armed in self._faults if tenant is None or armed.owner in (None, tenant)]

    def remove(self, fault_id: str, tenant: str | None = None) -> Fault:
        """Drops the fault `fault_id` if `tenant` may: its own, or any without a tenant.

        KeyError if `tenant` cannot see it (another tenant's is not named, as if it did not exist);
        PermissionError for a server-wide fault a tenant sees but did not set.
        """
        with self._lock:
            for armed in self._faults:
                if armed.id == fault_id and (tenant is None or armed.owner in (None, tenant)):
                    if armed.owner != tenant and tenant is not None:
                        raise PermissionError(fault_id)
                    self._faults.remove(armed)
                    return armed.fault
        raise KeyError(fault_id)

    def take(self, operation: str | None, tenant: str | None = None) -> Fault | None:
        """The first fault matching `operation` for `tenant`, counted down by one firing."""
        with self._lock:
            for entry in self._faults:
                owner, fault = entry.owner, entry.fault
                if owner not in (None, tenant):
                    continue
                if fault.operation == "*" or fault.operation == operation:
                    # the last firing removes it (times never drops below 1: attrs validates on assignment)
                    if fault.times <= 1:
                        self._faults.remove(entry)
                    else:
                        fault.times -= 1
                    return fault
        return None
