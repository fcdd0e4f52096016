"""Read-only admin views the dashboard polls, each for the organisation of the request's key
(the admin API resolves the key; these take the organisation's id).

GET /_mock/tasks        tasks with kind, status and progression (reads left, time left on the
                        mock clock), and an export's stream sizes once it is built
GET /_mock/imports      imports (prediction, MEA to MAL, label and MAL prediction imports) with each
                        row's SUCCESS/FAILURE and the failure's cause
GET /_mock/datasets     datasets with a page of their data rows: ids, keys, media type, row data,
                        attachments and metadata fields
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
from ..engines.prediction_imports import state_of_task
from ..state.metadata_schemas import schema_index
from ..state.organization import Organization
from ..state.records import IMPORT_TYPES, AnnotationImport, DataRow, Dataset, MetadataSchema, Task

# An import's rows past this many are counted, not listed: a page shows a test's imports, not a benchmark's.
MAX_IMPORT_ROWS = 1000
# Likewise a dataset's rows (each heavier: row data, attachments, metadata), and a text's characters past
# MAX_TEXT_CHARS (a conversation's JSON, a text attachment): the view stays a page, whatever a test stored.
MAX_DATASET_ROWS = 200
MAX_TEXT_CHARS = 2000


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
    # the error file repeats the status file's failures; an import failed whole has only the error file
    failures = record.error_text.count("\n") + 1 if record.error_text and lines else 0
    type_name, into = IMPORT_TYPES[record.kind]
    return {
        "id": record.id, "name": record.name, "kind": record.kind, "type": type_name, "into": into,
        "model_run_id": record.model_run_id or None,
        "project_id": record.project_id, "task_id": record.task_id, "created_at": record.created_at,
        "state": state_of_task(task), "status": task.status if task is not None else None,
        "errors": task.errors if task is not None and task.status == "FAILED" else None,
        "counts": {"rows": len(lines), "SUCCESS": len(lines) - failures, "FAILURE": failures},
        "rows": rows, "rows_left_out": max(0, len(lines) - limit),
    }


def _clipped(text: str) -> str:
    return text if len(text) <= MAX_TEXT_CHARS else text[:MAX_TEXT_CHARS]


def metadata_view(field: Any, schemas: dict[str, MetadataSchema]) -> dict[str, Any]:
    """A stored metadata field as {schema_id, name, value}, an enum's value as its option's name; names are
    the schemas' current ones. A seed may store a field of any shape: what names no schema is shown as given."""
    if not isinstance(field, dict):
        return {"schema_id": None, "name": None, "value": field}
    schema_id = field.get("schemaId", field.get("schema_id"))
    schema = schemas.get(schema_id) if isinstance(schema_id, str) else None
    value = field.get("value")
    if isinstance(value, dict) and isinstance(value.get("schemaId"), str):  # an enum's option: {schemaId, name}
        option = schemas.get(value["schemaId"])
        value = option.name if option is not None else value.get("name", value["schemaId"])
    return {"schema_id": schema_id if isinstance(schema_id, str) else None,
            "name": schema.name if schema is not None else field.get("name"), "value": value}


def data_row_view(row: DataRow, schemas: dict[str, MetadataSchema]) -> dict[str, Any]:
    """A row as the dashboard lists it; long texts cut to MAX_TEXT_CHARS, with their full length."""
    return {
        "id": row.id, "global_key": row.global_key, "external_id": row.external_id, "media_type": row.media_type,
        "row_data": _clipped(row.row_data), "row_data_chars": len(row.row_data),
        "created_at": row.created_at, "updated_at": row.updated_at,
        # values are checked strings (state/attachments.check), stored as {id, type, value, name}
        "attachments": [{"id": item["id"], "type": item["type"], "name": item["name"],
                         "value": _clipped(item["value"]), "value_chars": len(item["value"])}
                        for item in row.attachments],
        "metadata": [metadata_view(field, schemas) for field in row.metadata_fields],
    }


def dataset_view(org: Organization, dataset: Dataset, limit: int = MAX_DATASET_ROWS,
                 schemas: dict[str, MetadataSchema] | None = None) -> dict[str, Any]:
    """A dataset and its first `limit` rows in the order they were added; the rest are counted. Costs the
    page, not the dataset: only the listed rows are read."""
    schemas = schema_index(org)[0] if schemas is None else schemas
    order = dataset.data_row_ids
    return {
        "id": dataset.id, "name": dataset.name, "description": dataset.description,
        "created_at": dataset.created_at, "row_count": len(order),
        "rows": [data_row_view(org.data_rows[row_id], schemas) for row_id in order[:limit]],
        "rows_left_out": max(0, len(order) - limit),
    }


def _tasks(backend: Backend, tenant: str | None) -> Any:
    def read(org: Organization) -> list[Any]:
        now = backend.clock.now()
        return [task_view(task, now, backend.exports.sizes(task.id) if task.kind == "export" else {})
                for task in org.tasks.values()]

    return sorted(_each_org(backend, tenant, read), key=lambda view: view["created_at"])


def _imports(backend: Backend, tenant: str | None) -> Any:
    def read(org: Organization) -> list[Any]:
        views = []
        for record in org.annotation_imports.values():
            project = org.projects.get(record.project_id) if record.project_id else None
            run = org.model_runs.get(record.model_run_id) if record.model_run_id else None
            views.append({**import_view(record, org.tasks.get(record.task_id)),
                          "project_name": project.name if project is not None else None,
                          "model_run_name": run.name if run is not None else None})
        return views

    return sorted(_each_org(backend, tenant, read), key=lambda view: view["created_at"])


def _datasets(backend: Backend, tenant: str | None) -> Any:
    def read(org: Organization) -> list[Any]:
        schemas = schema_index(org)[0]
        return [dataset_view(org, dataset, schemas=schemas) for dataset in org.datasets.values()]

    # oldest first; a stable sort keeps the order of creation among those made at one instant (a seed's)
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
    "datasets": _datasets,
    "transitions": _transitions,
    "clock": _clock,
}

