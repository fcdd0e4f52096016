"""Project and catalog exports: which data rows they take, what of each row they snapshot, and its v2 row.

A project export takes the project's data rows (its batches', and rows labelled
in it) and shows the project's labels. A catalog export takes the rows its
search query selects (a dataset, listed data row ids or global keys) and shows
the labels of the projects its params name (`project_ids`, `all_projects`) and
the entries of the model runs they name (`model_run_ids`, `all_model_runs`).
Rows are picked when the export is asked for (ids only), snapshotted at its
task's first read and rendered as it progresses, through the same export
engine as model-run exports.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from attrs import frozen

from ..state.attachments import exported as exported_attachments
from ..state.organization import Organization
from ..state.projects import queue_types_by_row, workflow_status
from ..state.records import DataRow, Label, Project
from .export_annotations import FeatureIndex
from .export_filters import compile_filters
from .export_rows import iso, v2_data_row, v2_experiments, v2_label
from .export_snapshot import DataRowDetails, ExportParams, LabelSnapshot, RowSnapshot, RunSnapshot, take_snapshot


@frozen
class CatalogParams:
    """`ExportParamsInput` as the flags the renderer reads."""

    rows: ExportParams  # attachments, embeddings, metadata, data row details, predictions, media type
    project_details: bool = False
    label_details: bool = False
    performance_details: bool = False
    project_ids: tuple[str, ...] = ()
    all_projects: bool = False
    model_run_ids: tuple[str, ...] = ()
    all_model_runs: bool = False

    @classmethod
    def from_input(cls, given: Mapping[str, Any] | None) -> CatalogParams:
        given = given or {}
        return cls(
            rows=ExportParams.from_input({**given, "includeModelRunDetails": True}),
            project_details=bool(given.get("includeProjectDetails")),
            label_details=bool(given.get("includeLabelDetails")),
            performance_details=bool(given.get("includePerformanceDetails")),
            project_ids=tuple(given.get("projectIds") or ()),
            all_projects=bool(given.get("allProjects")),
            model_run_ids=tuple(given.get("modelRunIds") or ()),
            all_model_runs=bool(given.get("allModelRuns")),
        )


@frozen
class ProjectEntry:
    """A row's place in one project: its labels, batch and queue."""

    project_id: str
    project_name: str
    ontology_id: str | None
    features: FeatureIndex
    labels: tuple[LabelSnapshot, ...]
    label_authors: tuple[str, ...]
    batch_id: str | None
    batch_name: str | None
    priority: int | None
    workflow_status: str | None


@frozen
class CatalogRow:
    data_row_id: str
    global_key: str | None
    external_id: str | None
    row_data: str
    media_type: str
    media_attributes: Mapping[str, Any]
    details: DataRowDetails | None
    metadata_fields: tuple[Any, ...] | None
    attachments: tuple[Any, ...] | None
    embeddings: tuple[Any, ...] | None
    projects: tuple[ProjectEntry, ...]
    experiments: tuple[tuple[RowSnapshot, RunSnapshot], ...]


@frozen
class CatalogSnapshot:
    created_by: str
    params: CatalogParams
    rows: tuple[CatalogRow, ...]


# -- selection ---------------------------------------------------------------------------------

def select_rows(org: Organization, query: Sequence[Mapping[str, Any]], within: Iterable[str] | None,
                project: Project | None = None) -> list[str]:
    """The ids of the rows every filter admits, in dataset order (or `within`'s order when given)."""
    admits = compile_filters(org, query, project)
    order = list(within) if within is not None else [row_id for d in org.datasets.values() for row_id in d.data_row_ids]
    return [row_id for row_id in dict.fromkeys(order)
            if row_id in org.data_rows and all(admit(row_id) for admit in admits)]


def project_row_ids(org: Organization, project: Project) -> list[str]:
    """The project's rows in order: its batches' rows, then rows labelled in it without a batch."""
    ordered = [row_id for batch_id in project.batch_ids for row_id in org.batches[batch_id].data_row_ids]
    ordered += [org.labels[label_id].data_row_id for label_id in project.label_ids]
    return list(dict.fromkeys(ordered))


# -- snapshot ---------------------------------------------------------------------------------

class _ProjectView:
    """One project's labels, batches and queues by data row, built once per export."""

    def __init__(self, org: Organization, project: Project) -> None:
        self.project = project
        ontology = org.ontologies.get(project.ontology_id) if project.ontology_id else None
        self.features = FeatureIndex.of(ontology)
        self.labels: dict[str, list[Label]] = {}
        for label_id in project.label_ids:
            label = org.labels[label_id]
            self.labels.setdefault(label.data_row_id, []).append(label)
        self.batches = {row_id: org.batches[batch_id] for batch_id in project.batch_ids
                        for row_id in org.batches[batch_id].data_row_ids}
        self.queues = queue_types_by_row(org, project)
        self.user_email = org.user.email

    def entry(self, row_id: str) -> ProjectEntry | None:
        labels = self.labels.get(row_id, [])
        batch = self.batches.get(row_id)
        if not labels and batch is None:
            return None
        queue = self.queues.get(row_id)
        status = workflow_status(queue, bool(labels))
        return ProjectEntry(
            project_id=self.project.id, project_name=self.project.name, ontology_id=self.project.ontology_id,
            features=self.features,
            labels=tuple(LabelSnapshot(label.id, tuple(label.annotations), label.created_at, label.updated_at,
                                       self.project.name) for label in labels),
            label_authors=tuple(self.user_email for _label in labels),
            batch_id=batch.id if batch else None, batch_name=batch.name if batch else None,
            priority=batch.priority if batch else None, workflow_status=status,
        )


def take_catalog_snapshot(org: Organization, row_ids: Sequence[str], params: CatalogParams,
                          projects: Sequence[Project]) -> CatalogSnapshot:
    views = [_ProjectView(org, project) for project in projects]
    runs = _run_snapshots(org, params)
    rows = []
    for row_id in row_ids:
        row: DataRow | None = org.data_rows.get(row_id)
        if row is None:  # deleted between the export's mutation and its snapshot
            continue
        flags = params.rows
        details = None
        if flags.data_row_details:
            dataset = org.datasets.get(row.dataset_id)
            details = DataRowDetails(row.dataset_id, dataset.name if dataset else None, row.created_at, row.updated_at)
        entries = tuple(entry for view in views if (entry := view.entry(row_id)) is not None)
        experiments = tuple((by_row[row_id], run) for run, by_row in runs if row_id in by_row)
        rows.append(CatalogRow(
            data_row_id=row.id, global_key=row.global_key, external_id=row.external_id, row_data=row.row_data,
            media_type=flags.media_type_override or row.media_type, media_attributes=row.media_attributes,
            details=details,
            metadata_fields=tuple(export_metadata(row.metadata_fields)) if flags.metadata_fields else None,
            attachments=exported_attachments(row.attachments) if flags.attachments else None,
            embeddings=tuple(row.embeddings) if flags.embeddings else None,
            projects=entries, experiments=experiments,
        ))
    return CatalogSnapshot(created_by=org.user.email, params=params, rows=tuple(rows))


def _run_snapshots(org: Organization, params: CatalogParams) -> list[tuple[RunSnapshot, dict[str, RowSnapshot]]]:
    run_ids = list(org.model_runs) if params.all_model_runs else list(params.model_run_ids)
    out = []
    for run_id in run_ids:
        snapshot = take_snapshot(org, org.model_run(run_id), params.rows)
        out.append((snapshot, {row.data_row_id: row for row in snapshot.rows}))
    return out


def catalog_projects(org: Organization, params: CatalogParams) -> list[Project]:
    if params.all_projects:
        return list(org.projects.values())
    return [org.project(project_id) for project_id in params.project_ids]


def export_metadata(fields: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Metadata as export v2 writes it: schema_id, schema_name, value (an enum's value is its option)."""
    out = []
    for field in fields:
        value = field.get("value")
        if isinstance(value, Mapping) and "schemaId" in value:
            value = {"schema_id": value["schemaId"], "schema_name": value.get("name")}
        out.append({"schema_id": field.get("schemaId"), "schema_name": field.get("name"), "value": value})
    return out


# -- rendering ---------------------------------------------------------------------------------

def catalog_row(row: CatalogRow, snapshot: CatalogSnapshot) -> dict[str, Any]:
    """One data row in export v2's shape for a project or catalog export."""
    params = snapshot.params
    shaped = v2_data_row(row, snapshot.created_by)
    shaped["projects"] = {entry.project_id: _project(entry, params, row.media_type) for entry in row.projects}
    if row.experiments:
        experiments: dict[str, Any] = {}
        for run_row, run in row.experiments:
            for model_id, model in v2_experiments(run_row, run).items():
                experiments.setdefault(model_id, {"name": model["name"], "runs": {}})["runs"].update(model["runs"])
        shaped["experiments"] = experiments
    return shaped


def _project(entry: ProjectEntry, params: CatalogParams, media_type: str) -> dict[str, Any]:
    labels = []
    for label, author in zip(entry.labels, entry.label_authors, strict=True):
        shaped = v2_label(label, entry.features, media_type)
        if params.label_details:
            shaped["label_details"] = {
                "created_at": iso(label.created_at), "updated_at": iso(label.updated_at), "created_by": author,
                "content_last_updated_at": iso(label.updated_at), "reviews": [],
            }
        if params.performance_details:
            shaped["performance_details"] = {"seconds_to_create": 0, "seconds_to_review": 0, "skipped": False}
        labels.append(shaped)
    project: dict[str, Any] = {"name": entry.project_name, "labels": labels}
    if params.project_details:
        project["project_details"] = {
            "ontology_id": entry.ontology_id, "batch_id": entry.batch_id, "batch_name": entry.batch_name,
            "workflow_status": entry.workflow_status, "priority": entry.priority,
            "consensus_expected_label_count": 1, "workflow_history": [],
            "selected_label_id": entry.labels[-1].id if entry.labels else None,
        }
    return project




def project_rows(org: Organization, project_id: str, filters: Mapping[str, Any]) -> tuple[Project, list[str]]:
    """What `exportDataRowsInProject` exports: the project, and the ids of its rows its filters admit."""
    project = org.project(project_id)
    query = (filters.get("searchQuery") or {}).get("query") or []
    return project, select_rows(org, query, project_row_ids(org, project), project)


def catalog_rows(org: Organization, filters: Mapping[str, Any]) -> list[str]:
    """What `exportDataRowsInCatalog` exports: the ids of the rows its search query selects."""
    query = (filters.get("searchQuery") or {}).get("query") or []
    return select_rows(org, query, None)


def check_model_runs(org: Organization, params: CatalogParams) -> None:
    """Raises NotFound for a model run the params name that does not exist (before a task starts)."""
    if not params.all_model_runs:
        for run_id in params.model_run_ids:
            org.model_run(run_id)
