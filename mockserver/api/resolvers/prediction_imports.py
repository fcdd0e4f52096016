"""Prediction imports (MEA, and MEA to MAL) and file uploads.

An import is a task of kind `prediction-import` (or `mal-import`), so the
configured transition decides when it runs and whether it fails. Starting and
reading one is engines/prediction_imports.py's; this module reads the
arguments and shapes the record it answers.
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLResolveInfo

from ...engines import prediction_imports as imports
from ...state.errors import InvalidInput
from ...state.organization import Organization
from ...state.records import AnnotationImport
from . import shapes
from .common import ctx


def _uploaded_bytes(value: Any, what: str) -> bytes:
    """The content of an Upload: the multipart parser puts a file object with `content` in the variables."""
    content = getattr(value, "content", None)
    if not isinstance(content, bytes):
        raise InvalidInput(f"{what} must be sent as a file part of a GraphQL multipart request")
    return content


def _import(org: Organization, record: AnnotationImport) -> dict[str, Any]:
    """The import as the API shows it; its files were signed by the engine call that answered it."""
    task = org.tasks.get(record.task_id)
    state = imports.import_state(org, record)
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
        shaped["project"] = shapes.project(org, org.project(record.project_id))
    return shaped


def create_mea_import(_root: Any, info: GraphQLResolveInfo, data: dict[str, Any]) -> dict[str, Any]:
    c = ctx(info)
    payload = data.get("filePayload")
    content = _uploaded_bytes(payload["file"], "filePayload.file") if payload is not None else None
    record = imports.start_mea_import(c.tasks, c.files, c.org, c.base_url, data["modelRunId"], data["name"],
                                      data.get("fileUrl"), content, c.store.policies)
    return _import(c.org, record)


def resolve_mea_import(_root: Any, info: GraphQLResolveInfo, where: dict[str, Any]) -> dict[str, Any]:
    c = ctx(info)
    record = imports.read_import(c.tasks, c.files, c.org, c.base_url, "mea", where["modelRunId"], where["name"])
    return _import(c.org, record)


def create_mal_import(_root: Any, info: GraphQLResolveInfo, data: dict[str, Any]) -> dict[str, Any]:
    c = ctx(info)
    record = imports.start_mal_import(c.tasks, c.files, c.org, c.base_url, data["modelRunId"], data["projectId"],
                                      data["name"], list(data["dataRowIds"]))
    return _import(c.org, record)


def resolve_mal_import(_root: Any, info: GraphQLResolveInfo, where: dict[str, Any]) -> dict[str, Any]:
    c = ctx(info)
    record = imports.read_import(c.tasks, c.files, c.org, c.base_url, "mal", where["projectId"], where["name"])
    return _import(c.org, record)


def upload_file(_root: Any, info: GraphQLResolveInfo, file: Any, contentLength: int,
                sign: bool | None = None) -> dict[str, Any]:
    c = ctx(info)
    content = _uploaded_bytes(file, "file")
    filename = getattr(file, "filename", None) or "upload"
    content_type = getattr(file, "content_type", None) or "application/octet-stream"
    return {"url": c.files.sign(c.base_url, content, content_type), "filename": filename}


RESOLVERS = {
    "Query": {
        "modelErrorAnalysisPredictionImport": resolve_mea_import,
        "meaToMalPredictionImport": resolve_mal_import,
    },
    "Mutation": {
        "createModelErrorAnalysisPredictionImport": create_mea_import,
        "createMalPredictionImportForModelRunDataRows": create_mal_import,
        "uploadFile": upload_file,
    },
}
