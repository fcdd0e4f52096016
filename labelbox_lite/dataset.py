"""Datasets: their data rows (created and updated through the SDK's upload path), exports and deletion."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from itertools import islice
from typing import TYPE_CHECKING, Any

from attrs import field

from . import documents as docs
from .catalog_export import CatalogExportParams, catalog_export_input, search_query, start_export, user_timezone
from .comparison import Field, Op, queryable, where_input
from .data_row_upload import DataRowUpsertItem, DataUpsertTask, upload_specs
from .entity import Entity
from .exceptions import LabelboxError, ResourceCreationError, ResourceNotFoundError
from .export_task import ExportTask
from .fields import parse_datetime
from .pagination import CursorCollection, PaginatedCollection
from .task import Task
from .user import Organization, User, related_organization, related_user

if TYPE_CHECKING:
    from .client import Client
    from .data_row import DataRow

DATA_ROWS_PAGE_SIZE = 500
DATASETS_PAGE_SIZE = 100


# `lb.Dataset.name == "a"` builds a where clause, as in the SDK; the service filters on these
@queryable(uid="id", name="name", description="description", deleted="deleted")
class Dataset(Entity):
    client: Client = field(repr=False)
    uid: Field[str]
    name: Field[str]
    description: Field[str | None]
    row_count: int
    created_at: datetime | None
    updated_at: datetime | None
    # False as read (Labelbox lists no deleted dataset), True once deleted through this object
    deleted: Field[bool] = field(default=False, kw_only=True)

    @classmethod
    def from_api(cls, client: Client, data: Mapping[str, Any]) -> Dataset:
        return cls(client=client, uid=data["id"], name=data["name"], description=data.get("description"),
                   row_count=int(data.get("rowCount") or 0), created_at=parse_datetime(data.get("createdAt")),
                   updated_at=parse_datetime(data.get("updatedAt")))

    # -- data rows ------------------------------------------------------------------------------
    def create_data_rows(self, items: Iterable[Mapping[str, Any]],
                         file_upload_thread_count: int = 20) -> DataUpsertTask:
        """Starts creating rows from dicts (row_data required; global_key, external_id, media_type,
        metadata_fields, attachments optional). The task's result and errors are per row."""
        if file_upload_thread_count < 1:
            raise ValueError("file_upload_thread_count must be a positive integer")
        return upload_specs(self.client, DataRowUpsertItem.build(self.uid, items, ()), creating=True)

    def upsert_data_rows(self, items: Iterable[Mapping[str, Any]],
                         file_upload_thread_count: int = 20) -> DataUpsertTask:
        """Creates or updates rows: an item's `key` (UniqueId or GlobalKey) names the row to update;
        a GlobalKey that names none creates it; no key creates a row."""
        if file_upload_thread_count < 1:
            raise ValueError("file_upload_thread_count must be a positive integer")
        return upload_specs(self.client, DataRowUpsertItem.build(self.uid, items), creating=False)

    def create_data_row(self, items: Mapping[str, Any] | None = None, **kwargs: Any) -> DataRow:
        """Creates one row and waits for it; raises ResourceCreationError with the server's reason."""
        if items is not None and kwargs:
            raise ValueError("Argument to create_data_row() must be either a dictionary, "
                             "or kwargs containing `row_data` at minimum")
        task = self.create_data_rows([dict(items if items is not None else kwargs)])
        task.wait_till_done()
        if task.has_errors():
            raise ResourceCreationError(f"Data row upload errors: {task.errors}")
        created = task.result
        if not created:
            raise ResourceCreationError(f"Data row upload did not complete, task status {task.status} "
                                        f"task id {task.uid}")
        return self.client.get_data_row(created[0]["id"])

    def data_rows(self, from_cursor: str | None = None, where: object = None) -> CursorCollection[DataRow]:
        """The dataset's rows, newest first; `where` is one comparison (the SDK sends one) on DataRow's
        uid, external_id, global_key or row_data: `lb.DataRow.external_id == "a"`."""
        from .data_row import DataRow

        clause = where_input(DataRow, where, frozenset({Op.EQ}))
        if clause is not None and "AND" in clause:
            raise TypeError(f"where= for Dataset.data_rows takes one comparison, got {where!r}")

        def fetch(cursor: str | None) -> tuple[list[Any], str | None]:
            page = self.client.execute(docs.DATASET_DATA_ROWS, {
                "id": self.uid, "from": cursor or from_cursor, "first": DATA_ROWS_PAGE_SIZE, "where": clause,
            }, raise_return_resource_not_found=True)["datasetDataRows"]
            return page["nodes"], page["pageInfo"]["startCursor"]

        return CursorCollection(fetch, lambda node: DataRow.from_api(self.client, node))

    def data_rows_for_external_id(self, external_id: str, limit: int = 10) -> list[DataRow]:
        found = list(islice(self.data_rows(where={"external_id": external_id}), limit))
        if not found:
            raise ResourceNotFoundError(message=f"no data row with external id {external_id!r} "
                                                f"in dataset {self.uid}")
        return found

    def data_row_for_external_id(self, external_id: str) -> DataRow:
        return self.data_rows_for_external_id(external_id, limit=2)[0]

    # -- the dataset ------------------------------------------------------------------------------
    def update(self, **changes: Any) -> None:
        """Renames or re-describes the dataset (name=..., description=...)."""
        unknown = set(changes) - {"name", "description"}
        if unknown:
            raise ValueError(f"a dataset has no field(s) {', '.join(sorted(unknown))} to update")
        data = self.client.execute(docs.UPDATE_DATASET, {"id": self.uid, "data": changes},
                                   raise_return_resource_not_found=True)["updateDataset"]
        self.name, self.description = data["name"], data.get("description")
        self.updated_at = parse_datetime(data.get("updatedAt"))

    def delete(self) -> None:
        """Deletes the dataset and its data rows (labels on them too)."""
        self.client.execute(docs.UPDATE_DATASET, {"id": self.uid, "data": {"deleted": True}},
                            raise_return_resource_not_found=True)
        self.deleted = True

    def created_by(self) -> User | None:
        """Who created the dataset; None when Labelbox names no one."""
        return related_user(self.client, docs.GET_DATASET_CREATED_BY, self.uid, "dataset")

    def organization(self) -> Organization:
        return related_organization(self.client, docs.GET_DATASET_ORGANIZATION, self.uid, "dataset")

    def export(self, task_name: str | None = None, filters: Mapping[str, Any] | None = None,
               params: CatalogExportParams | None = None) -> ExportTask:
        """An export of the dataset's rows; params name the projects and model runs to include."""
        exported = start_export(self.client, docs.EXPORT_CATALOG, "exportDataRowsInCatalog",
                                self._export_input(task_name, filters, params, True))
        assert isinstance(exported, ExportTask)
        return exported

    def export_v2(self, task_name: str | None = None, filters: Mapping[str, Any] | None = None,
                  params: CatalogExportParams | None = None) -> Task | ExportTask:
        return start_export(self.client, docs.EXPORT_CATALOG, "exportDataRowsInCatalog",
                            self._export_input(task_name, filters, params, False), "Dataset")

    def _export_input(self, task_name: str | None, filters: Mapping[str, Any] | None,
                      params: CatalogExportParams | None, streamable: bool) -> dict[str, Any]:
        query = [*search_query(filters, user_timezone(self.client)), {"ids": [self.uid], "operator": "is", "type": "dataset"}]
        return catalog_export_input(task_name or f"Export v2: dataset - {self.name}", query, params, streamable)


# -- the Client's dataset and global-key calls (Client delegates here) --------------------------

def create_dataset(client: Client, name: str, description: str | None = None) -> Dataset:
    data = client.execute(docs.CREATE_DATASET, {"name": name, "description": description})
    return Dataset.from_api(client, data["createDataset"])


def get_dataset(client: Client, dataset_id: str) -> Dataset:
    return Dataset.from_api(client, client._get_one(docs.GET_DATASET, {"id": dataset_id}, "dataset", "Dataset"))


def get_datasets(client: Client, where: object = None) -> PaginatedCollection[Dataset]:
    """Every dataset, or those `where` selects; deleted datasets are left out, as the SDK leaves them out."""
    clause = where_input(Dataset, where)
    not_deleted = {"deleted": False}
    combined = {"AND": [not_deleted, clause]} if clause else not_deleted

    def fetch(skip: int, first: int) -> list[Any]:
        data = client.execute(docs.GET_DATASETS, {"where": combined, "skip": skip, "first": first})
        return list(data["datasets"])

    return PaginatedCollection(fetch, lambda node: Dataset.from_api(client, node), DATASETS_PAGE_SIZE)


def get_data_row_ids_for_global_keys(client: Client, global_keys: Sequence[str],
                                     timeout_seconds: float = 60) -> dict[str, Any]:
    """{"status", "results", "errors"}: an id per key in order ("" where none), errors for keys not found."""
    job = client.execute(docs.DATA_ROWS_FOR_GLOBAL_KEYS, {"globalKeys": list(global_keys)})
    job_id = job["dataRowsForGlobalKeys"]["jobId"]

    def check() -> dict[str, Any] | None:
        answer = client.execute(docs.DATA_ROWS_FOR_GLOBAL_KEYS_RESULT, {"jobId": job_id})
        result = answer["dataRowsForGlobalKeysResult"]
        if result["jobStatus"] == "FAILED":
            raise ResourceCreationError("Job dataRowsForGlobalKeys failed.")
        return result["data"] if result["jobStatus"] == "COMPLETE" else None

    data = client.poller.wait(check, timeout=timeout_seconds, interval=2.0, what=f"global key lookup {job_id}")
    results = [row["id"] for row in data["fetchedDataRows"]]
    errors = ([{"global_key": key, "error": "Data Row not found"} for key in data["notFoundGlobalKeys"]]
              + [{"global_key": key, "error": "Access denied to Data Row"} for key in data["accessDeniedGlobalKeys"]])
    found = [row_id for row_id in results if row_id]
    return {"status": _job_status(found, errors), "results": results, "errors": errors}


EXTERNAL_IDS_PER_REQUEST = 100  # as the SDK sends them


def get_data_row_ids_for_external_ids(client: Client, external_ids: Sequence[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)  # the SDK answers a defaultdict too
    for start in range(0, len(external_ids), EXTERNAL_IDS_PER_REQUEST):
        page = list(external_ids[start:start + EXTERNAL_IDS_PER_REQUEST])
        for row in client.execute(docs.GET_DATA_ROW_IDS_FOR_EXTERNAL_IDS, {"externalId_in": page})[
                "externalIdsToDataRowIds"]:
            found[row["externalId"]].append(row["dataRowId"])
    return found


def assign_global_keys_to_data_rows(client: Client, links: Sequence[Mapping[str, str]],
                                    timeout_seconds: float = 60) -> dict[str, Any]:
    """{"status", "results", "errors"} as the SDK shapes them: results are the keys set (sanitized or as
    given), errors the links Labelbox refused, with why."""
    invalid = [link for link in links if "data_row_id" not in link or "global_key" not in link]
    if invalid:
        raise ValueError("Must provide a list of dicts containing both `data_row_id` and `global_key`. "
                         f"The following dict(s) are invalid: {invalid}.")
    inputs = [{"dataRowId": link["data_row_id"], "globalKey": link["global_key"]} for link in links]
    job = client.execute(docs.ASSIGN_GLOBAL_KEYS, {"globalKeyDataRowLinks": inputs})
    job_id = job["assignGlobalKeysToDataRows"]["jobId"]

    def check() -> dict[str, Any] | None:
        result = client.execute(docs.ASSIGN_GLOBAL_KEYS_RESULT, {"jobId": job_id})["assignGlobalKeysToDataRowsResult"]
        if result["jobStatus"] == "FAILED":
            raise LabelboxError("Job assign_global_keys_to_data_rows failed.")
        return result["data"] if result["jobStatus"] == "COMPLETE" else None

    data = client.poller.wait(check, timeout=timeout_seconds, interval=2.0, what=f"global key assignment {job_id}")

    def done(rows: list[dict[str, str]], sanitized: bool) -> list[dict[str, Any]]:
        return [{"data_row_id": r["dataRowId"], "global_key": r["globalKey"], "sanitized": sanitized} for r in rows]

    def refused(rows: list[dict[str, str]], error: str) -> list[dict[str, Any]]:
        return [{"data_row_id": r["dataRowId"], "global_key": r["globalKey"], "error": error} for r in rows]

    results = done(data["sanitizedAssignments"], True) + done(data["unmodifiedAssignments"], False)
    errors = (refused(data["invalidGlobalKeyAssignments"],
                      "Invalid assignment. Either DataRow does not exist, or globalKey is invalid")
              + refused(data["accessDeniedAssignments"], "Access denied to Data Row"))
    return {"status": _job_status(results, errors), "results": results, "errors": errors}


def clear_global_keys(client: Client, global_keys: Sequence[str], timeout_seconds: float = 60) -> dict[str, Any]:
    """{"status", "results", "errors"} as the SDK shapes them: results are the keys cleared, errors the keys
    that could not be, with why."""
    job = client.execute(docs.CLEAR_GLOBAL_KEYS, {"globalKeys": list(global_keys)})
    job_id = job["clearGlobalKeys"]["jobId"]

    def check() -> dict[str, Any] | None:
        result = client.execute(docs.CLEAR_GLOBAL_KEYS_RESULT, {"jobId": job_id})["clearGlobalKeysResult"]
        if result["jobStatus"] == "FAILED":
            raise LabelboxError("Job clearGlobalKeys failed.")
        return result["data"] if result["jobStatus"] == "COMPLETE" else None

    data = client.poller.wait(check, timeout=timeout_seconds, interval=2.0, what=f"global key clearing {job_id}")
    results = list(data["clearedGlobalKeys"])
    errors = [{"global_key": key, "error": error} for field, error in (
        ("failedToClearGlobalKeys", "Clearing global key failed"),
        ("notFoundGlobalKeys", "Failed to find data row matching provided global key"),
        ("accessDeniedGlobalKeys", "Denied access to modify data row matching provided global key"),
    ) for key in data[field]]
    return {"status": _job_status(results, errors), "results": results, "errors": errors}


def _job_status(results: Sequence[Any], errors: Sequence[Any]) -> str:
    """The SDK's CollectionJobStatus values."""
    return "SUCCESS" if not errors else ("PARTIAL SUCCESS" if results else "FAILURE")


def get_data_row_by_global_key(client: Client, global_key: str) -> DataRow:
    answer = get_data_row_ids_for_global_keys(client, [global_key])
    if answer["status"] != "SUCCESS":
        raise ResourceNotFoundError(message=f"no data row with global key {global_key!r}")
    return client.get_data_row(answer["results"][0])
