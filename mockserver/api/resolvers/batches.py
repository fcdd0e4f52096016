"""Batches and task queues of a project: creation (sync and async), pages of batches, the queues."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLResolveInfo

from ...engines import batches as jobs
from ...state import batches as ops
from ...state.projects import listed_queues
from ...state.records import DEFAULT_BATCH_PRIORITY
from . import shapes
from .common import ctx, cursor_page, matches, page_size


def _priority(value: Any) -> Any:
    return DEFAULT_BATCH_PRIORITY if value is None else value


def _ids(values: Any) -> list[str]:
    return list(values or [])


def project_mutations(_root: Any, info: GraphQLResolveInfo, where: dict[str, Any]) -> dict[str, Any]:
    """The project's mutations; the nested resolvers find the project by this id."""
    return {"id": ctx(info).org.project(where["id"]).id}


def create_batch(parent: dict[str, Any], info: GraphQLResolveInfo, input: dict[str, Any]) -> dict[str, Any]:  # noqa: A002
    c = ctx(info)
    batch, failed = ops.create_batch(
        c.org, c.ids, c.clock, parent["id"], input["name"], _ids(input.get("dataRowIds")),
        _ids(input.get("globalKeys")), _priority(input.get("priority")), input.get("consensusSettings"),
    )
    return {"batch": shapes.batch(batch), "failedDataRowIds": failed}


def create_empty_batch(parent: dict[str, Any], info: GraphQLResolveInfo, input: dict[str, Any]) -> dict[str, Any]:  # noqa: A002
    c = ctx(info)
    batch = ops.create_empty_batch(c.org, c.ids, c.clock, parent["id"], input["name"],
                                   input.get("consensusSettings"))
    return shapes.batch(batch)


def add_rows_async(parent: dict[str, Any], info: GraphQLResolveInfo, input: dict[str, Any]) -> dict[str, Any]:  # noqa: A002
    c = ctx(info)
    task = jobs.add_rows(c.tasks, c.org, parent["id"], input["batchId"], _ids(input.get("dataRowIds")),
                         _ids(input.get("globalKeys")), _priority(input.get("priority")))
    return {"taskId": task.id}


def project_batches(parent: dict[str, Any], info: GraphQLResolveInfo, where: dict[str, Any] | None = None,
                    after: str | None = None, first: Any = None) -> dict[str, Any]:
    org = ctx(info).org
    size = page_size(first)
    shaped = [shapes.batch(org.batches[batch_id]) for batch_id in org.project(parent["id"]).batch_ids]
    selected = [batch for batch in shaped if matches(batch, where)]
    chunk, page_info = cursor_page("batches", selected, after, size)
    return {"nodes": chunk, "pageInfo": page_info}


def project_task_queues(parent: dict[str, Any], info: GraphQLResolveInfo) -> list[dict[str, Any]]:
    org = ctx(info).org
    return [shapes.task_queue(queue) for queue in listed_queues(org, org.project(parent["id"]))]


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
