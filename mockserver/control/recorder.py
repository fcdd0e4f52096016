"""A recorder after moto's: the requests that built a state, replayable into a fresh mock.

Ids are drawn from a generator the recording re-seeds, so replaying the same
requests in the same order rebuilds the same ids. API keys are never recorded:
a call names its organisation by the position of its key among the mock's keys.
"""

from __future__ import annotations

import base64
import logging
import threading
from typing import Any

from attrs import asdict, define

RECORDING_VERSION = 1

logger = logging.getLogger(__name__)


@define(frozen=True)
class RecordedCall:
    method: str
    path: str
    content_type: str
    body: str  # base64, so binary uploads survive JSON
    tenant: int  # index of the caller's key among the mock's keys; -1 for none

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> RecordedCall:
        return cls(method=str(doc["method"]), path=str(doc["path"]), content_type=str(doc.get("content_type", "")),
                   body=str(doc.get("body", "")), tenant=int(doc.get("tenant", -1)))

    def body_bytes(self) -> bytes:
        return base64.b64decode(self.body)


def worth_recording(method: str, path: str) -> bool:
    """API calls, which can change state or a task's progress.

    Admin calls are recorded by the Backend methods they invoke, so that
    steering from Python and over HTTP is recorded alike, and only once.
    """
    return not path.startswith(("/_mock/", "/_files/")) and method != "GET"


# What a recording may hold (base64 bodies); past it the recorder stops and says so, since a
# recording with calls missing would replay into a different state.
DEFAULT_RECORDING_BYTES = 256 * 1024 * 1024


class Recorder:
    def __init__(self, max_bytes: int = DEFAULT_RECORDING_BYTES) -> None:
        self._lock = threading.Lock()
        self.active = False
        self.id_seed: int | None = None
        self._calls: list[RecordedCall] = []
        self.max_bytes = max_bytes
        self.bytes = 0
        self.overflowed = False

    def start(self, id_seed: int) -> None:
        with self._lock:
            self.active, self.id_seed, self._calls = True, id_seed, []
            self.bytes, self.overflowed = 0, False

    def stop(self) -> None:
        with self._lock:
            self.active = False

    def record(self, method: str, path: str, content_type: str, body: bytes, tenant: int) -> None:
        with self._lock:
            if not self.active:
                return
            encoded = base64.b64encode(body).decode()
            size = len(encoded) + len(path) + len(content_type)
            if self.bytes + size > self.max_bytes:
                self.active, self.overflowed = False, True
                logger.warning("recording stopped: it would pass %d bytes", self.max_bytes)
                return
            self.bytes += size
            self._calls.append(RecordedCall(method, path, content_type, encoded, tenant))

    def to_json(self) -> dict[str, Any]:
        with self._lock:
            doc: dict[str, Any] = {"version": RECORDING_VERSION, "id_seed": self.id_seed,
                                   "calls": [asdict(c) for c in self._calls]}
            if self.overflowed:
                doc["incomplete"] = f"recording stopped at its limit of {self.max_bytes} bytes"
            return doc


def parse_recording(doc: Any) -> tuple[int, list[RecordedCall]]:
    """(id seed, calls) of a recording document, or ValueError saying what is wrong with it."""
    if not isinstance(doc, dict) or doc.get("version") != RECORDING_VERSION:
        raise ValueError(f"not a labelbox-mock recording (expected an object with version {RECORDING_VERSION})")
    seed = doc.get("id_seed")
    if not isinstance(seed, int):
        raise ValueError("recording has no integer id_seed")
    calls = doc.get("calls")
    if not isinstance(calls, list):
        raise ValueError("recording has no list of calls")
    try:
        return seed, [RecordedCall.from_json(call) for call in calls]
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"malformed call in recording: {exc}") from None
