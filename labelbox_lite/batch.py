"""Batches: groups of data rows sent to a project for labelling."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from attrs import define, field

from . import documents as docs
from .data_row import DataRow
from .entity import Entity
from .exceptions import (
    LabelboxError,
    ProcessingWaitTimeout,
    TaskFailedError,
    TimeoutError,
)
from .fields import parse_datetime

if TYPE_CHECKING:
    from .client import Client
    from .project import Project
    from .user import User

MAX_BATCH_SIZE = 100_000
# Fewer rows than this are batched in one request; more go through an asynchronous task.
MAX_SYNC_BATCH_ROW_COUNT = 1000
PROCESSING_CHECK_INTERVAL = 30.0
PROCESSING_TIMEOUT = 3600.0


@define(eq=False)
class Batch(Entity):
    client: Client = field(repr=False)
    uid: str
    name: str
    size: int
    project_id: str
    created_at: datetime | None
    updated_at: datetime | None
    consensus_settings: dict[str, Any] | None = None
    failed_data_row_ids: list[str] = field(factory=list)
    deleted: bool = field(default=False, kw_only=True)  # False as read; True once deleted through this object

    @classmethod
    def from_api(cls, client: Client, project_id: str, node: dict[str, Any],
                 failed_data_row_ids: Iterable[str] = ()) -> Batch:
        return cls(client=client, uid=node["id"], name=node["name"], size=int(node["size"]), project_id=project_id,
                   created_at=parse_datetime(node.get("createdAt")), updated_at=parse_datetime(node.get("updatedAt")),
                   consensus_settings=node.get("consensusSettingsJson"),
                   failed_data_row_ids=list(failed_data_row_ids))

    def project(self) -> Project:
        return self.client.get_project(self.project_id)

    def delete(self) -> None:
        """Deletes the batch; Labelbox refuses a batch whose data rows have labels."""
        self.client.execute(docs.DELETE_BATCH, {"projectId": self.project_id, "batchId": self.uid}, experimental=True,
                            raise_return_resource_not_found=True)
        self.deleted = True

    def created_by(self) -> User | None:
        """Who created the batch; None when Labelbox names no one. (The SDK's Batch.created_by is not callable:
        it installs its reader as `batch.user()`, whose request this sends.)"""
        from .user import related_user

        return related_user(self.client, docs.GET_BATCH_CREATED_BY, self.uid, "batch", key="user")

    def delete_labels(self, set_labels_as_template: bool = False) -> dict[str, Any]:
        """Deletes the project's labels on the batch's rows and sends the rows back to be labelled (keeping the
        labels as templates for the labelers when `set_labels_as_template`). Answers the server's answer, as
        the SDK does: `{"project": {"deleteBatchLabels": {"deletedLabelIds": [...]}}}`."""
        kind = "RequeueDataWithLabelAsTemplate" if set_labels_as_template else "RequeueData"
        return self.client.execute(docs.DELETE_BATCH_LABELS, {  # type: ignore[no-any-return]
            "projectId": self.project_id, "batchId": self.uid, "type": kind}, experimental=True,
            raise_return_resource_not_found=True)

    def remove_queued_data_rows(self) -> None:
        """Takes the batch's rows that are still queued (in no step past the labeling queue) out of the batch
        and the project's queue; rows labeled or further on stay."""
        self.client.execute(docs.REMOVE_QUEUED_DATA_ROWS, {"projectId": self.project_id, "batchId": self.uid},
                            experimental=True, raise_return_resource_not_found=True)


def _row_ids(data_rows: Sequence[str | DataRow]) -> list[str]:
    ids = []
    for row in data_rows:
        if isinstance(row, DataRow):
            ids.append(row.uid)
        elif isinstance(row, str) and row:
            ids.append(row)
        else:
            raise ValueError(f"data_rows holds data row ids or DataRow objects; got {row!r}")
    return ids


def create_batch(client: Client, project_id: str, name: str, data_rows: Sequence[str | DataRow] | None,
                 priority: int, consensus_settings: dict[str, Any] | None,
                 global_keys: Sequence[str] | None) -> Batch:
    """See Project.create_batch."""
    if (data_rows is None) == (global_keys is None):
        raise ValueError("give exactly one of data_rows or global_keys")
    ids = _row_ids(data_rows) if data_rows is not None else None
    keys = list(global_keys) if global_keys is not None else None
    count = len(ids) if ids is not None else len(keys or ())
    if count > MAX_BATCH_SIZE:
        raise ValueError(f"Batch exceeds max size of {MAX_BATCH_SIZE} data rows, break into smaller batches")
    if not count:
        raise ValueError("You need at least one data row in a batch")
    consensus = _consensus(consensus_settings) if consensus_settings else None
    _wait_for_processing(client, ids, keys)
    if count < MAX_SYNC_BATCH_ROW_COUNT:
        batch_input = {"name": name, "dataRowIds": ids, "globalKeys": keys, "priority": priority,
                       "consensusSettings": consensus}
        data = client.execute(docs.CREATE_BATCH, {"projectId": project_id, "batchInput": batch_input},
                              experimental=True, raise_return_resource_not_found=True)
        created = data["project"]["createBatchV2"]
        return Batch.from_api(client, project_id, created["batch"], created["failedDataRowIds"])
    return _create_async(client, project_id, name, ids, keys, priority, consensus)


def _consensus(settings: dict[str, Any]) -> dict[str, Any]:
    unknown = set(settings) - {"number_of_labels", "coverage_percentage"}
    if unknown or len(settings) != 2:
        raise ValueError("consensus_settings takes number_of_labels and coverage_percentage; "
                         f"got {sorted(settings)}")
    return {"numberOfLabels": settings["number_of_labels"], "coveragePercentage": settings["coverage_percentage"]}


def _wait_for_processing(client: Client, ids: list[str] | None, keys: list[str] | None) -> None:
    """Labelbox batches only rows it has finished processing; wait for that (a batch is within one query's limit)."""
    document, variable, refs = ((docs.DATA_ROWS_PROCESSED, "dataRowIds", ids) if ids is not None
                                else (docs.GLOBAL_KEYS_PROCESSED, "globalKeys", keys))

    def check() -> bool | None:
        data = client.execute(document, {variable: refs})
        return True if data["queryAllDataRowsHaveBeenProcessed"]["allDataRowsHaveBeenProcessed"] else None

    try:
        client.poller.wait(check, timeout=PROCESSING_TIMEOUT, interval=PROCESSING_CHECK_INTERVAL,
                           what="data row processing")
    except TimeoutError as error:
        raise ProcessingWaitTimeout(f"data rows were not processed within {PROCESSING_TIMEOUT:g} seconds; "
                                    "try the batch again later") from error


def _create_async(client: Client, project_id: str, name: str, ids: list[str] | None, keys: list[str] | None,
                  priority: int, consensus: dict[str, Any] | None) -> Batch:
    from .task import Task

    data = client.execute(docs.CREATE_EMPTY_BATCH,
                          {"projectId": project_id, "input": {"name": name, "consensusSettings": consensus}},
                          experimental=True, raise_return_resource_not_found=True)
    batch_id = data["project"]["createEmptyBatch"]["id"]
    added = client.execute(docs.ADD_DATA_ROWS_TO_BATCH, {"projectId": project_id, "input": {
        "batchId": batch_id, "dataRowIds": ids, "globalKeys": keys, "priority": priority}},
        experimental=True, raise_return_resource_not_found=True)
    task = Task.fetch(client, added["project"]["addDataRowsToBatchAsync"]["taskId"])
    try:
        task.wait_till_done()
    except TaskFailedError as error:
        raise LabelboxError(f"Batch {name!r} ({batch_id}) was not created successfully: {error.message}") from error
    return client.get_batch(project_id, batch_id)


class CreateBatchesTask:
    """The batches one `create_batches` call made and the tasks that fill them (one per batch)."""

    def __init__(self, client: Client, project_id: str, batch_ids: list[str], task_ids: list[str]) -> None:
        from .task import Task

        self.client = client
        self.project_id = project_id
        self.batches = batch_ids
        self.tasks = [Task.fetch(client, task_id) for task_id in task_ids]

    def wait_till_done(self, timeout_seconds: float = 300.0) -> None:
        """Waits for every task; a failed one is reported by `errors()`, as in the SDK, not raised."""
        for task in self.tasks:
            with contextlib.suppress(TaskFailedError):
                task.wait_till_done(timeout_seconds)

    def errors(self) -> dict[str, Any] | None:
        """{task id: its errors} of the tasks that failed, or None when none did; a failed batch task's
        result holds its errors, as a JSON list."""
        failed = {task.uid: json.loads(task.result_url) if task.result_url else task.errors
                  for task in self.tasks if task.status == "FAILED"}
        return failed or None

    def result(self) -> list[Batch]:
        """The batches, read again (their size once their tasks are done)."""
        return [self.client.get_batch(self.project_id, batch_id) for batch_id in self.batches]


def _started(client: Client, project_id: str, created: dict[str, Any]) -> CreateBatchesTask:
    tasks = created["tasks"]
    return CreateBatchesTask(client, project_id, [t["batchUuid"] for t in tasks], [t["taskId"] for t in tasks])


def create_batches(client: Client, project_id: str, name_prefix: str, data_rows: Sequence[str | DataRow] | None,
                   global_keys: Sequence[str] | None, priority: int,
                   consensus_settings: dict[str, Any] | None) -> CreateBatchesTask:
    """See Project.create_batches. The server refuses both or neither of data_rows and global_keys."""
    ids = _row_ids(data_rows) if data_rows is not None else None
    keys = list(global_keys) if global_keys is not None else None
    consensus = _consensus(consensus_settings) if consensus_settings else None
    if ids or keys:
        _wait_for_processing(client, ids or None, keys if not ids else None)
    data = client.execute(docs.CREATE_BATCHES, {"projectId": project_id, "input": {
        "batchNamePrefix": name_prefix, "dataRowIds": ids, "globalKeys": keys, "priority": priority,
        "consensusSettings": consensus}}, raise_return_resource_not_found=True)
    return _started(client, project_id, data["project"]["createBatches"])


def create_batches_from_dataset(client: Client, project_id: str, name_prefix: str, dataset_id: str, priority: int,
                                consensus_settings: dict[str, Any] | None) -> CreateBatchesTask:
    """See Project.create_batches_from_dataset."""
    consensus = _consensus(consensus_settings) if consensus_settings else None
    data = client.execute(docs.CREATE_BATCHES_FROM_DATASET, {"projectId": project_id, "input": {
        "batchNamePrefix": name_prefix, "datasetId": dataset_id, "priority": priority,
        "consensusSettings": consensus}}, raise_return_resource_not_found=True)
    return _started(client, project_id, data["project"]["createBatchesFromDataset"])
