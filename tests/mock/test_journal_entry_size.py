"""A journal entry's size, which bounds the journal in bytes, is the length of its JSON exactly."""

from __future__ import annotations

import json
from typing import Any

import attrs
from hypothesis import given
from hypothesis import strategies as st

from mockserver.control.journal import Journal, RecordedRequest

_json = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
                     max_leaves=8)


_text = st.text(st.characters(codec="utf-8"))  # any text a request can carry: quotes, controls, non-ASCII


@given(method=_text, path=_text, operation=st.none() | _text, variables=_json | _text,
       query=st.none() | _text, at=st.none() | st.floats(), duration_ms=st.none() | st.floats(),
       status=st.integers(100, 599), seq=st.integers(0, 10**9), tenant=st.none() | st.text())
def test_size_is_the_length_of_the_entrys_json(method: str, path: str, operation: str | None, variables: Any,
                                              query: str | None, at: float | None, duration_ms: float | None,
                                              status: int, seq: int, tenant: str | None) -> None:
    entry = RecordedRequest(method=method, path=path, operation=operation, variables=variables, status=status,
                            query=query, at=at, duration_ms=duration_ms, tenant=tenant, seq=seq)
    assert entry.size() == len(json.dumps(entry.to_json(), default=str))


@given(variables=_json, query=st.none() | st.text(), tenant=st.none() | st.text(), seq=st.integers(0, 10**9))
def test_a_numbered_entry_is_the_same_entry_at_its_seq(variables: Any, query: str | None, tenant: str | None,
                                                        seq: int) -> None:
    entry = RecordedRequest(method="POST", path="/graphql", operation="Op", variables=variables, status=200,
                            query=query, at=1.0, duration_ms=2.0, tenant=tenant, seq=7)
    # every field, the ones equality skips (tenant, seq) included
    assert attrs.asdict(entry.numbered(seq)) == attrs.asdict(attrs.evolve(entry, seq=seq))


@given(method=_text, operation=st.none() | _text, variables=_json | _text, query=st.none() | _text,
       at=st.none() | st.floats(), status=st.integers(100, 599), tenant=st.none() | st.text(), entries=st.integers(1, 3))
def test_add_keeps_what_record_keeps(method: str, operation: str | None, variables: Any, query: str | None,
                                     at: float | None, status: int, tenant: str | None, entries: int) -> None:
    # the handler's `add` (fields, the entry made once) against `record` of the same entry: same entries,
    # seqs and bytes held, an oversized one bounded alike
    by_fields, by_entry = Journal(), Journal()
    for _ in range(entries):
        by_fields.add(method, "/graphql", operation, variables, status, query, tenant, at, 1.5)
        by_entry.record(RecordedRequest(method, "/graphql", operation, variables, status, query, at, 1.5, tenant))
    assert [attrs.asdict(entry) for entry in by_fields.entries(tenant)] == \
        [attrs.asdict(entry) for entry in by_entry.entries(tenant)]
    assert by_fields.held == by_entry.held


def test_add_bounds_an_oversized_entry_as_record_does() -> None:
    by_fields, by_entry = Journal(), Journal()
    huge = {"rows": ["x" * 1000] * 100}
    by_fields.add("POST", "/graphql", "Op", huge, 200, "query", "t", 1.0, 1.0)
    by_entry.record(RecordedRequest("POST", "/graphql", "Op", huge, 200, "query", 1.0, 1.0, "t"))
    [kept] = by_fields.entries("t")
    assert kept.variables == "<variables of 100556 bytes in all>" and kept.seq == 1
    assert attrs.asdict(kept) == attrs.asdict(by_entry.entries("t")[0]) and by_fields.held == by_entry.held


def test_an_entry_larger_than_its_tenants_bytes_is_dropped_and_the_page_says_so() -> None:
    journal = Journal(size=10, max_bytes=10_000, tenant_bytes=1_000)
    small = RecordedRequest(method="POST", path="/graphql", operation="a", variables={}, status=200,
                            query=None, at=None, duration_ms=None, tenant="t")
    journal.record(small)
    journal.record(attrs.evolve(small, operation="b" * 5_000))  # one entry past the tenant's 1,000 bytes
    journal.record(attrs.evolve(small, operation="c"))
    page = journal.page("t", after=1)  # a reader that saw the first entry
    assert [entry.operation for entry in page.entries] == ["c"]
    assert page.reset  # the big entry it never saw is gone, and the page says so
