"""Datasets and their data rows: creation, reads, deletion, and the metadata ontology rows are checked against.

Deleting a data row takes it out of everything that lists it by id: its
dataset, batches, task queues, its labels (and so projects' label lists),
pre-labels, model runs (the row's entry goes with its labels, split and
predictions) and model slices. Nothing in state points at a row that is gone, so
no read or export meets a missing row. Records of what already happened keep
the ids they were made with: a finished task's result, an import's input.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from attrs import define

from ..clock import MockClock
from ..ids import IdFactory
from .errors import InvalidInput
from .metadata_schemas import ENUM, RESERVED_METADATA
from .organization import Organization
from .records import Batch, DataRow, Dataset, TaskQueue


@define
class UpsertOutcome:
    """What a data-row upsert task did: the rows it created or updated, and each refused spec."""

    row_ids: list[str]
    failures: list[dict[str, Any]]  # {"message", "spec": the refused payload}


@define
class GlobalKeyLookup:
    """The answer of a dataRowsForGlobalKeys job, in the order the keys were asked."""

    global_keys: list[str]
    found: list[str]  # data row id per key, "" where none


def create_dataset(org: Organization, ids: IdFactory, clock: MockClock, name: str,
                   description: str | None = None) -> Dataset:
    if not name or not name.strip():
        raise InvalidInput("a dataset needs a non-empty name")
    now = clock.now()
    dataset = Dataset(id=ids.new(), name=name, created_at=now, updated_at=now, description=description,
                      created_by_id=org.user.id)
    org.datasets[dataset.id] = dataset
    return dataset


def update_dataset(org: Organization, clock: MockClock, dataset_id: str, changes: dict[str, Any]) -> Dataset:
    """Renames or describes a dataset; `deleted: true` deletes it and its rows. Answers the dataset as it was last."""
    dataset = org.dataset(dataset_id)
    name = changes.get("name")
    if name is not None and not name.strip():
        raise InvalidInput("a dataset needs a non-empty name")
    if changes.get("deleted"):
        delete_data_rows(org, list(dataset.data_row_ids))
        del org.datasets[dataset.id]
        return dataset
    if name is not None:
        dataset.name = name
    if "description" in changes:
        dataset.description = changes["description"]
    dataset.updated_at = clock.now()
    return dataset


def dataset_of(org: Organization, row_id: str) -> Dataset:
    return org.dataset(org.data_row(row_id).dataset_id)


def dataset_rows(org: Organization, dataset_id: str, where: dict[str, Any] | None, start_id: str | None,
                 size: int) -> tuple[list[DataRow], str | None]:
    """One page of a dataset's rows, newest first, from row `start_id`; and the id the next page starts at."""
    dataset = org.dataset(dataset_id)
    newest_first = dataset.data_row_ids[::-1]
    start = 0
    if start_id:
        try:
            start = newest_first.index(start_id)
        except ValueError:
            raise InvalidInput(f"from: data row {start_id!r} is not in dataset {dataset.id}") from None
    rows = (org.data_rows[row_id] for row_id in newest_first[start:])
    if where:
        fields = {"id": "id", "externalId": "external_id", "globalKey": "global_key", "rowData": "row_data"}
        wanted = [(fields[key], value) for key, value in where.items() if value is not None]
        rows = (row for row in rows if all(getattr(row, attr) == value for attr, value in wanted))
    page: list[DataRow] = []
    for row in rows:
        if len(page) == size:
            return page, row.id
        page.append(row)
    return page, None


def delete_data_rows(org: Organization, row_ids: Sequence[str]) -> list[DataRow]:
    """Deletes rows (all known, else nothing changes) and every reference to them; answers the rows deleted."""
    unknown = [row_id for row_id in row_ids if row_id not in org.data_rows]
    if unknown:
        raise InvalidInput(f"dataRowIds: no data row with id {', '.join(repr(u) for u in unknown[:5])}")
    gone = set(row_ids)
    rows = [org.data_rows.pop(row_id) for row_id in dict.fromkeys(row_ids)]
    for row in rows:
        if row.global_key is not None:
            org.data_rows_by_global_key.pop(row.global_key, None)
    for dataset_id in {row.dataset_id for row in rows}:
        dataset = org.datasets.get(dataset_id)
        if dataset is not None:
            dataset.data_row_ids = [row_id for row_id in dataset.data_row_ids if row_id not in gone]
    holders: list[Batch | TaskQueue] = [*org.batches.values(), *org.task_queues.values()]
    for holder in holders:
        if gone.intersection(holder.data_row_ids):
            holder.data_row_ids = [row_id for row_id in holder.data_row_ids if row_id not in gone]
    doomed = {label.id for label in org.labels.values() if label.data_row_id in gone}
    for project in org.projects.values():
        if doomed.intersection(project.label_ids):
            project.label_ids = [label_id for label_id in project.label_ids if label_id not in doomed]
        for row_id in gone.intersection(project.prelabels):
            del project.prelabels[row_id]
    for label_id in doomed:
        del org.labels[label_id]
    for run in org.model_runs.values():
        held = gone.intersection(run.rows)
        if held:
            for row_id in held:
                del run.rows[row_id]
            run.rows_version += 1  # the run's ordered view (model_run_rows.ordered_rows) is rebuilt
    for model_slice in org.model_slices.values():
        if gone.intersection(model_slice.data_row_ids):
            model_slice.data_row_ids = [row_id for row_id in model_slice.data_row_ids if row_id not in gone]
    return rows


def find_global_keys(org: Organization, global_keys: Iterable[str]) -> list[str]:
    """The data row id of each key, "" where a key names no row."""
    return [org.data_rows_by_global_key.get(key, "") for key in global_keys]


def custom_metadata(org: Organization, row: DataRow) -> list[dict[str, Any]]:
    """A row's metadata as `customMetadata` lists it: {schemaId, value}, enum options as their own entries.

    Only fields of the organisation's schemas: the SDK refuses a row whose metadata it cannot place
    (a seed may give a row any field).
    """
    out: list[dict[str, Any]] = []
    for field in row.metadata_fields:
        schema_id = field.get("schemaId")
        if not isinstance(schema_id, str):
            continue
        schema = RESERVED_BY_ID.get(schema_id) or org.metadata_schemas.get(schema_id)
        if schema is None:
            continue
        if schema.kind == ENUM:
            value = field.get("value")
            option = value.get("schemaId") if isinstance(value, dict) else None
            out.append({"schemaId": schema.id, "value": {}})
            if option is not None:
                out.append({"schemaId": option, "value": {}})
        else:
            out.append({"schemaId": schema.id, "value": field.get("value")})
    return out


RESERVED_BY_ID = {schema.id: schema for schema in RESERVED_METADATA}

__all__ = ["RESERVED_METADATA"]  # where the catalog's tests have always found it
