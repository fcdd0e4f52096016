"""State records in the shapes the API returns (GraphQL field names)."""

from __future__ import annotations

import json
from typing import Any

from ...engines.prediction_imports import import_state
from ...state.datasets import custom_metadata
from ...state.organization import Organization
from ...state.records import (
    AnnotationImport,
    Batch,
    DataRow,
    Model,
    ModelRun,
    ModelRunDataRow,
    Project,
    Task,
    TaskQueue,
    User,
)


def user(u: User) -> dict[str, Any]:
    return {
        "id": u.id, "email": u.email, "name": u.name, "nickname": u.name.split()[0], "picture": None,
        "isViewer": False, "isExternalUser": False, "lastLoginAt": None, "timezone": None,
        "createdAt": u.created_at, "updatedAt": u.updated_at,
    }


def organization(org: Organization) -> dict[str, Any]:
    """Organization.users is resolved by its type's resolver (resolvers/core.py)."""
    return {"id": org.id, "name": org.name, "createdAt": org.created_at, "updatedAt": org.created_at}


def member(org: Organization) -> dict[str, Any]:
    """The organisation's user. User.organization (resolvers/core.py) and `createdTasks`
    (resolvers/tasks.py) have field resolvers of their own."""
    return user(org.user)


def data_row(org: Organization, row: DataRow) -> dict[str, Any]:
    return {
        "id": row.id, "rowData": row.row_data, "externalId": row.external_id, "globalKey": row.global_key,
        "mediaAttributes": row.media_attributes, "customMetadata": custom_metadata(org, row),
        "metadataFields": [_metadata_field(field) for field in row.metadata_fields],
        "createdAt": row.created_at, "updatedAt": row.updated_at,
    }


def _metadata_field(field: dict[str, Any]) -> dict[str, Any]:
    """A row's metadata value as `metadataFields` lists it: an enum's value is its option's name (the SDK's
    tests read `"train"` for split); `customMetadata` carries the option's id."""
    value = field.get("value")
    if isinstance(value, dict) and "name" in value:
        value = value["name"]
    return {"schemaId": field.get("schemaId"), "name": field.get("name"), "value": value, "kind": field.get("kind")}


def model(m: Model) -> dict[str, Any]:
    return {"id": m.id, "name": m.name, "ontologyId": m.ontology_id, "createdAt": m.created_at}


def model_run(run: ModelRun) -> dict[str, Any]:
    return {
        "id": run.id, "name": run.name, "modelId": run.model_id, "createdAt": run.created_at,
        "updatedAt": run.updated_at, "createdBy": run.created_by_id, "trainingMetadata": run.training_metadata,
        "modelAppId": run.model_app_id,
    }


def annotation_group(org: Organization, entry: ModelRunDataRow) -> dict[str, Any]:
    return {
        "id": entry.id, "dataSplit": entry.split or "UNASSIGNED",
        "labelId": entry.label_ids[-1] if entry.label_ids else None,
        "modelRunId": entry.model_run_id, "dataRow": data_row(org, org.data_rows[entry.data_row_id]),
    }


# Task types whose failure reasons travel in `result`, as JSON (the SDK parses them from there).
ERRORS_IN_RESULT = ("add-data-rows-to-batch", "add-data-rows-to-task-queue", "send-to-annotate", "send-to-task-queue")


def task(t: Task, result_url: str | None = None) -> dict[str, Any]:
    """`result_url`: a signed report file the task's engine made, served as `result` in its place."""
    result = result_url if result_url is not None else t.result
    if t.status == "FAILED" and result is None and t.type in ERRORS_IN_RESULT:
        result = [{"message": t.errors}]
    return {
        "id": t.id, "name": t.name, "status": t.status, "completionPercentage": t.completion_percentage,
        "createdAt": t.created_at, "updatedAt": t.updated_at, "result": _as_text(result), "errors": _as_text(t.errors),
        "type": t.type, "metadata": t.metadata or None,
    }


def _as_text(value: Any) -> str | None:
    """Task `result` and `errors` are strings on the wire: a URL, a message, or JSON text."""
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value)


def task_queue(q: TaskQueue) -> dict[str, Any]:
    return {"id": q.id, "name": q.name, "description": "", "queueType": q.queue_type, "dataRowCount": len(q.data_row_ids)}


def batch(b: Batch) -> dict[str, Any]:
    return {"id": b.id, "name": b.name, "size": len(b.data_row_ids), "createdAt": b.created_at,
            "updatedAt": b.updated_at, "consensusSettingsJson": b.consensus_settings}


def project(org: Organization, p: Project) -> dict[str, Any]:
    return {
        "id": p.id, "name": p.name, "description": p.description, "createdAt": p.created_at, "updatedAt": p.updated_at,
        "lastActivityTime": p.updated_at, "setupComplete": p.setup_complete,
        "autoAuditNumberOfLabels": p.auto_audit_number_of_labels, "autoAuditPercentage": p.auto_audit_percentage,
        "editorTaskType": None,
        "isBenchmarkEnabled": p.is_benchmark_enabled, "isConsensusEnabled": p.is_consensus_enabled,
        "allowedMediaType": p.media_type,
        "modelSetupComplete": False, "uploadType": None,
    }


def annotation_import(org: Organization, record: AnnotationImport) -> dict[str, Any]:
    """An import (into a model run or a project) as the API shows it; the engine call that answered it
    signed its files."""
    task = org.tasks.get(record.task_id)
    state = import_state(org, record)
    done = state != "RUNNING"
    shaped: dict[str, Any] = {
        "id": record.id,
        "name": record.name,
        "state": state,
        "progress": "100%" if done else f"{int(task.completion_percentage if task else 0)}%",
        "inputFileUrl": record.input_url or record.signed_urls.get("input"),
        "statusFileUrl": record.signed_urls.get("status") if done and record.status_text is not None else None,
        "errorFileUrl": record.signed_urls.get("errors") if done and record.error_text is not None else None,
    }
    if record.kind == "mea":
        shaped["modelRunId"] = record.model_run_id
    else:
        assert record.project_id is not None
        shaped["project"] = project(org, org.project(record.project_id))
    return shaped
