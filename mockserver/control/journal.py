"""The request journal, like `responses.calls`: what reached the mock, bounded in size."""

from __future__ import annotations

import threading
from collections import deque
from typing import Any

from attrs import asdict, define

DEFAULT_JOURNAL_SIZE = 10_000


@define(frozen=True)
class RecordedRequest:
    method: str
    path: str
    operation: str | None
    variables: Any
    status: int
    query: str | None = None
    at: float | None = None  # the mock clock's time when the request arrived
    duration_ms: float | None = None  # wall time the mock took to answer

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class Journal:
    def __init__(self, size: int = DEFAULT_JOURNAL_SIZE) -> None:
        self._entries: deque[RecordedRequest] = deque(maxlen=size)
        self._lock = threading.Lock()

    def record(self, entry: RecordedRequest) -> None:
        with self._lock:
            self._entries.append(entry)

    def entries(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
