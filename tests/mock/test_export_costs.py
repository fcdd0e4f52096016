"""What an export costs the process beyond its own rows: objects the garbage collector tracks, memory a
finished export keeps, and who unmaps an old export's bytes (issue 26)."""

from __future__ import annotations

import gc
import threading
import weakref
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import mockserver.backend as backend_module
from mockserver import MockLabelbox
from mockserver.engines.export_rendering import BackgroundRendering, InlineRendering
from mockserver.engines.export_snapshot import DataRowDetails, ExportParams, RowSnapshot, RowTable, StagedSnapshot
from mockserver.engines.ndjson_stream import NdjsonStream

from ..support.exports import RowSpec, build_run, org_of


def _tracked_by_a_snapshot(mock: MockLabelbox, rows: int, params: ExportParams) -> int:
    built = build_run(mock.backend, [RowSpec(global_key=f"g{rows}-{i}") for i in range(rows)], f"run{rows}")
    org = org_of(mock.backend)
    gc.collect()
    before = len(gc.get_objects())
    staged = StagedSnapshot(org, org.model_run(built.run_id), params)
    staged.advance(None)
    snapshot = staged.result()
    gc.collect()  # exact tuples of untracked values leave the collector's lists here
    added = len(gc.get_objects()) - before
    assert len(snapshot.rows) == rows
    return added


@pytest.mark.parametrize("params", [ExportParams(), ExportParams(data_row_details=True, model_run_details=True)])
def test_a_runs_snapshot_adds_no_tracked_object_per_row(mock: MockLabelbox, params: ExportParams) -> None:
    """A record per row, alive while the export renders, once pushed the collector into a full collection
    of the whole heap in the middle of a 200k-row export; columns add the same few objects at any size."""
    small, large = _tracked_by_a_snapshot(mock, 20, params), _tracked_by_a_snapshot(mock, 1020, params)
    # a record per row would add 1,000 more; the slack is for whatever else the process does meanwhile
    assert abs(large - small) < 100, (small, large)


fields = st.one_of(st.none(), st.text(max_size=5), st.floats(allow_nan=False), st.tuples(st.integers()))


@given(st.lists(st.tuples(st.lists(fields, min_size=13, max_size=13), st.booleans(), st.lists(fields, min_size=4,
                                                                                           max_size=4)), max_size=6))
def test_a_row_table_gives_back_each_row_as_added(rows: list[tuple[list[Any], bool, list[Any]]]) -> None:
    table = RowTable()
    expected = []
    for values, with_details, details in rows:
        details = ["dataset", *details[1:]] if with_details else [None] * 4
        table.add(*values, *details)
        record = RowSnapshot(*[*values[:10], None, *values[10:]])  # details (None) after the tenth
        if with_details:
            record = attrs.evolve(record, details=DataRowDetails(*details))
        expected.append(record)
    assert list(table) == expected and len(table) == len(expected)
    assert [table[index] for index in range(len(table))] == expected and table[1:3] == expected[1:3]


def test_a_row_table_refuses_a_row_of_the_wrong_width() -> None:
    with pytest.raises(ValueError):
        RowTable().add("only", "three", "values")


@given(st.lists(st.integers(0, 1000), min_size=1, max_size=30))
def test_a_released_stream_keeps_its_counts_and_drops_its_bytes_and_index(values: list[int]) -> None:
    stream = NdjsonStream(len(values), lambda index: {"value": values[index]})
    stream.render()
    lines, size = stream.lines, stream.size
    pieces = stream.release()
    assert pieces and stream.released
    assert (stream.lines, stream.size, stream.nbytes, stream.complete) == (lines, size, 0, True)
    assert len(stream._ends) == 0  # 8 bytes a line, formerly kept for every export a task remembered
    assert stream.release() == []  # once


def test_the_worker_unmaps_released_exports_off_the_request_path() -> None:
    """Unmapping 64 MiB took 30-55 ms in the status read that pushed an old export out; the worker does it."""

    class Piece:
        pass

    rendering = BackgroundRendering()
    dropped_on: list[str] = []
    done = threading.Event()
    piece = Piece()

    def dropped() -> None:
        dropped_on.append(threading.current_thread().name)
        done.set()

    weakref.finalize(piece, dropped)
    given = [piece]
    del piece
    rendering.discard(given)
    assert given == []  # the caller keeps nothing
    assert done.wait(10)
    assert dropped_on == ["mock-export-renderer"]
    rendering.close()
    inline = [Piece()]
    InlineRendering(10).discard(inline)
    assert inline == []


def test_a_large_seed_pays_the_full_collection_it_leaves_owed(monkeypatch: pytest.MonkeyPatch,
                                                             mock: MockLabelbox) -> None:
    collected: list[int] = []

    def collect(*_args: Any) -> int:
        collected.append(1)
        return 0

    monkeypatch.setattr(gc, "collect", collect)  # as the backend calls it
    monkeypatch.setattr(backend_module, "SEED_COLLECT_IDS", 3)
    mock.seed({"datasets": [{"name": "small", "data_rows": [{"row_data": "https://example.com/0.jpg"}]}]})
    assert collected == []  # two ids: under the bar
    mock.seed({"datasets": [{"name": "large", "data_rows": [{"row_data": f"https://example.com/{i}.jpg"}
                                                             for i in range(3)]}]})
    assert collected == [1]
