"""A model run's rows rendered from the snapshot's columns (issue 26): the same documents as the
record-by-record shapes the catalog exports use, and lines cut into pieces where they always were."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockserver import MockLabelbox
from mockserver.engines import ndjson_stream
from mockserver.engines.export_rows import v2_data_row, v2_experiments, v2_run_rows
from mockserver.engines.export_snapshot import ExportParams, RowTable, take_snapshot
from mockserver.engines.ndjson_stream import NdjsonStream

from ..client.test_export_properties import runs
from ..support.exports import RowSpec, build_run, org_of

EXAMPLES = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
flags = st.builds(ExportParams, *(st.booleans() for _ in range(6)))


@EXAMPLES
@given(specs=runs(), params=flags)
def test_a_run_row_is_the_document_the_record_shapes_make(specs: list[RowSpec], params: ExportParams) -> None:
    with MockLabelbox() as mock:
        built = build_run(mock.backend, specs)
        org = org_of(mock.backend)
        snapshot = take_snapshot(org, org.model_run(built.run_id), params)
        render = v2_run_rows(snapshot)
        for index, row in enumerate(snapshot.rows):
            expected = v2_data_row(row, snapshot.created_by)
            expected["experiments"] = v2_experiments(row, snapshot)
            assert render(index) == expected


def test_rows_of_one_dataset_made_together_share_their_details_but_not_across_datasets() -> None:
    with MockLabelbox() as mock:
        first = build_run(mock.backend, [RowSpec(), RowSpec()], "a")
        second = build_run(mock.backend, [RowSpec()], "b")
        org = org_of(mock.backend)
        params = ExportParams(data_row_details=True)
        for built, name in ((first, "a"), (second, "b")):
            snapshot = take_snapshot(org, org.model_run(built.run_id), params)
            documents = [v2_run_rows(snapshot)(index) for index in range(len(snapshot.rows))]
            assert {document["data_row"]["details"]["dataset_name"] for document in documents} == {name}


def test_a_row_table_refuses_a_row_of_the_wrong_width() -> None:
    with pytest.raises(ValueError):
        RowTable().add("only", "three", "values")


@settings(max_examples=40, deadline=None)
@given(sizes=st.lists(st.integers(0, 40), max_size=30), piece=st.integers(1, 120),
       steps=st.lists(st.integers(1, 9), max_size=4), fast=st.booleans())
def test_pieces_are_cut_where_a_line_first_takes_them_past_their_size(
        monkeypatch: pytest.MonkeyPatch, sizes: list[int], piece: int, steps: list[int], fast: bool) -> None:
    monkeypatch.setattr(ndjson_stream, "PIECE_BYTES", piece)
    monkeypatch.setattr(ndjson_stream, "_BATCH_LINES", 3)  # batches smaller than a piece, and larger
    documents: list[Any] = [{"t": "x" * size} for size in sizes]
    ndjson_stream.use_orjson(fast)
    try:
        stream = NdjsonStream(len(documents), documents.__getitem__)
        for step in steps:
            stream.render(step)
        stream.render()
        lines = [ndjson_stream.encode_line(document) for document in documents]
    finally:
        ndjson_stream.use_orjson(True)
    whole = b"".join(lines)
    assert stream.size == len(whole) and stream.lines == len(lines)
    assert (b"".join(stream.iter_range(0, stream.size - 1)) if whole else b"") == whole
    # within one render call, a piece closes at the first line that takes it to `piece` bytes or more
    lengths = [len(bytes(p)) for p in stream._pieces]
    assert sum(lengths) == len(whole)
    if not steps:
        assert all(length >= piece for length in lengths[:-1])
        ends = {sum(len(line) for line in lines[: n + 1]) for n in range(len(lines))}
        starts = [sum(lengths[:n]) for n in range(len(lengths))]
        assert all(start == 0 or start in ends for start in starts)  # pieces hold whole lines
        for start, length in zip(starts[:-1], lengths[:-1], strict=True):
            last_line_start = max(end for end in ends | {0} if end < start + length)
            assert last_line_start - start < piece  # without its last line, a piece is short of its size
