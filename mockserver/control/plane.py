"""One mock's control plane: faults, journal and recorder, and the steering of the engines.

Transitions and the clock live with the task engine, which reads them; they are
set through here so that every steering call, from Python or over HTTP, is
recorded once, as the admin call that does the same, and a replay includes it.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any

import attrs

from ..clock import MockClock
from ..engines.tasks import TaskEngine, Transition
from .commands import COMMANDS, fault_args
from .faults import Fault, FaultBook
from .journal import Journal
from .recorder import Recorder, RecordingLedger, recorded_size


class ControlPlane:
    """Steering and observing, each per tenant (an organisation id) or, with no tenant, server-wide."""

    def __init__(self, tasks: TaskEngine, clock: MockClock, tenant_number: Callable[[str | None], int],
                 new_id: Callable[[], str]) -> None:
        self.faults = FaultBook()
        self.journal = Journal()
        self.recordings = RecordingLedger()  # what all of them hold, per organisation and in all
        self.recorder = Recorder(self.recordings)  # the whole mock's
        self._recorders: dict[str, Recorder] = {}  # organisation id -> its own recording
        self._recorders_lock = threading.Lock()
        self._tasks = tasks
        self._clock = clock
        self._tenant_number = tenant_number  # an organisation id -> its tenant number, as recordings name it
        # fault ids come from the mock's id generator, which a recording re-seeds: a replayed
        # DELETE /_mock/faults/<id> names the fault the replayed POST armed
        self._new_id = new_id

    def recorder_for(self, tenant: str | None) -> Recorder:
        """The whole mock's recorder (no tenant), or the organisation's own, made when first asked for."""
        if tenant is None:
            return self.recorder
        with self._recorders_lock:
            return self._recorders.setdefault(tenant, Recorder(self.recordings))

    @property
    def recording_anything(self) -> bool:
        """Whether any recorder records: the one check a request pays when none does."""
        if self.recorder.active:
            return True
        return bool(self._recorders) and any(own.active for own in list(self._recorders.values()))

    def recording(self, tenant: str | None) -> bool:
        """Whether a call of `tenant` is being recorded, by the whole mock's recorder or its own."""
        own = self._recorders.get(tenant) if tenant is not None else None
        return self.recorder.active or (own is not None and own.active)

    def record_call(self, method: str, path: str, content_type: str, body: bytes, tenant: str | None,
                    ids: tuple[str, ...] = ()) -> None:
        """Records a call of `tenant` (None: server-wide) with the ids it was issued: in the whole mock's
        recording by its tenant number, and in the tenant's own as 0, the organisation that will replay it."""
        if self.recorder.active:
            self.recorder.record(method, path, content_type, body, self._tenant_number(tenant), ids, tenant)
        own = self._recorders.get(tenant) if tenant is not None else None
        if own is not None and own.active:
            own.record(method, path, content_type, body, 0, ids, tenant)

    def refuse_unrecordable(self, tenant: str | None, method: str, path: str, content_type: str, body: bytes) -> None:
        """QuotaExceeded (state/quotas.py) for a call of `tenant` the recordings that would keep it have no
        room for, checked before it runs (its ids, known only after, are charged as it is recorded)."""
        own = self._recorders.get(tenant) if tenant is not None else None
        copies = self.recorder.active + (own is not None and own.active)
        if copies:
            self.recordings.refuse_past(tenant, copies * recorded_size(len(body), path, content_type))

    def record_command(self, name: str, args: dict[str, Any] | None = None, tenant: str | None = None,
                       ids: tuple[str, ...] = ()) -> None:
        """Records a steering call as the admin request that does the same (its route and body, from the
        command table, so a replay sends it back through that very route)."""
        if self.recording(tenant):
            command = COMMANDS[name]
            body = command.to_body(args or {})
            payload = json.dumps(body).encode("utf-8") if body is not None else b""
            self.record_call(command.method, command.route(args or {}), "application/json", payload, tenant, ids)

    def clear(self, tenant: str | None = None) -> None:
        """Drops pending faults and the journal of `tenant`, or all of them (a reset); the recorder keeps recording."""
        self.faults.clear(tenant)
        self.journal.clear(tenant)

    def set_transition(self, kind: str, transition: Transition, tenant: str | None = None) -> None:
        self._tasks.set_transition(kind, transition, tenant)
        self.record_command("set_transition", {"kind": kind, **attrs.asdict(transition)}, tenant)

    def clear_transitions(self, tenant: str | None = None) -> None:
        self._tasks.clear_transitions(tenant)
        self.record_command("clear_transitions", tenant=tenant)

    def add_fault(self, fault: Fault, tenant: str | None = None) -> str:
        """Arms `fault`; answers its id."""
        fault_id = self._new_id()
        self.faults.add(fault, tenant, fault_id)
        self.record_command("inject_fault", fault_args(fault), tenant)
        return fault_id

    def remove_fault(self, fault_id: str, tenant: str | None = None) -> None:
        """Drops one fault; KeyError or PermissionError as FaultBook.remove."""
        self.faults.remove(fault_id, tenant)
        self.record_command("remove_fault", {"fault_id": fault_id}, tenant)

    def clear_faults(self, tenant: str | None = None) -> None:
        self.faults.clear(tenant)
        self.record_command("clear_faults", tenant=tenant)

    def advance_clock(self, seconds: float, tenant: str | None = None) -> None:
        self._clock.advance(seconds, tenant)
        self.record_command("advance_clock", {"seconds": seconds}, tenant)
