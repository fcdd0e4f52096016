"""Prediction imports (MEA, and MEA to MAL) and file uploads.

An import is a task of kind `prediction-import` (or `mal-import`), so the
configured transition decides when it runs and whether it fails. Its state is
the task's: IN_PROGRESS reads as RUNNING, COMPLETE as FINISHED. File URLs are
signed on each read that finds the previous signature expired.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from graphql import GraphQLResolveInfo

from ...engines import prediction_imports as runs
from ...engines.files import FILES_PREFIX
from ...state.errors import Conflict, InvalidInput, NotFound
from ...state.model_run_rows import require_in_run
from ...state.organization import Organization
from ...state.records import AnnotationImport
from ..context import RequestContext
from . import shapes
from .common import ctx

NDJSON = "application/x-ndjson"
_STATES = {"IN_PROGRESS": "RUNNING", "COMPLETE": "FINISHED", "FAILED": "FAILED"}


def _uploaded_bytes(value: Any, what: str) -> bytes:
    """The content of an Upload: the multipart parser puts a file object with `content` in the variables."""
    content = getattr(value, "content", None)
    if not isinstance(content, bytes):
        raise InvalidInput(f"{what} must be sent as a file part of a GraphQL multipart request")
    return content


def _check_new_name(org: Organization, kind: str, parent_id: str, name: str) -> None:
    if not name or not name.strip():
        raise InvalidInput("an import needs a non-empty name")
    try:
        org.annotation_import(kind, parent_id, name)
    except NotFound:
        return
    parent = "model run" if kind == "mea" else "project"
    raise Conflict(f"{parent} {parent_id} already has an import named {name!r}; import names are unique")


# -- shapes -----------------------------------------------------------------------------------------

def _is_live(c: RequestContext, url: str) -> bool:
    path = urlsplit(url).path
    return path.startswith(FILES_PREFIX) and c.files.by_token(path[len(FILES_PREFIX):]) is not None


def _signed(c: RequestContext, record: AnnotationImport, kind: str, text: str) -> str:
    url = record.signed_urls.get(kind)
    if url is None or not _is_live(c, url):
        url = c.files.sign(c.base_url, text.encode("utf-8"), NDJSON)
        record.signed_urls[kind] = url
    return url


def _import(c: RequestContext, record: AnnotationImport) -> dict[str, Any]:
    task = c.org.tasks.get(record.task_id)
    state = _STATES.get(task.status, "RUNNING") if task is not None else "FAILED"
    if state == "FAILED" and record.status_text is None and record.error_text is None:
        reason = (task.errors if task is not None else None) or f"import {record.name!r} failed"
        record.error_text = runs.render_ndjson([{
            "uuid": None, "dataRow": None, "status": "FAILURE",
            "errors": [{"name": "ImportFailed", "message": str(reason), "additionalInfo": None}],
        }])
    input_url = record.input_url
    if input_url is None and record.input_text is not None:
        input_url = _signed(c, record, "input", record.input_text)
    done = state != "RUNNING"
    shaped: dict[str, Any] = {
        "id": record.id,
        "name": record.name,
        "state": state,
        "progress": "100%" if done else f"{int(task.completion_percentage if task else 0)}%",
        "inputFileUrl": input_url,
        "statusFileUrl": _signed(c, record, "status", record.status_text)
        if done and record.status_text is not None else None,
        "errorFileUrl": _signed(c, record, "errors", record.error_text)
        if done and record.error_text is not None else None,
    }
    if record.kind == "mea":
        shaped["modelRunId"] = record.model_run_id
    else:
        assert record.project_id is not None
        shaped["project"] = shapes.project(c.org, c.org.project(record.project_id))
    return shaped


# -- MEA prediction imports ------------------------------------------------------------------------------

def create_mea_import(_root: Any, info: GraphQLResolveInfo, data: dict[str, Any]) -> dict[str, Any]:
    c = ctx(info)
    c.store.policies.check_mea_import()
    run = c.org.model_run(data["modelRunId"])
    name = data["name"]
    _check_new_name(c.org, "mea", run.id, name)
    url, payload = data.get("fileUrl"), data.get("filePayload")
    if (url is None) == (payload is None):
        raise InvalidInput("give exactly one of fileUrl or filePayload")
    text = None
    if payload is not None:
        try:
            text = _uploaded_bytes(payload["file"], "filePayload.file").decode("utf-8")
        except UnicodeDecodeError as error:
            raise InvalidInput(f"the uploaded file is not UTF-8 NDJSON: {error}") from None
        if not text.strip():
            raise InvalidInput("the uploaded file holds no predictions")
    elif urlsplit(url).scheme not in ("http", "https"):
        raise InvalidInput(f"fileUrl must be an http(s) URL, got {url!r}")
    record = AnnotationImport(id=c.ids.new(), name=name, kind="mea", model_run_id=run.id, created_at=c.clock.now(),
                              input_url=url, input_text=text)
    c.org.annotation_imports[record.id] = record

    def effect() -> dict[str, int]:
        return runs.run_mea_import(c.org, c.files, c.clock, record)

    record.task_id = c.tasks.start(c.org, "prediction-import", f"MEA prediction import {name}", effect).id
    return _import(c, record)


def _observed(c: Any, record: AnnotationImport) -> dict[str, Any]:
    """A read of an import is a status read of its task, so `reads` transitions count it."""
    task = c.org.tasks.get(record.task_id)
    if task is not None:
        c.tasks.observe(task)
    return _import(c, record)


def resolve_mea_import(_root: Any, info: GraphQLResolveInfo, where: dict[str, Any]) -> dict[str, Any]:
    c = ctx(info)
    return _observed(c, c.org.annotation_import("mea", where["modelRunId"], where["name"]))


# -- MEA to MAL ---------------------------------------------------------------------------------------

def create_mal_import(_root: Any, info: GraphQLResolveInfo, data: dict[str, Any]) -> dict[str, Any]:
    c = ctx(info)
    run = c.org.model_run(data["modelRunId"])
    project = c.org.project(data["projectId"])
    name = data["name"]
    _check_new_name(c.org, "mal", project.id, name)
    row_ids = list(data["dataRowIds"])
    if not row_ids:
        raise InvalidInput("dataRowIds is empty")
    require_in_run(run, row_ids)
    runs.project_scope(c.org, project)  # refuses a project without an ontology now rather than later
    record = AnnotationImport(id=c.ids.new(), name=name, kind="mal", model_run_id=run.id, created_at=c.clock.now(),
                              project_id=project.id)
    c.org.annotation_imports[record.id] = record

    def effect() -> dict[str, int]:
        return runs.run_mal_import(c.org, c.clock, record, row_ids)

    record.task_id = c.tasks.start(c.org, "mal-import", f"MEA to MAL prediction import {name}", effect).id
    return _import(c, record)


def resolve_mal_import(_root: Any, info: GraphQLResolveInfo, where: dict[str, Any]) -> dict[str, Any]:
    c = ctx(info)
    return _observed(c, c.org.annotation_import("mal", where["projectId"], where["name"]))


# -- uploads -------------------------------------------------------------------------------------------

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
