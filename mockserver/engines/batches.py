"""A project's asynchronous batch operations: adding data rows to a batch, and making batches in bulk, as tasks."""

from __future__ import annotations

from typing import Any

from ..clock import MockClock
from ..ids import IdFactory
from ..state import batches as ops
from ..state import queue_moves, queue_priority
from ..state.organization import Organization
from ..state.records import Batch, Project, Task
from .tasks import TaskEngine


def add_rows(tasks: TaskEngine, org: Organization, project_id: str, batch_id: str, data_row_ids: list[str],
             global_keys: list[str], priority: Any) -> Task:
    """Refuses bad input now, with the reason; the task checks again when it runs, since state may move."""
    project, batch, _rows = ops.check_addition(org, project_id, batch_id, data_row_ids, global_keys, priority)

    def effect() -> None:
        ops.add_rows(org, tasks.clock, project.id, batch.id, data_row_ids, global_keys, priority)

    return tasks.start(org, "batch-creation", f"add data rows to batch {batch.name}", effect,
                       task_type="add-data-rows-to-batch")


def _start_batches(tasks: TaskEngine, org: Organization, ids: IdFactory, clock: MockClock, project: Project,
                   plan: list[tuple[str, list[str]]], priority: int,
                   consensus: dict[str, Any] | None) -> list[tuple[Batch, Task]]:
    """Creates each planned batch empty now (so it can be read at once) and a task that fills it."""
    started = []
    for name, rows in plan:
        batch = ops.new_batch(org, ids, clock, project, name, priority, consensus)

        def effect(batch: Batch = batch, rows: list[str] = rows) -> None:
            ops.add_rows(org, clock, project.id, batch.id, rows, [], priority)

        task = tasks.start(org, "batch-creation", f"create batch {name}", effect, task_type="add-data-rows-to-batch")
        started.append((batch, task))
    return started


def create_batches(tasks: TaskEngine, org: Organization, ids: IdFactory, project_id: str, prefix: str,
                   data_row_ids: list[str], global_keys: list[str], priority: Any,
                   consensus: Any) -> list[tuple[Batch, Task]]:
    """`createBatches`: refuses the lot when a row cannot join; otherwise batches of up to 100,000 rows."""
    project, plan, settings = ops.plan_batches(org, project_id, prefix, data_row_ids, global_keys, priority, consensus)
    return _start_batches(tasks, org, ids, tasks.clock, project, plan, priority, settings)


def create_batches_from_dataset(tasks: TaskEngine, org: Organization, ids: IdFactory, project_id: str, prefix: str,
                                dataset_id: str, priority: Any, consensus: Any) -> list[tuple[Batch, Task]]:
    """`createBatchesFromDataset`: the dataset's rows not yet in the project, in batches of up to 100,000."""
    project, plan, settings = ops.plan_batches_from_dataset(org, project_id, prefix, dataset_id, priority, consensus)
    return _start_batches(tasks, org, ids, tasks.clock, project, plan, priority, settings)


def move_rows(tasks: TaskEngine, org: Organization, project_id: str, queue_id: str | None, keys: list[str],
              id_type: str) -> Task:
    """`createBulkAddRowsToQueueTask`: refuses rows outside the project now; the task moves them."""
    queue_moves.check_move(org, project_id, queue_id, keys, id_type)

    def effect() -> None:
        queue_moves.move_rows(org, project_id, queue_id, keys, id_type)

    return tasks.start(org, "task-queue-move", "move data rows to a task queue", effect,
                       task_type="add-data-rows-to-task-queue")


def update_priority(tasks: TaskEngine, org: Organization, project_id: str, keys: list[str], id_type: str,
                    priority: Any) -> Task:
    """`createQueuePriorityUpdateTask`: refuses rows outside the project's batches now; the task sets them."""
    queue_priority.check_update(org, project_id, keys, id_type, priority)

    def effect() -> None:
        queue_priority.update_priority(org, project_id, keys, id_type, priority)

    return tasks.start(org, "queue-priority-update", f"set the queue priority of {len(keys)} data rows", effect)
