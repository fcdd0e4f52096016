"""Datasets: their data rows (created and updated through the SDK's upload path), exports and deletion."""

from __future__ import annotations

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
from .exceptions import ResourceCreationError, ResourceNotFoundError
from .export_task import ExportTask
from .fields import parse_datetime
from .pagination import CursorCollection, PaginatedCollection
from .task import Task

if TYPE_CHECKING:
    from .client import Client
    from .data_row import DataRow

DATA_ROWS_PAGE_SIZE = 500
DATASETS_PAGE_SIZE = 100


# `lb.Dataset.name == "a"` builds a where clause, as in the SDK; the service filters on these
@queryable(uid="id", name="name", description="description")
class Dataset(Entity):
    client: Client = field(repr=False)
    uid: Field[str]
    name: Field[str]
    description: Field[str | None]
    row_count: int
    created_at: datetime | None
    updated_at: datetime | None

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
    status = "SUCCESS" if not errors else ("PARTIAL SUCCESS" if found else "FAILURE")
    return {"status": status, "results": results, "errors": errors}


def get_data_row_by_global_key(client: Client, global_key: str) -> DataRow:
    answer = get_data_row_ids_for_global_keys(client, [global_key])
    if answer["status"] != "SUCCESS":
        raise ResourceNotFoundError(message=f"no data row with global key {global_key!r}")
    return client.get_data_row(answer["results"][0])
