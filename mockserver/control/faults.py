"""Fault injection, after WireMock's faults and LocalStack's chaos API.

A fault matches requests by GraphQL operation name (or `*`) and fires for the
next `times` of them, before the request reaches state.
"""

from __future__ import annotations

import itertools
import math
import re
import threading
from collections import deque
from typing import Any

from attrs import define, field, validators

from ..api.errors import KNOWN_CODES
from ..state.errors import QuotaExceeded

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


# A GraphQL operation name (or "*"): what a request's operation is matched against, so nothing else
# could ever fire; bounded like the names the SDK sends.
_OPERATION = re.compile(r"\*|[_A-Za-z][_0-9A-Za-z]{0,127}")
MAX_TIMES = 1_000_000
MAX_RETRY_AFTER_SECONDS = 3600.0


def _operation_name(_instance: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, str) or not _OPERATION.fullmatch(value):
        shown = repr(value) if not isinstance(value, str) or len(value) <= 40 else f"a {len(value)}-character string"
        raise ValueError(f"{attribute.name} must be '*' or a GraphQL operation name of at most 128 characters, "
                         f"got {shown}")


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

    operation: str = field(default="*", validator=_operation_name)
    times: int = field(default=1, validator=_integer(1, MAX_TIMES))
    status: int | None = field(default=None, validator=validators.optional(_integer(400, 599)))
    retry_after: float | None = field(default=None, validator=validators.optional(_seconds(MAX_RETRY_AFTER_SECONDS)))
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


# Per organisation (and for the server-wide faults set in-process, together): armed faults at once.
MAX_FAULTS_PER_TENANT = 1_000


class FaultBook:
    """The faults waiting to fire; thread-safe, since server threads consult it concurrently.

    A fault belongs to the tenant (organisation id) that set it and fires only on that tenant's
    requests, so CI workers sharing a mock cannot consume each other's faults; one set without a
    tenant (in-process) fires on anyone's.

    Faults are queued by owner, then operation, so a request looks at four queue heads (its tenant's
    and the server-wide ones, for its operation and for "*") whatever the number armed; of those, the
    one armed first fires, as if the faults were one list in the order they were set. Listing or
    clearing a tenant's faults visits its own queues (and the server-wide ones), never another's.
    """

    def __init__(self) -> None:
        self._queues: dict[str | None, dict[str, deque[tuple[int, ArmedFault]]]] = {}  # owner -> operation ->
        self._by_id: dict[str, tuple[int, ArmedFault]] = {}
        self._count: dict[str | None, int] = {}
        self._order = itertools.count()
        self._lock = threading.Lock()

    def add(self, fault: Fault, tenant: str | None = None, fault_id: str = "") -> None:
        with self._lock:
            if self._count.get(tenant, 0) >= MAX_FAULTS_PER_TENANT:
                raise QuotaExceeded(f"quota exceeded: at most {MAX_FAULTS_PER_TENANT} faults armed at once per "
                                    "organisation; clear some (DELETE /_mock/faults)")
            entry = (next(self._order), ArmedFault(fault_id, tenant, fault))
            self._queues.setdefault(tenant, {}).setdefault(fault.operation, deque()).append(entry)
            self._count[tenant] = self._count.get(tenant, 0) + 1
            if fault_id:
                self._by_id[fault_id] = entry

    def clear(self, tenant: str | None = None) -> None:
        """Drops the faults of `tenant`; without one, every fault."""
        with self._lock:
            if tenant is None:
                self._queues.clear()
                self._by_id.clear()
                self._count.clear()
                return
            for queue in self._queues.pop(tenant, {}).values():
                for _, armed in queue:
                    self._by_id.pop(armed.id, None)
            self._count.pop(tenant, None)

    def pending(self, tenant: str | None = None) -> list[Fault]:
        """The faults that would fire on `tenant`'s requests (all of them, without a tenant)."""
        return [armed.fault for armed in self.armed(tenant)]

    def armed(self, tenant: str | None = None) -> list[ArmedFault]:
        """As `pending`, with each fault's id and owner, in the order they were armed."""
        with self._lock:
            owners = list(self._queues) if tenant is None else [None, tenant]
            entries = [entry for owner in owners for queue in self._queues.get(owner, {}).values()
                       for entry in queue]
        return [armed for _, armed in sorted(entries, key=lambda entry: entry[0])]

    def remove(self, fault_id: str, tenant: str | None = None) -> Fault:
        """Drops the fault `fault_id` if `tenant` may: its own, or any without a tenant.

        KeyError if `tenant` cannot see it (another tenant's is not named, as if it did not exist);
        PermissionError for a server-wide fault a tenant sees but did not set.
        """
        with self._lock:
            entry = self._by_id.get(fault_id)
            if entry is None or (tenant is not None and entry[1].owner not in (None, tenant)):
                raise KeyError(fault_id)
            armed = entry[1]
            if tenant is not None and armed.owner != tenant:
                raise PermissionError(fault_id)
            self._drop(entry)
            return armed.fault

    def _drop(self, entry: tuple[int, ArmedFault]) -> None:
        armed = entry[1]
        own = self._queues[armed.owner]
        queue = own[armed.fault.operation]
        queue.remove(entry)  # a queue of one operation of one owner, at most the quota long
        if not queue:
            del own[armed.fault.operation]
            if not own:
                del self._queues[armed.owner]
        self._by_id.pop(armed.id, None)
        self._count[armed.owner] -= 1

    def take(self, operation: str | None, tenant: str | None = None) -> Fault | None:
        """The first fault matching `operation` for `tenant`, counted down by one firing."""
        if not self._queues:  # the common case, without the lock
            return None
        with self._lock:
            first: tuple[int, ArmedFault] | None = None
            for owner in {tenant, None}:
                own = self._queues.get(owner)
                if own is None:
                    continue
                for name in {operation or "*", "*"}:
                    queue = own.get(name)
                    if queue and (first is None or queue[0][0] < first[0]):
                        first = queue[0]
            if first is None:
                return None
            fault = first[1].fault
            # the last firing removes it (times never drops below 1: attrs validates on assignment)
            if fault.times <= 1:
                self._drop(first)
            else:
                fault.times -= 1
            return fault
