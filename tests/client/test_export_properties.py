"""Properties of exports: whatever the run and however the stream is cut, what streams out is the run.

Each example builds its own in-process mock, so examples share nothing.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import labelbox_lite as lb
from mockserver import MockLabelbox
from mockserver.engines import ndjson_stream
from mockserver.engines.ndjson_stream import NdjsonRange, NdjsonStream

from ..support import FakeTime
from ..support.exports import PREDICTION_SHAPES, BuiltRun, RowSpec, build_run, raw_chunk, raw_chunks

PARAM_KEYS = ("data_row_details", "metadata_fields", "attachments", "embeddings", "predictions", "model_run_details")
HTTP_EXAMPLES = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# external ids with non-ASCII text: cuts anywhere in the stream must not split a character
texts = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=6)


@st.composite
def row_specs(draw: st.DrawFn, index: int) -> RowSpec:
    return RowSpec(
        global_key=draw(st.one_of(st.none(), st.just(f"gk-{index}"))),
        external_id=draw(st.one_of(st.none(), texts)),
        labels=draw(st.integers(0, 2)),
        predictions=draw(st.lists(st.sampled_from(sorted(PREDICTION_SHAPES)), max_size=3)),
        split=draw(st.sampled_from([None, "TRAINING", "TEST", "VALIDATION"])),
        in_run=draw(st.booleans()),
    )


@st.composite
def runs(draw: st.DrawFn) -> list[RowSpec]:
    count = draw(st.integers(0, 7))
    return [draw(row_specs(index)) for index in range(count)]


params_strategy = st.fixed_dictionaries({key: st.booleans() for key in PARAM_KEYS})


@st.composite
def chunkings(draw: st.DrawFn) -> tuple[int, bool]:
    """(pieces the stream should roughly fall into, align to lines)."""
    return draw(st.integers(1, 12)), draw(st.booleans())


def _client(mock: MockLabelbox) -> lb.Client:
    time = FakeTime()
    return lb.Client(api_key=mock.api_key, poller=lb.Poller(clock=time.clock, sleep=time.sleep))


def _cut(mock: MockLabelbox, total_size: int, chunking: tuple[int, bool], jitter: int) -> None:
    pieces, align = chunking
    mock.set_export_chunking(max(1, math.ceil(total_size / pieces) + jitter), align_to_lines=align)


def _expected_run(row: dict[str, Any], built: BuiltRun) -> dict[str, Any]:
    experiment = row["experiments"][built.model_id]
    assert list(experiment["runs"]) == [built.run_id]
    run: dict[str, Any] = experiment["runs"][built.run_id]
    return run


def _check_row(row: dict[str, Any], spec: RowSpec, index: int, built: BuiltRun, params: dict[str, bool]) -> None:
    data_row = row["data_row"]
    assert data_row["id"] == built.data_row_ids[index]
    assert data_row["global_key"] == spec.global_key
    assert data_row["external_id"] == spec.external_id
    assert data_row["row_data"] == f"https://example.com/{index}.jpg"
    assert "media_attributes" in row
    assert ("details" in data_row) == params["data_row_details"]
    for key in ("metadata_fields", "attachments", "embeddings"):
        assert (key in row) == params[key], key
    run = _expected_run(row, built)
    assert [label["id"] for label in run["labels"]] == built.label_ids[index]
    if params["predictions"]:
        uuids = [a["feature_id"] for p in run["predictions"] for kind in ("objects", "classifications")
                 for a in p["annotations"][kind]]
        assert sorted(uuids) == sorted(built.prediction_uuids[index])
    else:
        assert "predictions" not in run
    if params["model_run_details"]:
        assert run["split"] == (spec.split.lower() if spec.split else None)
    else:
        assert "split" not in run


@HTTP_EXAMPLES
@given(specs=runs(), params=params_strategy, chunking=chunkings(), jitter=st.integers(-2, 2))
def test_streamed_rows_are_the_run_whatever_the_chunking(specs: list[RowSpec], params: dict[str, bool],
                                                          chunking: tuple[int, bool], jitter: int) -> None:
    with MockLabelbox() as mock:
        built = build_run(mock.backend, specs)
        client = _client(mock)
        task = client.get_model_run(built.run_id).export(params=params)  # type: ignore[arg-type]
        task.wait_till_done()
        in_run = [index for index, spec in enumerate(specs) if spec.in_run]
        if not in_run:
            assert not task.has_result() and task.get_total_lines(lb.StreamType.RESULT) is None
            return
        total = task.get_total_file_size(lb.StreamType.RESULT)
        assert total is not None
        _cut(mock, total, chunking, jitter)
        rows = [output.json for output in task.get_buffered_stream()]

        assert task.get_total_lines(lb.StreamType.RESULT) == len(rows) == len(in_run)
        by_id = {row["data_row"]["id"]: row for row in rows}
        assert len(by_id) == len(rows)
        for index in in_run:
            _check_row(by_id[built.data_row_ids[index]], specs[index], index, built, params)
        assert not task.has_errors()


@HTTP_EXAMPLES
@given(specs=runs(), chunking=chunkings(), jitter=st.integers(-2, 2), probe=st.floats(0, 1, exclude_max=True))
def test_reported_offsets_and_lines_agree_with_the_bytes_served(specs: list[RowSpec], chunking: tuple[int, bool],
                                                                jitter: int, probe: float) -> None:
    with MockLabelbox() as mock:
        built = build_run(mock.backend, specs)
        client = _client(mock)
        task = client.get_model_run(built.run_id).export(params={"predictions": True})
        task.wait_till_done()
        total, lines = task.get_total_file_size(lb.StreamType.RESULT), task.get_total_lines(lb.StreamType.RESULT)
        if total is None:
            return
        assert lines is not None
        _cut(mock, total, chunking, jitter)

        whole = b""
        for chunk, body in raw_chunks(client, task.uid, total):
            start, end = int(chunk["offsets"]["start"]), int(chunk["offsets"]["end"])
            assert start == len(whole)
            assert len(body) == end - start + 1
            assert int(chunk["lines"]["start"]) == whole.count(b"\n")
            whole += body
            assert int(chunk["lines"]["end"]) == whole[:-1].count(b"\n")
            if chunking[1]:
                assert body.endswith(b"\n")
        assert len(whole) == total
        assert whole.count(b"\n") == lines
        assert whole.isascii()

        # a chunk asked for at any offset holds the bytes at that offset
        offset = int(probe * total)
        chunk = raw_chunk(client, task.uid, offset)
        assert client.download(chunk["file"]) == whole[offset : int(chunk["offsets"]["end"]) + 1]


_JSON_SCALARS = st.one_of(st.text(max_size=8), st.integers(), st.floats(allow_nan=False, allow_infinity=False))


@given(rows=st.lists(st.dictionaries(st.text(max_size=4), _JSON_SCALARS), max_size=12),
       steps=st.lists(st.integers(1, 5), max_size=6), data=st.data())
def test_ndjson_stream_renders_each_line_once_and_serves_any_range(rows: list[dict[str, object]], steps: list[int],
                                                                   data: st.DataObject) -> None:
    rendered: list[int] = []

    def row(index: int) -> dict[str, object]:
        rendered.append(index)
        return rows[index]

    stream = NdjsonStream(len(rows), row)
    for step in steps:  # a few lines at a time, as status reads render them, then the rest
        stream.render(step)
    stream.render()
    assert stream.complete
    assert rendered == list(range(len(rows)))  # each line rendered once, in order
    whole = b"".join(ndjson_stream.encode_line(r) for r in rows)  # orjson's when installed, with its newline
    assert (stream.size, stream.lines) == (len(whole), len(rows))
    assert [json.loads(line) for line in whole.splitlines()] == rows
    if not whole:
        return
    start = data.draw(st.integers(0, len(whole) - 1))
    end = data.draw(st.integers(start, len(whole) - 1))
    piece = NdjsonRange(stream, start, end)
    assert b"".join(piece.chunks()) == whole[start : end + 1]
    assert piece.size == end - start + 1
    assert rendered == list(range(len(rows)))  # serving rendered nothing again
    stream.release()
    assert piece.released and stream.nbytes == 0


@HTTP_EXAMPLES
@given(specs=runs(), params=params_strategy)
def test_export_v2_and_export_labels_show_the_same_run_as_the_stream(specs: list[RowSpec],
                                                                     params: dict[str, bool]) -> None:
    with MockLabelbox() as mock:
        built = build_run(mock.backend, specs)
        time = FakeTime()
        client = lb.Client(api_key=mock.api_key, enable_experimental=True,
                           poller=lb.Poller(clock=time.clock, sleep=time.sleep))
        run = client.get_model_run(built.run_id)
        task = run.export(params=params)  # type: ignore[arg-type]
        task.wait_till_done()
        streamed = [output.json for output in task.get_buffered_stream()] if task.has_result() else []

        with pytest.warns(DeprecationWarning):
            legacy = run.export_v2(params=params)  # type: ignore[arg-type]
        legacy.wait_till_done()
        assert (legacy.result or []) == streamed  # same rows, same order, same shape

        in_run = [index for index, spec in enumerate(specs) if spec.in_run]
        labels = run.export_labels(download=True)
        assert isinstance(labels, list)
        expected = {label: built.data_row_ids[index] for index in in_run for label in built.label_ids[index]}
        assert {row["ID"]: row["DataRow ID"] for row in labels} == expected
