"""A journal entry's size, which bounds the journal in bytes, is the length of its JSON exactly."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from mockserver.control.journal import RecordedRequest

_json = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
                     max_leaves=8)


@given(variables=_json, query=st.none() | st.text(), at=st.none() | st.floats(allow_nan=False),
       status=st.integers(100, 599), seq=st.integers(0, 10**6), tenant=st.none() | st.text())
def test_size_is_the_length_of_the_entrys_json(variables: Any, query: str | None, at: float | None, status: int,
                                              seq: int, tenant: str | None) -> None:
    entry = RecordedRequest(method="POST", path="/graphql", operation="Op", variables=variables, status=status,
                            query=query, at=at, duration_ms=1.5, tenant=tenant, seq=seq)
    assert entry.size() == len(json.dumps(entry.to_json(), default=str))
