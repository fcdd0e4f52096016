"""A recorder after moto's: the requests that built a state, replayable into a fresh mock.

Each call keeps the ids it was issued, in order; replaying it issues them again
(`IdFactory.reissuing`), so a replay rebuilds the same ids. Ids are global, so one
may be live elsewhere when replayed (another tenant of a shared mock holds it):
then a fresh id stands in and later calls are sent naming that one. API keys are
never recorded: a call names its organisation by the position of its key among
the mock's keys (in a tenant's own recording, always 0: the replaying key).

The mock keeps one recorder for the whole mock (in-process code and the admin
token) and one per organisation that starts its own.
"""

from __future__ import annotations

import base64
import logging
import threading
from typing import Any

from attrs import asdict, define

RECORDING_VERSION = 2
# version 1 kept no ids per call: its replays re-seed the id sequence (whole-mock replays only)
READABLE_VERSIONS = (1, 2)

logger = logging.getLogger(__name__)


@define(frozen=True)
class RecordedCall:
    method: str
    path: str
    content_type: str
    body: str  # base64, so binary uploads survive JSON
    tenant: int  # index of the caller's key among the mock's keys; -1 for none
    ids: tuple[str, ...] = ()  # the ids the call was issued, in order

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> RecordedCall:
        ids = doc.get("ids", [])
        if not isinstance(ids, list) or not all(isinstance(issued, str) for issued in ids):
            raise ValueError("a call's ids must be a list of strings")
        return cls(method=str(doc["method"]), path=str(doc["path"]), content_type=str(doc.get("content_type", "")),
                   body=str(doc.get("body", "")), tenant=int(doc.get("tenant", -1)), ids=tuple(ids))

    def body_bytes(self) -> bytes:
        return base64.b64decode(self.body)


def worth_recording(method: str, path: str) -> bool:
    """API calls, which can change state or a task's progress.

    Admin calls are recorded by the Backend methods they invoke, so that
    steering from Python and over HTTP is recorded alike, and only once.
    """
    return not path.startswith(("/_mock/", "/_files/")) and method != "GET"


# What a recording may hold (base64 bodies); past it the recorder stops and says so, since a
# recording with calls missing would replay into a different state. An organisation's own recording
# holds less: a shared mock keeps one per organisation that records.
DEFAULT_RECORDING_BYTES = 256 * 1024 * 1024
TENANT_RECORDING_BYTES = 64 * 1024 * 1024


class Recorder:
    def __init__(self, max_bytes: int = DEFAULT_RECORDING_BYTES) -> None:
        self._lock = threading.Lock()
        self.active = False
        self.id_seed: int | None = None
        self._calls: list[RecordedCall] = []
        self.max_bytes = max_bytes
        self.bytes = 0
        self.overflowed = False

    def start(self, id_seed: int | None) -> None:
        """Records from now on, from empty; `id_seed` is the seed the id sequence restarted from, if it did."""
        with self._lock:
            self.active, self.id_seed, self._calls = True, id_seed, []
            self.bytes, self.overflowed = 0, False

    def stop(self) -> None:
        with self._lock:
            self.active = False

    def record(self, method: str, path: str, content_type: str, body: bytes, tenant: int,
               ids: tuple[str, ...] = ()) -> None:
        with self._lock:
            if not self.active:
                return
            encoded = base64.b64encode(body).decode()
            size = len(encoded) + len(path) + len(content_type) + 25 * len(ids)
            if self.bytes + size > self.max_bytes:
                self.active, self.overflowed = False, True
                logger.warning("recording stopped: it would pass %d bytes", self.max_bytes)
                return
            self.bytes += size
            self._calls.append(RecordedCall(method, path, content_type, encoded, tenant, ids))

    def to_json(self) -> dict[str, Any]:
        with self._lock:
            doc: dict[str, Any] = {"version": RECORDING_VERSION, "id_seed": self.id_seed,
                                   "calls": [{**asdict(c), "ids": list(c.ids)} for c in self._calls]}
            if self.overflowed:
                doc["incomplete"] = f"recording stopped at its limit of {self.max_bytes} bytes"
            return doc


def parse_recording(doc: Any) -> tuple[int | None, list[RecordedCall]]:
    """(id seed, calls) of a recording document, or ValueError saying what is wrong with it. The seed
    is None for a recording that did not restart the id sequence (an organisation's own)."""
    if not isinstance(doc, dict) or doc.get("version") not in READABLE_VERSIONS:
        raise ValueError(f"not a labelbox-mock recording (expected an object with version {RECORDING_VERSION})")
    seed = doc.get("id_seed")
    if (seed is None and doc["version"] == 1) or not isinstance(seed, (int, type(None))) or isinstance(seed, bool):
        raise ValueError("recording has no integer id_seed")
    calls = doc.get("calls")
    if not isinstance(calls, list):
        raise ValueError("recording has no list of calls")
    try:
        return seed, [RecordedCall.from_json(call) for call in calls]
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"malformed call in recording: {exc}") from None
