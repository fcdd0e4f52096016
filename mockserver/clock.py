"""The mock's clock: wall time plus an offset that tests advance by hand."""

from __future__ import annotations

import math
import threading
import time
from datetime import datetime, timezone

# How far tests may move the clock in all: a century. Past it, timestamps would leave what
# datetime and the DateTime format can show (year 9999), and every later answer would fail.
MAX_ADVANCE_SECONDS = 100 * 365.25 * 24 * 3600


class MockClock:
    """Seconds since the epoch, movable forward so time-based tasks finish on demand."""

    def __init__(self) -> None:
        self._offset = 0.0
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return time.time() + self._offset

    def advance(self, seconds: float) -> None:
        """Moves the clock forward; ValueError (state unchanged) for a step that is negative, not finite,
        or would take the clock past MAX_ADVANCE_SECONDS in all."""
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not math.isfinite(seconds):
            raise ValueError(f"the mock clock advances by a finite number of seconds, not {seconds!r}")
        if seconds < 0:
            raise ValueError("the mock clock only moves forward")
        with self._lock:
            if self._offset + seconds > MAX_ADVANCE_SECONDS:
                raise ValueError(f"the mock clock moves at most {MAX_ADVANCE_SECONDS:.0f} seconds (a century) in "
                                 f"all; it has moved {self._offset:.0f}, so {seconds!r} more is too far")
            self._offset += seconds


def format_datetime(moment: float) -> str:
    """Labelbox's DateTime wire format, which the real SDK parses with %Y-%m-%dT%H:%M:%S.%fZ."""
    stamp = datetime.fromtimestamp(moment, tz=timezone.utc)
    return stamp.strftime("%Y-%m-%dT%H:%M:%S.") + f"{stamp.microsecond // 1000:03d}Z"
