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
import threading
from typing import Any

from attrs import asdict, define

from ..state.quotas import refuse_recording_past

RECORDING_VERSION = 3
# version 1 kept no ids per call: its replays re-seed the id sequence (whole-mock replays only);
# versions 1 and 2 named a call's tenant number "tenant"
READABLE_VERSIONS = (1, 2, 3)


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


# What recordings may hold (base64 bodies, paths, ids): of one organisation's calls, in every recording
# that keeps them (the whole mock's and its own: a call kept by both counts twice), and of everyone's.
# A call that would pass either is refused before it runs (http/handler.py), so a recording never
# stops half way: a replay of it rebuilds the state its calls built.
RECORDING_BYTES_PER_ORG = 32 * 1024 * 1024
RECORDING_BYTES = 64 * 1024 * 1024
_ID_BYTES = 25  # an id as a recording's JSON holds it


def recorded_size(body_bytes: int, path: str, content_type: str, ids: int = 0) -> int:
    """What a call takes in a recording: its body in base64, its path and content type, its ids."""
    return 4 * ((body_bytes + 2) // 3) + len(path) + len(content_type) + _ID_BYTES * ids


class RecordingLedger:
    """The bytes every recording holds, per organisation whose calls they keep (None: server-wide calls)
    and in all; shared by a mock's recorders."""

    def __init__(self, per_org: int = RECORDING_BYTES_PER_ORG, in_all: int = RECORDING_BYTES) -> None:
        self.per_org = per_org
        self.in_all = in_all
        self._held: dict[str | None, int] = {}
        self.total = 0
        # recorders of this ledger that record now: every request asks whether any does, in O(1)
        self.active_recorders = 0
        self._lock = threading.Lock()

    def count_active(self, change: int) -> None:
        with self._lock:
            self.active_recorders += change

    def refuse_past(self, owner: str | None, size: int) -> None:
        """QuotaExceeded if `size` more bytes of `owner`'s calls would pass its quota or the ceiling."""
        with self._lock:
            held = self._held.get(owner, 0) if owner is not None else 0
            refuse_recording_past(held, size, self.per_org if owner is not None else self.in_all,
                                  self.total, self.in_all)

    def held(self, owner: str | None) -> int:
        with self._lock:
            return self._held.get(owner, 0)

    def charge(self, owner: str | None, size: int) -> None:
        """Counts a recorded call: it was admitted by `refuse_past` (or made in-process, by the code that
        owns the mock), so it is kept; a quota past its bound refuses the owner's next call."""
        with self._lock:
            self._held[owner] = self._held.get(owner, 0) + size
            self.total += size

    def release(self, charged: dict[str | None, int]) -> None:
        with self._lock:
            for owner, size in charged.items():
                left = self._held.get(owner, 0) - size
                if left > 0:
                    self._held[owner] = left
                else:
                    self._held.pop(owner, None)
                self.total -= size


class Recorder:
    def __init__(self, ledger: RecordingLedger | None = None) -> None:
        self._lock = threading.Lock()
        self.active = False
        self.id_seed: int | None = None
        self._calls: list[RecordedCall] = []
        self.ledger = ledger or RecordingLedger()
        self._charged: dict[str | None, int] = {}  # what this recording holds, per owner, in the ledger
        self.bytes = 0

    def start(self, id_seed: int | None) -> None:
        """Records from now on, from empty (freeing what the previous recording held); `id_seed` is the
        seed the id sequence restarted from, if it did."""
        with self._lock:
            if not self.active:
                self.ledger.count_active(1)
            self.active, self.id_seed, self._calls = True, id_seed, []
            self.ledger.release(self._charged)
            self._charged, self.bytes = {}, 0

    def stop(self) -> None:
        with self._lock:
            if self.active:
                self.ledger.count_active(-1)
            self.active = False

    def record(self, method: str, path: str, content_type: str, body: bytes, tenant_number: int,
               ids: tuple[str, ...] = (), owner: str | None = None) -> None:
        """Keeps a call; `owner` is the organisation whose call it is (None: server-wide), whose quota
        it counts against."""
        with self._lock:
            if not self.active:
                return
            size = recorded_size(len(body), path, content_type, len(ids))
            self.ledger.charge(owner, size)
            self._charged[owner] = self._charged.get(owner, 0) + size
            self.bytes += size
            self._calls.append(RecordedCall(method, path, content_type, base64.b64encode(body).decode(),
                                            tenant_number, ids))

    def to_json(self) -> dict[str, Any]:
        with self._lock:
            return {"version": RECORDING_VERSION, "id_seed": self.id_seed,
                    "calls": [{**asdict(c), "ids": list(c.ids)} for c in self._calls]}


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
