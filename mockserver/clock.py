"""The mock's clock: wall time plus an offset that tests advance by hand."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timezone


class MockClock:
    """Seconds since the epoch, movable forward so time-based tasks finish on demand."""

    def __init__(self) -> None:
        self._offset = 0.0
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return time.time() + self._offset

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("the mock clock only moves forward")
        with self._lock:
            self._offset += seconds


def format_datetime(moment: float) -> str:
    """Labelbox's DateTime wire format, which the real SDK parses with %Y-%m-%dT%H:%M:%S.%fZ."""
    stamp = datetime.fromtimestamp(moment, tz=timezone.utc)
    return stamp.strftime("%Y-%m-%dT%H:%M:%S.") + f"{stamp.microsecond // 1000:03d}Z"
