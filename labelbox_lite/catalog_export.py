"""Project and catalog exports: their params and filters on the wire, and the export call.

`Project.export`, `Dataset.export` and `DataRow.export` send these; the task they
answer is read like a model run's (ExportTask and its streams).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypedDict

from . import documents as docs
from .export_params import _flag, _media_type
from .export_task import ExportTask
from .task import Task

if TYPE_CHECKING:
    from .client import Client

# params key -> ExportParamsInput field
FLAGS = {
    "attachments": "includeAttachments",
    "embeddings": "includeEmbeddings",
    "metadata_fields": "includeMetadata",
    "data_row_details": "includeDataRowDetails",
    "project_details": "includeProjectDetails",
    "performance_details": "includePerformanceDetails",
    "label_details": "includeLabelDetails",
    "interpolated_frames": "includeInterpolatedFrames",
}
CATALOG_FLAGS = {**FLAGS, "predictions": "includePredictions", "all_projects": "allProjects",
                 "all_model_runs": "allModelRuns"}
ID_FILTERS = {"data_row_ids": "data_row_id", "global_keys": "global_key", "batch_ids": "batch"}
TIME_FILTERS = {"last_activity_at": "data_row_last_activity_at", "label_created_at": "labeled_at"}
WORKFLOW_STATUSES = ("ToLabel", "InReview", "InRework", "Done")
DATE_FORMATS = ("%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S%z")
MAX_FILTER_IDS = 2000  # the SDK's SEARCH_LIMIT_PER_EXPORT_V2
EXPORT_V2_DEPRECATION = ("The method export_v2 for {} is deprecated and will be removed in the next major release. "
                         "Use the export method instead.")


class ProjectExportParams(TypedDict, total=False):
    attachments: bool | None
    embeddings: bool | None
    metadata_fields: bool | None
    data_row_details: bool | None
    project_details: bool | None
    label_details: bool | None
    performance_details: bool | None
    interpolated_frames: bool | None
    media_type_override: Any


class CatalogExportParams(ProjectExportParams, total=False):
    model_run_ids: list[str] | None
    project_ids: list[str] | None
    all_projects: bool | None
    all_model_runs: bool | None
    predictions: bool | None


def _params(given: Mapping[str, Any] | None, flags: Mapping[str, str], lists: Sequence[str]) -> dict[str, Any]:
    given = dict(given or {})
    known = set(flags) | set(lists) | {"media_type_override", "media_attributes"}
    unknown = sorted(set(given) - known)
    if unknown:
        raise ValueError(f"unknown export params: {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    wire: dict[str, Any] = {"mediaTypeOverride": _media_type(given.get("media_type_override"))}
    for key, field in flags.items():
        wire[field] = _flag(key, given.get(key))
    for key in lists:
        value = given.get(key)
        if value is not None and (not isinstance(value, list) or not all(isinstance(v, str) for v in value)):
            raise ValueError(f"export param {key!r} must be a list of ids, got {value!r}")
        wire["projectIds" if key == "project_ids" else "modelRunIds"] = value
    return wire


def _bound(key: str, value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        for fmt in DATE_FORMATS:
            try:
                datetime.strptime(value, fmt)
                return value
            except ValueError:
                pass
    raise ValueError(f"{key}: {value!r} is not 'YYYY-MM-DD', 'YYYY-MM-DD hh:mm:ss' or "
                     "ISO 8601 'YYYY-MM-DDThh:mm:ss+hhmm'")


def _time_filter(key: str, value: Any, timezone: Callable[[], str]) -> dict[str, Any] | None:
    """A [start, end] range (either end may be None) as a search filter; None when both are None."""
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        raise ValueError(f"{key} expects [start, end], either of them None")
    start, end = (_bound(key, bound) for bound in value)
    bounds: str | dict[str, str]
    if start is not None and end is not None:
        operator, bounds = "BETWEEN", {"min": start, "max": end}
    elif start is not None:
        operator, bounds = "GREATER_THAN_OR_EQUAL", start
    elif end is not None:
        operator, bounds = "LESS_THAN_OR_EQUAL", end
    else:
        return None
    return {"type": TIME_FILTERS[key], "value": {"operator": operator, "timezone": timezone(), "value": bounds}}


def search_query(filters: Mapping[str, Any] | None, timezone: Callable[[], str] | None = None,
                 workflow: bool = False) -> list[dict[str, Any]]:
    """The search filters the export's rows must pass, in the order the SDK sends them.

    `timezone` answers the time zone dates without an offset are read in (the user's), asked only when a
    time filter is given; `workflow` allows workflow_status (project exports).
    """
    query: list[dict[str, Any]] = []
    given = {key: value for key, value in (filters or {}).items() if value is not None}
    if "data_row_ids" in given and "global_keys" in given:
        raise ValueError("data_row_ids and global_keys cannot both be given")
    known = [*TIME_FILTERS, *ID_FILTERS, *(("workflow_status",) if workflow else ())]
    unknown = sorted(set(given) - set(known))
    if unknown:
        raise ValueError(f"export filter {unknown[0]!r} is not supported here (supported: {', '.join(known)})")
    for key in TIME_FILTERS:
        if key in given:
            if timezone is None:
                raise ValueError(f"export filter {key!r} is not supported here")
            if (item := _time_filter(key, given[key], timezone)) is not None:
                query.append(item)
    for key, kind in ID_FILTERS.items():
        if key not in given:
            continue
        value = given[key]
        if not isinstance(value, list) or not value:
            raise ValueError(f"{kind} filter expects a non-empty list.")
        if len(value) > MAX_FILTER_IDS:
            raise ValueError(f"{kind} filter only supports a max of {MAX_FILTER_IDS} items.")
        query.append({"ids": list(value), "operator": "is", "type": kind})
    status = given.get("workflow_status")
    if status is not None:
        if status not in WORKFLOW_STATUSES:
            raise ValueError(f"workflow_status expects one of {', '.join(WORKFLOW_STATUSES)}, got {status!r}")
        # Labelbox's search names rows still to label by their absence from a review step
        query.append({"type": "task_queue_not_exist"} if status == "ToLabel"
                     else {"type": "task_queue_status", "status": status})
    return query


def user_timezone(client: Client) -> Callable[[], str]:
    """The current user's time zone (UTC when unset), asked once and only if a time filter needs it."""
    cache: list[str] = []

    def read() -> str:
        if not cache:
            cache.append(client.execute(docs.CURRENT_USER_TIMEZONE)["user"]["timezone"] or "UTC")
        return cache[0]

    return read


def project_export_input(client: Client, project_id: str, task_name: str | None, filters: Mapping[str, Any] | None,
                         params: ProjectExportParams | None, streamable: bool) -> dict[str, Any]:
    query = search_query(filters, user_timezone(client), workflow=True)
    return {
        "taskName": task_name, "isStreamableReady": True, "streamable": streamable,
        "filters": {"projectId": project_id, "searchQuery": {"scope": None, "query": query}},
        "params": _params(params, FLAGS, ()),
    }


def catalog_export_input(task_name: str, query: list[dict[str, Any]], params: CatalogExportParams | None,
                         streamable: bool) -> dict[str, Any]:
    return {
        "taskName": task_name, "isStreamableReady": True, "streamable": streamable,
        "filters": {"searchQuery": {"scope": None, "query": query}},
        "params": _params(params, CATALOG_FLAGS, ("project_ids", "model_run_ids")),
    }


def start_export(client: Client, document: str, key: str, request: dict[str, Any],
                 deprecated_v2_of: str | None = None) -> ExportTask | Task:
    """Sends an export mutation; answers its ExportTask (or, for export_v2, what the SDK answers)."""
    if deprecated_v2_of is not None:
        warnings.warn(EXPORT_V2_DEPRECATION.format(deprecated_v2_of), DeprecationWarning, stacklevel=3)
    data = client.execute(document, {"input": request}, raise_return_resource_not_found=True)
    created = data[key]
    task = Task.fetch(client, created["taskId"])
    if deprecated_v2_of is None:
        return ExportTask(task)
    return ExportTask(task, is_export_v2=True) if created["isStreamable"] else task


class ProjectExports:
    """`Project.export` and `export_v2`: the project's data rows with its labels."""

    __slots__ = ()
    client: Client
    uid: str

    def export(self, task_name: str | None = None, filters: Mapping[str, Any] | None = None,
               params: ProjectExportParams | None = None) -> ExportTask:
        request = project_export_input(self.client, self.uid, task_name, filters, params, streamable=True)
        exported = start_export(self.client, docs.EXPORT_PROJECT, "exportDataRowsInProject", request)
        assert isinstance(exported, ExportTask)
        return exported

    def export_v2(self, task_name: str | None = None, filters: Mapping[str, Any] | None = None,
                  params: ProjectExportParams | None = None) -> Task | ExportTask:
        request = project_export_input(self.client, self.uid, task_name, filters, params, streamable=False)
        return start_export(self.client, docs.EXPORT_PROJECT, "exportDataRowsInProject", request, "Project")
