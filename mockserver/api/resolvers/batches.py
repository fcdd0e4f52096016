"""Batches and task queues of a project: creation (sync and async), pages of batches, the queues."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLResolveInfo

from ...engines import batches as jobs
from ...ids import stable_id
from ...state import batches as ops
from ...state import overview, queue_priority
from ...state.errors import InvalidInput
from ...state.organization import Organization
from ...state.projects import listed_queues
from ...state.records import DEFAULT_BATCH_PRIORITY
from . import shapes
from .common import ctx, cursor_page, listing, matches, page_size


def _priority(batch_input: dict[str, Any]) -> Any:
    """An omitted priority is the default; an explicit null reaches the check and is refused, as Labelbox does."""
    return batch_input.get("priority", DEFAULT_BATCH_PRIORITY)


def _ids(values: Any) -> list[str]:
    return list(values or [])


def project_mutations(_root: Any, info: GraphQLResolveInfo, where: dict[str, Any]) -> dict[str, Any]:
    """The project's mutations; the nested resolvers find the project by this id."""
    return {"id": ctx(info).org.project(where["id"]).id}


def create_batch(parent: dict[str, Any], info: GraphQLResolveInfo, input: dict[str, Any]) -> dict[str, Any]:  # noqa: A002
    c = ctx(info)
    batch, failed = ops.create_batch(
        c.org, c.ids, c.clock, parent["id"], input["name"], _ids(input.get("dataRowIds")),
        _ids(input.get("globalKeys")), _priority(input), input.get("consensusSettings"),
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
                         _ids(input.get("globalKeys")), _priority(input))
    return {"taskId": task.id}


def _creation_tasks(started: list[tuple[Any, Any]]) -> dict[str, Any]:
    return {"tasks": [{"batchUuid": batch.id, "taskId": task.id} for batch, task in started]}


def create_batches(parent: dict[str, Any], info: GraphQLResolveInfo, input: dict[str, Any]) -> dict[str, Any]:  # noqa: A002
    c = ctx(info)
    return _creation_tasks(jobs.create_batches(
        c.tasks, c.org, c.ids, parent["id"], input["batchNamePrefix"], _ids(input.get("dataRowIds")),
        _ids(input.get("globalKeys")), _priority(input), input.get("consensusSettings")))


def create_batches_from_dataset(parent: dict[str, Any], info: GraphQLResolveInfo,
                                input: dict[str, Any]) -> dict[str, Any]:  # noqa: A002
    c = ctx(info)
    return _creation_tasks(jobs.create_batches_from_dataset(
        c.tasks, c.org, c.ids, parent["id"], input["batchNamePrefix"], input["datasetId"], _priority(input),
        input.get("consensusSettings")))


def remove_queued_rows(parent: dict[str, Any], info: GraphQLResolveInfo, batchId: str) -> dict[str, Any]:
    c = ctx(info)
    return shapes.batch(ops.remove_queued_rows(c.org, c.clock, parent["id"], batchId))


def move_rows_to_queue(parent: dict[str, Any], info: GraphQLResolveInfo, data: dict[str, Any]) -> dict[str, Any]:
    c = ctx(info)
    identifiers = data["dataRowIdentifiers"]
    task = jobs.move_rows(c.tasks, c.org, parent["id"], data.get("queueId"), list(identifiers["ids"]),
                          identifiers["idType"])
    return {"taskId": task.id}


def project_batches(parent: dict[str, Any], info: GraphQLResolveInfo, where: dict[str, Any] | None = None,
                    after: str | None = None, first: Any = None) -> dict[str, Any]:
    """A page of the project's batches, in creation order: O(page) unfiltered and by id; other filters scan."""
    org = ctx(info).org
    size = page_size(first)
    project = org.project(parent["id"])
    if not where:
        ids, page_info = cursor_page("batches", project.batch_ids, after, size)
        return {"nodes": [shapes.batch(org.batches[batch_id]) for batch_id in ids], "pageInfo": page_info}
    if set(where) == {"id"}:
        found = org.batches.get(where["id"])
        selected = [shapes.batch(found)] if found is not None and found.project_id == project.id else []
    else:
        shaped = (shapes.batch(org.batches[batch_id]) for batch_id in project.batch_ids)
        selected = [batch for batch in shaped if matches(batch, where)]
    chunk, page_info = cursor_page("batches", selected, after, size)
    return {"nodes": chunk, "pageInfo": page_info}


def _count_batch_ids(count_input: dict[str, Any] | None) -> list[str] | None:
    """The batch ids of a dataRowCount search query (the overview's only filter); None without one."""
    query = ((count_input or {}).get("searchQuery") or {}).get("query")
    if not query:
        return None
    batch_ids: list[str] = []
    for item in query:
        if item.get("type") != "batch" or item.get("operator") != "is":
            raise InvalidInput(f"dataRowCount: search filter {item.get('type')!r} is not supported by the mock "
                               "(supported: batch with operator is)")
        batch_ids.extend(item.get("ids") or [])
    return batch_ids


def project_task_queues(parent: dict[str, Any], info: GraphQLResolveInfo) -> list[dict[str, Any]]:
    org = ctx(info).org
    return [shapes.task_queue(queue) for queue in listed_queues(org, org.project(parent["id"]))]


def queue_row_count(parent: dict[str, Any], info: GraphQLResolveInfo, input: dict[str, Any] | None = None) -> int:  # noqa: A002
    org = ctx(info).org
    return overview.queue_row_count(org, org.task_queues[parent["id"]], _count_batch_ids(input))


def workstream_state_counts(parent: dict[str, Any], info: GraphQLResolveInfo,
                            batchIds: list[str] | None = None) -> list[dict[str, Any]]:
    counts = overview.workstream_counts(ctx(info).org, parent["id"], batchIds)
    return [{"state": state, "count": count} for state, count in counts.items()]


def completed_count(parent: dict[str, Any], info: GraphQLResolveInfo) -> int:
    return overview.workstream_counts(ctx(info).org, parent["id"], None)["Done"]


def _override(org: Organization, project_id: str, entry: tuple[str, int]) -> dict[str, Any]:
    row_id, priority = entry
    return {"id": stable_id(f"labeling-parameter-override-{project_id}-{row_id}"), "priority": priority,
            "numberOfLabels": queue_priority.NUMBER_OF_LABELS, "dataRow": shapes.data_row(org, org.data_rows[row_id])}


def labeling_parameter_overrides(parent: dict[str, Any], info: GraphQLResolveInfo, skip: int | None = None,
                                 first: int | None = None) -> list[dict[str, Any]]:
    """A page of the rows of the project's batches with their priorities: O(batches + page)."""
    org = ctx(info).org
    project = org.project(parent["id"])
    return listing(queue_priority.QueueRows(org, project), lambda entry: _override(org, project.id, entry), None,
                   skip, first)


def set_labeling_parameter_overrides(parent: dict[str, Any], info: GraphQLResolveInfo,
                                     dataWithDataRowIdentifiers: list[dict[str, Any]]) -> dict[str, Any]:
    overrides = [(item["dataRowIdentifier"]["id"], item["dataRowIdentifier"]["idType"], item["priority"])
                 for item in dataWithDataRowIdentifiers]
    queue_priority.set_overrides(ctx(info).org, parent["id"], overrides)
    return {"success": True}


def update_priority(parent: dict[str, Any], info: GraphQLResolveInfo, data: dict[str, Any]) -> dict[str, Any]:
    c = ctx(info)
    identifiers = data.get("dataRowIdentifiers") or {}
    task = jobs.update_priority(c.tasks, c.org, parent["id"], list(identifiers.get("ids") or []),
                                identifiers.get("idType", ""), data["priority"])
    return {"taskId": task.id}


def all_processed(_root: Any, _info: GraphQLResolveInfo, dataRowIds: list[str] | None = None,
                  globalKeys: list[str] | None = None) -> dict[str, Any]:
    # the mock processes a data row the moment it exists; unknown rows are reported by the batch itself
    return {"allDataRowsHaveBeenProcessed": True}


def resolve_batch(_root: Any, info: GraphQLResolveInfo, where: dict[str, Any]) -> dict[str, Any]:
    return shapes.batch(ctx(info).org.batch(where["id"]))


RESOLVERS = {
    "Query": {"queryAllDataRowsHaveBeenProcessed": all_processed, "batch": resolve_batch},
    # an organisation's batches are made by its one user
    "Batch": {"user": lambda _parent, info: shapes.member(ctx(info).org)},
    "Mutation": {"project": project_mutations},
    "ProjectMutations": {
        "createBatchV2": create_batch,
        "createEmptyBatch": create_empty_batch,
        "addDataRowsToBatchAsync": add_rows_async,
        "createBatches": create_batches,
        "createBatchesFromDataset": create_batches_from_dataset,
        "removeQueuedDataRowsFromBatch": remove_queued_rows,
        "createBulkAddRowsToQueueTask": move_rows_to_queue,
        "setLabelingParameterOverrides": set_labeling_parameter_overrides,
        "createQueuePriorityUpdateTask": update_priority,
    },
    "Project": {
        "batches": project_batches,
        "taskQueues": project_task_queues,
        "workstreamStateCounts": workstream_state_counts,
        "issues": lambda _parent, _info: {"totalCount": 0},
        "completedDataRowCount": completed_count,
        "labelingParameterOverrides": labeling_parameter_overrides,
    },
    "TaskQueue": {"dataRowCount": queue_row_count},
}
