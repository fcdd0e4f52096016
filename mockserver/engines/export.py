"""The export builder: model-run exports as tasks, their streams, and how streams are cut into files.

An export is a task of kind "export". Its rows are a snapshot taken when it is
asked for; when the task completes (by its transition) each stream is measured
line by line, after which its size and line count are known and any chunk can be
served by re-rendering only the lines the chunk covers.

Chunks are `chunking.chunk_bytes` long. By default a chunk is stretched to the
end of the line it stops in, as the real service's files hold whole lines
(labelbox 4.0.0's `get_stream` decodes each chunk on its own and needs that);
with `align_to_lines=False` chunks are cut mid-line, which labelbox 7.17.0 and
labelbox_lite handle and tests use to cross lines over chunk boundaries.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from attrs import define, field, frozen, validators

from ..state.errors import InvalidInput
from ..state.organization import Organization
from ..state.records import Task
from .export_catalog import CatalogParams, catalog_row, catalog_snapshot, project_snapshot
from .export_rows import error_row, line, v1_label_row, v2_row
from .export_snapshot import ExportParams, RowError, RunSnapshot, take_snapshot
from .ndjson_stream import NdjsonStream
from .tasks import TaskEngine

T = TypeVar("T")

DEFAULT_CHUNK_BYTES = 1024 * 1024
# Task.type values: the SDK's Task.errors and has_errors branch on "export-data-rows"
EXPORT_TASK_TYPE = "export-data-rows"
LABELS_EXPORT_TASK_TYPE = "export-model-run-annotations"


@frozen
class Chunking:
    chunk_bytes: int = field(default=DEFAULT_CHUNK_BYTES, validator=validators.ge(1))
    align_to_lines: bool = True


@frozen
class ChunkSpan:
    """Where one chunk sits in its stream: bytes and lines, both inclusive."""

    start: int
    end: int
    first_line: int
    last_line: int


@define
class _Export:
    """One export task: how to build its streams, then the streams once built."""

    builders: Mapping[str, Callable[[], NdjsonStream]]
    streams: dict[str, NdjsonStream] | None = None

    def build(self) -> None:
        self.streams = {stream_type: build() for stream_type, build in self.builders.items()}


def _rows_export(rows: Sequence[T], render: Callable[[T], Any], errors: Sequence[RowError] = ()) -> _Export:
    """An export v2 of snapshot rows: RESULT renders each row, ERRORS each row that could not be produced."""
    def result() -> NdjsonStream:
        return NdjsonStream(len(rows), lambda i: line(render(rows[i])))

    def failed() -> NdjsonStream:
        return NdjsonStream(len(errors), lambda i: line(error_row(errors[i])))

    return _Export({"RESULT": result, "ERRORS": failed})


def _model_run_export(snapshot: RunSnapshot) -> _Export:
    return _rows_export(snapshot.rows, lambda row: v2_row(row, snapshot), snapshot.errors)


def _labels_export(snapshot: RunSnapshot) -> _Export:
    pairs = tuple((row, label) for row in snapshot.rows for label in row.labels)

    def result() -> NdjsonStream:
        return NdjsonStream(len(pairs), lambda i: line(v1_label_row(pairs[i][0], pairs[i][1], snapshot)))

    return _Export({"RESULT": result})


class ExportEngine:
    def __init__(self, tasks: TaskEngine, chunking: Chunking | None = None) -> None:
        self.tasks = tasks
        self._default_chunking = chunking or Chunking()
        self.chunking = self._default_chunking
        self._exports: dict[str, _Export] = {}  # task id -> export
        self._pending_label_exports: dict[tuple[str, str], str] = {}  # (org id, run id) -> task id
        tasks.on_forget(self._forget_task)

    def __repr__(self) -> str:
        return f"<ExportEngine exports={len(self._exports)} {self.chunking}>"

    def set_chunking(self, chunking: Chunking) -> None:
        self.chunking = chunking

    def reset(self) -> None:
        """Forgets every export and goes back to the chunking the mock was built with."""
        self._exports.clear()
        self._pending_label_exports.clear()
        self.chunking = self._default_chunking

    def _forget_task(self, task_id: str) -> None:
        self._exports.pop(task_id, None)
        for key, pending in list(self._pending_label_exports.items()):
            if pending == task_id:
                self._pending_label_exports.pop(key, None)

    def forget(self, org: Organization) -> None:
        """Drops the exports of one organisation (its reset)."""
        for task_id in org.tasks:
            self._exports.pop(task_id, None)
        for key in list(self._pending_label_exports):  # a copy: other tenants export meanwhile
            if key[0] == org.id:
                self._pending_label_exports.pop(key, None)

    # -- export v2 -------------------------------------------------------------------
    def export_model_run(self, org: Organization, run_id: str, task_name: str | None, params: ExportParams) -> Task:
        """Starts an export of the run as it is now; raises NotFound for an unknown or deleted run."""
        run = org.model_run(run_id)
        export = _model_run_export(take_snapshot(org, run, params))
        name = task_name or f"Export v2: Model Run {run.name}"
        task = self.tasks.start(org, "export", name, export.build, task_type=EXPORT_TASK_TYPE)
        self._exports[task.id] = export
        return task

    def export_rows(self, org: Organization, name: str, rows: Sequence[T], render: Callable[[T], Any]) -> Task:
        """Starts an export v2 of `rows` (an immutable snapshot), each rendered by `render` when streamed.

        Project and catalog exports come through here, to the same tasks, streams and chunks as model runs.
        """
        export = _rows_export(rows, render)
        task = self.tasks.start(org, "export", name, export.build, task_type=EXPORT_TASK_TYPE)
        self._exports[task.id] = export
        return task

    def export_project(self, org: Organization, request: Mapping[str, Any]) -> Task:
        """`exportDataRowsInProject`: raises NotFound for an unknown project, InvalidInput for a filter it lacks."""
        params = CatalogParams.from_input(request.get("params"))
        project, snapshot = project_snapshot(org, request["filters"]["projectId"], request["filters"], params)
        name = request.get("taskName") or f"Export v2: project - {project.name}"
        return self.export_rows(org, name, snapshot.rows, lambda row: catalog_row(row, snapshot))

    def export_catalog(self, org: Organization, request: Mapping[str, Any]) -> Task:
        """`exportDataRowsInCatalog`: a dataset's rows, or listed rows, with the projects and runs params name."""
        snapshot = catalog_snapshot(org, request["filters"], CatalogParams.from_input(request.get("params")))
        name = request.get("taskName") or f"Export v2: data rows {len(snapshot.rows)}"
        return self.export_rows(org, name, snapshot.rows, lambda row: catalog_row(row, snapshot))

    def stream(self, task: Task, stream_type: str) -> NdjsonStream | None:
        """A completed export's non-empty stream; None when there is none, as the API answers null."""
        export = self._exports.get(task.id)
        if export is None or export.streams is None or task.status != "COMPLETE":
            return None
        stream = export.streams.get(stream_type)
        return stream if stream is not None and stream.lines else None

    def sizes(self, task_id: str) -> dict[str, dict[str, int]]:
        """A built export's streams as {type: {"lines", "bytes"}}; empty before the export is built."""
        export = self._exports.get(task_id)
        if export is None or export.streams is None:
            return {}
        return {kind: {"lines": stream.lines, "bytes": stream.size} for kind, stream in export.streams.items()}

    def span_from_offset(self, stream: NdjsonStream, offset: int) -> ChunkSpan:
        if offset >= stream.size:
            raise InvalidInput(f"offset {offset} is out of range: the stream has {stream.size} bytes "
                               f"(offsets 0 to {stream.size - 1})")
        chunking = self.chunking
        end = min(offset + chunking.chunk_bytes, stream.size) - 1
        if chunking.align_to_lines:
            end = stream.line_end(stream.line_at(end))
        return ChunkSpan(offset, end, stream.line_at(offset), stream.line_at(end))

    def span_from_line(self, stream: NdjsonStream, line_index: int) -> ChunkSpan:
        if line_index >= stream.lines:
            raise InvalidInput(f"line {line_index} is out of range: the stream has {stream.lines} lines "
                               f"(0 to {stream.lines - 1})")
        return self.span_from_offset(stream, stream.line_start(line_index))

    # -- export v1: ModelRun.export_labels ---------------------------------------------
    def export_labels(self, org: Organization, run_id: str) -> tuple[Task, NdjsonStream | None]:
        """One poll of the run's labels export: the first poll starts it; each one reads its status.

        Once the export has finished (either way) the next poll starts a new
        one, so a later call sees the run's labels as they are then.
        """
        run = org.model_run(run_id)
        key = (org.id, run.id)
        task_id = self._pending_label_exports.get(key)
        task = org.tasks.get(task_id) if task_id is not None else None
        if task is None:
            export = _labels_export(take_snapshot(org, run, ExportParams.everything()))
            task = self.tasks.start(org, "export", f"Export labels: Model Run {run.name}", export.build,
                                    task_type=LABELS_EXPORT_TASK_TYPE)
            self._exports[task.id] = export
            self._pending_label_exports[key] = task.id
        self.tasks.observe(task)  # every poll, the first too, reads the task's status
        if task.status != "IN_PROGRESS":
            del self._pending_label_exports[key]
        export = self._exports[task.id]
        stream = export.streams.get("RESULT") if export.streams is not None and task.status == "COMPLETE" else None
        return task, stream
