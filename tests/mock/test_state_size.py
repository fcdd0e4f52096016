"""Per-request work that must not grow with state: due tasks found through a heap, imports found by name."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mockserver.backend import Backend
from mockserver.engines.tasks import Transition
from mockserver.state.errors import NotFound
from mockserver.state.records import AnnotationImport


def _backend() -> Backend:
    return Backend(["key"])


@given(durations=st.lists(st.sampled_from([None, 0.0, 1.0, 2.5, 7.0, 30.0]), max_size=30),
       steps=st.lists(st.floats(0, 10), min_size=1, max_size=6))
def test_tick_settles_exactly_the_due_time_based_tasks(durations: list[float | None], steps: list[float]) -> None:
    backend = _backend()
    org = backend.store.org_for_key("key")
    assert org is not None
    started = []
    for number, duration in enumerate(durations):
        if duration is None:
            backend.tasks.set_transition("*", Transition(progression="reads", times=2))
        else:
            backend.tasks.set_transition("*", Transition(progression="time", duration=duration))
        started.append(backend.tasks.start(org, "export", f"t{number}"))
    for step in steps:
        backend.clock.advance(step)
        backend.tasks.tick(org)
        now = backend.clock.now()
        for task in started:
            # the model: a time task is done once due; a reads task only moves when read
            due = task.due_at is not None and now >= task.due_at
            assert (task.status == "COMPLETE") == due, (task, now)


def test_tick_skips_tasks_finished_by_a_read_and_tasks_of_a_reset_store() -> None:
    backend = _backend()
    org = backend.store.org_for_key("key")
    assert org is not None
    backend.tasks.set_transition("*", Transition(progression="time", duration=5))
    read_early = backend.tasks.start(org, "export", "read")
    forgotten = backend.tasks.start(org, "export", "gone")
    del org.tasks[forgotten.id]
    backend.clock.advance(6)
    backend.tasks.observe(read_early)
    assert read_early.status == "COMPLETE"
    backend.tasks.tick(org)  # neither is finished twice, the forgotten one is left alone
    assert forgotten.status == "IN_PROGRESS"
    assert read_early.result is None


@given(names=st.lists(st.text(min_size=1, max_size=8), min_size=1, max_size=20, unique=True),
       kinds=st.lists(st.sampled_from(["mea", "mal"]), min_size=20, max_size=20))
def test_imports_are_found_by_name_under_their_parent(names: list[str], kinds: list[str]) -> None:
    backend = _backend()
    org = backend.store.org_for_key("key")
    assert org is not None
    records = []
    for number, (name, kind) in enumerate(zip(names, kinds, strict=False)):
        record = AnnotationImport(id=f"i{number}", name=name, kind=kind, model_run_id="run",
                                  created_at=0.0, project_id="project" if kind == "mal" else None)
        org.add_annotation_import(record)
        records.append(record)
    for record in records:
        parent = "run" if record.kind == "mea" else "project"
        assert org.annotation_import(record.kind, parent, record.name) is record
        other = "mal" if record.kind == "mea" else "mea"
        with pytest.raises(NotFound, match="no import named"):
            org.annotation_import(other, parent, record.name)
    assert org.annotation_imports == {record.id: record for record in records}


def test_an_import_added_without_the_index_is_still_found_by_name() -> None:
    backend = _backend()
    org = backend.store.org_for_key("key")
    assert org is not None
    record = AnnotationImport(id="i1", name="n", kind="mea", model_run_id="run", created_at=0.0)
    org.annotation_imports[record.id] = record  # as code that predates the index does
    assert org.annotation_import("mea", "run", "n") is record
