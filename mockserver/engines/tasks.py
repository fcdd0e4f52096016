"""The task engine: every asynchronous operation is a task that moves by a transition.

After moto's state transitions. A transition is chosen per task kind (or `*`):

- `immediate`: done when first read (the effect is applied at creation, which no
  reader can tell apart),
- `reads`: IN_PROGRESS for `times` status reads, then done,
- `time`: done once `duration` seconds have passed on the mock's clock.

The outcome is COMPLETE (the task's effect is applied then, not before) or
FAILED with an error message (the effect is never applied).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from attrs import define, field, validators

from ..clock import MockClock, current_tenant
from ..ids import IdFactory
from ..state.errors import StateError
from ..state.organization import Organization
from ..state.records import Task

PROGRESSIONS = ("immediate", "reads", "time")
OUTCOMES = ("COMPLETE", "FAILED")

# Every kind of task the mock creates; the README lists them for users steering transitions.
TASK_KINDS = (
    "data-row-registration",
    "label-registration",
    "split-assignment",
    "prediction-import",
    "mal-import",
    "batch-creation",
    "send-to-annotate",
    "export",
    # catalog
    "data-row-upsert",
    "global-key-lookup",
    "label-import",
)

Effect = Callable[[], Any]


def check_kind(kind: Any) -> str:
    """`kind` if transitions can be set for it ('*' or a task kind), else ValueError listing the kinds."""
    if kind != "*" and kind not in TASK_KINDS:
        raise ValueError(f"unknown task kind {kind!r}; expected '*' or one of {', '.join(TASK_KINDS)}")
    return str(kind)


@define(frozen=True)
class Transition:
    progression: str = field(default="immediate", validator=validators.in_(PROGRESSIONS))
    times: int = field(default=1, validator=validators.ge(0))
    duration: float = field(default=0.0, validator=validators.ge(0))
    outcome: str = field(default="COMPLETE", validator=validators.in_(OUTCOMES))
    error: str | None = None

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> tuple[str, Transition]:
        """Parses `{"kind", "progression", "times", "duration", "outcome", "error"}`."""
        allowed = {"kind", "progression", "times", "duration", "outcome", "error"}
        unknown = sorted(set(doc) - allowed)
        if unknown:
            raise ValueError(f"unknown transition keys: {', '.join(unknown)}")
        kind = check_kind(doc.get("kind", "*"))
        try:
            return kind, cls(
                progression=doc.get("progression", "immediate"),
                times=int(doc.get("times", 1)),
                duration=float(doc.get("duration", 0.0)),
                outcome=doc.get("outcome", "COMPLETE"),
                error=doc.get("error"),
            )
        except (TypeError, ValueError) as exc:
            raise ValueError(f"invalid transition: {exc}") from None


# Finished tasks are kept this long on their organisation's clock, and at most this many per
# organisation (the oldest finished go first); a task an import names is kept with the import.
TASK_RETENTION_SECONDS = 24 * 3600.0
MAX_FINISHED_TASKS = 5_000


class TaskEngine:
    def __init__(self, clock: MockClock, ids: IdFactory) -> None:
        self.clock = clock
        self.ids = ids
        self.max_finished = MAX_FINISHED_TASKS
        self._forget_hooks: list[Callable[[str], None]] = []
        self._transitions: dict[tuple[str | None, str], Transition] = {}
        self._lock = threading.Lock()

    # Transitions are kept per organisation (the tenant whose request set them) over server-wide
    # ones (set in-process); a task reads those of the tenant it is started for.
    def set_transition(self, kind: str, transition: Transition, tenant: str | None = None) -> None:
        check_kind(kind)
        with self._lock:
            self._transitions[(tenant, kind)] = transition

    def clear_transitions(self, tenant: str | None = None) -> None:
        """Drops the transitions of `tenant`; without one, every transition of every tenant."""
        with self._lock:
            if tenant is None:
                self._transitions.clear()
            else:
                for key in [key for key in self._transitions if key[0] == tenant]:
                    del self._transitions[key]

    def transition_for(self, kind: str) -> Transition:
        tenant = current_tenant()
        with self._lock:
            for key in ((tenant, kind), (tenant, "*"), (None, kind), (None, "*")):
                found = self._transitions.get(key)
                if found is not None:
                    return found
            return Transition()

    def transitions(self, tenant: str | None = None) -> dict[str, Transition]:
        """What tasks of each kind follow for `tenant`: its own over the server-wide ones."""
        with self._lock:
            merged = {kind: t for (owner, kind), t in self._transitions.items() if owner is None}
            if tenant is not None:
                merged.update({kind: t for (owner, kind), t in self._transitions.items() if owner == tenant})
            return merged

    def start(
        self,
        org: Organization,
        kind: str,
        name: str,
        effect: Effect | None = None,
        task_type: str | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> Task:
        """Creates a task of `kind` whose `effect` runs when the task completes.

        The effect returns the task's result or raises StateError, which fails
        the task with that message and leaves state as it was.
        """
        now = self.clock.now()
        transition = self.transition_for(kind)
        task = Task(
            id=self.ids.new(),
            kind=kind,
            name=name,
            type=task_type or kind,
            created_at=now,
            updated_at=now,
            created_by_id=org.user.id,
            metadata=dict(metadata or {}),
            reads_left=transition.times if transition.progression == "reads" else 0,
            due_at=now + transition.duration if transition.progression == "time" else None,
            outcome=transition.outcome,
            failure_message=transition.error,
            effect=effect,
        )
        org.tasks[task.id] = task
        if transition.progression == "immediate":
            self._finish(task)
        return task

    def observe(self, task: Task) -> Task:
        """One status read of `task`: counts down `reads` transitions and settles due ones."""
        if task.status != "IN_PROGRESS":
            return task
        if task.due_at is not None:
            if self.clock.now() >= task.due_at:
                self._finish(task)
            else:
                elapsed = self.clock.now() - task.created_at
                total = task.due_at - task.created_at
                task.completion_percentage = round(100.0 * elapsed / total, 1) if total else 0.0
        elif task.reads_left > 0:
            task.reads_left -= 1
            task.updated_at = self.clock.now()
        else:
            self._finish(task)
        return task

    def on_forget(self, hook: Callable[[str], None]) -> None:
        """`hook(task_id)` runs when a finished task expires, so what hangs off it goes too (an export)."""
        self._forget_hooks.append(hook)

    def tick(self, org: Organization) -> None:
        """Settles every time-based task that is due, so effects land even if nobody polls; drops
        finished tasks past their retention or beyond the cap."""
        now = self.clock.now()
        finished: list[Task] = []
        for task in list(org.tasks.values()):
            if task.status == "IN_PROGRESS" and task.due_at is not None and now >= task.due_at:
                self._finish(task)
            if task.status != "IN_PROGRESS":
                finished.append(task)
        if finished and (len(finished) > self.max_finished
                         or now - min(task.updated_at for task in finished) > TASK_RETENTION_SECONDS):
            self._expire(org, finished, now)

    def _expire(self, org: Organization, finished: list[Task], now: float) -> None:
        named = {record.task_id for record in org.annotation_imports.values()}
        candidates = sorted((task for task in finished if task.id not in named), key=lambda task: task.updated_at)
        over = max(len(candidates) - self.max_finished, 0)
        for index, task in enumerate(candidates):
            if index >= over and now - task.updated_at <= TASK_RETENTION_SECONDS:
                break
            del org.tasks[task.id]
            for hook in self._forget_hooks:
                hook(task.id)

    def _finish(self, task: Task) -> None:
        task.updated_at = self.clock.now()
        if task.outcome == "FAILED":
            task.status = "FAILED"
            task.errors = task.failure_message or f"task {task.id} failed"
        else:
            try:
                task.result = task.effect() if task.effect is not None else None
                task.status = "COMPLETE"
                task.completion_percentage = 100.0
            except StateError as exc:
                task.status = "FAILED"
                task.errors = str(exc)
        task.effect = None
