"""One mock's control plane: faults, journal and recorder, and the steering of the engines.

Transitions and the clock live with the task engine, which reads them; they are
set through here so that every steering call, from Python or over HTTP, is
recorded once, as the admin call that does the same, and a replay includes it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import attrs

from ..clock import MockClock
from ..engines.tasks import TaskEngine, Transition
from .faults import Fault, FaultBook
from .journal import Journal
from .recorder import Recorder


class ControlPlane:
    def __init__(self, tasks: TaskEngine, clock: MockClock, tenant_of: Callable[[str | None], int]) -> None:
        self.faults = FaultBook()
        self.journal = Journal()
        self.recorder = Recorder()
        self._tasks = tasks
        self._clock = clock
        self._tenant_of = tenant_of  # the position of a key among the mock's keys, as recordings name tenants

    def record_admin(self, method: str, path: str, body: Any = None, api_key: str | None = None) -> None:
        """Records a steering call as the admin request that does the same."""
        if self.recorder.active:
            payload = json.dumps(body).encode("utf-8") if body is not None else b""
            self.recorder.record(method, path, "application/json", payload, self._tenant_of(api_key))

    def clear(self) -> None:
        """Drops pending faults and the journal (a reset); the recorder keeps recording."""
        self.faults.clear()
        self.journal.clear()

    def set_transition(self, kind: str, transition: Transition) -> None:
        self._tasks.set_transition(kind, transition)
        self.record_admin("POST", "/_mock/transitions", {"kind": kind, **attrs.asdict(transition)})

    def clear_transitions(self) -> None:
        self._tasks.clear_transitions()
        self.record_admin("DELETE", "/_mock/transitions")

    def add_fault(self, fault: Fault) -> None:
        self.faults.add(fault)
        self.record_admin("POST", "/_mock/faults",
                          attrs.asdict(fault, filter=lambda _a, v: v is not None and v is not False))

    def clear_faults(self) -> None:
        self.faults.clear()
        self.record_admin("DELETE", "/_mock/faults")

    def advance_clock(self, seconds: float) -> None:
        self._clock.advance(seconds)
        self.record_admin("POST", "/_mock/clock", {"advance": seconds})
