"""Moving a project's data rows to one of its workflow steps (Project.move_data_rows_to_task_queue)."""

from __future__ import annotations

from collections.abc import Sequence

from .errors import InvalidInput
from .model_run_rows import listing
from .organization import Organization
from .projects import DONE_QUEUE, data_row_ids_in, place_rows, queue_of_type
from .records import Project, TaskQueue

ID_TYPES = ("ID", "GKEY")  # data row ids, global keys


def check_move(org: Organization, project_id: str, queue_id: str | None, keys: Sequence[str],
               id_type: str) -> tuple[Project, TaskQueue, list[str]]:
    """(project, queue, row ids) when every row is in the project; refuses naming the ones that are not.

    No queue id means the workflow's Done step.
    """
    project = org.project(project_id)
    if queue_id is None:
        queue = queue_of_type(org, project, DONE_QUEUE)
    elif queue_id in project.task_queue_ids:
        queue = org.task_queues[queue_id]
    else:
        raise InvalidInput(f"task queue {queue_id!r} is not a queue of project {project.id}")
    if id_type not in ID_TYPES:
        raise InvalidInput(f"dataRowIdentifiers.idType must be one of {', '.join(ID_TYPES)}, got {id_type!r}")
    if not keys:
        raise InvalidInput("dataRowIdentifiers.ids must not be empty")
    in_project = data_row_ids_in(org, project)
    rows: list[str] = []
    missing: list[str] = []
    for key in keys:
        row_id = key if id_type == "ID" else org.data_rows_by_global_key.get(key)
        (rows if row_id is not None and row_id in in_project else missing).append(row_id or key)
    if missing:
        raise InvalidInput(f"data rows not in project {project.id}: {listing(missing)}")
    return project, queue, rows


def move_rows(org: Organization, project_id: str, queue_id: str | None, keys: Sequence[str], id_type: str) -> int:
    project, queue, rows = check_move(org, project_id, queue_id, keys, id_type)
    place_rows(org, project, rows, queue)
    return len(rows)
