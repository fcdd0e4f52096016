"""Task lookups: the user's created tasks, the MEA status queries and `task(where)`.

Every status read goes through the task engine, which is how `reads`
transitions count down.
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLResolveInfo

from ...state.errors import NotFound
from . import shapes
from .common import ctx, matches, page


def created_tasks(
    _user: Any, info: GraphQLResolveInfo, where: dict[str, Any] | None = None, skip: int | None = None, first: int | None = None
) -> list[dict[str, Any]]:
    context = ctx(info)
    tasks = context.org.tasks
    if where and set(where) == {"id"}:
        candidates = [tasks[where["id"]]] if where["id"] in tasks else []  # the common lookup, without a scan
    else:
        candidates = list(tasks.values())
    selected = [t for t in candidates if matches(shapes.task(t), where)]
    return [shapes.task(context.tasks.observe(t)) for t in page(selected, skip, first)]


def _mea_status(_root: Any, info: GraphQLResolveInfo, where: dict[str, Any]) -> dict[str, Any]:
    context = ctx(info)
    task = context.tasks.observe(context.org.task(where["id"]))
    return {"status": task.status, "errorMessage": task.errors if task.status == "FAILED" else None}


def resolve_task(_root: Any, info: GraphQLResolveInfo, where: dict[str, Any] | None = None) -> dict[str, Any]:
    if not where or "id" not in where:
        raise NotFound("Task", "")
    return shapes.task(ctx(info).org.task(where["id"]))


RESOLVERS = {
    "User": {"createdTasks": created_tasks},
    "Query": {
        "MEADataRowRegistrationTaskStatus": _mea_status,
        "MEALabelRegistrationTaskStatus": _mea_status,
        "assignDataRowsToDataSplitTaskStatus": _mea_status,
        "task": resolve_task,
    },
}
