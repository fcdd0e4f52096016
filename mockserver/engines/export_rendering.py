"""Who renders an export's lines, and when: in the request (in-process) or on a worker (standalone server).

A renderer is asked two things by the export engine, both inside a status read,
so under the organisation's lock: `advance` (a read while the task is in
progress) and `finished` (the task is due: may it complete?). The first of them
fixes what is exported, in that read, because it reads state; rendering reads
only the snapshot, so it needs no lock.

- `InlineRendering` (the in-process mock): each read in progress renders
  `step` more lines and `finished` renders the rest, in the request. Nothing runs
  behind a test's back, so tests stay deterministic.
- `BackgroundRendering` (the standalone server): one worker thread per mock
  takes the queued exports a slice at a time, organisations in turn (each
  organisation's exports in the order queued), so one organisation's many or
  large exports delay another's by a slice each, not by their whole. A staged snapshot (a model run's: the read
  fixed its entry list and took, and rendered, its first `step` rows, which is all of a small
  export) is taken `step` rows at a time, each slice under the
  organisation's lock, taken and released between requests; the lines are then
  rendered `step` at a time with no lock held. The first status read queues the
  export and waits for it up to `wait_seconds` (a small export completes in it);
  later reads only look whether it is rendered, so no read waits longer than
  that, and until the rows are rendered, the task stays IN_PROGRESS. At
  most `max_queued` exports of one organisation wait; past that, that
  organisation's read renders its export itself.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any, Protocol


class Renderable(Protocol):
    """An export as the renderers see it (export._Export)."""

    rendered: threading.Event
    org_id: str
    claimed: bool

    @property
    def snapshot_taken(self) -> bool: ...
    def begin(self) -> None: ...
    def snapshot_step(self, limit: int | None) -> bool: ...
    def step(self, limit: int | None) -> None: ...
    def fail(self, message: str) -> None: ...
    @property
    def released(self) -> bool: ...


class InlineRendering:
    def __init__(self, step: int) -> None:
        self.step = step

    def advance(self, export: Renderable) -> None:
        export.step(self.step)

    def finished(self, export: Renderable) -> bool:
        export.step(None)
        return True

    def discard(self, pieces: list[Any]) -> None:
        """Memory of released exports: dropped here and now (the caller's references go with it)."""
        pieces.clear()

    def close(self) -> None:
        pass


class BackgroundRendering:
    def __init__(self, step: int = 500, wait_seconds: float = 0.02, max_queued: int = 64,
                 locks: Callable[[str], AbstractContextManager[Any]] | None = None) -> None:
        self.step = step
        self.in_read = step  # rows a status read snapshots and renders itself before queueing the rest
        self._locks = locks
        self.wait_seconds = wait_seconds
        self.max_queued = max_queued
        self._queues: dict[str, deque[Renderable]] = {}  # per organisation, in the order queued
        self._turns: deque[str] = deque()  # organisations with a queued export: whose slice is next
        self._discarded: list[Any] = []  # memory maps of released exports, for the worker to unmap
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None
        self._closed = False

    def __repr__(self) -> str:
        return f"<BackgroundRendering queued={sum(len(queue) for queue in self._queues.values())}>"

    def advance(self, export: Renderable) -> None:
        self._submit(export)

    def finished(self, export: Renderable) -> bool:
        if export.claimed:  # queued by an earlier read, which waited: this one answers at once
            return export.rendered.is_set()
        self._submit(export)
        return export.rendered.wait(self.wait_seconds)

    def _submit(self, export: Renderable) -> None:
        if export.claimed:  # queued (or done) by an earlier read: the worker alone touches it now
            return
        export.claimed = True
        if self._locks is None:
            export.snapshot_step(None)  # no lock to take between requests: the whole snapshot, here
        else:  # reads state: here, under the organisation's lock
            export.begin()
            # a first slice in the read itself (bounded): a small export is whole after it
            if self.in_read and export.snapshot_step(self.in_read):
                export.step(self.in_read)
        if export.rendered.is_set():
            return
        with self._wake:
            queue = self._queues.get(export.org_id)
            if self._closed or (queue is not None and len(queue) >= self.max_queued):
                full = True
            else:
                full = False
                if queue is None:
                    queue = self._queues[export.org_id] = deque()
                    self._turns.append(export.org_id)
                queue.append(export)
                self._ensure_thread()
                self._wake.notify()
        if full:  # backpressure: the reader renders its own export (its organisation's queue is full)
            export.snapshot_step(None)
            export.step(None)

    def discard(self, pieces: list[Any]) -> None:
        """Memory of released exports: unmapping 64 MiB takes tens of ms, so the worker does it, not the
        request that released them (a status read completing a newer export, a stream read of an expired one)."""
        with self._wake:
            if pieces and not self._closed:
                self._discarded.extend(pieces)
                self._ensure_thread()
                self._wake.notify()
        pieces.clear()  # the worker holds them now (or, closed, they go here)

    def _drop_discarded(self) -> None:
        with self._wake:
            dropped, self._discarded = self._discarded, []
        dropped.clear()  # unmaps each one (CPython lets other threads run meanwhile)

    def _ensure_thread(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._run, name="mock-export-renderer", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._turns and not self._discarded and not self._closed:
                    self._wake.wait()
                if self._closed:
                    return
                export = self._queues[self._turns[0]][0] if self._turns else None
            self._drop_discarded()
            if export is None:
                continue
            try:
                done = self._slice(export)
            except Exception as exc:
                export.fail(f"the export could not be rendered: {type(exc).__name__}: {exc}")
                done = True
            with self._wake:
                org_id = self._turns[0]
                if done:
                    queue = self._queues[org_id]
                    queue.popleft()
                    if not queue:
                        del self._queues[org_id]
                        self._turns.popleft()
                        continue
                self._turns.rotate(-1)  # the next organisation's turn
            time.sleep(0)  # lets a request thread waiting for the GIL in between slices

    def _slice(self, export: Renderable) -> bool:
        """One slice of `export`'s work: `step` rows of its snapshot (under the organisation's lock, between
        requests) or `step` lines rendered (no lock); True once it is done (or released: it stops early)."""
        if export.released or export.rendered.is_set():
            return True
        if self._locks is not None and not export.snapshot_taken:
            with self._locks(export.org_id):
                export.snapshot_step(self.step)
            return False
        export.step(self.step)
        if self._discarded:  # an older export released meanwhile: its memory goes now
            self._drop_discarded()
        return export.rendered.is_set()

    def close(self) -> None:
        with self._wake:
            self._closed = True
            self._discarded.clear()
            self._wake.notify_all()
