"""The client's NDJSON reader: however the bytes are cut, the values that come out are the lines that went in."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from labelbox_lite.exceptions import LabelboxError
from labelbox_lite.export_stream import BufferedJsonConverterOutput, BufferedStream, StreamType, ndjson_lines, parse_line

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
# what may surround a line without changing it: indentation, CRLF endings, blank lines between
paddings = st.sampled_from(["", " ", "\t", "\r"])


def _cut(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({0, len(data), *(c % (len(data) + 1) for c in cuts)})
    return [data[a:b] for a, b in itertools.pairwise(points)]


@given(values=st.lists(json_values, max_size=8), before=st.lists(paddings, min_size=8, max_size=8),
       after=st.lists(paddings, min_size=8, max_size=8), blanks=st.lists(st.booleans(), min_size=8, max_size=8),
       cuts=st.lists(st.integers(0, 10_000), max_size=20), final_newline=st.booleans())
def test_lines_cut_anywhere_parse_back_to_the_values(values: list[Any], before: list[str], after: list[str],
                                                     blanks: list[bool], cuts: list[int], final_newline: bool) -> None:
    text = ""
    for value, lead, trail, blank in zip(values, before, after, blanks):
        text += ("\n" if blank else "") + lead + json.dumps(value, ensure_ascii=False) + trail + "\n"
    if not final_newline:
        text = text.rstrip("\n")
    pieces = _cut(text.encode("utf-8"), cuts)  # cuts fall inside multi-byte characters too
    assert [parse_line(line) for line in ndjson_lines(pieces)] == values


def test_a_line_longer_than_many_pieces_is_joined_once() -> None:
    row = {"text": "é" * 50_000}
    data = (json.dumps(row, ensure_ascii=False) + "\n" + json.dumps({"n": 1})).encode()
    assert [parse_line(line) for line in ndjson_lines(_cut(data, list(range(0, len(data), 1000))))] == [row, {"n": 1}]


@pytest.mark.parametrize("line", ["{", "1 2", "{} x", "nope", "[1,]"])
def test_anything_but_one_json_value_is_refused_like_json_loads(line: str) -> None:
    with pytest.raises(ValueError) as ours:
        parse_line(line)
    with pytest.raises(ValueError) as theirs:
        json.loads(line)
    assert str(ours.value) == str(theirs.value)


class _Stream(BufferedStream):
    """A BufferedStream over fixed pieces instead of downloads."""

    def __init__(self, pieces: list[bytes]) -> None:
        super().__init__(client=None, task_id="t-1", stream_type=StreamType.RESULT, total_size=0)  # type: ignore[arg-type]
        self.pieces = pieces

    def _pieces(self) -> Iterator[bytes]:
        yield from self.pieces


def test_the_stream_names_the_line_that_is_not_json() -> None:
    stream = _Stream([b'{"a": 1}\n{"b"', b': 2}\n{"c": oops}\n'])
    seen: list[BufferedJsonConverterOutput] = []
    with pytest.raises(LabelboxError, match=r"line 2 of the RESULT stream of export task t-1 is not JSON"):
        stream.start(seen.append)
    assert seen == [BufferedJsonConverterOutput({"a": 1}), BufferedJsonConverterOutput(json={"b": 2})]


def test_the_stream_says_when_it_is_not_utf8() -> None:
    with pytest.raises(LabelboxError, match=r"RESULT stream of export task t-1 is not UTF-8 after line 0"):
        list(_Stream([b'{"a": 1}\n', b'{"b": "\xff"}\n']))
