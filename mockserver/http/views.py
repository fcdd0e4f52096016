"""Read-only admin views the dashboard polls, each for the organisation of the request's key
(the admin API resolves the key; these take the organisation's id).

GET /_mock/tasks        tasks with kind, status and progression (reads left, time left on the
                        mock clock), and an export's stream sizes once it is built
GET /_mock/imports      prediction imports with each row's SUCCESS/FAILURE and the failure's cause
GET /_mock/transitions  the transitions in force, by task kind
GET /_mock/clock        the mock clock's time

They shape what state and the engines hold and write nothing: reading a task here
is not a status read, so a `reads` transition is not counted down by a dashboard.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import attrs

from ..backend import Backend
from ..clock import tenant_scope
from ..state.organization import Organization
from ..state.records import AnnotationImport, Task

# An import's rows past this many are counted, not listed: a page shows a test's imports, not a benchmark's.
MAX_IMPORT_ROWS = 1000


def _each_org(backend: Backend, tenant: str | None, read: Callable[[Organization], list[Any]]) -> list[Any]:
    """`read` of the organisation `tenant` (its id), or of every one for the whole mock (None): each
    under its own lock and in its own clock scope, never the whole mock at once (as Backend.dump)."""
    found: list[Any] = []
    for org in backend.store.organizations():
        if tenant is None or org.id == tenant:
            with backend.store.org_lock(org.id), tenant_scope(org.id):
                found.extend(read(backend.store.org_by_id(org.id) or org))
    return found


def task_view(task: Task, now: float, export_sizes: dict[str, dict[str, int]]) -> dict[str, Any]:
    view: dict[str, Any] = {
        "id": task.id, "kind": task.kind, "type": task.type, "name": task.name, "status": task.status,
        "created_at": task.created_at, "updated_at": task.updated_at,
        "completion_percentage": task.completion_percentage, "errors": task.errors,
        "progression": None, "reads_left": None, "due_at": None, "time_left": None,
    }
    if task.status == "IN_PROGRESS":
        if task.due_at is not None:
            view.update(progression="time", due_at=task.due_at, time_left=max(0.0, task.due_at - now))
        else:
            # reads_left more status reads answer IN_PROGRESS; the one after settles the task
            view.update(progression="reads", reads_left=task.reads_left)
    if task.kind == "export":
        view["streams"] = export_sizes
    return view


def import_view(record: AnnotationImport, task: Task | None, limit: int = MAX_IMPORT_ROWS) -> dict[str, Any]:
    lines = record.status_text.split("\n") if record.status_text else []
    rows = [json.loads(line) for line in lines[:limit]]
    failures = record.error_text.count("\n") + 1 if record.error_text else 0
    return {
        "id": record.id, "name": record.name, "kind": record.kind, "model_run_id": record.model_run_id,
        "project_id": record.project_id, "task_id": record.task_id, "created_at": record.created_at,
        "status": task.status if task is not None else None,
        "errors": task.errors if task is not None and task.status == "FAILED" else None,
        "counts": {"rows": len(lines), "SUCCESS": len(lines) - failures, "FAILURE": failures},
        "rows": rows, "rows_left_out": max(0, len(lines) - limit),
    }


def _tasks(backend: Backend, tenant: str | None) -> Any:
    def read(org: Organization) -> list[Any]:
        now = backend.clock.now()
        return [task_view(task, now, backend.exports.sizes(task.id) if task.kind == "export" else {})
                for task in org.tasks.values()]

    return sorted(_each_org(backend, tenant, read), key=lambda view: view["created_at"])


def _imports(backend: Backend, tenant: str | None) -> Any:
    def read(org: Organization) -> list[Any]:
        return [import_view(record, org.tasks.get(record.task_id)) for record in org.annotation_imports.values()]

    return sorted(_each_org(backend, tenant, read), key=lambda view: view["created_at"])


def _transitions(backend: Backend, tenant: str | None) -> Any:
    return {kind: attrs.asdict(transition) for kind, transition in backend.tasks.transitions(tenant).items()}


def _clock(backend: Backend, _tenant: str | None) -> Any:
    return {"now": backend.clock.now()}  # the caller's clock: the admin API serves it in its scope


View = Callable[[Backend, str | None], Any]

# by the name of the command that shows each (control/commands.py)
VIEWS: dict[str, View] = {
    "tasks": _tasks,
    "imports": _imports,
    "transitions": _transitions,
    "clock": _clock,
}

