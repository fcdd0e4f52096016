"""Ground-truth label imports: NDJSON rows checked by the prediction validator, landing as project labels.

The rows are validated against the project's ontology and data rows exactly as
prediction imports are (one validator, `engines.predictions`). Each data row
with accepted rows gets one new label holding them, in the project's label
records, where `project.labels()`, model-run label registration and exports
find it. A MAL prediction import (MALPredictionImport) is checked the same way
and adds its rows to the project's pre-labels instead. Rows that fail change
nothing; an import that fails as a whole (an unreadable file, a deleted
project) writes nothing.
"""

from __future__ import annotations

from typing import Any

from ..clock import MockClock
from ..ids import IdFactory
from ..state.errors import NotFound
from ..state.organization import Organization
from ..state.records import AnnotationImport, Label
from .files import FileHost
from .prediction_imports import (
    bring_files_up_to_date,
    check_new_name,
    checked_input,
    project_scope,
    refresh_import,
    run_checked,
    upsert_by_uuid,
)
from .tasks import TaskEngine

LABEL_IMPORT = "label"  # AnnotationImport.kind: ground truth, into the project's labels
MAL_IMPORT = "mal-project"  # pre-labels into the project (MALPredictionImport)
_KIND_NAMES = {LABEL_IMPORT: "label import", MAL_IMPORT: "MAL prediction import"}


def run_label_import(org: Organization, ids: IdFactory, files: FileHost, clock: MockClock,
                     record: AnnotationImport) -> dict[str, int]:
    """Validates the import's rows; a label import writes one label per data row with accepted rows,
    a MAL import adds them to the row's pre-labels."""
    assert record.project_id is not None
    project = org.project(record.project_id)
    outcome = run_checked(files, record, project_scope(org, project), "labels")
    now = clock.now()
    by_row: dict[str, list[dict[str, Any]]] = {}
    for row_id, annotation in zip(outcome.row_ids, outcome.predictions, strict=True):
        by_row.setdefault(row_id, []).append(annotation)
    if record.kind == MAL_IMPORT:
        for row_id, annotations in by_row.items():
            project.prelabels[row_id] = upsert_by_uuid(project.prelabels.get(row_id, []), annotations)
        project.updated_at = now
        return {"rows": outcome.rows, "accepted": len(outcome.predictions)}
    for row_id, annotations in by_row.items():
        label = Label(id=ids.new(), project_id=project.id, data_row_id=row_id, created_at=now, updated_at=now,
                      annotations=annotations, created_by_id=org.user.id)
        org.labels[label.id] = label
        project.label_ids.append(label.id)
    project.updated_at = now
    return {"rows": outcome.rows, "accepted": len(outcome.predictions), "labels": len(by_row)}


def start_label_import(tasks: TaskEngine, files: FileHost, org: Organization, base_url: str, kind: str,
                       project_id: str, name: str, file_url: str | None,
                       file_content: bytes | None) -> AnnotationImport:
    """A new import into a project (`label` or `mal-project`) of an uploaded file or of a URL, as a task."""
    project = org.project(project_id)
    check_new_name(org, kind, project.id, name)
    text = checked_input(file_url, file_content, "labels")
    project_scope(org, project)  # refuses a project without an ontology now rather than later
    record = AnnotationImport(id=tasks.ids.new(), name=name, kind=kind, model_run_id="", created_at=tasks.clock.now(),
                              project_id=project.id, input_url=file_url, input_text=text)
    org.add_annotation_import(record)

    def effect() -> dict[str, int]:
        return run_label_import(org, tasks.ids, files, tasks.clock, record)

    record.task_id = tasks.start(org, "label-import", f"{_KIND_NAMES[kind].capitalize()} {name}", effect,
                                 shown_running=True).id
    bring_files_up_to_date(files, org, base_url, record)
    return record


def project_imports(tasks: TaskEngine, files: FileHost, org: Organization, base_url: str, kind: str,
                    project_id: str, skip: int | None, first: int | None) -> list[AnnotationImport]:
    """A page of a project's imports of one kind (`label` or `mal-project`), oldest first, each read as
    `read_import` reads one. The project's imports are an ordered view of the organisation's imports,
    built once after a change, so a page costs O(page)."""
    project = org.project(project_id)
    ordered = org.annotation_imports.view(
        ("imports", kind, project.id),
        lambda records: [r for r in records if r.kind == kind and r.project_id == project.id])
    start = max(skip or 0, 0)
    chunk = ordered[start:] if first is None else ordered[start:start + max(first, 0)]
    for record in chunk:
        refresh_import(tasks, files, org, base_url, record)
    return chunk


def delete_mal_import(org: Organization, import_id: str) -> AnnotationImport:
    """Deletes a MAL prediction import by id: it leaves the project's list and its name is free again.
    Pre-labels it already wrote stay, and a running import still finishes (docs/porting.md)."""
    record = org.annotation_imports.get(import_id)
    if record is None or record.kind != MAL_IMPORT:
        raise NotFound("MALPredictionImport", import_id)
    org.remove_annotation_import(record)
    return record
