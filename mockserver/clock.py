"""The mock's clock: wall time plus offsets that tests advance by hand, one per organisation.

Several CI workers share one standalone mock, each as its own organisation, so
one worker moving time must not finish another's tasks. The clock has a
server-wide offset (what in-process code moves) and one per tenant; `now()`
adds the offset of the tenant whose request is being served, which the HTTP
handler names with `tenant_scope()` (a context variable, so each server thread sees
its own). Code below the handler just calls `now()`.
"""

from __future__ import annotations

import math
import threading
import time
from contextvars import ContextVar
from datetime import datetime, timezone

# How far tests may move the clock in all: a century. Past it, timestamps would leave what
# datetime and the DateTime format can show (year 9999), and every later answer would fail.
MAX_ADVANCE_SECONDS = 100 * 365.25 * 24 * 3600


_tenant: ContextVar[str | None] = ContextVar("labelbox_mock_tenant", default=None)


def current_tenant() -> str | None:
    """The organisation id whose request this thread serves; None outside a request (in-process steering)."""
    return _tenant.get()


class tenant_scope:  # noqa: N801 - used as a function: `with tenant_scope(org_id):`
    """Serve the enclosed code as `tenant`: its clock offset, its transitions, faults and files.
    A class, not a generator: it wraps every request."""

    __slots__ = ("_tenant", "_token")

    def __init__(self, tenant: str | None) -> None:
        self._tenant = tenant

    def __enter__(self) -> None:
        self._token = _tenant.set(self._tenant)

    def __exit__(self, *_exc: object) -> None:
        _tenant.reset(self._token)


class MockClock:
    """Seconds since the epoch, movable forward so time-based tasks finish on demand."""

    def __init__(self) -> None:
        self._offset = 0.0
        self._tenant_offsets: dict[str, float] = {}
        self._lock = threading.Lock()

    def now(self) -> float:
        tenant = _tenant.get()
        with self._lock:
            return time.time() + self._offset + (self._tenant_offsets.get(tenant, 0.0) if tenant else 0.0)

    def forget(self, tenant: str) -> None:
        """A reset organisation's time goes back to the server's."""
        with self._lock:
            self._tenant_offsets.pop(tenant, None)

    def forget_all(self) -> None:
        with self._lock:
            self._tenant_offsets.clear()

    def advance(self, seconds: float, tenant: str | None = None) -> None:
        """Moves the clock forward; ValueError (state unchanged) for a step that is negative, not finite,
        or would take the clock past MAX_ADVANCE_SECONDS in all. With `tenant`, only that organisation's
        time moves; without, every organisation's."""
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not math.isfinite(seconds):
            raise ValueError(f"the mock clock advances by a finite number of seconds, not {seconds!r}")
        if seconds < 0:
            raise ValueError("the mock clock only moves forward")
        with self._lock:
            moved = self._offset + max(self._tenant_offsets.values(), default=0.0)
            if tenant is not None:
                moved = self._offset + self._tenant_offsets.get(tenant, 0.0)
            if moved + seconds > MAX_ADVANCE_SECONDS:
                raise ValueError(f"the mock clock moves at most {MAX_ADVANCE_SECONDS:.0f} seconds (a century) in "
                                 f"all; it has moved {moved:.0f}, so {seconds!r} more is too far")
            if tenant is None:
                self._offset += seconds
            else:
                self._tenant_offsets[tenant] = self._tenant_offsets.get(tenant, 0.0) + seconds


def format_datetime(moment: float) -> str:
    """Labelbox's DateTime wire format, which the real SDK parses with %Y-%m-%dT%H:%M:%S.%fZ."""
    stamp = datetime.fromtimestamp(moment, tz=timezone.utc)
    return stamp.strftime("%Y-%m-%dT%H:%M:%S.") + f"{stamp.microsecond // 1000:03d}Z"
