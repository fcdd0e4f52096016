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
from . import queue_priority, row_metadata
from .errors import InvalidInput
from .metadata_schemas import ENUM, RESERVED_METADATA
from .organization import Organization
from .records import DataRow, Dataset
from .row_data import check_row_data, default_media_attributes

# How many deleted row ids an organisation remembers, so deleting one again is not an error
DELETED_IDS_KEPT = 100_000


@define
class UpsertOutcome:
    """What a data-row upsert task did: the rows it created or updated, and each refused spec."""

    row_ids: list[str]
    failures: list[dict[str, Any]]  # {"message", "spec": the refused payload}
    result_url: str | None = None  # the signed report file, re-signed once it expires


@define
class GlobalKeyAssignment:
    """What an assignGlobalKeysToDataRows job did: (data row id, global key) pairs by outcome."""

    given: list[tuple[str, str]]
    assigned: list[tuple[str, str]]
    invalid: list[tuple[str, str]]


@define
class GlobalKeyClearing:
    """What a clearGlobalKeys job did: the keys it took off their rows, and those that named no row."""

    given: list[str]
    cleared: list[str]
    not_found: list[str]


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
        org.row_positions.pop(dataset.id, None)
        return dataset
    if name is not None:
        dataset.name = name
    if "description" in changes:
        dataset.description = changes["description"]
    dataset.updated_at = clock.now()
    return dataset


def dataset_of(org: Organization, row_id: str) -> Dataset:
    return org.dataset(org.data_row(row_id).dataset_id)


def dataset_rows(org: Organization, dataset_id: str, where: dict[str, Any] | None, after_id: str | None,
                 size: int) -> tuple[list[DataRow], str | None]:
    """One page of a dataset's rows, newest first, after row `after_id` (the cursor a page answered, or a row
    the caller names); and the cursor of the next page: the id of this page's last row, None at the end."""
    dataset = org.dataset(dataset_id)
    order = dataset.data_row_ids
    start = len(order) - 1
    if after_id:
        position = _positions(org, dataset).get(after_id)
        if position is None:
            raise InvalidInput(f"from: data row {after_id!r} is not in dataset {dataset.id}")
        start = position - 1
    rows = (org.data_rows[order[index]] for index in range(start, -1, -1))
    if where:
        fields = {"id": "id", "externalId": "external_id", "globalKey": "global_key", "rowData": "row_data"}
        wanted = [(fields[key], value) for key, value in where.items() if value is not None]
        rows = (row for row in rows if all(getattr(row, attr) == value for attr, value in wanted))
    page: list[DataRow] = []
    for row in rows:
        if len(page) == size:
            return page, page[-1].id
        page.append(row)
    return page, None


def _positions(org: Organization, dataset: Dataset) -> dict[str, int]:
    """Row id -> position in the dataset, indexed again only when its rows changed (rows are appended, and a
    deletion makes a new list), so paging through a dataset costs a page per page."""
    order = dataset.data_row_ids
    cached = org.row_positions.get(dataset.id)
    if cached is None or cached[0] is not order or cached[1] != len(order):
        cached = (order, len(order), {row_id: index for index, row_id in enumerate(order)})
        org.row_positions[dataset.id] = cached
    return cached[2]


def delete_data_rows(org: Organization, row_ids: Sequence[str]) -> list[DataRow]:
    """Deletes rows and every reference to them; answers the rows deleted.

    A row deleted before is deleted already: Labelbox answers it without error (the SDK's tests delete
    rows twice). An id that never named a row of the organisation is refused, and nothing changes.
    """
    unknown = [row_id for row_id in row_ids if row_id not in org.data_rows and row_id not in org.deleted_data_rows]
    if unknown:
        raise InvalidInput(f"dataRowIds: no data row with id {', '.join(repr(u) for u in unknown[:5])}")
    gone = {row_id for row_id in row_ids if row_id in org.data_rows}
    rows = [org.data_rows.pop(row_id) for row_id in dict.fromkeys(row_ids) if row_id in gone]
    for row in rows:
        org.deleted_data_rows[row.id] = None
    while len(org.deleted_data_rows) > DELETED_IDS_KEPT:  # the oldest are forgotten first
        del org.deleted_data_rows[next(iter(org.deleted_data_rows))]
    if any(row.metadata_fields for row in rows):
        org.metadata_usage = None
    if any(row.attachments for row in rows):
        org.attachment_usage = None
    for row in rows:
        if row.global_key is not None:
            org.data_rows_by_global_key.pop(row.global_key, None)
    for dataset_id in {row.dataset_id for row in rows}:
        dataset = org.datasets.get(dataset_id)
        if dataset is not None:
            dataset.data_row_ids = [row_id for row_id in dataset.data_row_ids if row_id not in gone]
    for batch in org.batches.values():
        if gone.intersection(batch.data_row_ids):
            queue_priority.take_out(batch, gone)
    for queue in org.task_queues.values():
        if gone.intersection(queue.data_row_ids):
            queue.data_row_ids = [row_id for row_id in queue.data_row_ids if row_id not in gone]
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


def global_key_problem(key: Any) -> str | None:
    """Why `key` cannot be a global key (Labelbox refuses keys with leading, trailing or doubled spaces);
    None when it can."""
    if not isinstance(key, str) or not key.strip():
        return f"a global key is a non-empty string, got {key!r}"
    if key != key.strip() or "  " in key:
        return f"global key {key!r} has leading, trailing or doubled whitespace"
    return None


def assign_global_keys(org: Organization, links: Sequence[tuple[str, str]]) -> GlobalKeyAssignment:
    """Gives each row its key, in order; a link is invalid (and changes nothing) when its row is not there,
    its key is not a valid global key, or another row holds the key (an earlier link included)."""
    outcome = GlobalKeyAssignment(list(links), [], [])
    for row_id, key in links:
        row = org.data_rows.get(row_id)
        owner = org.data_rows_by_global_key.get(key)
        if row is None or global_key_problem(key) is not None or (owner is not None and owner != row_id):
            outcome.invalid.append((row_id, key))
            continue
        if row.global_key is not None and row.global_key != key:
            org.data_rows_by_global_key.pop(row.global_key, None)
        row.global_key = key
        org.data_rows_by_global_key[key] = row.id
        outcome.assigned.append((row_id, key))
    return outcome


def clear_global_keys(org: Organization, global_keys: Sequence[str]) -> GlobalKeyClearing:
    """Takes each key off the row that holds it, in order; a key no row holds (a repeat of one cleared just
    before included) is not found, and changes nothing."""
    outcome = GlobalKeyClearing(list(global_keys), [], [])
    for key in global_keys:
        row_id = org.data_rows_by_global_key.pop(key, None)
        if row_id is None or row_id not in org.data_rows:
            outcome.not_found.append(key)
            continue
        org.data_rows[row_id].global_key = None
        outcome.cleared.append(key)
    return outcome


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


def external_id_matches(org: Organization, external_ids: Sequence[str]) -> list[tuple[str, str]]:
    """(external id, data row id) for every row with one of these external ids, rows in creation order."""
    wanted = set(external_ids)
    if not wanted:
        return []
    return [(row.external_id, row.id) for row in org.data_rows.values()
            if row.external_id is not None and row.external_id in wanted]


def update_data_row(org: Organization, clock: MockClock, where: dict[str, Any], data: dict[str, Any]) -> DataRow:
    """Changes a row's external id, global key, row data or metadata (each given, not null); checks all first.

    New row data is processed as an upload's is (row_data.check_row_data): a PDF object becomes its URL.
    Metadata given replaces the row's metadata whole.
    """
    if where.get("id") is not None:
        row = org.data_row(where["id"])
    elif where.get("globalKey") is not None:
        row = org.data_row_by_global_key(where["globalKey"])
    else:
        raise InvalidInput("where: give the data row's id or globalKey")
    changes = {key: value for key, value in data.items() if value is not None}
    if not changes:
        raise InvalidInput("data: give at least one of externalId, globalKey, rowData, metadataFields")
    for name in ("externalId", "globalKey"):
        if name in changes and (not isinstance(changes[name], str) or not changes[name].strip()):
            raise InvalidInput(f"{name}: must be a non-empty string, got {changes[name]!r}")
    key: str | None = changes.get("globalKey")
    if key is not None and (problem := global_key_problem(key)) is not None:
        raise InvalidInput(f"globalKey: {problem}")
    owner = org.data_rows_by_global_key.get(key) if key is not None else None
    if owner is not None and owner != row.id:
        raise InvalidInput(f"Duplicate global key: '{key}'")
    content: tuple[str, str | None, dict[str, Any] | None] | None = None
    if "rowData" in changes:
        checked = check_row_data(changes["rowData"], None)
        if isinstance(checked, str):
            raise InvalidInput(f"rowData: {checked}")
        content = checked
    fields = None
    if "metadataFields" in changes:
        fields, message = row_metadata.parse_fields(changes["metadataFields"], row_metadata.Schemas(org),
                                                    "metadataFields")
        if message is not None:
            raise InvalidInput(message)
        row_metadata.check_quota(org, row.metadata_fields, fields)
    # checked: now change
    if "externalId" in changes:
        row.external_id = changes["externalId"]
    if key is not None and key != row.global_key:
        if row.global_key is not None:
            org.data_rows_by_global_key.pop(row.global_key, None)
        row.global_key = key
        org.data_rows_by_global_key[key] = row.id
    if content is not None:
        row.row_data, media_type, attributes = content
        if media_type is not None:
            row.media_type = media_type
        row.media_attributes = attributes or default_media_attributes(row.media_type)
    if fields is not None:
        row_metadata.replace_fields(org, row, fields)
    row.updated_at = clock.now()
    return row
