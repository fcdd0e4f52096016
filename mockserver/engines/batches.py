"""A project's asynchronous batch operation: adding data rows to a batch as a task."""

from __future__ import annotations

from typing import Any

from ..state import batches as ops
from ..state.organization import Organization
from ..state.records import Task
from .tasks import TaskEngine


def add_rows(tasks: TaskEngine, org: Organization, project_id: str, batch_id: str, data_row_ids: list[str],
             global_keys: list[str], priority: Any) -> Task:
    """Refuses bad input now, with the reason; the task checks again when it runs, since state may move."""
    project, batch, _rows = ops.check_addition(org, project_id, batch_id, data_row_ids, global_keys, priority)

    def effect() -> None:
        ops.add_rows(org, tasks.clock, project.id, batch.id, data_row_ids, global_keys, priority)

    return tasks.start(org, "batch-creation", f"add data rows to batch {batch.name}", effect,
                       task_type="add-data-rows-to-batch")
