"""The orjson path (labelbox-lite[fast]) gives the same results as the stdlib's, on drawn rows."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from labelbox_lite import fast_json
from labelbox_lite.exceptions import LabelboxError
from labelbox_lite.export_stream import BufferedStream, StreamType
from labelbox_lite.ndjson import dumps

orjson = pytest.importorskip("orjson")

scalars = st.one_of(
    st.none(), st.booleans(), st.text(), st.text(alphabet="é中😀\u2028\x00\"\\"),
    st.integers(), st.integers(-(2**80), 2**80), st.sampled_from([2**63 - 1, 2**63, 2**64 - 1, 2**64, -(2**63) - 1]),
    st.floats(), st.sampled_from([0.0, -0.0, 1e16, 1e308, 5e-324, math.inf, -math.inf, math.nan]),
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner,
                                                                                          max_size=4), max_leaves=12)
rows = st.lists(st.dictionaries(st.text(max_size=6), values, max_size=5), max_size=8)


def canonical(value: Any) -> str:
    """Equal for equal values of equal types, NaN included (json.dumps tells 1 from 1.0 and 0.0 from -0.0)."""
    return json.dumps(value, sort_keys=True)


def parse_lines(data: bytes) -> list[str]:
    return [canonical(json.loads(line)) for line in data.split(b"\n")] if data else []


@given(rows=rows)
def test_prediction_encoding_reads_back_the_same_with_and_without_orjson(rows: list[dict[str, Any]]) -> None:
    stdlib = fast_json.encode_rows(rows, fast=False)
    fast = fast_json.encode_rows(rows, fast=True)
    assert fast_json.encode_rows(rows) == fast  # orjson, installed here, is the default
    # uploads: compact, otherwise byte for byte as json writes; ndjson.dumps exactly as json.dumps writes
    assert stdlib == "\n".join(json.dumps(row, separators=(",", ":")) for row in rows).encode("utf-8")
    assert dumps(rows) == "\n".join(json.dumps(row) for row in rows)
    assert parse_lines(fast) == parse_lines(stdlib) == [canonical(row) for row in rows]


def test_the_stdlib_encodes_when_orjson_is_switched_off(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [{"name": "é", "value": 1.5, "points": [{"x": 1}, {"x": 2}]}]
    monkeypatch.setattr(fast_json, "_orjson", fast_json._NOT_LOADED)  # read the switch again
    monkeypatch.setenv("LABELBOX_LITE_NO_ORJSON", "1")
    assert fast_json.orjson_module() is None
    assert fast_json.encode_rows(rows) == b'{"name":"\\u00e9","value":1.5,"points":[{"x":1},{"x":2}]}'
    monkeypatch.setattr(fast_json, "_orjson", fast_json._NOT_LOADED)
    monkeypatch.delenv("LABELBOX_LITE_NO_ORJSON")
    assert fast_json.encode_rows(rows) == '{"name":"é","value":1.5,"points":[{"x":1},{"x":2}]}'.encode()


def test_encoding_refuses_what_json_refuses_on_both_paths() -> None:
    cyclic: dict[str, Any] = {}
    cyclic["self"] = cyclic
    for fast in (False, True):
        with pytest.raises(TypeError, match="Object of type set is not JSON serializable"):
            fast_json.encode_rows([{"a": {1, 2}}], fast=fast)
        with pytest.raises(ValueError, match="Circular reference detected"):
            fast_json.encode_rows([cyclic], fast=fast)


class _Given(BufferedStream):
    """A stream whose pieces are given, as if downloaded."""

    def __init__(self, pieces: list[bytes]) -> None:
        super().__init__(None, "task-1", StreamType.RESULT, 0)  # type: ignore[arg-type]
        self._given = pieces

    def _pieces(self) -> Iterator[bytes]:
        return iter(self._given)


def _cut(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({min(cut, len(data)) for cut in cuts})
    return [data[a:b] for a, b in zip([0, *points], [*points, len(data)], strict=True)]


def _read(pieces: list[bytes], fast: bool) -> list[str] | str:
    stream = _Given(pieces)
    try:
        outputs = stream._iter_orjson(orjson) if fast else stream._iter_stdlib()
        return [canonical(output.json) for output in outputs]
    except LabelboxError as error:
        return str(error)


@given(rows=rows, compact=st.booleans(), blanks=st.lists(st.sampled_from(["", "  ", "\u3000", "\t"]), max_size=3),
       cuts=st.lists(st.integers(0, 4000), max_size=6))
def test_export_parsing_gives_the_same_values_with_and_without_orjson(rows: list[dict[str, Any]], compact: bool,
                                                                      blanks: list[str], cuts: list[int]) -> None:
    # as labelbox_lite uploads them (orjson, compact), or as json.dumps writes them
    lines = [fast_json.encode_rows([row]).decode("utf-8") if compact else dumps([row]) for row in rows] + blanks
    data = "\n".join(lines).encode("utf-8")
    pieces = _cut(data, cuts)
    assert _read(pieces, fast=True) == _read(pieces, fast=False) == [canonical(row) for row in rows]


@given(garbage=st.binary(max_size=40), cuts=st.lists(st.integers(0, 60), max_size=3))
def test_broken_streams_fail_alike_with_and_without_orjson(garbage: bytes, cuts: list[int]) -> None:
    data = b'{"a": 1}\n' + garbage + b'\n{"b": 2}'
    pieces = _cut(data, cuts)
    fast, stdlib = _read(pieces, fast=True), _read(pieces, fast=False)
    if isinstance(stdlib, list):
        assert fast == stdlib
    else:  # both refuse it; the stdlib path decodes a whole piece before parsing, so it may name another fault
        assert isinstance(fast, str) and "stream of export task task-1 is not" in fast, (fast, stdlib)


def test_a_long_digit_run_is_what_sends_a_piece_to_the_stdlib() -> None:
    assert fast_json.has_long_digit_run(b'{"a": 1234567890123456789}')
    assert not fast_json.has_long_digit_run(b'{"a": 123456789012345678, "b": "x1"}')
