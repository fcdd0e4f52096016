"""Send to annotate, from a model run or from the catalog: a task that batches rows into a project, with a
source's predictions or labels as labels."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLResolveInfo

from ...engines import send_to_annotate as jobs
from ...state import send_to_annotate as ops
from ...state.errors import InvalidInput
from ...state.records import DEFAULT_BATCH_PRIORITY
from .common import ctx

SEARCH_TYPES = {"data_row_id": "dataRowIds", "global_key": "globalKeys"}


def _mapping(value: Any, where: str = "predictionsInput") -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise InvalidInput(f"{where}.featureSchemaIdsMapping must map schema ids to schema ids")
    return value


def _queue_id(destination: dict[str, Any] | None) -> str | None:
    if destination is None or destination.get("type") == "done":
        return None
    if destination.get("type") == "id" and destination.get("value"):
        return str(destination["value"])
    raise InvalidInput(f"destinationTaskQueue must be {{type: \"id\", value: <queue id>}} or {{type: \"done\"}}, "
                       f"got {destination!r}")


def _selection(search_query: list[dict[str, Any]]) -> dict[str, list[str]]:
    selected: dict[str, list[str]] = {"dataRowIds": [], "globalKeys": []}
    for index, search in enumerate(search_query):
        if search["type"] not in SEARCH_TYPES or search.get("operator") != "is":
            raise InvalidInput(f"searchQuery[{index}]: the mock selects rows by type data_row_id or global_key "
                               f"with operator is; got type {search['type']!r}, operator {search.get('operator')!r}")
        selected[SEARCH_TYPES[search["type"]]].extend(search.get("ids") or [])
    return selected


def send_to_annotate(_root: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> dict[str, Any]:  # noqa: A002
    c = ctx(info)
    if input.get("annotationsInput") is not None:
        raise InvalidInput("annotationsInput: sending a source project's annotations is not supported by the mock")
    run_id = input["sourceModelRunId"]
    predictions = input.get("predictionsInput") or {}
    if predictions.get("modelRunId") not in (None, run_id):
        raise InvalidInput(f"predictionsInput.modelRunId {predictions['modelRunId']!r} is not the source model run "
                           f"{run_id!r}")
    batch = input["batchInput"]
    selected = _selection(input["searchQuery"])
    request = ops.SendToAnnotateRequest(
        project_id=input["destinationProjectId"],
        model_run_id=run_id,
        batch_name=batch["batchName"],
        priority=DEFAULT_BATCH_PRIORITY if batch.get("batchPriority") is None else batch["batchPriority"],
        queue_id=_queue_id(input.get("destinationTaskQueue")),
        exclude_in_project=bool(input.get("excludeDataRowsInProject")),
        mapping=_mapping(predictions.get("featureSchemaIdsMapping")),
        strategy=input.get("conflictLabelsResolutionStrategy") or "KEEP_EXISTING",
        data_row_ids=tuple(selected["dataRowIds"]),
        global_keys=tuple(selected["globalKeys"]),
        min_confidence=float(predictions.get("minConfidence", 0.0) or 0.0),
        max_confidence=float(1.0 if predictions.get("maxConfidence") is None else predictions["maxConfidence"]),
    )
    return {"taskId": jobs.send_to_annotate(c.tasks, c.org, request).id}


ORDERINGS = ("RANDOM", "SORTING")


def _seed(ordering: dict[str, Any] | None) -> int | None:
    """The seed of a RANDOM ordering; rows keep the order they were named in otherwise."""
    if ordering is None:
        return None
    if ordering["type"] not in ORDERINGS:
        raise InvalidInput(f"ordering.type must be one of {', '.join(ORDERINGS)}, got {ordering['type']!r}")
    if ordering["type"] == "RANDOM":
        return int((ordering.get("random") or {}).get("seed") or 0)
    return None


def send_from_catalog(_root: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> dict[str, Any]:  # noqa: A002
    c = ctx(info)
    predictions = input.get("predictionsInput")
    annotations = input.get("annotationsInput")
    batch = input["batchInput"]
    search = input["searchQuery"]
    if search.get("scope") is not None:
        raise InvalidInput("searchQuery.scope: the mock selects catalog rows by id or global key only; give null")
    selected = _selection(search["query"])
    bounds = predictions or {}
    if predictions is not None:
        mapping = _mapping(predictions.get("featureSchemaIdsMapping"))
    else:
        mapping = _mapping((annotations or {}).get("featureSchemaIdsMapping"), "annotationsInput")
    request = ops.SendToAnnotateRequest(
        project_id=input["destinationProjectId"],
        model_run_id=predictions["modelRunId"] if predictions is not None else None,
        source_project_id=annotations["projectId"] if annotations is not None else None,
        rows_from_run=False,
        batch_name=batch["batchName"],
        priority=DEFAULT_BATCH_PRIORITY if batch.get("batchPriority") is None else batch["batchPriority"],
        queue_id=_queue_id(input.get("destinationTaskQueue")),
        exclude_in_project=bool(input.get("excludeDataRowsInProject")),
        mapping=mapping,
        strategy=input.get("conflictLabelsResolutionStrategy") or "KEEP_EXISTING",
        data_row_ids=tuple(selected["dataRowIds"]),
        global_keys=tuple(selected["globalKeys"]),
        min_confidence=float(bounds.get("minConfidence") or 0.0),
        max_confidence=float(1.0 if bounds.get("maxConfidence") is None else bounds["maxConfidence"]),
        limit=input.get("limit"),
        seed=_seed(input.get("ordering")),
    )
    return {"taskId": jobs.send_to_annotate(c.tasks, c.org, request).id}


RESOLVERS = {"Mutation": {"sendToAnnotateFromMea": send_to_annotate, "sendToAnnotateFromCatalog": send_from_catalog}}
