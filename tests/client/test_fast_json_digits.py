"""Which bytes the fast export reader trusts orjson with: every integer orjson could misread is caught,
and digits inside words (zero-padded ids) no longer send a whole piece to the stdlib."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from labelbox_lite import fast_json

orjson = pytest.importorskip("orjson")

_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"])),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=12,
)


def _typed(value: Any) -> Any:
    """The value with every number's type kept, so 1 and 1.0 compare unequal."""
    if isinstance(value, dict):
        return {key: _typed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_typed(item) for item in value]
    return (type(value).__name__, value)


@given(_values, st.sampled_from([{}, {"separators": (",", ":")}, {"indent": 1}]))
def test_what_the_check_lets_through_orjson_reads_as_json_does(value: Any, style: dict[str, Any]) -> None:
    data = json.dumps(value, ensure_ascii=False, **style).encode("utf-8")
    if not fast_json.has_long_digit_run(data):
        assert _typed(orjson.loads(data)) == _typed(json.loads(data))


def test_digits_inside_words_are_not_numbers() -> None:
    assert not fast_json.has_long_digit_run(b'{"id": "cbench0000000000000000042", "n": 1}')
    assert not fast_json.has_long_digit_run(b'{"key": "a_12345678901234567890"}')


@pytest.mark.parametrize("data", [b"1234567890123456789", b'{"a":-1234567890123456789}', b"[1,1234567890123456789]",
                                  b'{"a":\t1234567890123456789}', b'{"a": "x"}\n12345678901234567890'])
def test_every_place_an_integer_may_stand_is_caught(data: bytes) -> None:
    assert fast_json.has_long_digit_run(data)
