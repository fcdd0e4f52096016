"""Sending data rows to a project for annotation: from a model run (its predictions become labels) or
from the catalog (with a source model run's predictions or a source project's labels, or neither).

`plan` checks everything and changes nothing, so a bad request is refused whole;
`apply` re-plans (state may have moved since the request) and then writes:

- rows already in the project are left out when `exclude_in_project` is set;
- the other new rows form one batch named `batch_name` (`_1`, `_2`, ... when taken);
- every row sent goes to the chosen task queue, or to Done;
- predictions (or a source project's label annotations) whose feature the ontology mapping
  names become label annotations in the project's features; a row that has a label keeps it
  unless the rule overrides it with what this request brings (OVERRIDE_WITH_PREDICTIONS for a
  model run, OVERRIDE_WITH_ANNOTATIONS for a source project);
- a row sent to a review step (a queue after initial labelling, other than Done) has a label
  there, as every row a reviewer sees does: one is made, empty when nothing was mapped.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from attrs import define, frozen

from ..clock import MockClock
from ..ids import IdFactory
from .batches import admit, check_priority, free_batch_name, new_batch
from .errors import InvalidInput
from .model_run_rows import require_in_run, resolve_data_rows
from .organization import Organization
from .projects import (
    DONE_QUEUE,
    INITIAL_LABELING_QUEUE,
    data_row_ids_in,
    labels_by_data_row,
    place_rows,
    queue_of_type,
)
from .records import (
    Classification,
    Label,
    ModelRun,
    Ontology,
    Option,
    Project,
    TaskQueue,
    Tool,
)

STRATEGIES = ("KEEP_EXISTING", "OVERRIDE_WITH_PREDICTIONS", "OVERRIDE_WITH_ANNOTATIONS")
_NOT_COPIED = frozenset({"uuid", "dataRow", "confidence", "name", "schemaId", "answer", "answers"})


@frozen
class SendToAnnotateRequest:
    project_id: str
    model_run_id: str | None  # the source of predictions, if any
    batch_name: str
    priority: int
    queue_id: str | None  # None: straight to Done
    exclude_in_project: bool
    mapping: Mapping[str, str]
    strategy: str
    data_row_ids: tuple[str, ...]
    global_keys: tuple[str, ...]
    min_confidence: float = 0.0
    max_confidence: float = 1.0
    source_project_id: str | None = None  # the source of label annotations, if any
    # from a model run, rows must be in it; from the catalog, rows outside the run come without predictions
    rows_from_run: bool = True
    limit: int | None = None  # at most this many rows, taken in `seed`'s random order when one is given
    seed: int | None = None


@frozen
class _Translation:
    """Where one source feature lands in the project's ontology."""

    target: Tool | Classification
    options: Mapping[str, Option]  # source option schema id -> target option


@define
class _Plan:
    project: Project
    run: ModelRun | None
    source: Project | None
    queue: TaskQueue
    rows: list[str]
    new_rows: list[str]
    translations: dict[str, _Translation]
    source_features: dict[str, str]  # source feature name -> schema id, for annotations stored by name


def _features(ontology: Ontology | None) -> tuple[dict[str, Tool | Classification], dict[str, tuple[Classification, Option]]]:
    features: dict[str, Tool | Classification] = {}
    options: dict[str, tuple[Classification, Option]] = {}
    for feature in ontology.features() if ontology else []:
        features[feature.feature_schema_id] = feature
        if isinstance(feature, Classification):
            options.update((option.feature_schema_id, (feature, option)) for option in feature.options)
    return features, options


def _kind(feature: Tool | Classification) -> str:
    return feature.tool if isinstance(feature, Tool) else feature.type


def _translations(source: Ontology, target: Ontology | None, mapping: Mapping[str, str],
                  what: str = "predictions_ontology_mapping", whose: str = "the model's") -> dict[str, _Translation]:
    """Checks the mapping against both ontologies; every source option of a mapped classification must land."""
    if mapping and target is None:
        raise InvalidInput(f"{what}: the destination project has no ontology, so nothing can be mapped into it")
    src_features, src_options = _features(source)
    dst_features, dst_options = _features(target)
    problems = []
    for src_id, dst_id in mapping.items():
        if src_id in src_options:
            if dst_id not in dst_options:
                problems.append(f"option {src_id!r} maps to {dst_id!r}, which is no option of the project's ontology")
        elif src_id not in src_features:
            problems.append(f"{src_id!r} is no feature of {whose} ontology {source.name!r}")
        elif dst_id not in dst_features:
            problems.append(f"{src_id!r} maps to {dst_id!r}, which is no feature of the project's ontology")
        elif _kind(src_features[src_id]) != _kind(dst_features[dst_id]):
            problems.append(f"{src_id!r} is a {_kind(src_features[src_id])} but {dst_id!r} is a "
                            f"{_kind(dst_features[dst_id])}")
    if problems:
        raise InvalidInput(f"{what}: " + "; ".join(problems))
    translations = {}
    for src_id, dst_id in mapping.items():
        if src_id not in src_features:
            continue
        source_feature, target_feature = src_features[src_id], dst_features[dst_id]
        options: dict[str, Option] = {}
        if isinstance(source_feature, Classification) and isinstance(target_feature, Classification):
            by_value = {option.value: option for option in target_feature.options}
            for option in source_feature.options:
                mapped = mapping.get(option.feature_schema_id)
                landed = dst_options[mapped][1] if mapped in dst_options else by_value.get(option.value)
                if landed is None:
                    raise InvalidInput(f"{what}: option {option.value!r} of "
                                       f"{source_feature.name!r} has no counterpart in {target_feature.name!r}; "
                                       "map its schema id or give the target an option of the same name")
                options[option.feature_schema_id] = landed
        translations[src_id] = _Translation(target_feature, options)
    return translations


def plan(org: Organization, request: SendToAnnotateRequest) -> _Plan:
    project = org.project(request.project_id)
    run = org.model_run(request.model_run_id) if request.model_run_id is not None else None
    source = org.project(request.source_project_id) if request.source_project_id is not None else None
    if run is not None and source is not None:
        raise InvalidInput("give a source model run or a source project, not both")
    if not request.batch_name or not request.batch_name.strip():
        raise InvalidInput("batchInput.batchName must be a non-empty name")
    check_priority(request.priority)
    if request.strategy not in STRATEGIES:
        raise InvalidInput(f"unknown conflict strategy {request.strategy!r}; expected one of {', '.join(STRATEGIES)}")
    if not 0 <= request.min_confidence <= request.max_confidence <= 1:
        raise InvalidInput("predictionsInput needs 0 <= minConfidence <= maxConfidence <= 1")
    if request.limit is not None and request.limit < 1:
        raise InvalidInput(f"limit must be at least 1, got {request.limit}")
    if request.queue_id is None:
        queue = queue_of_type(org, project, DONE_QUEUE)
    else:
        queue = org.task_queue(request.queue_id)
        if queue.project_id != project.id:
            raise InvalidInput(f"task queue {queue.id} belongs to project {queue.project_id}, not {project.id}")
    if not request.data_row_ids and not request.global_keys:
        raise InvalidInput("searchQuery selects no data rows: give data row ids or global keys")
    rows = [row.id for row in resolve_data_rows(org, request.data_row_ids, request.global_keys)]
    if run is not None and request.rows_from_run:
        require_in_run(run, rows)
    target = org.ontology(project.ontology_id) if project.ontology_id else None
    translations: dict[str, _Translation] = {}
    source_features: dict[str, str] = {}
    if run is not None:
        translations = _translations(org.ontology(org.model(run.model_id).ontology_id), target, request.mapping)
    elif source is not None and request.mapping:
        if source.ontology_id is None:
            raise InvalidInput(f"annotationsInput: source project {source.id} has no ontology to map from")
        source_ontology = org.ontology(source.ontology_id)
        translations = _translations(source_ontology, target, request.mapping, "annotations_ontology_mapping",
                                     "the source project's")
        source_features = {feature.name: feature.feature_schema_id for feature in source_ontology.features()}
    if request.limit is not None:  # the ordering decides which rows a limit takes, and nothing else
        if request.seed is not None:
            random.Random(request.seed).shuffle(rows)
        rows = rows[: request.limit]
    in_project = data_row_ids_in(org, project)
    if request.exclude_in_project:
        rows = [row_id for row_id in rows if row_id not in in_project]
    new_rows = [row_id for row_id in rows if row_id not in in_project]
    return _Plan(project, run, source, queue, rows, new_rows, translations, source_features)


def _brought(org: Organization, plan: _Plan, request: SendToAnnotateRequest, row_id: str) -> list[dict[str, Any]]:
    """What the source holds for the row: the run's predictions within the confidence bounds, or the
    annotations of the source project's label of it."""
    if plan.run is not None:
        entry = plan.run.rows.get(row_id)
        return [prediction for prediction in (entry.predictions if entry else [])
                if prediction.get("confidence") is None
                or request.min_confidence <= prediction["confidence"] <= request.max_confidence]
    if plan.source is not None:
        label = labels_by_data_row(org, plan.source).get(row_id)
        if label is not None:
            return [{**annotation, "schemaId": annotation.get("schemaId")
                     or plan.source_features.get(annotation.get("name", ""), "")} for annotation in label.annotations]
    return []


def _annotations(org: Organization, plan: _Plan, request: SendToAnnotateRequest, row_id: str) -> list[dict[str, Any]]:
    """What the source brings for the row that the mapping sends, as annotations in the project's features."""
    out = []
    for brought in _brought(org, plan, request, row_id):
        translation = plan.translations.get(brought["schemaId"])
        if translation is None:
            continue
        target = translation.target
        annotation: dict[str, Any] = {"name": target.name, "schemaId": target.feature_schema_id}
        annotation.update((key, value) for key, value in brought.items() if key not in _NOT_COPIED)
        if "answer" in brought:
            annotation["answer"] = _translate_answer(brought["answer"], translation)
        out.append(annotation)
    return out


def _translate_answer(answer: Any, translation: _Translation) -> Any:
    def option(chosen: dict[str, Any]) -> dict[str, Any]:
        landed = translation.options[chosen["schemaId"]]
        return {"name": landed.value, "schemaId": landed.feature_schema_id}

    if isinstance(answer, dict):
        return option(answer)
    if isinstance(answer, list):
        return [option(chosen) for chosen in answer]
    return answer  # free text


def apply(org: Organization, ids: IdFactory, clock: MockClock, request: SendToAnnotateRequest) -> dict[str, Any]:
    planned = plan(org, request)
    project, now = planned.project, clock.now()
    batch_name = None
    if planned.new_rows:
        batch = new_batch(org, ids, clock, project, free_batch_name(org, project, request.batch_name),
                          request.priority, None)
        admit(org, clock, project, batch, planned.new_rows, planned.queue)
        batch_name = batch.name
    fresh = set(planned.new_rows)
    already_in = [row_id for row_id in planned.rows if row_id not in fresh]
    if already_in:
        place_rows(org, project, already_in, planned.queue)
    labels = labels_by_data_row(org, project)
    overriding = "OVERRIDE_WITH_PREDICTIONS" if planned.run is not None else "OVERRIDE_WITH_ANNOTATIONS"
    in_review = planned.queue.queue_type not in (INITIAL_LABELING_QUEUE, DONE_QUEUE)
    created = replaced = 0
    for row_id in planned.rows:
        annotations = _annotations(org, planned, request, row_id)
        existing = labels.get(row_id)
        if existing is None and (annotations or in_review):
            label = Label(id=ids.new(), project_id=project.id, data_row_id=row_id, created_at=now, updated_at=now,
                          annotations=annotations, created_by_id=org.user.id)
            org.labels[label.id] = label
            project.label_ids.append(label.id)
            labels[row_id] = label
            created += 1
        elif existing is not None and annotations and request.strategy == overriding:
            existing.annotations = annotations
            existing.updated_at = now
            replaced += 1
    project.updated_at = now
    return {"batch": batch_name, "dataRows": len(planned.rows), "labelsCreated": created, "labelsReplaced": replaced}
