"""A model run's asynchronous row operations: each refuses bad input now, then starts a task.

The task's effect applies the change to state (state/model_run_rows.py) when the
task completes, under the transition configured for its kind.
"""

from __future__ import annotations

from ..state import model_run_rows as ops
from ..state.errors import InvalidInput
from ..state.organization import Organization
from ..state.records import Task
from .tasks import TaskEngine

Assignment = tuple[str, list[str], list[str]]  # (split, data row ids, global keys)


def register_data_rows(tasks: TaskEngine, org: Organization, run_id: str, data_row_ids: list[str],
                       global_keys: list[str]) -> Task:
    run_id = org.model_run(run_id).id
    if not data_row_ids and not global_keys:
        raise InvalidInput("give dataRowIds or globalKeys")

    def effect() -> None:
        ops.register_data_rows(org, tasks.ids, tasks.clock, run_id, data_row_ids, global_keys)

    return tasks.start(org, "data-row-registration", "MEA data row registration", effect)


def register_labels(tasks: TaskEngine, org: Organization, run_id: str, label_ids: list[str]) -> Task:
    run_id = org.model_run(run_id).id
    if not label_ids:
        raise InvalidInput("labelIds is empty")

    def effect() -> None:
        ops.register_labels(org, tasks.ids, tasks.clock, run_id, label_ids)

    return tasks.start(org, "label-registration", "MEA label registration", effect)


def register_project_labels(tasks: TaskEngine, org: Organization, run_id: str, project_id: str) -> Task:
    run_id = org.model_run(run_id).id
    project_id = org.project(project_id).id

    def effect() -> None:
        ops.register_project_labels(org, tasks.ids, tasks.clock, run_id, project_id)

    return tasks.start(org, "label-registration", "MEA project label registration", effect)


def assign_splits(tasks: TaskEngine, org: Organization, run_id: str, assignments: list[Assignment]) -> Task:
    run_id = org.model_run(run_id).id
    if not any(ids or keys for _split, ids, keys in assignments):
        raise InvalidInput("no data rows to assign: each assignment needs dataRowIds or globalKeys")

    def effect() -> None:
        ops.assign_splits(org, tasks.clock, run_id, assignments)

    return tasks.start(org, "split-assignment", "assign data rows to split", effect)
