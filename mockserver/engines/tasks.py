"""The task engine: every asynchronous operation is a task that moves by a transition.

After moto's state transitions. A transition is chosen per task kind (or `*`):

- `immediate`: done when first read (the effect is applied at creation, which no
  reader can tell apart; a task with heavy `progress` work, an export, completes
  at its first read instead, so the request creating it answers at once, and so
  does a task whose creation answer shows its state, an import, which Labelbox
  answers RUNNING),
- `reads`: IN_PROGRESS for `times` status reads, then done,
- `time`: done once `duration` seconds have passed on the mock's clock.

The outcome is COMPLETE (the task's effect is applied then, not before) or
FAILED with an error message (the effect is never applied).
"""

from __future__ import annotations

import heapq
import itertools
import math
import threading
from collections import deque
from collections.abc import Callable
from typing import Any

from attrs import define, field, validators

from ..clock import MockClock, current_tenant
from ..ids import IdFactory
from ..state.errors import InvalidInput, StateError
from ..state.organization import Organization
from ..state.records import Task

PROGRESSIONS = ("immediate", "reads", "time")
# Task types a user may cancel while they run (Client.cancel_task): exports, which only read
CANCELABLE_TYPES = ("export-data-rows",)
OUTCOMES = ("COMPLETE", "FAILED")

# Every kind of task the mock creates; the README lists them for users steering transitions.
TASK_KINDS = (
    "data-row-registration",
    "label-registration",
    "split-assignment",
    "prediction-import",
    "mal-import",
    "batch-creation",
    "task-queue-move",
    "queue-priority-update",
    "send-to-annotate",
    "export",
    # catalog
    "data-row-upsert",
    "global-key-lookup",
    "global-key-assignment",
    "global-key-clearing",
    "label-import",
    # Foundry
    "foundry-run",
)

Effect = Callable[[], Any]


def _finite_seconds(value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        raise ValueError(f"duration must be a finite, non-negative number of seconds, got {value!r}")


def check_kind(kind: Any) -> str:
    """`kind` if transitions can be set for it ('*' or a task kind), else ValueError listing the kinds."""
    if kind != "*" and kind not in TASK_KINDS:
        raise ValueError(f"unknown task kind {kind!r}; expected '*' or one of {', '.join(TASK_KINDS)}")
    return str(kind)


@define(frozen=True)
class Transition:
    progression: str = field(default="immediate", validator=validators.in_(PROGRESSIONS))
    times: int = field(default=1, validator=validators.ge(0))
    duration: float = field(default=0.0, validator=lambda _i, _a, value: _finite_seconds(value))
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
        # every number strictly (a JSON number of the right kind, finite, in range) and checked before
        # anything is stored: int("7") or float("inf") would store what no view can show
        times, duration, error = doc.get("times", 1), doc.get("duration", 0.0), doc.get("error")
        if isinstance(times, bool) or not isinstance(times, int) or not 0 <= times <= MAX_TRANSITION_TIMES:
            raise ValueError(f"invalid transition: times must be an integer between 0 and {MAX_TRANSITION_TIMES}, "
                             f"got {_shown(times)}")
        if isinstance(duration, bool) or not isinstance(duration, (int, float)) or not math.isfinite(duration) \
                or not 0 <= duration <= MAX_TRANSITION_SECONDS:
            raise ValueError(f"invalid transition: duration must be a number of seconds between 0 and "
                             f"{MAX_TRANSITION_SECONDS:g}, got {_shown(duration)}")
        if error is not None and (not isinstance(error, str) or len(error) > MAX_TRANSITION_ERROR_CHARS):
            raise ValueError(f"invalid transition: error must be a string of at most {MAX_TRANSITION_ERROR_CHARS} "
                             f"characters, got {_shown(error)}")
        try:
            return kind, cls(progression=doc.get("progression", "immediate"), times=times,
                             duration=float(duration), outcome=doc.get("outcome", "COMPLETE"), error=error)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"invalid transition: {exc}") from None


# What one transition may hold. Transitions are kept per organisation and task kind (a fixed set),
# so an organisation holds at most len(TASK_KINDS) + 1 of them.
MAX_TRANSITION_TIMES = 1_000_000
MAX_TRANSITION_SECONDS = 30 * 24 * 3600.0
MAX_TRANSITION_ERROR_CHARS = 4096


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else f"a {type(value).__name__} of {len(text)} characters"


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
        # owner (None: server-wide) -> kind -> transition: a tenant's reads and clears touch its own only
        self._transitions: dict[str | None, dict[str, Transition]] = {}
        # what a kind follows when no transition is set for it: the server's defaults (`serve
        # --export-seconds`), kept through resets and clears, which drop only what tests set
        self.defaults: dict[str, Transition] = {}
        self._lock = threading.Lock()
        # per organisation, time-based tasks by due time: a request settles what is due without
        # visiting every task (entries for tasks finished or forgotten meanwhile are skipped)
        self._due: dict[str, list[tuple[float, int, str]]] = {}
        self._order = itertools.count()
        self._on_failure: dict[str, Callable[[], Any]] = {}  # task id -> what to undo if it fails
        # per organisation, finished tasks in the order they finished (so by finish time): expiry
        # takes them off the front; _owner says whose a task is until it finishes
        self._finished: dict[str, deque[tuple[float, str]]] = {}
        self._owner: dict[str, str] = {}
        # per organisation: its tasks IN_PROGRESS (see `settled`), so a reset forgets its own only
        self._unfinished: dict[str, set[str]] = {}
        self._named: dict[str, tuple[int, set[str]]] = {}

    # Transitions are kept per organisation (the tenant whose request set them) over server-wide
    # ones (set in-process); a task reads those of the tenant it is started for.
    def set_transition(self, kind: str, transition: Transition, tenant: str | None = None) -> None:
        check_kind(kind)
        with self._lock:
            self._transitions.setdefault(tenant, {})[kind] = transition

    def clear_transitions(self, tenant: str | None = None) -> None:
        """Drops the transitions of `tenant`; without one, every transition of every tenant."""
        with self._lock:
            if tenant is None:
                self._transitions.clear()
            else:
                self._transitions.pop(tenant, None)

    def transition_for(self, kind: str) -> Transition:
        tenant = current_tenant()
        with self._lock:
            for owner in (tenant, None):
                own = self._transitions.get(owner)
                found = own.get(kind) or own.get("*") if own is not None else None
                if found is not None:
                    return found
            return self.defaults.get(kind, Transition())

    def transitions(self, tenant: str | None = None) -> dict[str, Transition]:
        """What tasks of each kind follow for `tenant`: its own over the server-wide ones over the defaults."""
        with self._lock:
            merged = dict(self.defaults)
            merged.update(self._transitions.get(None, {}))
            if tenant is not None:
                merged.update(self._transitions.get(tenant, {}))
            return merged

    def start(
        self,
        org: Organization,
        kind: str,
        name: str,
        effect: Effect | None = None,
        task_type: str | None = None,
        metadata: dict[str, Any] | None = None,
        progress: Callable[[], Any] | None = None,
        on_failure: Callable[[], Any] | None = None,
        shown_running: bool = False,
        ready: Callable[[], bool] | None = None,
    ) -> Task:
        """Creates a task of `kind` whose `effect` runs when the task completes.

        The effect returns the task's result or raises StateError, which fails
        the task with that message and leaves state as it was. A task with
        `progress` (an export's rendering) does that work a step per status read
        until it is done, and is never done inside the request that creates it:
        an `immediate` transition then completes it at its first read.
        `on_failure` runs if the task fails (to drop what `progress` built). `ready`, when given, is
        asked before a due task completes (an export rendered by a worker): while it says no, the
        task stays IN_PROGRESS and completes at a later read.
        `shown_running`: the creation answer shows the task's state (an import's), so an
        `immediate` transition completes it at its first read rather than at creation.
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
            progress=progress,
            ready=ready,
        )
        org.tasks[task.id] = task
        with self._lock:
            self._owner[task.id] = org.id
            self._unfinished.setdefault(org.id, set()).add(task.id)
        if on_failure is not None:
            self._on_failure[task.id] = on_failure
        if transition.progression == "immediate" and progress is None and not shown_running:
            self._finish(task)
        elif task.due_at is not None:
            with self._lock:
                heapq.heappush(self._due.setdefault(org.id, []), (task.due_at, next(self._order), task.id))
        return task

    def observe(self, task: Task) -> Task:
        """One status read of `task`: counts down `reads` transitions and settles due ones."""
        if task.status != "IN_PROGRESS":
            return task
        if task.due_at is not None:
            due = self.clock.now() >= task.due_at
            if not due:
                elapsed = self.clock.now() - task.created_at
                total = task.due_at - task.created_at
                task.completion_percentage = round(100.0 * elapsed / total, 1) if total else 0.0
        elif task.reads_left > 0:
            task.reads_left -= 1
            task.updated_at = self.clock.now()
            due = False
        else:
            due = True
        if due and _ready(task):
            self._finish(task)
        elif task.progress is not None and not due:  # a due task's `ready` started what remains
            task.progress()
        return task

    def on_forget(self, hook: Callable[[str], None]) -> None:
        """`hook(task_id)` runs when a finished task expires, so what hangs off it goes too (an export)."""
        self._forget_hooks.append(hook)

    def tick(self, org: Organization) -> None:
        """Settles every time-based task that is due, so effects land even if nobody polls; drops
        finished tasks past their retention or beyond the cap.

        Costs a look at the earliest due time and the oldest finished task when there is nothing
        to do, however many tasks exist: due tasks come off a heap, finished ones off a queue.
        """
        now = self.clock.now()
        due = self._due.get(org.id)
        while due and due[0][0] <= now:
            with self._lock:
                if not due or due[0][0] > now:
                    break
                _, _, task_id = heapq.heappop(due)
            task = org.tasks.get(task_id)
            if (task is not None and task.status == "IN_PROGRESS" and task.due_at is not None and now >= task.due_at
                    and _ready(task)):
                self._finish(task)  # one not ready yet completes at a later read

        finished = self._finished.get(org.id)
        if finished and (len(finished) > self.max_finished or now - finished[0][0] > TASK_RETENTION_SECONDS):
            self._expire(org, finished, now)

    def forget_organization(self, org_id: str) -> None:
        """Drops what the engine keeps of an organisation's tasks, once its state is reset (the tasks
        went with it)."""
        with self._lock:
            self._due.pop(org_id, None)
            self._finished.pop(org_id, None)
            self._named.pop(org_id, None)  # a count of imports the new organisation may reach again
            for task_id in self._unfinished.pop(org_id, ()):
                self._owner.pop(task_id, None)
                self._on_failure.pop(task_id, None)

    def settled(self, org: Organization) -> bool:
        """True when no task of `org` is in progress and none is due to expire: then `tick` has nothing
        to do, and no read can run an effect or a step of progress (which can be heavy: rows made from a
        manifest, an export). O(1)."""
        if self._unfinished.get(org.id):
            return False
        finished = self._finished.get(org.id)
        return not finished or (len(finished) <= self.max_finished
                                and self.clock.now() - finished[0][0] <= TASK_RETENTION_SECONDS)

    def _expire(self, org: Organization, finished: deque[tuple[float, str]], now: float) -> None:
        """Drops the oldest finished tasks while there are too many or they are too old; a task an
        import names stays with the import (and leaves the queue)."""
        named = self._named_tasks(org)
        while finished and (len(finished) > self.max_finished or now - finished[0][0] > TASK_RETENTION_SECONDS):
            with self._lock:
                if not finished:
                    break
                _, task_id = finished.popleft()
            if task_id in named or org.tasks.pop(task_id, None) is None:
                continue
            for hook in self._forget_hooks:
                hook(task_id)

    def _named_tasks(self, org: Organization) -> set[str]:
        """Ids of the tasks imports name, recomputed only when the number of imports changed."""
        count, named = self._named.get(org.id, (-1, set()))
        if count != len(org.annotation_imports):
            named = {record.task_id for record in org.annotation_imports.values()}
            self._named[org.id] = (len(org.annotation_imports), named)
        return named

    def cancel(self, task: Task) -> None:
        """Stops an IN_PROGRESS task of a cancelable type: it ends CANCELED, its effect never runs and
        what its progress built is dropped (as for a failure). Refuses any other task, saying why."""
        if task.type not in CANCELABLE_TYPES:
            raise InvalidInput(f"task {task.id} is a {task.type} task, which cannot be canceled "
                               f"(cancelable: {', '.join(CANCELABLE_TYPES)})")
        if task.status != "IN_PROGRESS":
            raise InvalidInput(f"task {task.id} is {task.status}: only a task in progress can be canceled")
        self._settle(task, "CANCELED")

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
        self._settle(task, task.status)

    def _settle(self, task: Task, status: str) -> None:
        """Marks the task done with `status`: it joins the finished queue, and a task that did not
        complete drops what its progress built."""
        task.status = status
        task.updated_at = self.clock.now()
        task.effect = task.progress = task.ready = None
        with self._lock:
            owner = self._owner.pop(task.id, None)
            if owner is not None:
                unfinished = self._unfinished.get(owner)
                if unfinished is not None:
                    unfinished.discard(task.id)
                    if not unfinished:
                        del self._unfinished[owner]
                self._finished.setdefault(owner, deque()).append((task.updated_at, task.id))
        on_failure = self._on_failure.pop(task.id, None)
        if on_failure is not None and task.status != "COMPLETE":
            on_failure()


def _ready(task: Task) -> bool:
    """Whether a due task may complete: its heavy work is done (`ready`), or it fails anyway."""
    return task.ready is None or task.outcome == "FAILED" or bool(task.ready())
