"""The mock's export builder: chunking, line lookups, lazy rendering, signed files, steering."""

from __future__ import annotations

import json

import attrs
import pytest
import requests

import labelbox_lite as lb
from labelbox_lite import documents as docs
from labelbox_lite.exceptions import InvalidQueryError
from mockserver import CommandError, MockLabelbox, MockServerClient, RunningServer
from mockserver.backend import Backend
from mockserver.engines.export import Chunking

from ..support import ADMIN_TOKEN
from ..support.exports import BuiltRun, RowSpec, build_run, raw_chunk, raw_chunks, watch_rows

ROWS = [RowSpec(global_key=f"gk-{i}", labels=i % 2, predictions=["box"] * (i % 3)) for i in range(6)]
FILE_FROM_LINE = (
    "query GetExportFileFromLinePyApi($where: WhereUniqueIdInput, $streamType: TaskStreamType!, $line: UInt64!)"
    "{task(where: $where){exportFileFromLine(streamType: $streamType, line: $line){offsets {start end} lines {start end} file}}}"
)
HEADER = "query H($id: ID!){task(where: {id: $id}){type exportMetadataHeader(streamType: RESULT){totalSize totalLines}}}"


@pytest.fixture
def built(mock: MockLabelbox) -> BuiltRun:
    return build_run(mock.backend, ROWS)


@pytest.fixture
def task(client: lb.Client, built: BuiltRun) -> lb.ExportTask:
    exported = client.get_model_run(built.run_id).export(params={"predictions": True})
    exported.wait_till_done()
    return exported


def _whole(client: lb.Client, task: lb.ExportTask) -> bytes:
    size = task.get_total_file_size(lb.StreamType.RESULT)
    assert size is not None
    return b"".join(body for _chunk, body in raw_chunks(client, task.uid, size))


def test_aligned_chunks_hold_whole_lines(mock: MockLabelbox, client: lb.Client, task: lb.ExportTask) -> None:
    mock.set_export_chunking(10, align_to_lines=True)
    size = task.get_total_file_size(lb.StreamType.RESULT)
    assert size is not None
    chunks = raw_chunks(client, task.uid, size)
    assert len(chunks) == 6
    for number, (chunk, body) in enumerate(chunks):
        assert body.endswith(b"\n") and body.count(b"\n") == 1
        assert chunk["lines"] == {"start": number, "end": number}


def test_unaligned_chunks_are_exactly_the_chunk_size(mock: MockLabelbox, client: lb.Client, task: lb.ExportTask) -> None:
    whole = _whole(client, task)
    mock.set_export_chunking(100, align_to_lines=False)
    chunks = raw_chunks(client, task.uid, len(whole))
    assert [len(body) for _chunk, body in chunks[:-1]] == [100] * (len(chunks) - 1)
    assert b"".join(body for _chunk, body in chunks) == whole
    straddling = [chunk for chunk, body in chunks if not body.endswith(b"\n")]
    assert straddling, "some line should straddle two chunks"


def test_a_chunk_by_line_starts_at_that_line(mock: MockLabelbox, client: lb.Client, task: lb.ExportTask) -> None:
    whole = _whole(client, task)
    starts = [0, *(index + 1 for index, byte in enumerate(whole) if byte == 0x0A)][:-1]
    mock.set_export_chunking(1, align_to_lines=True)
    for line in range(6):
        chunk = client.execute(FILE_FROM_LINE, {"where": {"id": task.uid}, "streamType": "RESULT", "line": line})
        found = chunk["task"]["exportFileFromLine"]
        assert found["offsets"]["start"] == starts[line] and found["lines"]["start"] == line
        assert client.download(found["file"]) == whole[starts[line] : found["offsets"]["end"] + 1]


def test_out_of_range_offsets_and_lines_are_named(client: lb.Client, task: lb.ExportTask) -> None:
    size = task.get_total_file_size(lb.StreamType.RESULT)
    with pytest.raises(InvalidQueryError, match=f"offset {size} is out of range: the stream has {size} bytes"):
        raw_chunk(client, task.uid, size)  # type: ignore[arg-type]
    with pytest.raises(InvalidQueryError, match="line 6 is out of range: the stream has 6 lines"):
        client.execute(FILE_FROM_LINE, {"where": {"id": task.uid}, "streamType": "RESULT", "line": 6})


def test_streams_answer_null_until_the_export_is_done(mock: MockLabelbox, client: lb.Client, built: BuiltRun) -> None:
    mock.set_transition("export", progression="reads", times=3)
    pending = client.get_model_run(built.run_id).export()
    assert client.execute(HEADER, {"id": pending.uid})["task"] == {"type": "export-data-rows",
                                                                   "exportMetadataHeader": None}
    other = client.execute(docs.UPSERT_DATA_ROWS, {"modelRunId": built.run_id, "dataRowIds": built.data_row_ids[:1],
                                                   "globalKeys": None})["createMEAModelRunDataRowRegistrationTask"]
    assert client.execute(HEADER, {"id": other})["task"]["exportMetadataHeader"] is None


def test_rows_are_rendered_once_as_the_task_progresses(monkeypatch: pytest.MonkeyPatch, client: lb.Client,
                                                      built: BuiltRun, mock: MockLabelbox) -> None:
    rendered: list[str] = []
    watch_rows(monkeypatch, lambda run, index: rendered.append(run.rows.columns[0][index]))
    monkeypatch.setattr(mock.backend.exports.rendering, "step", 2)
    mock.set_transition("export", progression="reads", times=2)
    run_id = built.run_id
    created = client.execute("mutation E($input: ExportDataRowsInModelRunInput!) {exportDataRowsInModelRun("
                             "input: $input) {taskId}}", {"input": {"filters": {"modelRunId": run_id},
                                                                    "params": {}}})
    assert rendered == []  # the mutation renders nothing
    task = lb.ExportTask.get_task(client, created["exportDataRowsInModelRun"]["taskId"])  # a status read
    assert len(rendered) == 2  # a step per read while in progress
    task.wait_till_done()
    assert sorted(rendered) == sorted(built.data_row_ids[:6])  # each row once, the rest at completion
    mock.set_export_chunking(1, align_to_lines=True)
    rendered.clear()
    chunks = raw_chunks(client, task.uid, task.get_total_file_size(lb.StreamType.RESULT) or 0)
    assert len(chunks) == 6
    assert rendered == []  # signing and downloading chunks render nothing again


def test_chunk_files_expire(mock: MockLabelbox, client: lb.Client, task: lb.ExportTask) -> None:
    url = raw_chunk(client, task.uid, 0)["file"]
    mock.advance_clock(3601)
    with pytest.raises(lb.exceptions.LabelboxError, match="HTTP 403"):
        client.download(url)


def test_reset_forgets_exports_and_chunking(mock: MockLabelbox, task: lb.ExportTask) -> None:
    mock.set_export_chunking(5, align_to_lines=False)
    mock.reset()
    assert mock.backend.exports.chunking == Chunking()
    assert "exports=0" in repr(mock.backend.exports)


def test_state_dump_stays_json_with_exports_pending(mock: MockLabelbox, client: lb.Client, built: BuiltRun) -> None:
    mock.set_transition("export", progression="reads", times=3)
    client.get_model_run(built.run_id).export()
    json.dumps(mock.state())


def test_chunk_size_must_be_positive() -> None:
    with pytest.raises(ValueError, match="chunk_bytes"):
        Chunking(0)


def test_standalone_serves_chunks_with_their_length_and_takes_chunking_over_http() -> None:
    with RunningServer(Backend(export_chunking=Chunking(64, align_to_lines=False), admin_token=ADMIN_TOKEN)) as server:
        built = build_run(server.backend, ROWS)
        client = lb.Client(api_key="test-key", endpoint=server.graphql_url)
        task = client.get_model_run(built.run_id).export()
        assert task.status == "COMPLETE"
        url = raw_chunk(client, task.uid, 0)["file"]
        response = requests.get(url, timeout=5)
        assert response.headers["Content-Length"] == "64" and len(response.content) == 64
        assert response.headers["Content-Type"] == "application/x-ndjson; charset=utf-8"

        admin = MockServerClient(server.url, ADMIN_TOKEN)
        admin.set_export_chunking(10_000)
        assert attrs.asdict(server.backend.exports.chunking) == {"chunk_bytes": 10_000, "align_to_lines": True}
        whole = raw_chunk(client, task.uid, 0)
        assert requests.get(whole["file"], timeout=5).content.count(b"\n") == 6
        with pytest.raises(CommandError, match="chunk_bytes") as refused:
            admin.set_export_chunking(0)
        assert refused.value.status == 400
        with pytest.raises(CommandError, match="admin token") as forbidden:
            MockServerClient(server.url, "test-key").set_export_chunking(10)
        assert forbidden.value.status == 403
