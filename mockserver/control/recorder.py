"""A recorder after moto's: the requests that built a state, replayable into a fresh mock.

Each call keeps the ids it was issued, in order; replaying it issues them again
(`IdFactory.reissuing`), so a replay rebuilds the same ids. Ids are global, so one
may be live elsewhere when replayed (another tenant of a shared mock holds it):
then a fresh id stands in and later calls are sent naming that one. API keys are
never recorded: a call names its organisation by its `tenant_number`, its key's
slot (state/keys.py; -1 for a server-wide call; in an organisation's own
recording always 0, the organisation that replays it).

The mock keeps one recorder for the whole mock (in-process code and the admin
token) and one per organisation that starts its own.
"""

from __future__ import annotations

import base64
import logging
import threading
from typing import Any

from attrs import asdict, define

RECORDING_VERSION = 3
# version 1 kept no ids per call: its replays re-seed the id sequence (whole-mock replays only);
# versions 1 and 2 named a call's tenant number "tenant"
READABLE_VERSIONS = (1, 2, 3)

logger = logging.getLogger(__name__)


@define(frozen=True)
class RecordedCall:
    method: str
    path: str
    content_type: str
    body: str  # base64, so binary uploads survive JSON
    tenant_number: int  # the slot of the caller's key (state/keys.py); -1 for a server-wide call
    ids: tuple[str, ...] = ()  # the ids the call was issued, in order

    @classmethod
    def from_json(cls, doc: Any, version: int = RECORDING_VERSION) -> RecordedCall:
        """One call of a recording of `version`, each field checked for its type (never coerced): ValueError
        otherwise."""
        if not isinstance(doc, dict):
            raise ValueError(f"a call is a JSON object, got {type(doc).__name__}")
        ids = doc.get("ids", [])
        if not isinstance(ids, list) or not all(isinstance(issued, str) for issued in ids):
            raise ValueError("a call's ids must be a list of strings")
        method, path = doc.get("method"), doc.get("path")
        if method not in _METHODS:
            raise ValueError(f"a call's method must be one of {', '.join(_METHODS)}, got {method!r}")
        if not isinstance(path, str) or not path.startswith("/") or not path.isprintable() or " " in path:
            raise ValueError(f"a call's path must be a path starting with '/', got {path!r}")
        number_field = "tenant_number" if version >= 3 else "tenant"
        content_type, body, number = doc.get("content_type", ""), doc.get("body", ""), doc.get(number_field, -1)
        if not isinstance(content_type, str) or not content_type.isprintable():
            raise ValueError("a call's content_type must be a string of printable characters")
        if not isinstance(body, str):
            raise ValueError("a call's body must be a base64 string")
        try:
            base64.b64decode(body, validate=True)
        except ValueError:
            raise ValueError("a call's body is not valid base64") from None
        if isinstance(number, bool) or not isinstance(number, int) or not -1 <= number < 2**31:
            raise ValueError(f"a call's {number_field} must be an integer (-1 for a server-wide call), got {number!r}")
        return cls(method=method, path=path, content_type=content_type, body=body, tenant_number=number,
                   ids=tuple(ids))

    def body_bytes(self) -> bytes:
        return base64.b64decode(self.body)


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


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

    def record(self, method: str, path: str, content_type: str, body: bytes, tenant_number: int,
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
            self._calls.append(RecordedCall(method, path, content_type, encoded, tenant_number, ids))

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
    if (seed is None and doc["version"] == 1) or not isinstance(seed, (int, type(None))) or isinstance(seed, bool) \
            or (seed is not None and not 0 <= seed < 2**63):
        raise ValueError("recording has no integer id_seed between 0 and 2**63")
    calls = doc.get("calls")
    if not isinstance(calls, list):
        raise ValueError("recording has no list of calls")
    try:
        return seed, [RecordedCall.from_json(call, doc["version"]) for call in calls]
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"malformed call in recording: {exc}") from None
