"""The search filters of an export: which data rows its `searchQuery` admits.

Every filter must hold (they are ANDed), as in Labelbox's search. The kinds:

- ids, operator `is`: `data_row_id`, `global_key`, `dataset`, `batch`;
- time ranges, in `value` as `{operator, timezone, value}`: `data_row_last_activity_at` (the row's last
  update, the `last_activity_at` exports report) and `labeled_at` (a label of the row created in the
  range: in the exported project, or in any project for a catalog export). Operators BETWEEN (value
  `{min, max}`), GREATER_THAN_OR_EQUAL and LESS_THAN_OR_EQUAL (value a string); bounds are
  "YYYY-MM-DD", "YYYY-MM-DD hh:mm:ss" (read in `timezone`, an IANA name, UTC when absent) or ISO 8601
  with an offset; both ends are inclusive, an upper one of the whole day or second it names;
- workflow steps, project exports only: `task_queue_status` with `status` InReview, InRework or Done,
  and `task_queue_not_exist`, which is how the SDK asks for rows still to label (ToLabel).

Filters are checked whole when the export is asked for, so a bad one refuses it before a task starts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..state.errors import InvalidInput
from ..state.organization import Organization
from ..state.projects import queue_types_by_row, workflow_status
from ..state.records import Project

ID_FILTERS = ("dataset", "data_row_id", "global_key", "batch")
TIME_FILTERS = ("data_row_last_activity_at", "labeled_at")
WORKFLOW_FILTERS = ("task_queue_status", "task_queue_not_exist")
# task_queue_status's status -> the workflow status exports report
QUEUE_STATUSES = {"InReview": "IN_REVIEW", "InRework": "IN_REWORK", "Done": "DONE"}

Admits = Callable[[str], bool]  # data row id -> admitted


def _ids(kind: str, item: Mapping[str, Any]) -> list[str]:
    if item.get("operator") != "is":
        raise InvalidInput(f"searchQuery: filter {kind!r} takes operator 'is', got {item.get('operator')!r}")
    ids = item.get("ids")
    if not isinstance(ids, list) or not ids:
        raise InvalidInput(f"searchQuery: filter {kind!r} needs a non-empty ids list")
    return [str(value) for value in ids]


def _id_filter(org: Organization, kind: str, item: Mapping[str, Any]) -> Admits:
    ids = _ids(kind, item)
    if kind == "dataset":
        chosen = {row_id for dataset_id in ids if dataset_id in org.datasets
                  for row_id in org.datasets[dataset_id].data_row_ids}
    elif kind == "data_row_id":
        chosen = set(ids)
    elif kind == "global_key":
        chosen = {org.data_rows_by_global_key[key] for key in ids if key in org.data_rows_by_global_key}
    else:
        chosen = {row_id for batch_id in ids if batch_id in org.batches for row_id in org.batches[batch_id].data_row_ids}
    return chosen.__contains__


# each format with the span its bound covers: an upper bound takes in the whole day, or second, it names
_FORMATS = (("%Y-%m-%dT%H:%M:%S%z", timedelta(seconds=1)), ("%Y-%m-%d %H:%M:%S", timedelta(seconds=1)),
            ("%Y-%m-%d", timedelta(days=1)))


def _bound(kind: str, text: Any, zone: ZoneInfo | timezone, upper: bool) -> float:
    """The bound as a timestamp; an upper bound is the last moment of the day or second it names."""
    if isinstance(text, str):
        for fmt, span in _FORMATS:
            try:
                moment = datetime.strptime(text, fmt)
            except ValueError:
                continue
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=zone)
            return (moment + span).timestamp() - 1e-6 if upper else moment.timestamp()
    raise InvalidInput(f"searchQuery: {kind} bound {text!r} is not 'YYYY-MM-DD', 'YYYY-MM-DD hh:mm:ss' or "
                       "ISO 8601 'YYYY-MM-DDThh:mm:ss+hhmm'")


def _range(kind: str, item: Mapping[str, Any]) -> tuple[float, float]:
    spec = item.get("value")
    if not isinstance(spec, Mapping):
        raise InvalidInput(f"searchQuery: filter {kind!r} needs a value {{operator, timezone, value}}")
    name = spec.get("timezone") or "UTC"
    try:
        zone: ZoneInfo | timezone = ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(f"searchQuery: {kind} timezone {name!r} is not a known IANA time zone") from None
    operator, value = spec.get("operator"), spec.get("value")
    if operator == "BETWEEN":
        if not isinstance(value, Mapping):
            raise InvalidInput(f"searchQuery: {kind} BETWEEN needs value {{min, max}}")
        return _bound(kind, value.get("min"), zone, False), _bound(kind, value.get("max"), zone, True)
    if operator == "GREATER_THAN_OR_EQUAL":
        return _bound(kind, value, zone, False), float("inf")
    if operator == "LESS_THAN_OR_EQUAL":
        return float("-inf"), _bound(kind, value, zone, True)
    raise InvalidInput(f"searchQuery: {kind} operator must be BETWEEN, GREATER_THAN_OR_EQUAL or "
                       f"LESS_THAN_OR_EQUAL, got {operator!r}")


def _time_filter(org: Organization, kind: str, item: Mapping[str, Any], project: Project | None) -> Admits:
    low, high = _range(kind, item)
    if kind == "data_row_last_activity_at":
        return lambda row_id: row_id in org.data_rows and low <= org.data_rows[row_id].updated_at <= high
    label_ids = project.label_ids if project is not None else org.labels.keys()
    labelled = {org.labels[label_id].data_row_id for label_id in label_ids
                if low <= org.labels[label_id].created_at <= high}
    return labelled.__contains__


def _workflow_filter(org: Organization, kind: str, item: Mapping[str, Any], project: Project | None) -> Admits:
    if project is None:
        raise InvalidInput(f"searchQuery: filter {kind!r} needs a project: only project exports take it")
    if kind == "task_queue_not_exist":
        wanted = "TO_LABEL"
    else:
        status = item.get("status")
        if status not in QUEUE_STATUSES:
            raise InvalidInput(f"searchQuery: task_queue_status status must be one of "
                               f"{', '.join(QUEUE_STATUSES)}, got {status!r}")
        wanted = QUEUE_STATUSES[status]
    queues = queue_types_by_row(org, project)
    labelled = {org.labels[label_id].data_row_id for label_id in project.label_ids}
    return lambda row_id: workflow_status(queues.get(row_id), row_id in labelled) == wanted


def compile_filters(org: Organization, query: Sequence[Mapping[str, Any]], project: Project | None) -> list[Admits]:
    """One predicate per filter; raises InvalidInput naming the first filter that is not acceptable."""
    admits = []
    for item in query:
        kind = item.get("type")
        if kind in ID_FILTERS:
            admits.append(_id_filter(org, kind, item))
        elif kind in TIME_FILTERS:
            admits.append(_time_filter(org, kind, item, project))
        elif kind in WORKFLOW_FILTERS:
            admits.append(_workflow_filter(org, kind, item, project))
        else:
            known = ", ".join(ID_FILTERS + TIME_FILTERS + WORKFLOW_FILTERS)
            raise InvalidInput(f"searchQuery: filter type {kind!r} is not supported by the mock (supported: {known})")
    return admits
