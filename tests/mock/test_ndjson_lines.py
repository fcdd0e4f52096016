"""Export lines: orjson's when installed, the stdlib's otherwise; always ASCII, always the same values."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mockserver.engines import ndjson_stream
from mockserver.engines.ndjson_stream import NdjsonStream

pytest.importorskip("orjson")

scalars = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
                    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=12))
documents = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                          st.dictionaries(st.text(max_size=6), inner, max_size=4)),
                         max_leaves=12)


@pytest.fixture(autouse=True)
def _orjson_back_on() -> Iterator[None]:
    yield
    ndjson_stream.use_orjson(True)


def _render(docs: list[Any]) -> bytes:
    stream = NdjsonStream(len(docs), docs.__getitem__)
    stream.render()
    return b"".join(stream.iter_range(0, stream.size - 1)) if stream.size else b""


@given(st.lists(documents, max_size=6))
def test_orjson_lines_hold_the_values_the_stdlib_lines_hold_in_ascii(docs: list[Any]) -> None:
    fast = _render(docs)
    ndjson_stream.use_orjson(False)
    slow = _render(docs)
    ndjson_stream.use_orjson(True)
    assert fast.isascii()
    assert [json.loads(line) for line in fast.splitlines()] == [json.loads(line) for line in slow.splitlines()] == docs


def test_a_non_ascii_line_and_a_big_integer_take_the_stdlib_path() -> None:
    expected = b'{"name": "caf\\u00e9"}\n{"n": 1180591620717411303424}\n{"ok":1}\n'
    assert _render([{"name": "café"}, {"n": 2**70}, {"ok": 1}]) == expected


def test_a_value_json_cannot_hold_is_refused() -> None:
    with pytest.raises(TypeError, match="not JSON serializable"):
        _render([{"when": object()}])
