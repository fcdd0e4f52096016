"""Batches and task queues of a project: creation (sync and async), pages of batches, the queues."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLResolveInfo

from ...state import batches as ops
from ...state.errors import InvalidInput
from ...state.projects import listed_queues
from ...state.records import Project
from . import shapes
from .common import ctx, cursor_page, matches

MAX_PAGE = 1000


def _project(parent: dict[str, Any]) -> Project:
    project: Project = parent["_record"]
    return project


def _ids(values: Any) -> list[str]:
    return list(values or [])


def project_mutations(_root: Any, info: GraphQLResolveInfo, where: dict[str, Any]) -> dict[str, Any]:
    return {"_record": ctx(info).org.project(where["id"])}


def create_batch(parent: dict[str, Any], info: GraphQLResolveInfo, input: dict[str, Any]) -> dict[str, Any]:  # noqa: A002
    c = ctx(info)
    priority = input.get("priority")
    batch, failed = ops.create_batch(
        c.org, c.ids, c.clock, _project(parent).id, input["name"], _ids(input.get("dataRowIds")),
        _ids(input.get("globalKeys")), 5 if priority is None else priority, input.get("consensusSettings"),
    )
    return {"batch": shapes.batch(batch), "failedDataRowIds": failed}


def create_empty_batch(parent: dict[str, Any], info: GraphQLResolveInfo, input: dict[str, Any]) -> dict[str, Any]:  # noqa: A002
    c = ctx(info)
    batch = ops.create_empty_batch(c.org, c.ids, c.clock, _project(parent).id, input["name"],
                                   input.get("consensusSettings"))
    return shapes.batch(batch)


def add_rows_async(parent: dict[str, Any], info: GraphQLResolveInfo, input: dict[str, Any]) -> dict[str, Any]:  # noqa: A002
    c = ctx(info)
    ids, keys = _ids(input.get("dataRowIds")), _ids(input.get("globalKeys"))
    priority = 5 if input.get("priority") is None else input["priority"]
    # refuse bad input now, with the reason; the task checks again when it runs
    project, batch, _rows = ops.check_addition(c.org, _project(parent).id, input["batchId"], ids, keys, priority)

    def effect() -> None:
        ops.add_rows(c.org, c.clock, project.id, batch.id, ids, keys, priority)

    task = c.tasks.start(c.org, "batch-creation", f"add data rows to batch {batch.name}", effect,
                         task_type="add-data-rows-to-batch")
    return {"taskId": task.id}




def project_batches(parent: dict[str, Any], info: GraphQLResolveInfo, where: dict[str, Any] | None = None,
                    after: str | None = None, first: Any = None) -> dict[str, Any]:
    org = ctx(info).org
    size = 100 if first is None else first
    if isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= MAX_PAGE:
        raise InvalidInput(f"first must be an integer from 1 to {MAX_PAGE}, got {first!r}")
    shaped = [shapes.batch(org.batches[batch_id]) for batch_id in _project(parent).batch_ids]
    selected = [batch for batch in shaped if matches(batch, where)]
    chunk, page_info = cursor_page("batches", selected, after, size)
    return {"nodes": chunk, "pageInfo": page_info}


def project_task_queues(parent: dict[str, Any], info: GraphQLResolveInfo) -> list[dict[str, Any]]:
    org = ctx(info).org
    return [shapes.task_queue(queue) for queue in listed_queues(org, _project(parent))]


def all_processed(_root: Any, _info: GraphQLResolveInfo, dataRowIds: list[str] | None = None,
                  globalKeys: list[str] | None = None) -> dict[str, Any]:
    # the mock processes a data row the moment it exists; unknown rows are reported by the batch itself
    return {"allDataRowsHaveBeenProcessed": True}


RESOLVERS = {
    "Query": {"queryAllDataRowsHaveBeenProcessed": all_processed},
    "Mutation": {"project": project_mutations},
    "ProjectMutations": {
        "createBatchV2": create_batch,
        "createEmptyBatch": create_empty_batch,
        "addDataRowsToBatchAsync": add_rows_async,
    },
    "Project": {"batches": project_batches, "taskQueues": project_task_queues},
}
