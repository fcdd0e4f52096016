"""What an export sees: a model run's rows as they were when the export was asked for.

Only the fields the export's params need are taken, and only by reference or
shallow copy: lists that state appends to in place become tuples; dicts and
strings, which state replaces rather than edits, are shared.

A run's rows are kept as columns (`RowTable`: one list per field), and each
`RowSnapshot` is built when it is rendered. A record per row would add one
container per row for CPython's cyclic garbage collector to track: a 200,000-row
snapshot, alive while it renders, was promoted to the oldest generation and
triggered a full collection over the whole heap (the run's state included) in the
middle of the export, a pause of hundreds of milliseconds for every request of the
process. Columns add a fixed number of containers; only what a row really has
(labels, predictions, metadata, attachments, embeddings) adds a tuple.
The per-row records are plain slotted classes, not frozen ones (a frozen attrs
class sets each field through object.__setattr__); nothing writes to them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, overload

from attrs import define, frozen

from ..state.attachments import exported as exported_attachments
from ..state.organization import Organization
from ..state.records import ModelRun
from .export_annotations import Annotation, FeatureIndex


@frozen
class ExportParams:
    """`ModelRunExportParamsInput`, as the flags the row renderer reads."""

    attachments: bool = False
    embeddings: bool = False
    metadata_fields: bool = False
    data_row_details: bool = False
    predictions: bool = False
    model_run_details: bool = False
    media_type_override: str | None = None

    @classmethod
    def from_input(cls, params: Mapping[str, Any] | None) -> ExportParams:
        given = params or {}
        return cls(
            attachments=bool(given.get("includeAttachments")),
            embeddings=bool(given.get("includeEmbeddings")),
            metadata_fields=bool(given.get("includeMetadata")),
            data_row_details=bool(given.get("includeDataRowDetails")),
            predictions=bool(given.get("includePredictions")),
            model_run_details=bool(given.get("includeModelRunDetails")),
            media_type_override=given.get("mediaTypeOverride"),
        )

    @classmethod
    def everything(cls) -> ExportParams:
        return cls(True, True, True, True, True, True)


@define
class LabelSnapshot:
    id: str
    annotations: tuple[Annotation, ...]
    created_at: float
    updated_at: float
    project_name: str | None


@define
class DataRowDetails:
    dataset_id: str
    dataset_name: str | None
    created_at: float
    updated_at: float


@define
class RowSnapshot:
    """One model-run data row; a field the params leave out is None."""

    data_row_id: str
    global_key: str | None
    external_id: str | None
    row_data: str
    media_type: str
    media_attributes: Mapping[str, Any]
    run_data_row_id: str
    split: str | None
    labels: tuple[LabelSnapshot, ...]
    predictions: tuple[Annotation, ...] | None
    details: DataRowDetails | None
    metadata_fields: tuple[Any, ...] | None
    attachments: tuple[Any, ...] | None
    embeddings: tuple[Any, ...] | None


@define
class RowError:
    """A row the export could not produce, for the ERRORS stream."""

    data_row_id: str
    run_data_row_id: str
    message: str


@frozen
class RunSnapshot:
    model_id: str
    model_name: str | None
    run_id: str
    run_name: str
    created_by: str
    features: FeatureIndex
    params: ExportParams
    rows: RowTable
    errors: tuple[RowError, ...]


class RowTable(Sequence[RowSnapshot]):
    """A run's snapshot rows as columns; `table[i]` builds row i's record (see the module's docstring)."""

    _DETAILS = 4  # the last columns: dataset id and name, created at, updated at (data row details)

    def __init__(self) -> None:
        self._columns: tuple[list[Any], ...] = tuple([] for _ in range(13 + self._DETAILS))
        self._appends = tuple(column.append for column in self._columns)

    def add(self, *values: Any) -> None:
        """Appends a row: RowSnapshot's fields but `details`, then the details' four (or four Nones)."""
        for append, value in zip(self._appends, values, strict=True):
            append(value)

    def __len__(self) -> int:
        return len(self._columns[0])

    @property
    def columns(self) -> tuple[list[Any], ...]:
        """The columns, in `add`'s order, for a renderer that reads rows without building their records."""
        return self._columns

    @overload
    def __getitem__(self, index: int) -> RowSnapshot: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[RowSnapshot]: ...
    def __getitem__(self, index: int | slice) -> RowSnapshot | Sequence[RowSnapshot]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        (data_row_id, global_key, external_id, row_data, media_type, media_attributes, run_data_row_id, split,
         labels, predictions, metadata_fields, attachments, embeddings, dataset_id, dataset_name, created_at,
         updated_at) = [column[index] for column in self._columns]
        details = None if dataset_id is None else DataRowDetails(dataset_id, dataset_name, created_at, updated_at)
        return RowSnapshot(data_row_id, global_key, external_id, row_data, media_type, media_attributes,
                           run_data_row_id, split, labels, predictions, details, metadata_fields, attachments,
                           embeddings)

    def __iter__(self) -> Iterator[RowSnapshot]:
        return (self[index] for index in range(len(self)))


def take_snapshot(org: Organization, run: ModelRun, params: ExportParams) -> RunSnapshot:
    staged = StagedSnapshot(org, run, params)
    staged.advance(None)
    return staged.result()


class StagedSnapshot:
    """A run's snapshot taken a slice of rows at a time, so a worker can take it between requests.

    Which entries are exported is fixed when it starts (a copy of the run's entry list, made
    in C); each slice reads its entries' labels, predictions and data rows when `advance` takes
    it, under the organisation's lock. Taken in one go (`take_snapshot`), it is one atomic read.
    """

    def __init__(self, org: Organization, run: ModelRun, params: ExportParams) -> None:
        model = org.models.get(run.model_id)
        ontology = org.ontologies.get(model.ontology_id) if model is not None else None
        self._org, self._params = org, params
        self._head = (run.model_id, model.name if model is not None else None, run.id, run.name, org.user.email,
                      FeatureIndex.of(ontology))
        self._entries = list(run.rows.values())
        self._next = 0
        self._rows = RowTable()
        self._errors: list[RowError] = []

    @property
    def done(self) -> bool:
        return self._next >= len(self._entries)

    def advance(self, limit: int | None) -> None:
        """Reads up to `limit` more entries (all that are left when None)."""
        stop = len(self._entries) if limit is None else min(len(self._entries), self._next + limit)
        org, params, rows, errors = self._org, self._params, self._rows, self._errors
        for index in range(self._next, stop):
            entry = self._entries[index]
            row = org.data_rows.get(entry.data_row_id)
            if row is None:
                errors.append(RowError(entry.data_row_id, entry.id, f"data row {entry.data_row_id} no longer exists"))
                continue
            labels = []
            for label_id in entry.label_ids:
                label = org.labels.get(label_id)
                if label is None:
                    errors.append(RowError(row.id, entry.id, f"label {label_id} of data row {row.id} no longer exists"))
                    continue
                project = org.projects.get(label.project_id)
                labels.append(LabelSnapshot(label.id, tuple(label.annotations), label.created_at, label.updated_at,
                                            project.name if project is not None else None))
            # details' columns: None when not asked for (dataset_id is never None in state)
            dataset_id = dataset_name = created_at = updated_at = None
            if params.data_row_details:
                dataset = org.datasets.get(row.dataset_id)
                dataset_id, created_at, updated_at = row.dataset_id, row.created_at, row.updated_at
                dataset_name = dataset.name if dataset is not None else None
            rows.add(row.id, row.global_key, row.external_id, row.row_data, params.media_type_override or row.media_type,
                     row.media_attributes, entry.id, entry.split, tuple(labels),  # () is shared: no object per row
                     tuple(entry.predictions) if params.predictions else None,
                     tuple(row.metadata_fields) if params.metadata_fields else None,
                     exported_attachments(row.attachments) if params.attachments else None,
                     tuple(row.embeddings) if params.embeddings else None,
                     dataset_id, dataset_name, created_at, updated_at)
        self._next = stop

    def result(self) -> RunSnapshot:
        model_id, model_name, run_id, run_name, created_by, features = self._head
        return RunSnapshot(model_id=model_id, model_name=model_name, run_id=run_id, run_name=run_name,
                           created_by=created_by, features=features, params=self._params, rows=self._rows,
                           errors=tuple(self._errors))
