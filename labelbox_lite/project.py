"""Projects, as the model-run surface reads them."""

from __future__ import annotations

import contextlib
import json
import logging
import warnings
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeAlias

from attrs import define, field

from . import documents as docs
from .catalog_export import ProjectExports
from .comparison import Field, order_by_input, queryable
from .entity import Entity
from .exceptions import InvalidAttributeError, InvalidQueryError, LabelboxError, TaskFailedError
from .fields import parse_datetime
from .identifiables import DataRowIdentifier, GlobalKey, GlobalKeys, UniqueId, UniqueIds
from .media_type import MediaType, media_type_error
from .ontology import EditorTaskType, UploadType
from .pagination import PAGE_SIZE, CursorCollection, PaginatedCollection

if TYPE_CHECKING:
    from .annotation_import import LabelImport, MALPredictionImport
    from .batch import Batch, CreateBatchesTask
    from .client import Client
    from .data_row import DataRow
    from .dataset import Dataset
    from .label import Label
    from .labeling_frontend import LabelingFrontend
    from .ontology import Ontology
    from .task_queue import TaskQueue
    from .user import Organization, User


logger = logging.getLogger(__name__)

# the SDK's names (labelbox.schema.project): an override is (row, priority); lower is labelled first
DataRowPriority: TypeAlias = int
LabelingParameterOverrideInput: TypeAlias = tuple[DataRowIdentifier, DataRowPriority]


def validate_labeling_parameter_overrides(data: Iterable[Any]) -> None:
    """Raises the SDK's TypeError for the first entry that is not (UniqueId or GlobalKey, int).

    The SDK reads an entry's priority before it checks the entry's length (so a short tuple
    raises IndexError there) and lets a bool through as an int; here both get the SDK's messages.
    """
    for idx, row in enumerate(data):
        if not isinstance(row, (tuple, list)) or len(row) < 2:
            found = f"{len(row)} items" if isinstance(row, (tuple, list)) else f"{type(row)}"
            raise TypeError("Data must be a list of tuples each containing two elements: a  DataRowIdentifier "
                            f"and priority (int). Found {found}. Index: {idx}")
        data_row_identifier, priority = row[0], row[1]
        if not isinstance(data_row_identifier, (UniqueId, GlobalKey)):
            raise TypeError("Data row identifier should be of type DataRowIdentifier. "
                            f"Found {type(data_row_identifier)}.")
        if isinstance(priority, bool) or not isinstance(priority, int):
            raise TypeError(f"Priority must be an int. Found {type(priority)} for data_row_identifier "
                            f"{data_row_identifier.key}")


# `lb.Project.name == "a"` builds a where clause, as in the SDK
@queryable(uid="id", name="name", description="description", deleted="deleted")
class Project(ProjectExports, Entity):
    client: Client = field(repr=False)
    uid: Field[str]
    name: Field[str]
    description: Field[str | None]
    media_type: MediaType | None
    data_row_count: int
    created_at: datetime | None
    updated_at: datetime | None
    # read-only settings Labelbox keeps (READ_ONLY below); the SDK's names and types
    setup_complete: datetime | None = None
    last_activity_time: datetime | None = None
    editor_task_type: EditorTaskType = EditorTaskType.Missing
    upload_type: UploadType = UploadType.Missing
    model_setup_complete: bool | None = None
    is_consensus_enabled: bool = False
    # True once `delete()` ran; the class attribute filters (`Project.deleted == False`)
    deleted: Field[bool] = field(default=False)

    @classmethod
    def from_api(cls, client: Client, data: dict[str, Any]) -> Project:
        return cls(
            client=client, uid=data["id"], name=data["name"], description=data.get("description"),
            media_type=MediaType(data.get("allowedMediaType")), data_row_count=int(data.get("dataRowCount") or 0),
            created_at=parse_datetime(data.get("createdAt")), updated_at=parse_datetime(data.get("updatedAt")),
            setup_complete=parse_datetime(data.get("setupComplete")),
            last_activity_time=parse_datetime(data.get("lastActivityTime")),
            editor_task_type=EditorTaskType(data.get("editorTaskType")), upload_type=UploadType(data.get("uploadType")),
            model_setup_complete=data.get("modelSetupComplete"),
            is_consensus_enabled=bool(data.get("isConsensusEnabled")),
        )

    # -- what the SDK derives from the fields, and the relationships --------------------------------
    def is_chat_evaluation(self) -> bool:
        """True for a live chat-evaluation project (conversational, editor task type ModelChatEvaluation)."""
        return self.media_type == MediaType.Conversational and self.editor_task_type == EditorTaskType.ModelChatEvaluation

    def is_auto_data_generation(self) -> bool:
        return self.upload_type == UploadType.Auto

    def is_empty_ontology(self) -> bool:
        """True without an ontology or with one that has no tools and no classifications (reads the ontology)."""
        ontology = self.ontology()
        return ontology is None or (len(ontology.tools()) == 0 and len(ontology.classifications()) == 0)

    def created_by(self) -> User | None:
        """Who created the project."""
        data = self.client.execute(docs.GET_PROJECT_CREATED_BY, {"param_0": self.uid},
                                   raise_return_resource_not_found=True)
        node = data["project"]["createdBy"]
        return None if node is None else self.client._user(node)

    def organization(self) -> Organization:
        data = self.client.execute(docs.GET_PROJECT_ORGANIZATION, {"param_0": self.uid},
                                   raise_return_resource_not_found=True)
        return self.client._organization(data["project"]["organization"])

    def clone(self) -> Project:
        """A new project with this one's settings and ontology, without its batches, data rows or labels."""
        answer = self.client.execute(docs.CLONE_PROJECT, {"projectId": self.uid}, raise_return_resource_not_found=True)
        return self.client.get_project(answer["cloneProject"]["id"])

    def create_batch(self, name: str, data_rows: Sequence[str | DataRow] | None = None, priority: int = 5,
                     consensus_settings: dict[str, Any] | None = None,
                     global_keys: Sequence[str] | None = None) -> Batch:
        """Sends data rows (by id or DataRow, or by global key) to the project as a batch named `name`.

        `name` must be unique in the project; priority runs from 1 (highest) to 5. Rows
        that cannot join (unknown, or already in the project) are listed in the
        batch's `failed_data_row_ids`. Up to 100,000 rows; from 1,000 on, the batch is
        filled by an asynchronous task, which this waits for.
        """
        from .batch import create_batch

        return create_batch(self.client, self.uid, name, data_rows, priority, consensus_settings, global_keys)

    def create_batches(self, name_prefix: str, data_rows: Sequence[str | DataRow] | None = None,
                       global_keys: Sequence[str] | None = None, priority: int = 5,
                       consensus_settings: dict[str, Any] | None = None) -> CreateBatchesTask:
        """Sends rows to the project as batches of up to 100,000, named `name_prefix` and 0000, 0001, ...

        Every row must be able to join (known, processed, not yet in the project), or the call is
        refused. The batches exist at once; their tasks fill them (`wait_till_done`, `result()`).
        """
        from .batch import create_batches

        return create_batches(self.client, self.uid, name_prefix, data_rows, global_keys, priority, consensus_settings)

    def create_batches_from_dataset(self, name_prefix: str, dataset_id: str, priority: int = 5,
                                    consensus_settings: dict[str, Any] | None = None) -> CreateBatchesTask:
        """As create_batches, with the dataset's rows that are not in the project yet."""
        from .batch import create_batches_from_dataset

        return create_batches_from_dataset(self.client, self.uid, name_prefix, dataset_id, priority,
                                           consensus_settings)

    def batches(self) -> CursorCollection[Batch]:
        """The project's batches, oldest first, a page at a time."""
        from .batch import Batch

        def fetch(cursor: str | None) -> tuple[list[Any], str | None]:
            data = self.client.execute(docs.GET_PROJECT_BATCHES,
                                       {"from": cursor, "first": PAGE_SIZE, "projectId": self.uid},
                                       experimental=True, raise_return_resource_not_found=True)
            page = data["project"]["batches"]
            return page["nodes"], page["pageInfo"]["endCursor"]

        return CursorCollection(fetch, lambda node: Batch.from_api(self.client, self.uid, node))

    def task_queues(self) -> list[TaskQueue]:
        """The workflow's task queues (Done is a step, not a queue, and is not listed)."""
        from .task_queue import TaskQueue

        data = self.client.execute(docs.GET_PROJECT_TASK_QUEUES, {"projectId": self.uid}, experimental=True,
                                   raise_return_resource_not_found=True)
        return [TaskQueue.from_api(self.client, node) for node in data["project"]["taskQueues"]]

    # -- queue priority (labeling parameter overrides) -----------------------------------------
    def labeling_parameter_overrides(self) -> PaginatedCollection[LabelingParameterOverride]:
        """One override per data row of the project's batches, in batch order: its `priority` in the
        labelling queue (its batch's when it joined, until set) and its `data_row()`."""

        def fetch(skip: int, first: int) -> list[Any]:
            data = self.client.execute(docs.GET_LABELING_PARAMETER_OVERRIDES,
                                       {"param_0": self.uid, "skip": skip, "first": first},
                                       raise_return_resource_not_found=True)
            return data["project"]["labelingParameterOverrides"]  # type: ignore[no-any-return]

        return PaginatedCollection(fetch, lambda node: LabelingParameterOverride.from_api(self.client, node))

    def set_labeling_parameter_overrides(
            self, data: Iterable[LabelingParameterOverrideInput | tuple[DataRowIdentifier, DataRowPriority, int]],
    ) -> bool:
        """Sets each row's queue priority: `data` holds (UniqueId(id) or GlobalKey(key), priority) tuples.

        Lower is labelled first; any signed 32-bit integer. A third item (the number of labels, which
        Labelbox no longer takes) is dropped, as the SDK drops it. Every row must be in one of the
        project's batches, or the call is refused and nothing changes. A priority does not put a row
        back in the queue. Answers True.
        """
        overrides: list[Any] = [tuple(entry[:2]) if isinstance(entry, (tuple, list)) else entry for entry in data]
        validate_labeling_parameter_overrides(overrides)
        document = docs.set_labeling_parameter_overrides(
            (identifier.key, identifier.id_type, priority) for identifier, priority in overrides)
        answer = self.client.execute(document, {"projectId": self.uid}, raise_return_resource_not_found=True)
        return bool(answer["project"]["setLabelingParameterOverrides"]["success"])

    def update_data_row_labeling_priority(self, data_rows: UniqueIds | GlobalKeys, priority: int) -> bool:
        """Sets one queue priority for up to 1,000,000 rows of the project's batches (`UniqueIds([...])` or
        `GlobalKeys([...])`), by a task this waits for. Answers True; raises TaskFailedError (a
        LabelboxError) with the SDK's message when the task does not complete."""
        from .task import Task

        if not isinstance(data_rows, (UniqueIds, GlobalKeys)):
            raise TypeError("data_rows must be a DataRowIdentifiers object")
        answer = self.client.execute(docs.CREATE_QUEUE_PRIORITY_UPDATE_TASK, {
            "priority": priority, "projectId": self.uid,
            "dataRowIdentifiers": {"ids": list(data_rows), "idType": data_rows.id_type},
        }, raise_return_resource_not_found=True)
        task = Task.get_task(self.client, answer["project"]["createQueuePriorityUpdateTask"]["taskId"])
        with contextlib.suppress(TaskFailedError):  # raised below with the SDK's message
            task.wait_till_done()
        if task.status != "COMPLETE":
            raise TaskFailedError("Priority was not updated successfully: " + json.dumps(task.errors), task.uid)
        return True

    def move_data_rows_to_task_queue(self, data_row_ids: UniqueIds | GlobalKeys, task_queue_id: str | None = None,
                                     ) -> None:
        """Moves rows of the project (`UniqueIds([...])` or `GlobalKeys([...])`) into the task queue
        `task_queue_id` (from `task_queues()`), or into the Done step with None, by a task this waits for;
        raises LabelboxError with the SDK's message when the task does not complete."""
        from .task import Task

        if not isinstance(data_row_ids, (UniqueIds, GlobalKeys)):
            raise TypeError("data_rows must be a DataRowIdentifiers object")
        answer = self.client.execute(docs.MOVE_DATA_ROWS_TO_TASK_QUEUE, {
            "projectId": self.uid, "queueId": task_queue_id,
            "dataRowIdentifiers": {"ids": list(data_row_ids), "idType": data_row_ids.id_type},
        }, timeout=180.0, experimental=True, raise_return_resource_not_found=True)
        task = Task.get_task(self.client, answer["project"]["createBulkAddRowsToQueueTask"]["taskId"])
        with contextlib.suppress(TaskFailedError):  # raised below with the SDK's message
            task.wait_till_done()
        if task.status != "COMPLETE":
            raise LabelboxError("Data rows were not moved successfully: " + json.dumps(task.errors))

    def extend_reservations(self, queue_type: str) -> int:
        """Extends the caller's reservations in the project's "LabelingQueue" or "ReviewQueue"; answers how many
        were extended (the mock holds none: 0)."""
        if queue_type not in docs.EXTEND_RESERVATIONS:
            raise InvalidQueryError(f"Unsupported queue type: {queue_type}")
        answer = self.client.execute(docs.EXTEND_RESERVATIONS[queue_type], {"projectId": self.uid},
                                     raise_return_resource_not_found=True)
        return int(answer["extendReservations"])

    def set_project_model_setup_complete(self) -> bool:
        """Marks a live chat-evaluation project's model setup complete (its model configs are then fixed);
        answers the new `model_setup_complete`. Labelbox refuses any other project with
        OperationNotAllowedException, as the mock refuses every project (it makes no live chat-evaluation
        projects)."""
        answer = self.client.execute(docs.SET_PROJECT_MODEL_SETUP_COMPLETE, {"projectId": self.uid},
                                     raise_return_resource_not_found=True)["setProjectModelSetupComplete"]
        self.model_setup_complete = answer["modelSetupComplete"]
        return bool(answer["modelSetupComplete"])

    def clear_queue_reservations(self, task_queue_id: str) -> int | None:
        """Releases every reservation in the project's task queue `task_queue_id` (from `task_queues()`): rows
        labelers or reviewers hold go back to the queue; no label changes. Answers how many were held, or None
        when Labelbox could not count them (they were cleared anyway). ResourceNotFoundError for a queue that
        is not the project's; LabelboxError, naming the queue, when Labelbox could not clear them."""
        answer = self.client.execute(docs.CLEAR_QUEUE_RESERVATIONS,
                                     {"input": {"projectId": self.uid, "queueId": task_queue_id}},
                                     raise_return_resource_not_found=True)["clearQueueReservations"]
        if not answer["success"]:
            raise LabelboxError(f"Reservations of task queue {task_queue_id} were not cleared")
        count = answer["clearedReservationCount"]
        return None if count is None else int(count)

    # -- ontology, labels and lifecycle ------------------------------------------------------
    def ontology(self) -> Ontology | None:
        """The connected ontology, or None before `connect_ontology`."""
        from .ontology import Ontology

        data = self.client.execute(docs.GET_PROJECT_ONTOLOGY, {"param_0": self.uid},
                                   raise_return_resource_not_found=True)
        node = data["project"]["ontology"]
        return None if node is None else Ontology.from_api(self.client, node)

    def connect_ontology(self, ontology: Ontology) -> None:
        """Makes `ontology` the project's. Media types must agree unless the ontology has none.

        A project with labels may change ontology only to one holding every feature its
        labels use; Labelbox refuses others (warned here first, as the SDK does).
        """
        if ontology.media_type is not MediaType.Unknown and self.media_type != ontology.media_type:
            raise ValueError("Ontology and project must share the same type, unless the ontology has no type.")
        if self.get_label_count() > 0:
            warnings.warn("Project has labels. The new ontology must contain all annotation types.", stacklevel=2)
        self.client.execute(docs.CONNECT_ONTOLOGY, {"ontologyId": ontology.uid, "projectId": self.uid},
                            raise_return_resource_not_found=True)

    def upsert_instructions(self, instructions_file: str) -> None:
        """Uploads a PDF or HTML file and makes it the project's labelling instructions, replacing any before.

        Labelbox keeps them with the project's ontology (its `normalized` answers them as
        `projectInstructions`), so the project needs an ontology first.
        """
        frontend = self.labeling_frontend()
        if frontend is None or frontend.name != "Editor":
            logger.warning("upsert_instructions is tested with the Editor front end only; this project has %s",
                           frontend.name if frontend is not None else "none")
        if not instructions_file.endswith((".pdf", ".html")):
            raise ValueError(f"instructions_file must be a pdf or html file. Found {instructions_file}")
        url = self.client.upload_file(instructions_file)
        self.client.execute(docs.SET_PROJECT_INSTRUCTIONS, {"projectId": self.uid, "instructions_url": url},
                            raise_return_resource_not_found=True)

    def get_label_count(self) -> int:
        data = self.client.execute(docs.GET_LABEL_COUNT, {"projectId": self.uid}, raise_return_resource_not_found=True)
        return int(data["project"]["labelCount"])

    def labeling_frontend(self) -> LabelingFrontend | None:
        """The labeling editor set up for the project."""
        from .labeling_frontend import LabelingFrontend

        data = self.client.execute(docs.GET_LABELING_FRONTEND, {"param_0": self.uid},
                                   raise_return_resource_not_found=True)
        node = data["project"]["labelingFrontend"]
        return None if node is None else LabelingFrontend.from_api(node)

    def labels(self, datasets: Iterable[Dataset] | None = None, order_by: tuple[Any, Any] | None = None,
               created_by: str | User | None = None) -> PaginatedCollection[Label]:
        """The project's labels, a page at a time: those on rows of `datasets`, made by `created_by` (a user or
        a user id), in `order_by` (`lb.Label.created_at.asc`). The SDK deprecates `datasets` and `order_by`,
        and warns as it does."""
        from .label import Label

        if datasets or order_by:
            warnings.warn("Project.labels: datasets and order_by are deprecated in the Labelbox SDK and go in "
                          "its next major release", DeprecationWarning, stacklevel=2)
        where: dict[str, Any] = {}
        if datasets is not None:
            where["dataRow"] = {"dataset": {"id_in": [dataset.uid for dataset in datasets]}}
        if created_by is not None:
            where["createdBy"] = {"id": getattr(created_by, "uid", created_by)}
        variables: dict[str, Any] = {"projectId": self.uid, "where": where or None,
                                     "orderBy": order_by_input(Label, order_by) if order_by is not None else None}

        def fetch(skip: int, first: int) -> list[Any]:
            data = self.client.execute(docs.GET_PROJECT_LABELS, {**variables, "skip": skip, "first": first},
                                       raise_return_resource_not_found=True)
            return data["project"]["labels"]  # type: ignore[no-any-return]

        return PaginatedCollection(fetch, lambda node: Label.from_api(self.client, node))

    def get_label_imports(self) -> PaginatedCollection[LabelImport]:
        """The project's label imports, oldest first."""
        return self.client._project_imports(self.uid, pre_labels=False)

    def get_mal_prediction_imports(self) -> PaginatedCollection[MALPredictionImport]:
        """The project's MAL prediction imports (pre-labels), oldest first."""
        return self.client._project_imports(self.uid, pre_labels=True)

    def enable_model_assisted_labeling(self, toggle: bool = True) -> bool:
        """Shows (or hides) pre-labels to labelers; answers the new setting."""
        data = self.client.execute(docs.TOGGLE_MAL, {"project_id": self.uid, "show": toggle},
                                   raise_return_resource_not_found=True)
        return bool(data["project"]["showPredictionsToLabelers"]["showingPredictionsToLabelers"])

    def update(self, **kwargs: Any) -> None:
        """Updates the project's fields by the SDK's names: name, description, media_type. The quality
        settings (auto_audit_number_of_labels, auto_audit_percentage, is_benchmark_enabled,
        is_consensus_enabled) are fixed at creation: Labelbox refuses a change of them."""
        media_type = kwargs.get("media_type")
        if media_type:  # the SDK checks this first, and with this error
            if not MediaType.is_supported(media_type):
                raise media_type_error(media_type)
            kwargs["media_type"] = MediaType(media_type).value
        unknown = sorted(set(kwargs) - set(UPDATABLE))
        if unknown:
            read_only = [name for name in unknown if name in READ_ONLY]
            why = (f"{', '.join(read_only)} cannot be updated; " if read_only else "")
            raise InvalidAttributeError(f"Field(s) {unknown} not valid on DB type 'Project': {why}"
                                        f"Project.update takes {', '.join(UPDATABLE)}")
        data = {UPDATABLE[name]: value for name, value in kwargs.items()}
        answer = self.client.execute(docs.UPDATE_PROJECT, {"projectId": self.uid, "data": data},
                                     raise_return_resource_not_found=True)["updateProject"]
        updated = Project.from_api(self.client, answer)
        for name in _READ_BACK:
            setattr(self, name, getattr(updated, name))

    def delete(self) -> None:
        """Deletes the project with its batches and labels."""
        self.client.execute(docs.DELETE_PROJECT, {"ProjectId": self.uid}, raise_return_resource_not_found=True)
        self.deleted = True


@define(eq=False)
class LabelingParameterOverride(Entity):
    """A data row's place in a project's labelling queue: lower `priority` is labelled first."""

    client: Client = field(repr=False)
    uid: str
    priority: int
    number_of_labels: int
    _data_row: dict[str, Any] = field(repr=False, alias="data_row_fields")

    @classmethod
    def from_api(cls, client: Client, node: dict[str, Any]) -> LabelingParameterOverride:
        return cls(client=client, uid=node["id"], priority=node["priority"],
                   number_of_labels=node["numberOfLabels"], data_row_fields=node["dataRow"])

    def data_row(self) -> DataRow:
        """The row, as the listing read it (the SDK caches it too)."""
        from .data_row import DataRow

        return DataRow.from_api(self.client, self._data_row)


# Project.update: the SDK's field name -> the field of updateProject's input
UPDATABLE = {
    "name": "name", "description": "description", "media_type": "allowedMediaType",
    "auto_audit_number_of_labels": "autoAuditNumberOfLabels", "auto_audit_percentage": "autoAuditPercentage",
    "is_benchmark_enabled": "isBenchmarkEnabled", "is_consensus_enabled": "isConsensusEnabled",
}
# the SDK's other Project fields: Labelbox sets them, a script cannot
# what Project.update reads back from the answer: every field the API sends
_READ_BACK = ("name", "description", "media_type", "data_row_count", "created_at", "updated_at", "setup_complete",
              "last_activity_time", "editor_task_type", "upload_type", "model_setup_complete", "is_consensus_enabled")
READ_ONLY = frozenset({"uid", "created_at", "updated_at", "setup_complete", "last_activity_time", "editor_task_type",
                       "data_row_count", "model_setup_complete", "upload_type"})
