"""One attrs record per Labelbox entity the model-run surface touches.

Records hold ids, never object references, so a state dump is plain data and a
deleted entity cannot linger through a dangling pointer.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol

from attrs import Factory, define, field, frozen

# A batch's priority when none is given: 1 is the highest, 5 the lowest (and the default).
DEFAULT_BATCH_PRIORITY = 5
# Field metadata for what is not state (a task's effect, readers' indexes): state dumps leave it out.
NOT_DUMPED = {"dumped": False}


@define
class User:
    id: str
    email: str
    name: str
    organization_id: str
    created_at: float
    updated_at: float


@define
class Option:
    feature_schema_id: str
    value: str
    # nested classifications asked once this option is chosen (an ontology may nest to any depth)
    options: list[Classification] = Factory(list)
    label: str | None = None
    schema_node_id: str = ""
    position: int | None = None


# tool kind -> the NDJSON key that carries its geometry (in predictions and label annotations)
TOOL_GEOMETRY = {
    "rectangle": "bbox",
    "polygon": "polygon",
    "point": "point",
    "line": "line",
    "raster-segmentation": "mask",
    "named-entity": "location",
}


@define
class Tool:
    feature_schema_id: str
    name: str
    tool: str  # a key of TOOL_GEOMETRY, or a tool without geometry (state/ontologies.TOOL_TYPES)
    classifications: list[Classification] = Factory(list)  # nested: asked about each object drawn
    color: str | None = None
    required: bool = False
    schema_node_id: str = ""
    # [{attributeName, attributeValue}] as given (beta in the SDK), or None
    attributes: list[dict[str, str]] | None = None
    # a relationship's constraints, or a chat-evaluation tool's variants, as given
    definition: dict[str, Any] | None = None
    archived: bool = False  # a root node removed from its ontology while labels still use it


@define
class FeatureSchema:
    """A root feature schema (Labelbox's root schema node): a top-level tool or classification
    defined once and placed into ontologies by its id. `node` is its definition; its
    schema_node_id is the root node's, which every ontology placing it shows."""

    id: str
    node: Tool | Classification
    created_at: float
    updated_at: float
    seq: int = 0  # creation order, which lists page by


@define
class Classification:
    feature_schema_id: str
    name: str
    type: str  # radio | checklist | text | group, or a prompt/response kind
    options: list[Option] = Factory(list)
    instructions: str | None = None
    required: bool = False
    schema_node_id: str = ""
    attributes: list[dict[str, str]] | None = None
    scope: str | None = None  # global | index, for a top-level classification
    ui_mode: str | None = None  # hotkey | searchable, for radio and checklist
    is_likert_scale: bool | None = None
    min_characters: int | None = None  # prompt and response-text only
    max_characters: int | None = None
    archived: bool = False


@define
class Ontology:
    id: str
    name: str
    tools: list[Tool] = Factory(list)
    classifications: list[Classification] = Factory(list)
    created_at: float = 0.0
    updated_at: float = 0.0
    description: str | None = None
    media_type: str | None = None
    created_by_id: str | None = None
    editor_task_type: str | None = None  # MODEL_CHAT_EVALUATION for a chat-evaluation ontology
    # the URL of the instructions a project of this ontology set (setProjectInstructions); Labelbox keeps
    # them in the ontology, so every project that uses it shares them
    project_instructions: str | None = None

    def features(self) -> list[Tool | Classification]:
        return [*self.tools, *self.classifications]


@frozen
class MetadataSchema:
    """A data-row metadata schema: Labelbox's reserved ones, or one the organisation made.
    An enum's options are schemas of their own (kind CustomMetadataEnumOption)."""

    id: str
    name: str
    kind: str  # a CustomMetadataKind
    options: tuple[MetadataSchema, ...] = ()
    reserved: bool = False


@define
class Dataset:
    id: str
    name: str
    created_at: float
    data_row_ids: list[str] = Factory(list)
    description: str | None = None
    updated_at: float = 0.0
    created_by_id: str | None = None


@define
class DataRow:
    id: str
    dataset_id: str
    row_data: str
    created_at: float
    updated_at: float
    global_key: str | None = None
    external_id: str | None = None
    media_type: str = "IMAGE"
    media_attributes: dict[str, Any] = Factory(dict)
    metadata_fields: list[dict[str, Any]] = Factory(list)
    attachments: list[dict[str, Any]] = Factory(list)
    embeddings: list[dict[str, Any]] = Factory(list)


@define
class TaskQueue:
    id: str
    name: str
    queue_type: str
    project_id: str
    data_row_ids: list[str] = Factory(list)


@define
class Batch:
    id: str
    name: str
    project_id: str
    created_at: float
    updated_at: float
    priority: int = DEFAULT_BATCH_PRIORITY
    data_row_ids: list[str] = Factory(list)
    created_by_id: str | None = None
    consensus_settings: dict[str, Any] | None = None
    # data row id -> its queue priority in the project (state/queue_priority.py): the batch's priority
    # when the row joined, or what an override set
    row_priorities: dict[str, int] = Factory(dict)


@define
class Project:
    id: str
    name: str
    created_at: float
    updated_at: float
    ontology_id: str | None = None
    description: str = ""
    media_type: str = "IMAGE"
    task_queue_ids: list[str] = Factory(list)
    batch_ids: list[str] = Factory(list)
    label_ids: list[str] = Factory(list)
    created_by_id: str | None = None
    auto_audit_number_of_labels: int = 1
    auto_audit_percentage: float = 1.0
    is_benchmark_enabled: bool = False
    is_consensus_enabled: bool = False
    showing_predictions: bool = False  # model-assisted labelling: pre-labels shown to labelers
    setup_complete: float | None = None  # when its setup was completed, as a script set it
    # data row id -> pre-labels (model-assisted labelling), NDJSON annotations keyed by uuid
    prelabels: dict[str, list[dict[str, Any]]] = Factory(dict)
    resource_tag_ids: list[str] = Factory(list)


@define
class Label:
    id: str
    project_id: str
    data_row_id: str
    created_at: float
    updated_at: float
    annotations: list[dict[str, Any]] = Factory(list)
    created_by_id: str | None = None
    feedback: str | None = None  # a reviewer's free-text comment (upsertAutoQaLabelFeedback)
    scores: dict[str, float] = Factory(dict)  # score name -> value, in the order first given


@define
class ResourceTag:
    """A tag the organisation defines and attaches to projects; `color` is six hex digits, without '#'."""

    id: str
    text: str
    color: str
    created_at: float


@define
class FoundryApp:
    """A Foundry app: a Foundry model with its inference settings, predicting into an ontology."""

    id: str
    name: str
    model_id: str  # the Foundry model's id (Labelbox's catalog, not one of the organisation's models)
    ontology_id: str
    inference_params: dict[str, Any]
    class_to_schema_id: dict[str, str]
    created_at: float
    description: str | None = None
    created_by_id: str | None = None
    # the organisation's model its runs go under, made at the first run
    org_model_id: str | None = None


@define
class Model:
    id: str
    name: str
    ontology_id: str
    created_at: float
    created_by_id: str | None = None


@define
class ModelRunDataRow:
    """A data row's entry in a model run: its labels, split and predictions."""

    id: str
    data_row_id: str
    model_run_id: str
    created_at: float
    updated_at: float
    label_ids: list[str] = Factory(list)
    split: str | None = None
    predictions: list[dict[str, Any]] = Factory(list)


@define
class ModelRun:
    id: str
    name: str
    model_id: str
    created_at: float
    updated_at: float
    created_by_id: str | None = None
    training_metadata: dict[str, Any] | None = None
    status: str | None = None
    status_metadata: dict[str, Any] = Factory(dict)
    error_message: str | None = None
    # data row id -> entry; a dict keeps insertion order, which pagination relies on
    rows: dict[str, ModelRunDataRow] = Factory(dict)
    model_app_id: str | None = None  # the Foundry app whose run made it
    # bumped on every change to `rows`, so the ordered view state keeps (model_run_rows.ordered_rows) stays fresh
    rows_version: int = 0


class ContentSource(Protocol):
    """File content made on each read, for files too big to hold as bytes (export streams)."""

    @property
    def size(self) -> int: ...

    def chunks(self) -> Iterator[bytes]: ...


@define
class HostedFile:
    """A file the mock serves through a signed URL, or a URL registered by a test."""

    content: bytes | ContentSource
    content_type: str = "application/octet-stream"
    expires_at: float | None = None
    tenant: str | None = None  # the organisation whose request made it (None: registered in-process)


@define
class Task:
    """An asynchronous operation; its progress is driven by engines.tasks."""

    id: str
    kind: str
    name: str
    type: str
    created_at: float
    updated_at: float
    created_by_id: str | None = None
    status: str = "IN_PROGRESS"
    completion_percentage: float = 0.0
    errors: Any = None
    result: Any = None
    metadata: dict[str, Any] = Factory(dict)
    # transition bookkeeping, see engines.tasks
    reads_left: int = 0
    due_at: float | None = None
    outcome: str = "COMPLETE"
    failure_message: str | None = None
    effect: Any = field(default=None, repr=False, metadata=NOT_DUMPED)
    # heavy work done a step per status read until the task is done, when `effect` does the rest
    progress: Any = field(default=None, repr=False, metadata=NOT_DUMPED)
    # whether the task's heavy work is done, when another thread does it: a due task waits for it
    ready: Any = field(default=None, repr=False, metadata=NOT_DUMPED)


# AnnotationImport.kind -> (the API's type name, what it imports into)
IMPORT_TYPES: dict[str, tuple[str, str]] = {
    "mea": ("MEAPredictionImport", "model run"),
    "mal": ("MEAToMALPredictionImport", "project"),  # a model run's predictions sent to a project
    "label": ("LabelImport", "project"),
    "mal-project": ("MALPredictionImport", "project"),
}


@define
class AnnotationImport:
    """An import of NDJSON rows: predictions into a model run (`mea`), a model run's predictions into a
    project as pre-labels (`mal`), ground-truth labels (`label`) or pre-labels (`mal-project`) into a project.

    Files are kept as NDJSON text and signed on demand, because a signed URL expires
    and an import can be read long after it finished.
    """

    id: str
    name: str
    kind: str  # a key of IMPORT_TYPES
    model_run_id: str
    created_at: float
    task_id: str = ""
    project_id: str | None = None
    input_url: str | None = None  # the URL a URL import named; its input is that URL
    input_text: str | None = None
    status_text: str | None = None
    error_text: str | None = None
    signed_urls: dict[str, str] = Factory(dict)  # input | status | errors -> current signed URL


@define
class ModelSlice:
    """A model slice (Labelbox's saved query over a model's data rows). Labelbox selects rows by
    `filter`; the mock does not evaluate filters, so a slice holds the rows its seed names and
    answers `filter` as it was given."""

    id: str
    name: str
    description: str | None
    filter: Any
    data_row_ids: list[str]
    created_at: float
    updated_at: float
