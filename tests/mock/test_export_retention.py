"""How long the mock keeps rendered exports: until they expire on its clock, or newer ones pass the byte cap."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import labelbox_lite as lb
from labelbox_lite import documents as docs
from labelbox_lite.exceptions import ResourceNotFoundError
from mockserver import MockLabelbox
from mockserver.engines.export import Retention

from ..support.exports import RowSpec, build_run, org_of, raw_chunk

ROWS = [RowSpec(global_key=f"gk-{i}", labels=i % 2) for i in range(4)]


def _export(client: lb.Client, run_id: str) -> lb.ExportTask:
    task = client.get_model_run(run_id).export()
    task.wait_till_done()
    return task


def test_an_expired_export_says_so_and_its_chunk_urls_stop_serving(mock: MockLabelbox, client: lb.Client) -> None:
    built = build_run(mock.backend, ROWS)
    # shorter than the task's own retention (24 h, when the task and its export go together)
    mock.backend.exports.retention = Retention(seconds=600)
    task = _export(client, built.run_id)
    url = raw_chunk(client, task.uid, 0)["file"]
    mock.advance_clock(599)
    assert len(list(task.get_buffered_stream())) == 4  # still kept just before it expires
    mock.advance_clock(1)
    with pytest.raises(ResourceNotFoundError, match=f"export task {task.uid} is no longer kept: export results "
                                                    "expire 600 s after they complete"):
        client.execute(docs.GET_EXPORT_FILE_FROM_OFFSET, {"where": {"id": task.uid}, "streamType": "RESULT",
                                                          "offset": "0"}, raise_return_resource_not_found=True)
    with pytest.raises(lb.exceptions.LabelboxError, match="HTTP 403"):
        client.download(url)
    assert mock.backend.exports.held_bytes(org_of(mock.backend)) == 0
    assert task.status == "COMPLETE"  # the task itself stays as it was


@given(exports=st.integers(1, 6), cap_in_exports=st.integers(0, 4))
def test_newer_exports_push_older_ones_past_the_cap_oldest_first(mock: MockLabelbox, client: lb.Client,
                                                                  exports: int, cap_in_exports: int) -> None:
    mock.reset()
    built = build_run(mock.backend, ROWS)
    first = _export(client, built.run_id)
    size = mock.backend.exports.held_bytes(org_of(mock.backend))
    mock.backend.exports.retention = Retention(bytes_per_org=size * cap_in_exports)
    tasks = [first] + [_export(client, built.run_id) for _ in range(exports - 1)]
    kept = max(cap_in_exports, 1)  # the newest is kept even past the cap
    for number, task in enumerate(tasks):
        if number >= len(tasks) - kept:
            assert len(list(task.get_buffered_stream())) == 4
        else:
            with pytest.raises(ResourceNotFoundError, match="newer exports took the organisation past"):
                task.get_total_lines(lb.StreamType.RESULT)
    assert mock.backend.exports.held_bytes(org_of(mock.backend)) == size * min(kept, exports)


def test_a_failed_export_releases_what_it_rendered(mock: MockLabelbox, client: lb.Client) -> None:
    built = build_run(mock.backend, ROWS)
    mock.set_transition("export", progression="reads", times=1, outcome="FAILED", error="boom")
    task = client.get_model_run(built.run_id).export()
    with pytest.raises(lb.exceptions.LabelboxError):
        task.wait_till_done()
    [export] = [export for export in mock.backend.exports._exports.values() if export.completed_at is None]
    assert export.released_because == "the export task failed"
    assert export.nbytes == 0


def test_retention_settings_are_checked() -> None:
    with pytest.raises(ValueError, match="seconds"):
        Retention(seconds=0)
    with pytest.raises(ValueError, match="bytes_per_org"):
        Retention(bytes_per_org=-1)


@given(documents=st.lists(st.dictionaries(st.text(max_size=5), st.integers() | st.text(max_size=5), max_size=3),
                          max_size=8))
def test_a_source_of_snapshot_rows_exports_each_row_once(mock: MockLabelbox, client: lb.Client,
                                                         documents: list[dict[str, object]]) -> None:
    """export_rows, the entry other sources (projects, the catalog) use: rows rendered when the task is read."""
    rendered: list[int] = []

    def render(index: int) -> dict[str, object]:
        rendered.append(index)
        return documents[index]

    task = mock.backend.exports.export_rows(org_of(mock.backend), "rows", list(range(len(documents))), render)
    assert rendered == []
    exported = lb.ExportTask.get_task(client, task.id)
    exported.wait_till_done()
    assert rendered == list(range(len(documents)))
    streamed = [output.json for output in exported.get_buffered_stream()] if exported.has_result() else []
    assert streamed == documents
