"""Project administration: creation with its settings, updates, deletion, the ontology it uses,
model-assisted labelling, and removing its labels and batches.

Removal is whole or nothing: every id is checked before anything goes.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone
from typing import Any

from ..clock import MockClock
from ..ids import IdFactory
from .errors import Conflict, InvalidInput, NotAllowed, NotFound
from .model_run_rows import listing
from .ontologies import walk
from .organization import Organization
from .projects import INITIAL_LABELING_QUEUE, create_project, place_rows, queue_of_type
from .records import Batch, Label, Ontology, Project

MEDIA_TYPES = (
    "AUDIO", "CONVERSATIONAL", "DOCUMENT", "GEOSPATIAL_TILE", "HTML", "IMAGE", "LLM", "LLM_PROMPT_RESPONSE_CREATION",
    "PDF", "POINT_CLOUD", "TEXT", "TMS_GEO", "TMS_SIMPLE", "VIDEO",
)


def _require_name(name: Any) -> str:
    if not isinstance(name, str) or not name.strip():
        raise InvalidInput(f"a project needs a non-empty name, got {name!r}")
    return name


def new_project(org: Organization, ids: IdFactory, clock: MockClock, data: dict[str, Any]) -> Project:
    """A project from createProject's input, with the default workflow's task queues."""
    media_type = data.get("allowedMediaType")
    if media_type not in MEDIA_TYPES:
        raise InvalidInput(f"allowedMediaType must be one of {', '.join(MEDIA_TYPES)}, got {media_type!r}")
    # optional inputs may come as explicit nulls: those take the defaults
    percentage = 1.0 if data.get("autoAuditPercentage") is None else data["autoAuditPercentage"]
    number = 1 if data.get("autoAuditNumberOfLabels") is None else data["autoAuditNumberOfLabels"]
    if not 0 <= percentage <= 1:
        raise InvalidInput(f"autoAuditPercentage must be within [0, 1], got {percentage!r}")
    if number < 1:
        raise InvalidInput(f"autoAuditNumberOfLabels must be at least 1, got {number!r}")
    return create_project(
        org, ids, clock, _require_name(data.get("name")), media_type=media_type,
        description=data.get("description") or "", auto_audit_percentage=float(percentage),
        auto_audit_number_of_labels=number, is_benchmark_enabled=bool(data.get("isBenchmarkEnabled", False)),
        is_consensus_enabled=bool(data.get("isConsensusEnabled", False)),
    )


def update_project(org: Organization, ids: IdFactory, clock: MockClock, project_id: str,
                   data: dict[str, Any]) -> Project:
    """updateProject: new field values, or `deleted: true`, which deletes the project.

    The whole input is checked before anything changes. The quality settings are fixed at
    creation (Labelbox refuses switching between benchmark and consensus): giving their current
    values is accepted, any other value refused.
    """
    project = org.project(project_id)
    if data.get("deleted"):
        delete_project(org, project)
        return project
    name = _require_name(data["name"]) if "name" in data else project.name
    media_type = data.get("allowedMediaType")
    if media_type is not None and media_type not in MEDIA_TYPES:
        raise InvalidInput(f"allowedMediaType must be one of {', '.join(MEDIA_TYPES)}")
    changed = [key for key, current in _quality(project).items()
               if data.get(key) is not None and data[key] != current]
    if changed:
        raise InvalidInput(f"{', '.join(changed)}: the quality settings of project {project.id} cannot be changed "
                           f"after it was created (now {_quality(project)})")
    setup_complete = _instant(data["setupComplete"], "setupComplete") if data.get("setupComplete") else None
    project.name = name
    if setup_complete is not None:
        project.setup_complete = setup_complete
    if "description" in data:
        project.description = data["description"] or ""
    if media_type is not None:
        project.media_type = media_type
    project.updated_at = clock.now()
    return project


def _instant(value: str, what: str) -> float:
    """An ISO 8601 time as seconds since the epoch; one without an offset is UTC, as Labelbox reads it."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{what} must be an ISO 8601 date and time, got {value!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


def _quality(project: Project) -> dict[str, Any]:
    return {"autoAuditNumberOfLabels": project.auto_audit_number_of_labels,
            "autoAuditPercentage": project.auto_audit_percentage,
            "isBenchmarkEnabled": project.is_benchmark_enabled, "isConsensusEnabled": project.is_consensus_enabled}


def delete_project(org: Organization, project: Project) -> None:
    """The project goes with its batches, task queues and labels (model runs forget those labels)."""
    _forget_labels(org, project, list(project.label_ids))
    for batch_id in project.batch_ids:
        org.batches.pop(batch_id, None)
    for queue_id in project.task_queue_ids:
        org.task_queues.pop(queue_id, None)
    project.batch_ids, project.task_queue_ids = [], []
    del org.projects[project.id]


def used_features(org: Organization, project: Project) -> set[str]:
    """Names and schema ids of the features the project's labels use (top level and nested)."""
    used: set[str] = set()

    def note(annotation: Any) -> None:
        if not isinstance(annotation, dict):
            return
        for key in ("name", "schemaId"):
            if isinstance(annotation.get(key), str):
                used.add(annotation[key])
        for nested in annotation.get("classifications") or []:
            note(nested)

    for label_id in project.label_ids:
        for annotation in org.labels[label_id].annotations:
            note(annotation)
    return used


def connect_ontology(org: Organization, clock: MockClock, project_id: str, ontology_id: str) -> Project:
    """Labelbox lets a project with labels change ontology only when the new one holds every feature they use."""
    project = org.project(project_id)
    ontology = org.ontology(ontology_id)
    if ontology.media_type is not None and ontology.media_type != project.media_type:
        raise InvalidInput(f"ontology {ontology.id} is for {ontology.media_type} and project {project.id} "
                           f"for {project.media_type}; they must share a media type")
    if project.label_ids and project.ontology_id != ontology.id:
        missing = used_features(org, project) - _feature_keys(ontology)
        if missing:
            raise Conflict(f"project {project.id} has {len(project.label_ids)} labels, and ontology {ontology.id} "
                           f"lacks features they use: {listing(sorted(missing))}; the new ontology must contain "
                           "all annotation types")
    project.ontology_id = ontology.id
    org.projects.changed_in_place()  # the projects-of-an-ontology views (projects_of_ontology) read it
    project.updated_at = clock.now()
    return project


def projects_of_ontology(org: Organization, ontology_id: str) -> list[Project]:
    """The projects connected to an ontology, oldest first: an ordered view, so a page of them is a slice."""
    return org.projects.view(("ontology", ontology_id),
                             lambda projects: [p for p in projects if p.ontology_id == ontology_id])


def _feature_keys(ontology: Ontology) -> set[str]:
    keys: set[str] = set()
    for node in walk(ontology):
        keys.add(node.feature_schema_id)
        keys.add(node.value if hasattr(node, "value") else node.name)
    return keys


def show_predictions(org: Organization, clock: MockClock, project_id: str, show: bool) -> Project:
    project = org.project(project_id)
    project.showing_predictions = show
    project.updated_at = clock.now()
    return project


def delete_labels(org: Organization, clock: MockClock, label_ids: Iterable[str]) -> list[Label]:
    """Deletes the labels (all found, or nothing happens); model runs that held them forget them."""
    wanted = list(dict.fromkeys(label_ids))
    missing = [key for key in wanted if key not in org.labels]
    if missing:
        error = NotFound("Label", missing[0])
        if len(missing) > 1:
            error.args = (f"Label not found: ids {listing(missing)}",)
        raise error
    labels = [org.labels[key] for key in wanted]
    for label in labels:
        project = org.projects.get(label.project_id)
        if project is not None:
            _forget_labels(org, project, [label.id])
            project.updated_at = clock.now()
    return labels


def _forget_labels(org: Organization, project: Project, label_ids: list[str]) -> None:
    gone = set(label_ids)
    if not gone:
        return
    project.label_ids = [key for key in project.label_ids if key not in gone]
    for key in gone:
        org.labels.pop(key, None)
    for run in org.model_runs.values():
        touched = False
        for entry in run.rows.values():
            if gone.intersection(entry.label_ids):
                entry.label_ids = [key for key in entry.label_ids if key not in gone]
                touched = True
        if touched:
            run.rows_version += 1


def _batch_in(org: Organization, project: Project, batch_id: str) -> Batch:
    batch = org.batch(batch_id)
    if batch.project_id != project.id:
        raise NotFound("Batch", batch_id)
    return batch


# deleteBatchLabels' types: both send the rows back to be labelled; the mock keeps no label templates
DELETE_BATCH_LABELS_TYPES = ("RequeueData", "RequeueDataWithLabelAsTemplate")


def delete_batch_labels(org: Organization, clock: MockClock, project_id: str, batch_id: str,
                        kind: str) -> list[Label]:
    """Deletes the project's labels on the batch's rows (model runs that held them forget them) and puts the
    batch's rows back in the labelling queue, wherever in the workflow they were."""
    if kind not in DELETE_BATCH_LABELS_TYPES:
        raise InvalidInput(f"type must be one of {', '.join(DELETE_BATCH_LABELS_TYPES)}, got {kind!r}")
    project = org.project(project_id)
    batch = _batch_in(org, project, batch_id)
    rows = set(batch.data_row_ids)
    doomed = [org.labels[key] for key in project.label_ids if org.labels[key].data_row_id in rows]
    _forget_labels(org, project, [label.id for label in doomed])
    place_rows(org, project, batch.data_row_ids, queue_of_type(org, project, INITIAL_LABELING_QUEUE))
    batch.updated_at = project.updated_at = clock.now()
    return doomed


def delete_batch(org: Organization, project_id: str, batch_id: str) -> Batch:
    """Labelbox forbids deleting a batch whose data rows have labels in the project."""
    project = org.project(project_id)
    batch = _batch_in(org, project, batch_id)
    rows = set(batch.data_row_ids)
    labelled = sorted({org.labels[key].data_row_id for key in project.label_ids} & rows)
    if labelled:
        raise Conflict(f"batch {batch.id} cannot be deleted: its data rows have labels ({listing(labelled)})")
    project.batch_ids.remove(batch.id)
    for queue_id in project.task_queue_ids:
        queue = org.task_queues[queue_id]
        queue.data_row_ids = [row for row in queue.data_row_ids if row not in rows]
    del org.batches[batch.id]
    return batch


# Instructions are a URL (a file uploadFile stored, or one elsewhere); this many bytes at most.
MAX_INSTRUCTIONS_URL_BYTES = 4096


def set_instructions(org: Organization, clock: MockClock, project_id: str, url: Any) -> Project:
    """setProjectInstructions: Labelbox keeps the instructions in the project's ontology (its normalized JSON
    answers them as `projectInstructions`), so a project needs an ontology first."""
    project = org.project(project_id)
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        raise InvalidInput(f"instructionsUrl must be an http(s) URL, got {url!r}")
    if len(url.encode()) > MAX_INSTRUCTIONS_URL_BYTES:
        raise InvalidInput(f"instructionsUrl is at most {MAX_INSTRUCTIONS_URL_BYTES} bytes")
    if project.ontology_id is None:
        raise InvalidInput(f"project {project.id} has no ontology to keep its instructions in; connect one first")
    ontology = org.ontology(project.ontology_id)
    ontology.project_instructions = url
    ontology.updated_at = project.updated_at = clock.now()
    return project


def set_model_setup_complete(org: Organization, project_id: str) -> Project:
    """setProjectModelSetupComplete: Labelbox allows it on live chat-evaluation projects only (editor task type
    MODEL_CHAT_EVALUATION), which the mock does not make (`createModelEvaluationProject` is not served)."""
    org.project(project_id)
    raise NotAllowed("Only live model chat evaluation projects can complete model setup")


def clear_queue_reservations(org: Organization, project_id: str, queue_id: str) -> int:
    """clearQueueReservations: how many reservations the queue held. No one labels in the mock, so no queue
    holds any; a queue that is not the project's is not found, as Labelbox answers."""
    project = org.project(project_id)
    if queue_id not in project.task_queue_ids:
        raise NotFound("TaskQueue", queue_id)
    return 0


def clone_project(org: Organization, ids: IdFactory, clock: MockClock, project_id: str) -> Project:
    """cloneProject: a new project with the source's settings and ontology and a fresh default workflow;
    no batches, data rows, labels or tags come along."""
    source = org.project(project_id)
    clone = create_project(
        org, ids, clock, f"Clone of {source.name}", ontology_id=source.ontology_id, media_type=source.media_type,
        description=source.description, auto_audit_percentage=source.auto_audit_percentage,
        auto_audit_number_of_labels=source.auto_audit_number_of_labels,
        is_benchmark_enabled=source.is_benchmark_enabled, is_consensus_enabled=source.is_consensus_enabled,
    )
    clone.showing_predictions = source.showing_predictions
    return clone
