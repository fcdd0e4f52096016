"""Sending a model run's data rows to a project for annotation, with its predictions as labels.

`plan` checks everything and changes nothing, so a bad request is refused whole;
`apply` re-plans (state may have moved since the request) and then writes:

- rows already in the project are left out when `exclude_in_project` is set;
- the other new rows form one batch named `batch_name` (`_1`, `_2`, ... when taken);
- every row sent goes to the chosen task queue, or to Done;
- predictions whose feature the ontology mapping names become label annotations in
  the project's features; a row that has a label keeps it unless the rule is
  OVERRIDE_WITH_PREDICTIONS (OVERRIDE_WITH_ANNOTATIONS concerns annotations from a
  source project, which this flow has none of, so it keeps labels too).
"""

from __future__ import annotations

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
    model_run_id: str
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


@frozen
class _Translation:
    """Where one source feature lands in the project's ontology."""

    target: Tool | Classification
    options: Mapping[str, Option]  # source option schema id -> target option


@define
class _Plan:
    project: Project
    run: ModelRun
    queue: TaskQueue
    rows: list[str]
    new_rows: list[str]
    translations: dict[str, _Translation]


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


def _translations(source: Ontology, target: Ontology | None, mapping: Mapping[str, str]) -> dict[str, _Translation]:
    """Checks the mapping against both ontologies; every source option of a mapped classification must land."""
    if mapping and target is None:
        raise InvalidInput("the destination project has no ontology, so predictions cannot be mapped into it")
    src_features, src_options = _features(source)
    dst_features, dst_options = _features(target)
    problems = []
    for src_id, dst_id in mapping.items():
        if src_id in src_options:
            if dst_id not in dst_options:
                problems.append(f"option {src_id!r} maps to {dst_id!r}, which is no option of the project's ontology")
        elif src_id not in src_features:
            problems.append(f"{src_id!r} is no feature of the model's ontology {source.name!r}")
        elif dst_id not in dst_features:
            problems.append(f"{src_id!r} maps to {dst_id!r}, which is no feature of the project's ontology")
        elif _kind(src_features[src_id]) != _kind(dst_features[dst_id]):
            problems.append(f"{src_id!r} is a {_kind(src_features[src_id])} but {dst_id!r} is a "
                            f"{_kind(dst_features[dst_id])}")
    if problems:
        raise InvalidInput("predictions_ontology_mapping: " + "; ".join(problems))
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
                    raise InvalidInput(f"predictions_ontology_mapping: option {option.value!r} of "
                                       f"{source_feature.name!r} has no counterpart in {target_feature.name!r}; "
                                       "map its schema id or give the target an option of the same name")
                options[option.feature_schema_id] = landed
        translations[src_id] = _Translation(target_feature, options)
    return translations


def plan(org: Organization, request: SendToAnnotateRequest) -> _Plan:
    project = org.project(request.project_id)
    run = org.model_run(request.model_run_id)
    if not request.batch_name or not request.batch_name.strip():
        raise InvalidInput("batchInput.batchName must be a non-empty name")
    check_priority(request.priority)
    if request.strategy not in STRATEGIES:
        raise InvalidInput(f"unknown conflict strategy {request.strategy!r}; expected one of {', '.join(STRATEGIES)}")
    if not 0 <= request.min_confidence <= request.max_confidence <= 1:
        raise InvalidInput("predictionsInput needs 0 <= minConfidence <= maxConfidence <= 1")
    if request.queue_id is None:
        queue = queue_of_type(org, project, DONE_QUEUE)
    else:
        queue = org.task_queue(request.queue_id)
        if queue.project_id != project.id:
            raise InvalidInput(f"task queue {queue.id} belongs to project {queue.project_id}, not {project.id}")
    if not request.data_row_ids and not request.global_keys:
        raise InvalidInput("searchQuery selects no data rows: give data row ids or global keys")
    rows = [row.id for row in resolve_data_rows(org, request.data_row_ids, request.global_keys)]
    require_in_run(run, rows)
    source = org.ontology(org.model(run.model_id).ontology_id)
    target = org.ontology(project.ontology_id) if project.ontology_id else None
    translations = _translations(source, target, request.mapping)
    in_project = data_row_ids_in(org, project)
    if request.exclude_in_project:
        rows = [row_id for row_id in rows if row_id not in in_project]
    new_rows = [row_id for row_id in rows if row_id not in in_project]
    return _Plan(project, run, queue, rows, new_rows, translations)


def _annotations(plan: _Plan, request: SendToAnnotateRequest, row_id: str) -> list[dict[str, Any]]:
    """The row's predictions that the mapping sends, as annotations in the project's features."""
    out = []
    for prediction in plan.run.rows[row_id].predictions:
        confidence = prediction.get("confidence")
        if confidence is not None and not request.min_confidence <= confidence <= request.max_confidence:
            continue
        translation = plan.translations.get(prediction["schemaId"])
        if translation is None:
            continue
        target = translation.target
        annotation: dict[str, Any] = {"name": target.name, "schemaId": target.feature_schema_id}
        annotation.update((key, value) for key, value in prediction.items() if key not in _NOT_COPIED)
        if "answer" in prediction:
            annotation["answer"] = _translate_answer(prediction["answer"], translation)
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
    created = replaced = 0
    for row_id in planned.rows:
        annotations = _annotations(planned, request, row_id)
        if not annotations:
            continue
        existing = labels.get(row_id)
        if existing is None:
            label = Label(id=ids.new(), project_id=project.id, data_row_id=row_id, created_at=now, updated_at=now,
                          annotations=annotations, created_by_id=org.user.id)
            org.labels[label.id] = label
            project.label_ids.append(label.id)
            created += 1
        elif request.strategy == "OVERRIDE_WITH_PREDICTIONS":
            existing.annotations = annotations
            existing.updated_at = now
            replaced += 1
    project.updated_at = now
    return {"batch": batch_name, "dataRows": len(planned.rows), "labelsCreated": created, "labelsReplaced": replaced}
