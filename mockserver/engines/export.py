"""The export builder: exports as tasks, their streams, how streams are cut into files, and how long they are kept.

An export is a task of kind "export". Its source is a function that takes a
snapshot of what is exported and answers, per stream type, the number of rows and
a function giving the i-th row as a JSON document ("snapshot -> rows"). Creating
an export does nothing per row: the mutation answers at once. The snapshot is
taken at the task's first status read; who renders the lines after it, in the
request or on a worker, is export_rendering.py's (the task completes once they
are all rendered). Every line is rendered once (ndjson_stream) and kept as bytes
with its offset, so the metadata header and any chunk are answered from what was
rendered.

Rendered exports are kept until they expire `Retention.seconds` after completing
on the mock's clock, or until newer exports of the same organisation take the
total past `Retention.bytes_per_org`, oldest first (the newest is always kept).
A released export's task stays COMPLETE; asking for its streams answers an
error saying the result is no longer kept, and its chunk URLs stop serving.

Chunks are `chunking.chunk_bytes` long. By default a chunk is stretched to the
end of the line it stops in, as the real service's files hold whole lines
(labelbox 4.0.0's `get_stream` decodes each chunk on its own and needs that);
with `align_to_lines=False` chunks are cut mid-line, which labelbox 7.17.0 and
labelbox_lite handle and tests use to cross lines over chunk boundaries.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from attrs import define, field, frozen, validators

from ..state.errors import InvalidInput, NotFound, StateError
from ..state.organization import Organization
from ..state.records import Task
from .export_rendering import BackgroundRendering, InlineRendering
from .tasks import TaskEngine

# Snapshots, row documents and their encoding (and orjson, zoneinfo) load with the first export: a mock
# that exports nothing never pays for them at start.
if TYPE_CHECKING:
    from .export_catalog import CatalogSnapshot
    from .export_snapshot import ExportParams, RunSnapshot, StagedSnapshot
    from .ndjson_stream import NdjsonStream

T = TypeVar("T")

DEFAULT_CHUNK_BYTES = 1024 * 1024
# Task.type values: the SDK's Task.errors and has_errors branch on "export-data-rows"
EXPORT_TASK_TYPE = "export-data-rows"
LABELS_EXPORT_TASK_TYPE = "export-model-run-annotations"
# lines rendered by each status read of an export that is not done yet
STEP_LINES = 20_000

Rows = tuple[int, Callable[[int], Any]]  # how many rows, and the i-th as a JSON document
Source = Callable[[], Mapping[str, Rows]]  # takes the snapshot; the rows of each stream type


class Staged(Protocol):
    """A snapshot a worker can take a slice at a time, between requests (a model run's)."""

    @property
    def done(self) -> bool: ...
    def advance(self, limit: int | None) -> None: ...
    def rows(self) -> Mapping[str, Rows]: ...


class _StagedRun:
    def __init__(self, snapshot: StagedSnapshot, rows: Callable[[RunSnapshot], Mapping[str, Rows]]) -> None:
        self._snapshot, self._rows = snapshot, rows

    @property
    def done(self) -> bool:
        return self._snapshot.done

    def advance(self, limit: int | None) -> None:
        self._snapshot.advance(limit)

    def rows(self) -> Mapping[str, Rows]:
        return self._rows(self._snapshot.result())


class RenderFailed(StateError):
    """Rendering an export's rows failed; its task fails with this message."""


@frozen
class Retention:
    """How long rendered exports are kept, and how much of them one organisation may hold."""

    seconds: float = field(default=24 * 3600.0, validator=validators.gt(0))
    bytes_per_org: int = field(default=64 * 1024 * 1024, validator=validators.ge(0))


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
    """One export: its source until the first step takes the snapshot, then its streams as they render."""

    org_id: str
    source: Source | None
    staging: Callable[[], Staged] | None = None  # instead of `source`: a snapshot taken in slices
    staged: Staged | None = None
    streams: dict[str, NdjsonStream] | None = None
    completed_at: float | None = None
    released_because: str | None = None
    failure: str | None = None  # why rendering failed (a worker's error); the task fails with it
    # set once every line is rendered (or rendering failed); a worker renders while requests read this
    rendered: threading.Event = field(factory=threading.Event)
    claimed: bool = False  # taken on by a background renderer (export_rendering.py)

    def begin(self) -> None:
        """Fixes what is exported: the whole snapshot, or the start of a staged one (a copy of the
        run's entry list); reads state, so the caller holds the organisation's lock."""
        if self.staging is not None:
            self.staged, self.staging = self.staging(), None
        elif self.staged is None:
            self.snapshot()

    def snapshot(self) -> None:
        """Takes the whole snapshot (reads state: the caller holds the organisation's lock); once."""
        self.snapshot_step(None)

    def snapshot_step(self, limit: int | None) -> bool:
        """Takes up to `limit` more rows of a staged snapshot (all of any other); True once it is taken.
        Reads state: the caller holds the organisation's lock."""
        if self.streams is not None:
            return True
        if self.staging is not None:
            self.begin()
        if self.staged is not None:
            self.staged.advance(limit)
            if not self.staged.done:
                return False
            rows, self.staged = self.staged.rows(), None
        elif self.source is not None:
            rows, self.source = self.source(), None
        else:
            return True  # released before its snapshot
        from .ndjson_stream import NdjsonStream

        self.streams = {stream_type: NdjsonStream(count, row) for stream_type, (count, row) in rows.items()}
        if all(stream.complete for stream in self.streams.values()):
            self.rendered.set()
        return True

    def step(self, limit: int | None) -> None:
        """Renders up to `limit` more lines over its streams, in order; all that are left when None."""
        self.snapshot()
        for stream in (self.streams or {}).values():
            rendered = stream.render(limit)
            if limit is not None:
                limit -= rendered
                if limit <= 0:
                    break
        if self.streams is not None and all(stream.complete for stream in self.streams.values()):
            self.rendered.set()

    def fail(self, message: str) -> None:
        self.failure = message
        self.rendered.set()

    @property
    def released(self) -> bool:
        return self.released_because is not None

    @property
    def snapshot_taken(self) -> bool:
        return self.streams is not None

    @property
    def nbytes(self) -> int:
        return sum(stream.nbytes for stream in (self.streams or {}).values())

    def release(self, because: str) -> list[Any]:
        """Drops the export's rows and bytes; answers the memory maps that held them (see NdjsonStream.release)."""
        self.released_because = because
        self.source = self.staging = self.staged = None
        return [piece for stream in (self.streams or {}).values() for piece in stream.release()]


def _model_run_rows(snapshot: RunSnapshot) -> Mapping[str, Rows]:
    from .export_rows import error_row, v2_run_rows

    errors = snapshot.errors
    return {
        "RESULT": (len(snapshot.rows), v2_run_rows(snapshot)),
        "ERRORS": (len(errors), lambda i: error_row(errors[i])),
    }


def _catalog_rows(snapshot: CatalogSnapshot) -> Mapping[str, Rows]:
    from .export_catalog import catalog_row

    rows = snapshot.rows
    return {"RESULT": (len(rows), lambda i: catalog_row(rows[i], snapshot))}


def _label_rows(snapshot: RunSnapshot) -> Mapping[str, Rows]:
    from .export_rows import v1_label_row

    pairs = tuple((row, label) for row in snapshot.rows for label in row.labels)
    return {"RESULT": (len(pairs), lambda i: v1_label_row(pairs[i][0], pairs[i][1], snapshot))}


class ExportEngine:
    def __init__(self, tasks: TaskEngine, chunking: Chunking | None = None,
                 retention: Retention | None = None, locks: Callable[[str], AbstractContextManager[Any]] | None = None) -> None:
        """`locks(org_id)`: the organisation's lock, which a rendering worker takes for each slice of a
        snapshot it takes between requests."""
        self.tasks = tasks
        self._locks = locks
        self._default_chunking = chunking or Chunking()
        self.chunking = self._default_chunking
        self.retention = retention or Retention()
        self._exports: dict[str, _Export] = {}  # task id -> export
        self._kept: dict[str, deque[_Export]] = {}  # org id -> rendered exports held, oldest first
        self._pending_label_exports: dict[tuple[str, str], str] = {}  # (org id, run id) -> task id
        self._label_export_of: dict[str, tuple[str, str]] = {}  # task id -> its key above
        self._label_exports_by_org: dict[str, set[str]] = {}  # org id -> its pending label export tasks
        self.rendering: InlineRendering | BackgroundRendering = InlineRendering(STEP_LINES)
        tasks.on_forget(self._forget_task)

    def render_in_background(self) -> None:
        """Renders exports on a worker thread from now on (a server: requests run side by side);
        status reads then answer in about `BackgroundRendering.wait_seconds` at most."""
        if isinstance(self.rendering, InlineRendering):
            self.rendering = BackgroundRendering(locks=self._locks)

    def close(self) -> None:
        """Stops the rendering worker, if any."""
        self.rendering.close()

    def __repr__(self) -> str:
        return f"<ExportEngine exports={len(self._exports)} {self.chunking} {self.retention}>"

    def set_chunking(self, chunking: Chunking) -> None:
        self.chunking = chunking

    def reset(self) -> None:
        """Forgets every export and goes back to the chunking the mock was built with."""
        for export in self._exports.values():
            self._release(export, "the mock was reset")
        self._exports.clear()
        self._kept.clear()
        self._pending_label_exports.clear()
        self._label_export_of.clear()
        self._label_exports_by_org.clear()
        self.chunking = self._default_chunking

    def _forget_task(self, task_id: str) -> None:
        """A finished task expired (the task engine's cap or retention): its export goes with it."""
        export = self._exports.pop(task_id, None)
        if export is not None:
            self._release(export, "its task expired")
        self._unpend(task_id)

    def forget(self, org: Organization) -> None:
        """Drops the exports of one organisation (its reset)."""
        for task_id in org.tasks:
            export = self._exports.pop(task_id, None)
            if export is not None:
                self._release(export, "the organisation was reset")
        self._kept.pop(org.id, None)
        for task_id in list(self._label_exports_by_org.get(org.id, ())):  # its own, never another's
            self._unpend(task_id)

    def _unpend(self, task_id: str) -> None:
        """Forgets a pending label export by its task: O(1), whatever other organisations export."""
        key = self._label_export_of.pop(task_id, None)
        if key is None:
            return
        if self._pending_label_exports.get(key) == task_id:
            del self._pending_label_exports[key]
        own = self._label_exports_by_org.get(key[0])
        if own is not None:
            own.discard(task_id)
            if not own:
                del self._label_exports_by_org[key[0]]

    def held_bytes(self, org: Organization) -> int:
        """What the organisation's rendered exports hold now."""
        return sum(export.nbytes for export in self._kept.get(org.id, ()))

    def start(self, org: Organization, source: Source | None, name: str, task_type: str,
              staging: Callable[[], Staged] | None = None) -> Task:
        """Starts an export task over `source` (or `staging`); nothing is read or rendered until the task
        is first read."""
        self._sweep(org)
        export = _Export(org.id, source, staging)

        def finish() -> None:  # the task completes once `ready` says every line is rendered
            if export.failure is not None:
                raise RenderFailed(export.failure)
            self._keep(org, export)

        task = self.tasks.start(org, "export", name, finish, task_type=task_type,
                                progress=lambda: self.rendering.advance(export),
                                ready=lambda: self.rendering.finished(export),
                                on_failure=lambda: self._release(export, "the export task failed"))
        self._exports[task.id] = export
        return task

    def export_rows(self, org: Organization, name: str, rows: Sequence[T], render: Callable[[T], Any]) -> Task:
        """Starts an export v2 of `rows` (a snapshot already taken), each row a document by `render`.

        For sources whose snapshot is cheap or taken by the caller; the rows are still
        rendered once, as the task progresses, like every export.
        """
        return self.start(org, lambda: {"RESULT": (len(rows), lambda i: render(rows[i]))}, name, EXPORT_TASK_TYPE)

    # -- export v2 -------------------------------------------------------------------
    def export_model_run(self, org: Organization, run_id: str, task_name: str | None, params: ExportParams) -> Task:
        """Starts an export of the run; raises NotFound for an unknown or deleted run."""
        from .export_snapshot import StagedSnapshot

        run = org.model_run(run_id)
        name = task_name or f"Export v2: Model Run {run.name}"
        return self.start(org, None, name, EXPORT_TASK_TYPE,
                          staging=lambda: _StagedRun(StagedSnapshot(org, run, params), _model_run_rows))

    def export_project(self, org: Organization, request: Mapping[str, Any]) -> Task:
        """`exportDataRowsInProject`: raises NotFound for an unknown project, InvalidInput for a filter it lacks.

        Like a model run's export, the mutation only checks its input and picks the rows (ids, no
        per-row work); each row is snapshotted at the task's first read and rendered as it progresses.
        """
        from .export_catalog import CatalogParams, check_model_runs, project_rows, take_catalog_snapshot

        params = CatalogParams.from_input(request.get("params"))
        filters = request["filters"]
        project, row_ids = project_rows(org, filters["projectId"], filters)
        check_model_runs(org, params)
        name = request.get("taskName") or f"Export v2: project - {project.name}"
        return self.start(org, lambda: _catalog_rows(take_catalog_snapshot(org, row_ids, params, [project])), name,
                          EXPORT_TASK_TYPE)

    def export_catalog(self, org: Organization, request: Mapping[str, Any]) -> Task:
        """`exportDataRowsInCatalog`: a dataset's rows, or listed rows, with the projects and runs params name.

        The mutation checks its input and picks the rows; the snapshot waits for the task's first read.
        """
        from .export_catalog import CatalogParams, catalog_projects, catalog_rows, check_model_runs, take_catalog_snapshot

        params = CatalogParams.from_input(request.get("params"))
        row_ids = catalog_rows(org, request["filters"])
        projects = catalog_projects(org, params)
        check_model_runs(org, params)
        name = request.get("taskName") or f"Export v2: data rows {len(row_ids)}"
        return self.start(org, lambda: _catalog_rows(take_catalog_snapshot(org, row_ids, params, projects)), name,
                          EXPORT_TASK_TYPE)

    def stream(self, task: Task, stream_type: str) -> NdjsonStream | None:
        """A completed export's non-empty stream; None when there is none, as the API answers null.

        Raises NotFound, saying why, for an export whose result is no longer kept.
        """
        stream = self._streams(task).get(stream_type)
        return stream if stream is not None and stream.lines else None

    def _streams(self, task: Task) -> Mapping[str, NdjsonStream]:
        export = self._exports.get(task.id)
        if export is None or task.status != "COMPLETE":
            return {}
        self._expire(export)
        if export.released_because is not None:
            error = NotFound("ExportResult", task.id)
            error.args = (f"the result of export task {task.id} is no longer kept: {export.released_because}",)
            raise error
        return export.streams or {}

    # -- retention ---------------------------------------------------------------------
    def _release(self, export: _Export, because: str) -> None:
        """Releases an export; its memory is unmapped by the renderer (a worker's, off the request path)."""
        self.rendering.discard(export.release(because))

    def _keep(self, org: Organization, export: _Export) -> None:
        """Holds a newly rendered export, releasing older ones of the organisation past the byte cap."""
        export.completed_at = self.tasks.clock.now()
        kept = self._kept.setdefault(org.id, deque())
        kept.append(export)
        total = sum(held.nbytes for held in kept)
        cap = self.retention.bytes_per_org
        while total > cap and len(kept) > 1:
            oldest = kept.popleft()
            total -= oldest.nbytes
            self._release(oldest, f"newer exports took the organisation past the mock's {cap:,}-byte cap on held exports")

    def _expire(self, export: _Export) -> None:
        expires_at = None if export.completed_at is None else export.completed_at + self.retention.seconds
        if export.released_because is None and expires_at is not None and self.tasks.clock.now() >= expires_at:
            self._release(export, f"export results expire {self.retention.seconds:g} s after they complete "
                               "(on the mock's clock)")

    def _sweep(self, org: Organization) -> None:
        """Releases the organisation's expired exports, oldest first: each is looked at once."""
        kept = self._kept.get(org.id)
        while kept:
            self._expire(kept[0])
            if kept[0].released_because is None:
                break
            kept.popleft()

    def sizes(self, task_id: str) -> dict[str, dict[str, int | bool]]:
        """An export's streams as {type: {"lines", "bytes", "complete"}}, as far as they have rendered;
        empty before its snapshot is taken and once its result is released. Reads only: releases nothing."""
        export = self._exports.get(task_id)
        if export is None or export.streams is None or export.released_because is not None:
            return {}
        return {kind: {"lines": stream.lines, "bytes": stream.size, "complete": stream.complete}
                for kind, stream in export.streams.items()}

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
        from .export_snapshot import ExportParams, take_snapshot

        run = org.model_run(run_id)
        key = (org.id, run.id)
        task_id = self._pending_label_exports.get(key)
        task = org.tasks.get(task_id) if task_id is not None else None
        if task is None:
            if task_id is not None:
                self._unpend(task_id)  # its task is gone
            task = self.start(org, lambda: _label_rows(take_snapshot(org, run, ExportParams.everything())),
                              f"Export labels: Model Run {run.name}", LABELS_EXPORT_TASK_TYPE)
            self._pending_label_exports[key] = task.id
            self._label_export_of[task.id] = key
            self._label_exports_by_org.setdefault(org.id, set()).add(task.id)
        self.tasks.observe(task)  # every poll, the first too, reads the task's status
        if task.status != "IN_PROGRESS":
            self._unpend(task.id)
        return task, self._streams(task).get("RESULT")
