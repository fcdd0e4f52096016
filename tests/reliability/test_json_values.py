"""A request body's JSON values are counted before it is parsed, so millions of tiny ones cost a count.

Issue 15: 6 MiB of `{},` parsed whole held two million dicts at once (peaks of ~117 MiB).
"""

from __future__ import annotations

import json
import tracemalloc
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mockserver.http.jsonbody import MAX_JSON_VALUES, JsonTooLarge, count_values, load_json

from .conftest import Target
from .test_hostile_input import _multipart

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(alphabet=st.sampled_from('a,[]{}"\\: \n\u00e9')),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(alphabet=st.sampled_from('k,[{"\\')),
                                                                inner, max_size=5),
    max_leaves=30,
)


def _values(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + sum(_values(child) for child in value.values())
    if isinstance(value, list):
        return 1 + sum(_values(child) for child in value)
    return 1


@settings(max_examples=300, deadline=None)
@given(json_values, st.booleans())
def test_the_count_is_exact_and_its_quick_bound_never_too_low(value: Any, indent: bool) -> None:
    text = json.dumps(value, indent=2 if indent else None, ensure_ascii=False)
    assert count_values(text, 0) == _values(value)  # past `enough`: counted with strings stepped over
    assert count_values(text, 10**9) >= _values(value)  # the usual case: a bound from a few scans


def test_a_body_of_millions_of_tiny_values_is_refused_before_parsing() -> None:
    body = ("[" + "{}," * 2_000_000 + "{}]").encode()  # ~6 MiB, the body
    tracemalloc.start()
    try:
        with pytest.raises(JsonTooLarge, match=f"more than {MAX_JSON_VALUES} JSON values"):
            load_json(body)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # the text and one copy without strings: about three times the body, never a dict per value
    assert peak < 4 * len(body), peak


def test_commas_and_brackets_inside_strings_do_not_count() -> None:
    text = json.dumps({"query": "{ user { id } }", "variables": {"csv": ",[{" * 1_000_000}})
    assert load_json(text)["variables"]["csv"].startswith(",[{")


@pytest.mark.parametrize("text", ['"' + '\\"' * 200_000, '"\\' * 200_000, '["' * 300_000])
def test_stepping_over_strings_is_linear_even_unterminated(text: str) -> None:
    # each of these would take hours to step over with a pattern that backtracks per quote
    count_values(text, 0)


def test_the_cap_is_a_parameter() -> None:
    assert load_json("[1, 2, 3]", max_values=4) == [1, 2, 3]
    with pytest.raises(JsonTooLarge, match="more than 3 JSON values"):
        load_json("[1, 2, 3]", max_values=3)


TOO_MANY = b'{"query": "{ user { id } }", "variables": {"x": [' + b"0," * MAX_JSON_VALUES + b"0]}}"


def test_every_transport_answers_413_naming_the_limit_and_changes_nothing(target: Target) -> None:
    before = target.state()
    response = target.post_graphql(TOO_MANY)
    assert response.status_code == 413
    assert f"more than {MAX_JSON_VALUES} JSON values" in response.json()["errors"][0]["message"]
    operations = b'{"query": "{ user { id } }", "variables": {"x": [' + b"0," * MAX_JSON_VALUES + b"0]}}"
    body, content_type = _multipart({"operations": operations, "map": b"{}"})
    response = target.post_graphql(body, content_type)
    assert response.status_code == 413 and "JSON values" in response.text
    seed = target.http.post(target.origin + "/_mock/seed", data=b'{"ontologies": [' + b"{}," * MAX_JSON_VALUES
                            + b"{}]}", headers={"Authorization": "Bearer test-key"}, timeout=30)
    assert seed.status_code == 413 and "JSON values" in seed.json()["error"]
    assert target.state() == before
