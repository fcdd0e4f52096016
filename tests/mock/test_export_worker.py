"""Exports rendered on a worker (as the standalone server does): off the request thread, without the
organisation's lock, status reads that do not wait for the rendering, and the same rows."""

from __future__ import annotations

import contextlib
import threading
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


class _Fake:
    """An export that takes `slices` steps to render, each step noted in `order`; its first step waits on `gate`
    (so every export is queued before the worker takes its second slice)."""

    def __init__(self, org_id: str, name: str, slices: int, order: list[str], gate: threading.Event) -> None:
        self.org_id, self.name, self.left, self.order, self.gate = org_id, name, slices, order, gate
        self.rendered = threading.Event()
        self.claimed = False
        self.released = False
        self.snapshot_taken = True

    def begin(self) -> None:
        pass

    def snapshot_step(self, limit: int | None) -> bool:
        return True

    def step(self, limit: int | None) -> None:
        self.gate.wait()
        self.order.append(self.org_id)
        self.left -= 1
        if self.left == 0:
            self.rendered.set()

    def fail(self, message: str) -> None:
        raise AssertionError(message)


@given(work=st.lists(st.lists(st.integers(1, 4), min_size=1, max_size=3), min_size=1, max_size=4))
@settings(max_examples=25)
def test_the_worker_takes_organisations_in_turn_a_slice_each(work: list[list[int]]) -> None:
    """Whatever one organisation queued, each other organisation with work takes a slice in turn: many or large
    exports of one organisation delay another's by a slice each, not by their whole."""
    rendering = BackgroundRendering(step=1, wait_seconds=0.0, locks=lambda org_id: contextlib.nullcontext())
    rendering.in_read = 0
    order: list[str] = []
    gate = threading.Event()
    exports = [_Fake(f"org{org}", f"org{org}-{index}", slices, order, gate)
               for org, queued in enumerate(work) for index, slices in enumerate(queued)]
    try:
        for export in exports:
            rendering.advance(export)
        gate.set()
        assert all(export.rendered.wait(10) for export in exports)
    finally:
        rendering.close()
    totals = {f"org{number}": sum(queued) for number, queued in enumerate(work)}
    assert {name: order.count(name) for name in totals} == totals
    # an organisation's k-th slice comes after at most k slices of each organisation (its own k-1 included)
    for name in totals:
        at = [index for index, slice_of in enumerate(order) if slice_of == name]
        for k, position in enumerate(at, start=1):
            assert position < sum(min(k, total) for total in totals.values()), (name, k, order)


def test_a_full_queue_is_one_organisations_the_others_still_queue() -> None:
    rendering = BackgroundRendering(step=1, wait_seconds=0.0, max_queued=1,
                                    locks=lambda org_id: contextlib.nullcontext())
    rendering.in_read = 0
    order: list[str] = []
    gate, open_gate = threading.Event(), threading.Event()
    open_gate.set()
    held = _Fake("a", "held", 1, order, gate)  # the worker waits in its step until the test opens the gate
    second, other = _Fake("a", "second", 1, order, open_gate), _Fake("b", "other", 1, order, open_gate)
    try:
        rendering.advance(held)
        rendering.advance(second)  # a's queue is full: its reader renders it, here and now
        assert second.rendered.is_set() and not held.rendered.is_set()
        rendering.advance(other)  # b's queue is its own: queued, rendered by the worker after a's slice
        assert not other.rendered.is_set()
        gate.set()
        assert held.rendered.wait(10) and other.rendered.wait(10)
        assert order == ["a", "a", "b"]  # second (inline) while held waited, then held, then other
    finally:
        gate.set()
        rendering.close()
