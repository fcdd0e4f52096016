"""Exports rendered on a worker (as the standalone server does): off the request thread, without the
organisation's lock, status reads that do not wait for the rendering, and the same rows."""

from __future__ import annotations

import threading
from typing import Any

import pytest

import labelbox_lite as lb
from mockserver import MockLabelbox, RunningServer
from mockserver.engines.export_rendering import BackgroundRendering

from ..support.exports import BuiltRun, RowSpec, build_run, org_of, raw_chunks, watch_rows

ROWS = [RowSpec(global_key=f"gk-{i}", labels=i % 2, predictions=["box"] * (i % 3)) for i in range(8)]
STATUS = "query S($id: ID!){user {createdTasks(where: {id: $id}) {status errors}}}"
EXPORT = ("mutation E($input: ExportDataRowsInModelRunInput!) {exportDataRowsInModelRun(input: $input) {taskId}}")


@pytest.fixture
def built(mock: MockLabelbox) -> BuiltRun:
    return build_run(mock.backend, ROWS)


def _export(client: lb.Client, run_id: str) -> str:
    created = client.execute(EXPORT, {"input": {"filters": {"modelRunId": run_id}, "params": {"includePredictions": True}}})
    task_id: str = created["exportDataRowsInModelRun"]["taskId"]
    return task_id


def _status(client: lb.Client, task_id: str) -> str:
    status: str = client.execute(STATUS, {"id": task_id})["user"]["createdTasks"][0]["status"]
    return status


def _lines(client: lb.Client, task_id: str) -> bytes:
    task = lb.ExportTask.get_task(client, task_id)
    size = task.get_total_file_size(lb.StreamType.RESULT) or 0
    return b"".join(body for _chunk, body in raw_chunks(client, task_id, size))


def _complete(mock: MockLabelbox, client: lb.Client, task_id: str) -> None:
    """Waits for the worker's end (on its event, not on a clock), then a status read completes the task."""
    assert mock.backend.exports._exports[task_id].rendered.wait(10)
    assert _status(client, task_id) == "COMPLETE"


def _background(mock: MockLabelbox) -> BackgroundRendering:
    mock.backend.exports.render_in_background()
    rendering = mock.backend.exports.rendering
    assert isinstance(rendering, BackgroundRendering)
    rendering.wait_seconds = 0.0  # reads never wait: what they see is decided by the test's gates
    rendering.in_read = 0  # and render nothing themselves
    return rendering


def test_the_worker_renders_without_the_organisations_lock_and_the_rows_equal_an_inline_render(
        monkeypatch: pytest.MonkeyPatch, mock: MockLabelbox, client: lb.Client, built: BuiltRun) -> None:
    inline = _export(client, built.run_id)
    assert _status(client, inline) == "COMPLETE"
    expected = _lines(client, inline)

    lock = mock.backend.store.org_lock(org_of(mock.backend).id)
    seen: list[tuple[str, bool]] = []
    gate = threading.Event()

    def watching(_run: Any, _index: int) -> None:
        gate.wait()  # opened once the status read that queued the export has answered
        free = lock.acquire(blocking=False)  # an RLock held by a request thread refuses this one
        if free:
            lock.release()
        seen.append((threading.current_thread().name, free))

    watch_rows(monkeypatch, watching)
    _background(mock)
    task_id = _export(client, built.run_id)
    assert _status(client, task_id) == "IN_PROGRESS"
    gate.set()
    _complete(mock, client, task_id)
    assert _lines(client, task_id) == expected
    assert seen and all(name == "mock-export-renderer" and free for name, free in seen)
    mock.backend.exports.close()


def test_a_status_read_does_not_wait_for_the_rendering(monkeypatch: pytest.MonkeyPatch, mock: MockLabelbox,
                                                      client: lb.Client, built: BuiltRun) -> None:
    gate = threading.Event()
    watch_rows(monkeypatch, lambda _run, _index: gate.wait())
    _background(mock)
    task_id = _export(client, built.run_id)
    assert _status(client, task_id) == "IN_PROGRESS"  # due (immediate), but its rows are not rendered
    assert _status(client, task_id) == "IN_PROGRESS"
    assert client.execute("query { user { id } }")["user"]["id"]  # the organisation answers meanwhile
    gate.set()
    _complete(mock, client, task_id)
    assert _lines(client, task_id).count(b"\n") == len(ROWS)
    mock.backend.exports.close()


def test_a_row_that_cannot_render_fails_the_task_and_the_worker_goes_on(
        monkeypatch: pytest.MonkeyPatch, mock: MockLabelbox, client: lb.Client, built: BuiltRun) -> None:
    broken = {"on": True}

    def failing(_run: Any, _index: int) -> None:
        if broken["on"]:
            raise ValueError("no such row")

    watch_rows(monkeypatch, failing)
    _background(mock)
    task_id = _export(client, built.run_id)
    _status(client, task_id)  # queues it
    assert mock.backend.exports._exports[task_id].rendered.wait(10)
    answer = client.execute(STATUS, {"id": task_id})["user"]["createdTasks"][0]
    assert answer["status"] == "FAILED" and "ValueError: no such row" in answer["errors"]
    broken["on"] = False
    task_id = _export(client, built.run_id)
    _status(client, task_id)
    _complete(mock, client, task_id)
    mock.backend.exports.close()


def test_the_server_renders_in_the_background_and_stops_its_worker() -> None:
    with RunningServer() as running:
        rendering = running.backend.exports.rendering
        assert isinstance(rendering, BackgroundRendering)
    assert rendering._thread is None or not rendering._thread.is_alive()
