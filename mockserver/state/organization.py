"""An organisation: everything one API key can see, with lookups that name what is missing."""

from __future__ import annotations

from typing import Any, TypeVar

import attrs
from attrs import Factory, define, field

from .creation_order import CreationOrder
from .errors import NotFound
from .records import (
    IMPORT_TYPES,
    NOT_DUMPED,
    AnnotationImport,
    Batch,
    DataRow,
    Dataset,
    FeatureSchema,
    FoundryApp,
    HostedFile,
    Label,
    MetadataSchema,
    Model,
    ModelRun,
    ModelRunDataRow,
    ModelSlice,
    Ontology,
    Project,
    ResourceTag,
    Task,
    TaskQueue,
    User,
)
from .tables import LiveIds, Table

T = TypeVar("T")


def _get(table: dict[str, T], kind: str, key: str) -> T:
    try:
        return table[key]
    except KeyError:
        raise NotFound(kind, key) from None


@define
class Organization:
    id: str
    name: str
    created_at: float
    user: User
    ontologies: Table[Ontology] = Factory(Table)
    # root feature schemas by id; a feature schema outlives the ontologies that place it
    feature_schemas: Table[FeatureSchema] = Factory(Table)
    feature_schema_seq: int = 0  # the last FeatureSchema.seq given
    feature_schema_bytes: int = 0  # the definitions' size as JSON, which the byte quota bounds
    # id -> when it was deleted: the latest deletions, so deleting again says so (bounded, oldest dropped)
    deleted_feature_schemas: Table[float] = Factory(Table)  # a Table: its ids count as live (Store.track_ids)
    datasets: Table[Dataset] = Factory(Table)
    # the organisation's own data-row metadata schemas by id (the reserved ones are shared constants)
    metadata_schemas: Table[MetadataSchema] = Factory(Table)
    data_rows: Table[DataRow] = Factory(Table)
    data_rows_by_global_key: dict[str, str] = Factory(dict)
    # ids of deleted rows, oldest first (a dict as an ordered set): deleting one again is not an error
    deleted_data_rows: Table[None] = Factory(Table)
    projects: Table[Project] = Factory(Table)
    task_queues: Table[TaskQueue] = Factory(Table)
    batches: Table[Batch] = Factory(Table)
    labels: Table[Label] = Factory(Table)
    models: Table[Model] = Factory(Table)
    model_runs: Table[ModelRun] = Factory(Table)
    tasks: Table[Task] = Factory(Table)
    annotation_imports: Table[AnnotationImport] = Factory(Table)
    model_slices: Table[ModelSlice] = Factory(Table)
    resource_tags: Table[ResourceTag] = Factory(Table)
    foundry_apps: Table[FoundryApp] = Factory(Table)
    # catalog: what a data-row upsert or a global-key lookup task produced, by task id (state/datasets.py)
    task_outcomes: Table[Any] = Factory(Table)
    # model run id -> (its rows_version, its entries in order): the index pages read, kept beside the
    # records rather than in them (state/model_run_rows.ordered_rows keeps it fresh)
    run_row_order: dict[str, tuple[int, list[ModelRunDataRow]]] = field(
        factory=dict, repr=False, eq=False, metadata=NOT_DUMPED)
    # model run id -> (its rows_version, its row count, [(split or None, rows)] in the order splits first occur):
    # the counts the dashboard shows, made again only when the run changed (state/model_run_rows.split_counts)
    run_split_counts: dict[str, tuple[int, int, list[tuple[str | None, int]]]] = field(
        factory=dict, repr=False, eq=False, metadata=NOT_DUMPED)
    # dataset id -> (its data_row_ids list as indexed, its length then, row id -> position): the index a
    # dataset page's cursor is found by (state/datasets.dataset_rows), kept beside the records
    row_positions: dict[str, tuple[list[str], int, dict[str, int]]] = field(
        factory=dict, repr=False, eq=False, metadata=NOT_DUMPED)
    # running totals (count, bytes) of metadata values and attachments on rows, for their quotas;
    # None: counted again from the rows on next use (state/row_metadata.usage, state/attachments.usage)
    metadata_usage: tuple[int, int] | None = field(default=None, repr=False, eq=False, metadata=NOT_DUMPED)
    attachment_usage: tuple[int, int] | None = field(default=None, repr=False, eq=False, metadata=NOT_DUMPED)
    # (kind, model run or project id, name) -> import id; kept by add_annotation_import
    annotation_imports_by_name: dict[tuple[str, str, str], str] = field(
        factory=dict, repr=False, eq=False, metadata=NOT_DUMPED)
    # feature schema id -> ids of the ontologies holding it; built on first use (state/ontologies.schema_users)
    schema_users: dict[str, set[str]] | None = field(default=None, repr=False, eq=False, metadata=NOT_DUMPED)
    # creation order of the feature schemas and of the ontologies, for lists paged from an id onwards
    feature_schema_order: CreationOrder | None = field(default=None, repr=False, eq=False, metadata=NOT_DUMPED)
    ontology_order: CreationOrder | None = field(default=None, repr=False, eq=False, metadata=NOT_DUMPED)

    def tables(self) -> list[dict[str, Any]]:
        """Every table of records, keyed by id."""
        return [value for value in attrs.astuple(self, recurse=False) if isinstance(value, dict)]

    def track_ids(self, live: LiveIds | None) -> None:
        """Counts the ids of every Table in `live` from now on (None: no longer)."""
        for table in self.tables():
            if isinstance(table, Table):
                table.track(live)

    def ontology(self, key: str) -> Ontology:
        return _get(self.ontologies, "Ontology", key)

    def feature_schema(self, key: str) -> FeatureSchema:
        return _get(self.feature_schemas, "FeatureSchema", key)

    def dataset(self, key: str) -> Dataset:
        return _get(self.datasets, "Dataset", key)

    def data_row(self, key: str) -> DataRow:
        return _get(self.data_rows, "DataRow", key)

    def data_row_by_global_key(self, global_key: str) -> DataRow:
        try:
            return self.data_rows[self.data_rows_by_global_key[global_key]]
        except KeyError:
            raise NotFound("DataRow", global_key, by="global key") from None

    def project(self, key: str) -> Project:
        return _get(self.projects, "Project", key)

    def task_queue(self, key: str) -> TaskQueue:
        return _get(self.task_queues, "TaskQueue", key)

    def batch(self, key: str) -> Batch:
        return _get(self.batches, "Batch", key)

    def label(self, key: str) -> Label:
        return _get(self.labels, "Label", key)

    def model(self, key: str) -> Model:
        return _get(self.models, "Model", key)

    def model_run(self, key: str) -> ModelRun:
        return _get(self.model_runs, "ModelRun", key)

    def task(self, key: str) -> Task:
        return _get(self.tasks, "Task", key)

    def resource_tag(self, key: str) -> ResourceTag:
        return _get(self.resource_tags, "ResourceTag", key)

    def foundry_app(self, key: str) -> FoundryApp:
        return _get(self.foundry_apps, "App", key)

    def model_slice(self, key: str) -> ModelSlice:
        return _get(self.model_slices, "ModelSlice", key)

    def add_annotation_import(self, record: AnnotationImport) -> None:
        """Adds an import, indexed by id and by its name under its model run or project."""
        self.annotation_imports[record.id] = record
        self.annotation_imports_by_name[_import_key(record)] = record.id

    def remove_annotation_import(self, record: AnnotationImport) -> None:
        """Removes an import from both of its indexes."""
        del self.annotation_imports[record.id]
        self.annotation_imports_by_name.pop(_import_key(record), None)

    def annotation_import(self, kind: str, parent_id: str, name: str) -> AnnotationImport:
        """An import by its name under its model run (`mea`) or project (`mal`)."""
        index = self.annotation_imports_by_name
        if len(index) != len(self.annotation_imports):  # written to directly: index again (names are unique)
            index.clear()
            index.update((_import_key(record), record.id) for record in self.annotation_imports.values())
        record_id = index.get((kind, parent_id, name))
        record = self.annotation_imports.get(record_id) if record_id is not None else None
        if record is not None:
            return record
        what, parent = IMPORT_TYPES[kind]
        error = NotFound(what, name, by="name")
        error.args = (f"{what} not found: no import named {name!r} in {parent} {parent_id}",)
        raise error


def _import_key(record: AnnotationImport) -> tuple[str, str, str]:
    parent = record.model_run_id if record.kind == "mea" else record.project_id
    return record.kind, parent or "", record.name


__all__ = ["HostedFile", "Organization"]
