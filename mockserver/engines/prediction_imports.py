"""Running prediction imports: what happens when an import's task completes.

An MEA import validates its NDJSON against the model's ontology and the run's
data rows, then stores the accepted predictions on the run's rows. An MEA-to-MAL
import takes a run's stored predictions for some rows and validates them against
a project's ontology and rows; accepted ones become the project's pre-labels.
Either way every row's status is kept, and nothing is stored if the import fails
as a whole (an unreadable file, a deleted model run).
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ..clock import MockClock
from ..state.errors import Conflict, InvalidInput, NotFound
from ..state.model_run_rows import require_in_run
from ..state.organization import Organization
from ..state.policies import Policies
from ..state.projects import data_row_ids_in
from ..state.records import IMPORT_TYPES, AnnotationImport, ModelRun, Project, Task
from .files import FileHost
from .tasks import TaskEngine

# The validator (a dozen modules) loads when an import first runs: a mock that imports nothing never pays for it.
if TYPE_CHECKING:
    from .predictions import Scope, ValidationOutcome


def render_ndjson(rows: Iterable[dict[str, Any]]) -> str:
    """Rows as NDJSON, without a trailing newline (what the SDK's parser reads)."""
    return "\n".join(json.dumps(row) for row in rows)


def model_run_scope(org: Organization, run: ModelRun) -> Scope:
    from .predictions import FeatureIndex, Scope

    model = org.model(run.model_id)
    return Scope(
        features=FeatureIndex(org.ontology(model.ontology_id)),
        data_rows=org.data_rows,
        global_keys=org.data_rows_by_global_key,
        members=run.rows,
        container=f"model run {run.id}",
        admission_hint="; add it with upsert_data_rows first",
    )


def project_scope(org: Organization, project: Project) -> Scope:
    from .predictions import FeatureIndex, Scope

    if project.ontology_id is None:
        raise InvalidInput(f"project {project.id} has no ontology to import predictions into")
    return Scope(
        features=FeatureIndex(org.ontology(project.ontology_id)),
        data_rows=org.data_rows,
        global_keys=org.data_rows_by_global_key,
        members=data_row_ids_in(org, project),
        container=f"project {project.id}",
        admission_hint="; add it to a batch of the project first",
        metrics=False,
    )


def _decode(content: bytes, where: str) -> str:
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InvalidInput(f"{where} is not UTF-8 text: {error}") from None


@contextmanager
def _collector_paused() -> Iterator[None]:
    """An import makes millions of small objects that all stay alive; the cyclic collector
    would rescan them again and again for nothing (it more than halves throughput)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if gc.get_freeze_count() == 0:
                # what the import made stays alive (stored predictions, statuses); the young collection
                # the next allocation would run over it all would find nothing, and cost as much again
                # as the collector the pause saved (0.4-0.7 µs a row). Freezing and unfreezing moves the
                # young objects into the oldest generation instead; skipped if anyone froze objects.
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def _record_outcome(record: AnnotationImport, outcome: ValidationOutcome) -> None:
    lines, failed = outcome.status_lines()
    record.status_text = "\n".join(lines)
    record.error_text = "\n".join(failed)


def upsert_by_uuid(existing: list[dict[str, Any]], incoming: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Predictions are keyed by uuid: a new one with a known uuid replaces the old one."""
    if not existing:  # the usual case; an import's uuids are unique already (the validator sees to it)
        return incoming
    merged = {prediction["uuid"]: prediction for prediction in existing}
    merged.update((prediction["uuid"], prediction) for prediction in incoming)
    return list(merged.values())


def _grouped(outcome: ValidationOutcome) -> dict[str, list[dict[str, Any]]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    get = groups.get
    for row_id, prediction in zip(outcome.row_ids, outcome.predictions, strict=True):
        group = get(row_id)
        if group is None:  # (setdefault would build an empty list per row only to drop it)
            groups[row_id] = [prediction]
        else:
            group.append(prediction)
    return groups


def run_checked(files: FileHost, record: AnnotationImport, scope: Scope, what: str = "predictions") -> ValidationOutcome:
    """Reads an import's rows (uploaded, or at its URL), validates them in `scope` and records every status.

    Prediction imports and ground-truth label imports both come through here: one validator for both.
    """
    from .predictions import PredictionValidator

    if record.input_text is None:
        assert record.input_url is not None
        text = _decode(files.read(record.input_url), f"the file at {record.input_url}")
    else:
        text = record.input_text
    if not text.strip():
        raise InvalidInput(f"the import file holds no {what}")
    with _collector_paused():
        outcome = PredictionValidator(scope).check_text(text)
        _record_outcome(record, outcome)
    return outcome


def run_mea_import(org: Organization, files: FileHost, clock: MockClock, record: AnnotationImport) -> dict[str, int]:
    """Validates and stores an MEA import; answers its counts (the task's result)."""
    run = org.model_run(record.model_run_id)
    with _collector_paused():  # one pause for both steps: each resumption collects every new object once
        outcome = run_checked(files, record, model_run_scope(org, run))
        now = clock.now()
        rows = run.rows
        for row_id, predictions in _grouped(outcome).items():
            entry = rows[row_id]
            existing = entry.predictions
            entry.predictions = upsert_by_uuid(existing, predictions) if existing else predictions
            entry.updated_at = now
    run.rows_version += 1
    run.updated_at = now
    return {"rows": outcome.rows, "accepted": len(outcome.predictions)}


def run_mal_import(org: Organization, clock: MockClock, record: AnnotationImport, data_row_ids: list[str]) -> dict[str, int]:
    """Sends a run's predictions for `data_row_ids` to the project as pre-labels, row by row."""
    from .predictions import PredictionValidator

    run = org.model_run(record.model_run_id)
    assert record.project_id is not None
    project = org.project(record.project_id)
    require_in_run(run, data_row_ids)
    scope = project_scope(org, project)
    # the project's ontology decides the feature: match by schemaId only, the name comes from it
    inputs = [
        {**{key: value for key, value in prediction.items() if key != "name"}, "dataRow": {"id": row_id}}
        for row_id in dict.fromkeys(data_row_ids)
        for prediction in run.rows[row_id].predictions
    ]
    with _collector_paused():
        record.input_text = render_ndjson(inputs)
        outcome = PredictionValidator(scope).check_rows(inputs)
        _record_outcome(record, outcome)
        for row_id, predictions in _grouped(outcome).items():
            project.prelabels[row_id] = upsert_by_uuid(project.prelabels.get(row_id, []), predictions)
    project.updated_at = clock.now()
    return {"rows": outcome.rows, "accepted": len(outcome.predictions)}


# -- starting and reading imports: what the resolvers call ---------------------------------------------

NDJSON = "application/x-ndjson"
# an import's state is its task's: IN_PROGRESS reads as RUNNING, COMPLETE as FINISHED
IMPORT_STATES = {"IN_PROGRESS": "RUNNING", "COMPLETE": "FINISHED", "FAILED": "FAILED"}


def import_state(org: Organization, record: AnnotationImport) -> str:
    return state_of_task(org.tasks.get(record.task_id))


def state_of_task(task: Task | None) -> str:
    """An import's state (RUNNING, FINISHED, FAILED) from its task's status; an import without its task failed."""
    return IMPORT_STATES.get(task.status, "RUNNING") if task is not None else "FAILED"


def check_new_name(org: Organization, kind: str, parent_id: str, name: str) -> None:
    if not name or not name.strip():
        raise InvalidInput("an import needs a non-empty name")
    try:
        org.annotation_import(kind, parent_id, name)
    except NotFound:
        return
    parent = IMPORT_TYPES[kind][1]
    raise Conflict(f"{parent} {parent_id} already has an import named {name!r}; import names are unique")


def checked_input(file_url: str | None, file_content: bytes | None, what: str) -> str | None:
    """The uploaded text of an import, or None for a URL one; InvalidInput unless exactly one is usable."""
    if (file_url is None) == (file_content is None):
        raise InvalidInput("give exactly one of fileUrl or filePayload")
    if file_content is None:
        if urlsplit(file_url or "").scheme not in ("http", "https"):
            raise InvalidInput(f"fileUrl must be an http(s) URL, got {file_url!r}")
        return None
    try:
        text = file_content.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InvalidInput(f"the uploaded file is not UTF-8 NDJSON: {error}") from None
    if not text.strip():
        raise InvalidInput(f"the uploaded file holds no {what}")
    return text


def start_mea_import(tasks: TaskEngine, files: FileHost, org: Organization, base_url: str, model_run_id: str,
                     name: str, file_url: str | None, file_content: bytes | None,
                     policies: Policies) -> AnnotationImport:
    """A new MEA import of an uploaded file or of a URL, run as a `prediction-import` task.

    Under `mea_imports="deprecated"` it is refused first, as Labelbox's service refuses it today.
    """
    policies.check_mea_import()
    run = org.model_run(model_run_id)
    check_new_name(org, "mea", run.id, name)
    text = checked_input(file_url, file_content, "predictions")
    record = AnnotationImport(id=tasks.ids.new(), name=name, kind="mea", model_run_id=run.id,
                              created_at=tasks.clock.now(), input_url=file_url, input_text=text)
    org.add_annotation_import(record)

    def effect() -> dict[str, int]:
        return run_mea_import(org, files, tasks.clock, record)

    record.task_id = tasks.start(org, "prediction-import", f"MEA prediction import {name}", effect,
                                 shown_running=True).id
    bring_files_up_to_date(files, org, base_url, record)
    return record


def start_mal_import(tasks: TaskEngine, files: FileHost, org: Organization, base_url: str, model_run_id: str,
                     project_id: str, name: str, data_row_ids: list[str]) -> AnnotationImport:
    """A new MEA-to-MAL import of a run's predictions for some rows, run as a `mal-import` task."""
    run = org.model_run(model_run_id)
    project = org.project(project_id)
    check_new_name(org, "mal", project.id, name)
    if not data_row_ids:
        raise InvalidInput("dataRowIds is empty")
    require_in_run(run, data_row_ids)
    project_scope(org, project)  # refuses a project without an ontology now rather than later
    record = AnnotationImport(id=tasks.ids.new(), name=name, kind="mal", model_run_id=run.id,
                              created_at=tasks.clock.now(), project_id=project.id)
    org.add_annotation_import(record)

    def effect() -> dict[str, int]:
        return run_mal_import(org, tasks.clock, record, data_row_ids)

    record.task_id = tasks.start(org, "mal-import", f"MEA to MAL prediction import {name}", effect,
                                 shown_running=True).id
    bring_files_up_to_date(files, org, base_url, record)
    return record


def read_import(tasks: TaskEngine, files: FileHost, org: Organization, base_url: str, kind: str, parent_id: str,
                name: str) -> AnnotationImport:
    """An import by name, read: the read counts toward its task's transition, and its files are signed afresh."""
    record = org.annotation_import(kind, parent_id, name)
    refresh_import(tasks, files, org, base_url, record)
    return record


def refresh_import(tasks: TaskEngine, files: FileHost, org: Organization, base_url: str,
                   record: AnnotationImport) -> None:
    """One read of an import: it counts toward its task's transition, and its files are signed afresh."""
    task = org.tasks.get(record.task_id)
    if task is not None:
        tasks.observe(task)
    bring_files_up_to_date(files, org, base_url, record)


def bring_files_up_to_date(files: FileHost, org: Organization, base_url: str, record: AnnotationImport) -> None:
    """Writes a failed import's report once, and signs each file whose last signature expired.

    Signed URLs expire and an import can be read long after it finished, so a
    read re-signs; everything an answer shows is on the record once this returns.
    """
    state = import_state(org, record)
    if state == "FAILED" and record.status_text is None and record.error_text is None:
        task = org.tasks.get(record.task_id)
        reason = (task.errors if task is not None else None) or f"import {record.name!r} failed"
        record.error_text = render_ndjson([{
            "uuid": None, "dataRow": None, "status": "FAILURE",
            "errors": [{"name": "ImportFailed", "message": str(reason), "additionalInfo": None}],
        }])
    done = state != "RUNNING"
    texts = {"input": record.input_text, "status": record.status_text if done else None,
             "errors": record.error_text if done else None}
    for which, text in texts.items():
        if text is not None:
            url = record.signed_urls.get(which)
            if url is None or not files.is_live(url):
                record.signed_urls[which] = files.sign(base_url, text.encode("utf-8"), NDJSON)
