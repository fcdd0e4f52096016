"""Task lookups: the user's created tasks, the MEA status queries and `task(where)`.

Every status read goes through the task engine, which is how `reads`
transitions count down.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from typing import Any

from graphql import GraphQLResolveInfo

from ...engines import data_row_upserts as upserts
from ...engines.tasks import CANCELABLE_TYPES
from ...state.errors import NotFound
from ...state.records import Task
from ...state.tables import Table
from ..context import RequestContext
from . import shapes
from .common import ctx, matches, page


def _selected(tasks: Table[Task], where: dict[str, Any] | None, skip: int | None,
              first: int | None) -> list[Task]:
    """A page of the tasks `where` selects, oldest first: a lookup by id reads one task; no filter slices
    the table's ordered view (O(page)); otherwise the walk stops once the page is full, so it costs the
    tasks up to the page's end, never the whole list. A null in `where` filters on nothing (a variable
    left unset)."""
    where = {key: value for key, value in (where or {}).items() if value is not None}
    if not where:
        return page(tasks.ordered(), skip, first)
    if set(where) == {"id"}:
        found = tasks.get(where["id"])
        candidates: Iterator[Task] = iter([found] if found is not None else [])
    else:
        candidates = (t for t in tasks.values() if matches(shapes.task(t), where))
    start = max(skip or 0, 0)
    return list(islice(candidates, start, None if first is None else start + max(first, 0)))


def _shaped(context: RequestContext, t: Task) -> dict[str, Any]:
    """A task as read by id or in a list: a finished upsert answers its report's signed URL as `result`."""
    return shapes.task(t, upserts.result_url(context.org, context.files, context.base_url, t))


def created_tasks(
    _user: Any, info: GraphQLResolveInfo, where: dict[str, Any] | None = None, skip: int | None = None, first: int | None = None
) -> list[dict[str, Any]]:
    """The user's tasks; each one listed is a status read (the SDK polls a task through this list)."""
    context = ctx(info)
    return [_shaped(context, context.tasks.observe(t)) for t in _selected(context.org.tasks, where, skip, first)]


def organization_tasks(
    _org: Any, info: GraphQLResolveInfo, where: dict[str, Any] | None = None, skip: int | None = None, first: int | None = None
) -> list[dict[str, Any]]:
    """The organisation's tasks as they are: listing them does not move them on."""
    context = ctx(info)
    return [_shaped(context, t) for t in _selected(context.org.tasks, where, skip, first)]


def cancelable_types(_root: Any, _info: GraphQLResolveInfo) -> list[str]:
    # the API names types in PascalCase; the SDK turns them back into the kebab-case of Task.type
    return ["".join(part.capitalize() for part in kind.split("-")) for kind in CANCELABLE_TYPES]


def cancel(_root: Any, info: GraphQLResolveInfo, id: str) -> dict[str, Any]:  # noqa: A002
    context = ctx(info)
    context.tasks.cancel(context.org.task(id))
    return {"success": True}


def _mea_status(_root: Any, info: GraphQLResolveInfo, where: dict[str, Any]) -> dict[str, Any]:
    context = ctx(info)
    task = context.tasks.observe(context.org.task(where["id"]))
    return {"status": task.status, "errorMessage": task.errors if task.status == "FAILED" else None}


def resolve_task(_root: Any, info: GraphQLResolveInfo, where: dict[str, Any] | None = None) -> dict[str, Any]:
    if not where or "id" not in where:
        raise NotFound("Task", "")
    context = ctx(info)
    return _shaped(context, context.org.task(where["id"]))


RESOLVERS = {
    "User": {"createdTasks": created_tasks},
    "Organization": {"tasks": organization_tasks},
    "Mutation": {"cancelBulkOperationJob": cancel},
    "Query": {
        "cancelableTaskTypes": cancelable_types,
        "MEADataRowRegistrationTaskStatus": _mea_status,
        "MEALabelRegistrationTaskStatus": _mea_status,
        "assignDataRowsToDataSplitTaskStatus": _mea_status,
        "task": resolve_task,
    },
}
