"""Read-only admin views the dashboard polls, each for the organisation of the request's key
(the admin API resolves the key; these take the organisation's id).

GET /_mock/tasks        tasks with kind, status and progression (reads left, time left on the
                        mock clock), and an export's stream sizes once it is built
GET /_mock/imports      imports (prediction, MEA to MAL, label and MAL prediction imports) with each
                        row's SUCCESS/FAILURE and the failure's cause
GET /_mock/datasets     datasets with a page of their data rows: ids, keys, media type, row data,
                        attachments and metadata fields
GET /_mock/organization the organisation's id and name (the admin token: every organisation's)
GET /_mock/models       models with a page of their runs, each run with its row count, splits, config and
                        a page of its rows (labels and predictions counted)
GET /_mock/projects     projects with their workflow steps, a page of their batches, ontology, label count, tags
GET /_mock/ontologies   ontologies with their top-level features, and the root feature schemas none places
GET /_mock/transitions  the transitions in force, by task kind
GET /_mock/clock        the mock clock's time

They shape what state and the engines hold and write nothing: reading a task here
is not a status read, so a `reads` transition is not counted down by a dashboard.

The page polls them every second, so each reads a page, never the organisation: lists are cut
at the caps below (what is left out is counted), and counts are lengths of the lists and
indexes the organisation keeps (a batch's rows, a project's labels, a run's splits), so no
view walks the organisation's data rows, labels or predictions.
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
from ..state.model_run_rows import ordered_rows, split_counts
from ..state.models import runs_of
from ..state.ontologies import schema_users
from ..state.organization import Organization
from ..state.records import (
    IMPORT_TYPES,
    AnnotationImport,
    Classification,
    DataRow,
    Dataset,
    MetadataSchema,
    Model,
    ModelRun,
    Ontology,
    Project,
    Task,
    Tool,
)

# An import's rows past this many are counted, not listed: a page shows a test's imports, not a benchmark's.
MAX_IMPORT_ROWS = 1000
# Likewise a dataset's rows (each heavier: row data, attachments, metadata), and a text's characters past
# MAX_TEXT_CHARS (a conversation's JSON, a text attachment): the view stays a page, whatever a test stored.
MAX_DATASET_ROWS = 200
MAX_TEXT_CHARS = 2000
# Models, projects and ontologies listed per organisation, and a model's runs, a project's batches and resource
# tags, an ontology's features and the feature schemas no ontology places; the rest are counted.
MAX_LISTED = 50
# A run lists its first rows, and the models view this many rows in all: runs past it list none, and count them.
MAX_RUN_ROWS = 200
MAX_RUN_ROWS_IN_VIEW = 1000


def _each_org(backend: Backend, tenant: str | None, read: Callable[[Organization], list[Any]]) -> list[Any]:
    """`read` of the organisation `tenant` (its id), or of every one for the whole mock (None): each
    under its own lock and in its own clock scope, never the whole mock at once (as Backend.dump)."""
    found: list[Any] = []
    for org in backend.store.organizations_of(tenant):  # a tenant's own, never a walk of the others
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
    # counted, and only the shown lines split out: the dashboard polls this, and an import may hold 1M rows
    text = record.status_text
    total = text.count("\n") + 1 if text else 0
    rows = [json.loads(line) for line in text.split("\n", limit)[:limit]] if text else []
    # the error file repeats the status file's failures; an import failed whole has only the error file
    failures = record.error_text.count("\n") + 1 if record.error_text and total else 0
    type_name, into = IMPORT_TYPES[record.kind]
    return {
        "id": record.id, "name": record.name, "kind": record.kind, "type": type_name, "into": into,
        "model_run_id": record.model_run_id or None,
        "project_id": record.project_id, "task_id": record.task_id, "created_at": record.created_at,
        "state": state_of_task(task), "status": task.status if task is not None else None,
        "errors": task.errors if task is not None and task.status == "FAILED" else None,
        "counts": {"rows": total, "SUCCESS": total - failures, "FAILURE": failures},
        "rows": rows, "rows_left_out": max(0, total - limit),
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


def _first(records: Any, limit: int = MAX_LISTED) -> tuple[list[Any], int]:
    """The first `limit` of a list or table's records, and how many are left out: reads the page only."""
    listed = records.ordered()[:limit] if hasattr(records, "ordered") else records[:limit]
    return listed, max(0, len(records) - limit)


def _ontology_name(org: Organization, ontology_id: str | None) -> str | None:
    ontology = org.ontologies.get(ontology_id) if ontology_id is not None else None
    return ontology.name if ontology is not None else None


def run_view(org: Organization, run: ModelRun, limit: int = MAX_RUN_ROWS) -> dict[str, Any]:
    """A model run, its splits counted and its first `limit` rows with their labels and predictions counted."""
    entries = ordered_rows(org, run)[:limit]
    rows = []
    for entry in entries:
        data_row = org.data_rows.get(entry.data_row_id)
        rows.append({"data_row_id": entry.data_row_id, "global_key": data_row.global_key if data_row else None,
                     "split": entry.split, "labels": len(entry.label_ids), "predictions": len(entry.predictions)})
    return {
        "id": run.id, "name": run.name, "model_id": run.model_id, "created_at": run.created_at,
        "status": run.status, "error_message": run.error_message, "training_metadata": run.training_metadata,
        "row_count": len(run.rows), "splits": [{"split": split, "rows": n} for split, n in split_counts(org, run)],
        "rows": rows, "rows_left_out": len(run.rows) - len(rows),
    }


def model_view(org: Organization, model: Model, row_budget: int = MAX_RUN_ROWS_IN_VIEW) -> dict[str, Any]:
    """A model and its first runs; the runs list rows while `row_budget` lasts (see MAX_RUN_ROWS_IN_VIEW)."""
    runs, runs_left_out = _first(runs_of(org, model.id))
    views = []
    for run in runs:
        views.append(run_view(org, run, max(0, min(MAX_RUN_ROWS, row_budget))))
        row_budget -= len(views[-1]["rows"])
    return {"id": model.id, "name": model.name, "organization_id": org.id, "created_at": model.created_at,
            "ontology_id": model.ontology_id, "ontology_name": _ontology_name(org, model.ontology_id),
            "run_count": len(runs) + runs_left_out, "runs": views, "runs_left_out": runs_left_out}


def project_view(org: Organization, project: Project) -> dict[str, Any]:
    """A project: its workflow steps with how many rows sit in each, its first batches, ontology, labels and tags."""
    batches, batches_left_out = _first(project.batch_ids)
    tags, tags_left_out = _first(project.resource_tag_ids)
    queues = [org.task_queues[key] for key in project.task_queue_ids if key in org.task_queues]
    return {
        "id": project.id, "name": project.name, "organization_id": org.id, "created_at": project.created_at,
        "media_type": project.media_type, "ontology_id": project.ontology_id,
        "ontology_name": _ontology_name(org, project.ontology_id), "label_count": len(project.label_ids),
        "workflow_steps": [{"id": queue.id, "name": queue.name, "data_rows": len(queue.data_row_ids)}
                           for queue in queues],
        "batch_count": len(project.batch_ids),
        "batches": [{"id": batch.id, "name": batch.name, "data_rows": len(batch.data_row_ids),
                     "priority": batch.priority, "created_at": batch.created_at}
                    for batch in (org.batches.get(key) for key in batches) if batch is not None],
        "batches_left_out": batches_left_out,
        "tags": [{"id": tag.id, "text": tag.text, "color": tag.color}
                 for tag in (org.resource_tags.get(key) for key in tags) if tag is not None],
        "tags_left_out": tags_left_out,
    }


def feature_view(node: Tool | Classification) -> dict[str, Any]:
    """A root feature: a tool (`tool` its kind) or a classification (`type` its kind)."""
    return {"feature_schema_id": node.feature_schema_id, "name": node.name,
            "tool": node.tool if isinstance(node, Tool) else None,
            "type": node.type if isinstance(node, Classification) else None, "archived": node.archived}


def ontology_view(org: Organization, ontology: Ontology) -> dict[str, Any]:
    """An ontology and its first top-level features, tools then classifications."""
    tools = ontology.tools[:MAX_LISTED]
    features: list[Tool | Classification] = [*tools, *ontology.classifications[:MAX_LISTED - len(tools)]]
    left_out = len(ontology.tools) + len(ontology.classifications) - len(features)
    return {"id": ontology.id, "name": ontology.name, "organization_id": org.id, "created_at": ontology.created_at,
            "media_type": ontology.media_type, "editor_task_type": ontology.editor_task_type,
            "features": [feature_view(node) for node in features], "features_left_out": left_out}


def unplaced_view(org: Organization) -> dict[str, Any] | None:
    """The root feature schemas no ontology places (the rule GET /feature-schemas/unused answers by), oldest
    first; None when there is none. Walks the schemas' ids, which the organisation's quota bounds
    (MAX_FEATURE_SCHEMAS), reading only the listed ones."""
    users = schema_users(org)
    listed: list[str] = []
    left_out = 0
    for key in org.feature_schemas:
        if not users.get(key):
            if len(listed) < MAX_LISTED:
                listed.append(key)
            else:
                left_out += 1
    if not listed:
        return None
    return {"organization_id": org.id, "left_out": left_out,
            "feature_schemas": [{**feature_view(org.feature_schemas[key].node), "id": key} for key in listed]}


def _listed(backend: Backend, tenant: str | None, name: str,
            read: Callable[[Organization], tuple[list[Any], int]]) -> dict[str, Any]:
    """{name: the first records of each organisation, f"{name}_left_out": how many were not listed}."""
    left_out = 0

    def each(org: Organization) -> list[Any]:
        nonlocal left_out
        views, more = read(org)
        left_out += more
        return views

    return {name: _each_org(backend, tenant, each), f"{name}_left_out": left_out}


def _organization(backend: Backend, tenant: str | None) -> Any:
    return _each_org(backend, tenant, lambda org: [{"id": org.id, "name": org.name}])


def _models(backend: Backend, tenant: str | None) -> Any:
    def read(org: Organization) -> tuple[list[Any], int]:
        models, left_out = _first(org.models)
        views, budget = [], MAX_RUN_ROWS_IN_VIEW
        for model in models:
            views.append(model_view(org, model, budget))
            budget -= sum(len(run["rows"]) for run in views[-1]["runs"])
        return views, left_out

    return _listed(backend, tenant, "models", read)


def _projects(backend: Backend, tenant: str | None) -> Any:
    def read(org: Organization) -> tuple[list[Any], int]:
        projects, left_out = _first(org.projects)
        return [project_view(org, project) for project in projects], left_out

    return _listed(backend, tenant, "projects", read)


def _ontologies(backend: Backend, tenant: str | None) -> Any:
    unplaced: list[Any] = []

    def read(org: Organization) -> tuple[list[Any], int]:
        ontologies, left_out = _first(org.ontologies)
        found = unplaced_view(org)
        if found is not None:
            unplaced.append(found)
        return [ontology_view(org, ontology) for ontology in ontologies], left_out

    return {**_listed(backend, tenant, "ontologies", read), "unplaced_feature_schemas": unplaced}


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
    "organization": _organization,
    "models": _models,
    "projects": _projects,
    "ontologies": _ontologies,
    "tasks": _tasks,
    "imports": _imports,
    "datasets": _datasets,
    "transitions": _transitions,
    "clock": _clock,
}

