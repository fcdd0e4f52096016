"""Sending data rows to a project for annotation: a model run's, with its predictions as labels, or the
catalog's, with a source model run's predictions or a source project's labels."""

from __future__ import annotations

import random
from enum import Enum
from typing import Any, TypedDict

from .identifiables import GlobalKeys, UniqueIds

DEFAULT_BATCH_PRIORITY = 5


class ConflictResolutionStrategy(str, Enum):
    """What happens to a data row's existing label when predictions arrive for it."""

    KeepExisting = "KEEP_EXISTING"
    OverrideWithAnnotations = "OVERRIDE_WITH_ANNOTATIONS"
    OverrideWithPredictions = "OVERRIDE_WITH_PREDICTIONS"


class SendToAnnotateFromModelParams(TypedDict, total=False):
    """Options of ModelRun.send_to_annotate_from_model; every key may be left out.

    - predictions_ontology_mapping: the model's feature (and option) schema ids -> the project's;
      only predictions of mapped features are sent (default: none)
    - exclude_data_rows_in_project: leave out rows already in the project (default False)
    - override_existing_annotations_rule: a ConflictResolutionStrategy (default KeepExisting)
    - batch_priority: 1 (highest) to 5 (lowest) (default 5)
    """

    predictions_ontology_mapping: dict[str, str]
    exclude_data_rows_in_project: bool
    override_existing_annotations_rule: ConflictResolutionStrategy
    batch_priority: int


_PARAM_KEYS = frozenset(SendToAnnotateFromModelParams.__annotations__)


def search_query(data_rows: UniqueIds | GlobalKeys) -> list[dict[str, Any]]:
    """The catalog filter that selects `data_rows`."""
    if isinstance(data_rows, UniqueIds):
        kind = "data_row_id"
    elif isinstance(data_rows, GlobalKeys):
        kind = "global_key"
    else:  # the SDK raises ValueError here, so this does too
        raise ValueError(f"data_rows must be UniqueIds or GlobalKeys, got {type(data_rows).__name__}")
    if not len(data_rows):
        raise ValueError("data_rows is empty")
    return [{"type": kind, "operator": "is", "ids": list(data_rows)}]


def _strategy(value: Any) -> str:
    if isinstance(value, ConflictResolutionStrategy):
        return value.value
    try:
        return ConflictResolutionStrategy(value).value
    except ValueError:
        allowed = ", ".join(strategy.value for strategy in ConflictResolutionStrategy)
        raise ValueError(f"override_existing_annotations_rule must be one of {allowed}; got {value!r}") from None


class SendToAnnotateFromCatalogParams(TypedDict, total=False):
    """Options of Client.send_to_annotate_from_catalog; give exactly one of source_model_run_id and
    source_project_id, the rest may be left out.

    - source_model_run_id, predictions_ontology_mapping: a model run whose predictions of mapped
      features come along (schema ids of its model's ontology -> the project's)
    - source_project_id, annotations_ontology_mapping: a project whose labels' annotations of mapped
      features come along (schema ids of its ontology -> the destination's)
    - exclude_data_rows_in_project, override_existing_annotations_rule, batch_priority: as for
      SendToAnnotateFromModelParams
    """

    source_model_run_id: str | None
    source_project_id: str | None
    predictions_ontology_mapping: dict[str, str]
    annotations_ontology_mapping: dict[str, str]
    exclude_data_rows_in_project: bool
    override_existing_annotations_rule: ConflictResolutionStrategy
    batch_priority: int


_CATALOG_KEYS = frozenset(SendToAnnotateFromCatalogParams.__annotations__)


def _mapping(params: Any, key: str) -> dict[str, str]:
    mapping = params.get(key) or {}
    if not isinstance(mapping, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()):
        raise ValueError(f"{key} maps feature schema ids (strings) to feature schema ids")
    return mapping


def _destination(task_queue_id: str | None) -> dict[str, Any]:
    return {"type": "id", "value": task_queue_id} if task_queue_id else {"type": "done"}


def _destination_input(destination_project_id: str, task_queue_id: str | None, batch_name: str,
                       params: Any) -> dict[str, Any]:
    """Where the rows go and how they meet what is there: the part both sends take alike."""
    return {
        "destinationProjectId": destination_project_id,
        "batchInput": {"batchName": batch_name,
                       "batchPriority": params.get("batch_priority", DEFAULT_BATCH_PRIORITY)},
        "destinationTaskQueue": _destination(task_queue_id),
        "excludeDataRowsInProject": bool(params.get("exclude_data_rows_in_project", False)),
        "conflictLabelsResolutionStrategy": _strategy(
            params.get("override_existing_annotations_rule", ConflictResolutionStrategy.KeepExisting)),
    }


def _predictions_input(model_run_id: str, params: Any) -> dict[str, Any]:
    return {"featureSchemaIdsMapping": _mapping(params, "predictions_ontology_mapping"),
            "modelRunId": model_run_id, "minConfidence": 0, "maxConfidence": 1}


def build_input(model_run_id: str, destination_project_id: str, task_queue_id: str | None, batch_name: str,
                data_rows: UniqueIds | GlobalKeys, params: SendToAnnotateFromModelParams | dict[str, Any]) -> dict[str, Any]:
    """The SendToAnnotateFromMeaInput for these arguments; bad arguments raise before anything is sent."""
    unknown = set(params) - _PARAM_KEYS
    if unknown:
        raise ValueError(f"unknown send_to_annotate_from_model params {sorted(unknown)}; "
                         f"expected some of {sorted(_PARAM_KEYS)}")
    return {
        **_destination_input(destination_project_id, task_queue_id, batch_name, params),
        "annotationsInput": None,
        "predictionsInput": _predictions_input(model_run_id, params),
        "searchQuery": search_query(data_rows),
        "sourceModelRunId": model_run_id,
    }


def build_catalog_input(destination_project_id: str, task_queue_id: str | None, batch_name: str,
                        data_rows: UniqueIds | GlobalKeys,
                        params: SendToAnnotateFromCatalogParams | dict[str, Any]) -> dict[str, Any]:
    """The SendToAnnotateFromCatalogInput for these arguments; bad arguments raise ValueError first, as the
    SDK's parameter model does."""
    unknown = set(params) - _CATALOG_KEYS
    if unknown:
        raise ValueError(f"unknown send_to_annotate_from_catalog params {sorted(unknown)}; "
                         f"expected some of {sorted(_CATALOG_KEYS)}")
    run_id, project_id = params.get("source_model_run_id"), params.get("source_project_id")
    if not run_id and not project_id:
        raise ValueError("Either source_project_id or source_model_id are required")
    if run_id and project_id:
        raise ValueError("Provide only a source_project_id or source_model_id not both")
    predictions = annotations = None
    if run_id:
        predictions = _predictions_input(run_id, params)
    else:
        annotations = {"projectId": project_id,
                       "featureSchemaIdsMapping": _mapping(params, "annotations_ontology_mapping")}
    return {
        **_destination_input(destination_project_id, task_queue_id, batch_name, params),
        "annotationsInput": annotations,
        "predictionsInput": predictions,
        "searchQuery": {"scope": None, "query": search_query(data_rows)},
        # the SDK asks for a random order with a fresh seed; it decides nothing without a limit
        "ordering": {"type": "RANDOM", "random": {"seed": random.randint(0, 10000)}, "sorting": None},
        "sorting": None,
        "limit": None,
    }
