"""Model runs: their data rows, labels, splits, training config and training status."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from attrs import define, field

from . import documents as docs
from .annotation_import import MEAPredictionImport, MEAToMALPredictionImport
from .data_row import DataRow
from .entity import Entity
from .exceptions import InternalServerError, LabelboxError, TaskFailedError
from .fields import parse_datetime
from .identifiables import GlobalKeys, UniqueIds
from .model_run_export import ModelRunExports
from .pagination import PAGE_SIZE, CursorCollection
from .send_to_annotate import SendToAnnotateFromModelParams, build_input

if TYPE_CHECKING:
    from .batch import Batch
    from .client import Client
    from .task import Task
    from .types import Label

logger = logging.getLogger(__name__)

# The SDK polls model-run registration and split tasks every five seconds.
MODEL_RUN_TASK_INTERVAL = 5.0
# At most this many data rows go on from an import to a project (Labelbox's limit).
DATAROWS_IMPORT_LIMIT = 25_000


class DataSplit(Enum):
    TRAINING = "TRAINING"
    TEST = "TEST"
    VALIDATION = "VALIDATION"
    UNASSIGNED = "UNASSIGNED"


class _Status(Enum):
    EXPORTING_DATA = "EXPORTING_DATA"
    PREPARING_DATA = "PREPARING_DATA"
    TRAINING_MODEL = "TRAINING_MODEL"
    COMPLETE = "COMPLETE"
    FAILED = "FAILED"


def check_config(config: Any) -> None:
    """Training metadata is a JSON object; refuse anything else before it is sent."""
    if not isinstance(config, dict):
        raise ValueError(f"config must be a dict of JSON values, got {type(config).__name__}")
    try:
        json.dumps(config, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise ValueError(f"config is not JSON-serialisable: {error}") from None


def _id_list(value: Iterable[str] | None, what: str) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, (str, bytes)):
        raise ValueError(f"{what} must be a list of strings, not a single string")
    items = list(value)
    bad = [item for item in items if not isinstance(item, str) or not item]
    if bad:
        raise ValueError(f"{what} must hold non-empty strings; got {bad[:5]!r}")
    return items


@define(eq=False)
class ModelRun(ModelRunExports, Entity):
    client: Client = field(repr=False)
    uid: str
    name: str
    model_id: str
    created_at: datetime | None
    updated_at: datetime | None
    created_by_id: str | None
    training_metadata: dict[str, Any] | None
    model_app_id: str | None = None
    deleted: bool = field(default=False, kw_only=True)  # False as read; True once deleted through this object
    _cost_and_usage: dict[str, Any] | None = field(default=None, init=False, repr=False)

    Status = _Status

    @classmethod
    def from_api(cls, client: Client, data: dict[str, Any]) -> ModelRun:
        return cls(
            client=client, uid=data["id"], name=data["name"], model_id=data["modelId"],
            created_at=parse_datetime(data.get("createdAt")), updated_at=parse_datetime(data.get("updatedAt")),
            created_by_id=data.get("createdBy"), training_metadata=data.get("trainingMetadata"),
            model_app_id=data.get("modelAppId"),
        )

    # -- cost and usage (the SDK's names; read once, until refresh_cost_and_usage) -----------------
    @property
    def total_cost(self) -> float | None:
        """What the run cost in USD, or None when Labelbox has no figure for it (a non-Foundry run)."""
        return self._cost_info().get("cost")

    @property
    def total_data_rows(self) -> int | None:
        """How many data rows the run processed, or None when Labelbox has no figure for it."""
        return self._cost_info().get("totalDataRows")

    def refresh_cost_and_usage(self) -> None:
        """Forgets the figures read, so the next access reads them again."""
        self._cost_and_usage = None

    def _cost_info(self) -> dict[str, Any]:
        if self._cost_and_usage is None:
            try:
                data = self.client.execute(docs.GET_MODEL_RUN_COST_INFO, {"modelRunId": self.uid})
            except InternalServerError:
                data = None  # no figures: remembered as none, as the SDK does; network errors still raise
            self._cost_and_usage = (data or {}).get("modelFoundryModelRunInfo") or {}
        return self._cost_and_usage

    def _run(self, document: str, params: dict[str, Any], experimental: bool = False) -> Any:
        return self.client.execute(document, {"modelRunId": self.uid, **params}, experimental=experimental,
                                   raise_return_resource_not_found=True)

    # -- lifecycle and config ------------------------------------------------------
    def delete(self) -> None:
        self.client.execute(docs.DELETE_MODEL_RUN, {"ids": self.uid}, raise_return_resource_not_found=True)
        self.deleted = True

    def get_config(self) -> dict[str, Any] | None:
        """The run's training metadata."""
        return self._run(docs.GET_MODEL_RUN_CONFIG, {})["modelRun"]["trainingMetadata"]  # type: ignore[no-any-return]

    def update_config(self, config: dict[str, Any]) -> dict[str, Any]:
        """Merges `config` into the training metadata; answers {"trainingMetadata": ...} as the API does."""
        check_config(config)
        return self._run(docs.UPDATE_MODEL_RUN_CONFIG, {"data": {"config": config}})["updateModelRunConfig"]  # type: ignore[no-any-return]

    def reset_config(self) -> dict[str, Any]:
        """Clears the training metadata; answers {"trainingMetadata": None}."""
        return self._run(docs.RESET_MODEL_RUN_CONFIG, {})["resetModelRunConfig"]  # type: ignore[no-any-return]

    def update_status(self, status: _Status | str, metadata: dict[str, Any] | None = None,
                      error_message: str | None = None) -> None:
        """Sets the training pipeline status (experimental). Metadata merges across calls."""
        self.client._require_experimental("ModelRun.update_status")
        name = status.value if isinstance(status, _Status) else status
        if name not in _Status.__members__:
            raise ValueError(f"status must be one of {list(_Status.__members__)}; got {status!r}")
        data: dict[str, Any] = {"status": name}
        if error_message:
            data["errorMessage"] = error_message
        if metadata:
            check_config(metadata)
            data["metadata"] = metadata
        self._run(docs.UPDATE_TRAINING_PIPELINE, {"data": data}, experimental=True)

    # -- data rows and labels --------------------------------------------------------
    def upsert_data_rows(self, data_row_ids: list[str] | None = None, global_keys: list[str] | None = None,
                         timeout_seconds: float = 3600) -> bool:
        """Adds data rows (without labels) to the run and waits for the server to finish."""
        ids = _id_list(data_row_ids, "data_row_ids")
        keys = _id_list(global_keys, "global_keys")
        if not ids and not keys:
            raise ValueError("Must provide at least one data row id or global key")
        task_id = self._run(docs.UPSERT_DATA_ROWS, {"dataRowIds": ids, "globalKeys": keys})[
            "createMEAModelRunDataRowRegistrationTask"]
        return self._wait(task_id, docs.DATA_ROW_REGISTRATION_STATUS, "MEADataRowRegistrationTaskStatus",
                          timeout_seconds, "data row registration")

    def upsert_labels(self, label_ids: list[str] | None = None, project_id: str | None = None,
                      timeout_seconds: float = 3600) -> bool:
        """Adds labels (and their data rows) to the run, by label id or every label of a project."""
        ids = _id_list(label_ids, "label_ids")
        if not ids and not project_id:
            raise ValueError("Must provide at least one label id or a project id")
        if ids and project_id:
            raise ValueError("Must only one of label ids, project id")
        if ids:
            task_id = self._run(docs.UPSERT_LABELS, {"labelIds": ids})["createMEAModelRunLabelRegistrationTask"]
        else:
            task_id = self._run(docs.UPSERT_PROJECT_LABELS, {"projectId": project_id})[
                "createMEAModelRunProjectLabelRegistrationTask"]
        return self._wait(task_id, docs.LABEL_REGISTRATION_STATUS, "MEALabelRegistrationTaskStatus",
                          timeout_seconds, "label registration")

    def delete_model_run_data_rows(self, data_row_ids: list[str]) -> None:
        """Removes data rows, with their labels and predictions, from the run."""
        ids = _id_list(data_row_ids, "data_row_ids")
        if not ids:
            raise ValueError("data_row_ids is empty")
        self._run(docs.DELETE_MODEL_RUN_DATA_ROWS, {"dataRowIds": ids})

    def model_run_data_rows(self) -> CursorCollection[ModelRunDataRow]:
        """Every data row of the run, fetched a page at a time."""

        def fetch(cursor: str | None) -> tuple[list[Any], str | None]:
            page = self._run(docs.MODEL_RUN_DATA_ROWS, {"from": cursor, "first": PAGE_SIZE})["annotationGroups"]
            return page["nodes"], page["pageInfo"]["endCursor"]

        return CursorCollection(fetch, lambda node: ModelRunDataRow.from_api(self.client, self.model_id, node))

    def assign_data_rows_to_split(self, data_row_ids: list[str] | None = None, split: DataSplit | str | None = None,
                                  global_keys: list[str] | None = None, timeout_seconds: float = 120) -> bool:
        """Puts data rows of the run in a split (experimental)."""
        self.client._require_experimental("ModelRun.assign_data_rows_to_split")
        name = split.value if isinstance(split, DataSplit) else split
        if name not in DataSplit.__members__:
            raise ValueError(f"`split` must be one of : `{list(DataSplit.__members__)}`. Found : `{split}`")
        ids = _id_list(data_row_ids, "data_row_ids")
        keys = _id_list(global_keys, "global_keys")
        if not ids and not keys:
            raise ValueError("Must provide at least one data row id or global key")
        assignment = {"split": name, "dataRowIds": ids, "globalKeys": keys}
        task_id = self._run(docs.ASSIGN_DATA_SPLIT, {"data": {"assignments": [assignment]}}, experimental=True)[
            "createAssignDataRowsToDataSplitTask"]
        return self._wait(task_id, docs.DATA_SPLIT_STATUS, "assignDataRowsToDataSplitTaskStatus", timeout_seconds,
                          "split assignment", by_where=False, experimental=True)

    # -- predictions -------------------------------------------------------------------
    def add_predictions(self, name: str,
                        predictions: str | Path | Iterable[dict[str, Any] | Label]) -> MEAPredictionImport:
        """Imports predictions into the run under `name` (unique in the run); answers at once.

        `predictions` is a local NDJSON file, an http(s) URL the server can read,
        or an iterable of NDJSON dicts or Labels. The server checks each row; the
        import's `statuses` (which wait for it) say which were accepted.
        """
        return MEAPredictionImport.create_from_any(self.client, self.uid, name, predictions)

    def upsert_predictions_and_send_to_project(
        self, name: str, predictions: str | Path | Iterable[dict[str, Any] | Label], project_id: str,
        priority: int = 5,
    ) -> tuple[MEAPredictionImport, Batch | None, MEAToMALPredictionImport | None]:
        """Imports predictions, then sends the rows with accepted ones to a project with them as pre-labels.

        Partial success is the rule, as in Labelbox: the import's failures are in its
        `errors`; when no prediction was accepted, or the batch (named `name`) cannot
        be created, the answer stops there, with None for what was not made, and a
        warning is logged. At most 25,000 data rows go on to the project.
        """
        project = self.client.get_project(project_id)
        imported = self.add_predictions(name, predictions)
        accepted = list(dict.fromkeys(row["dataRow"]["id"] for row in imported.statuses if row["status"] == "SUCCESS"))
        if not accepted:
            return imported, None, None
        if len(accepted) > DATAROWS_IMPORT_LIMIT:
            logger.warning("%d data rows have accepted predictions; only the first %d go to project %s",
                           len(accepted), DATAROWS_IMPORT_LIMIT, project_id)
            accepted = accepted[:DATAROWS_IMPORT_LIMIT]
        try:
            batch = project.create_batch(name, accepted, priority)
        except (LabelboxError, ValueError) as error:
            logger.warning("Failed to create batch %r in project %s: %s", name, project_id, error)
            return imported, None, None
        try:
            mal_import = MEAToMALPredictionImport.create_for_model_run_data_rows(
                self.client, self.uid, accepted, project_id, name)
            mal_import._wait()  # a FAILED import is returned, as the SDK does; its statuses say why
        except (LabelboxError, ValueError) as error:
            logger.warning("Failed to send predictions of model run %s to project %s: %s", self.uid, project_id,
                           error)
            return imported, batch, None
        return imported, batch, mal_import

    def send_to_annotate_from_model(self, destination_project_id: str, task_queue_id: str | None, batch_name: str,
                                    data_rows: UniqueIds | GlobalKeys,
                                    params: SendToAnnotateFromModelParams | dict[str, Any]) -> Task:
        """Sends data rows of the run to a project as a batch, with their predictions as labels.

        The rows go to the task queue `task_queue_id`, or to Done when it is None.
        See SendToAnnotateFromModelParams for the options. Answers the server's task.
        """
        from .task import Task

        payload = build_input(self.uid, destination_project_id, task_queue_id, batch_name, data_rows, params)
        data = self.client.execute(docs.SEND_TO_ANNOTATE_FROM_MEA, {"input": payload},
                                   raise_return_resource_not_found=True)
        return Task.fetch(self.client, data["sendToAnnotateFromMea"]["taskId"])

    def _wait(self, task_id: str, document: str, key: str, timeout: float, what: str,
              by_where: bool = True, experimental: bool = False) -> bool:
        params = {"where": {"id": task_id}} if by_where else {"id": task_id}

        def check() -> bool | None:
            status = self.client.execute(document, params, experimental=experimental,
                                         raise_return_resource_not_found=True)[key]
            if status["status"] == "COMPLETE":
                return True
            if status["status"] == "FAILED":
                raise TaskFailedError(f"{what} task {task_id} failed: {status.get('errorMessage')}", task_id)
            return None

        return self.client.poller.wait(check, timeout=timeout, interval=MODEL_RUN_TASK_INTERVAL,
                                       what=f"{what} task {task_id} of model run {self.uid}")


@define(eq=False)
class ModelRunDataRow(Entity):
    """A data row's entry in a model run."""

    client: Client = field(repr=False)
    uid: str
    model_id: str
    model_run_id: str
    label_id: str | None
    data_split: DataSplit
    _data_row: dict[str, Any] = field(repr=False, alias="data_row_fields")

    @classmethod
    def from_api(cls, client: Client, model_id: str, node: dict[str, Any]) -> ModelRunDataRow:
        return cls(client=client, uid=node["id"], model_id=model_id, model_run_id=node["modelRunId"],
                   label_id=node.get("labelId"), data_split=DataSplit(node["dataSplit"]),
                   data_row_fields=node["dataRow"])

    def data_row(self) -> DataRow:
        return DataRow.from_api(self.client, self._data_row)

    @property
    def url(self) -> str:
        return (f"{self.client.app_url}/models/{self.model_id}/{self.model_run_id}/AllDatarowsSlice/{self.uid}"
                "?view=carousel")
