"""The running total of each organisation's uploaded bytes matches a scan of its files, whatever happens."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mockserver.state.records import HostedFile
from mockserver.state.signed_files import SignedFiles

TENANTS = [None, "org-a", "org-b"]


class _Made:
    """Content made while read (as an export is): it holds no uploaded bytes."""

    size = 1_000

    def chunks(self) -> Iterator[bytes]:
        yield b"x" * self.size

_step = st.one_of(
    st.tuples(st.just("put"), st.integers(0, 5), st.sampled_from(TENANTS), st.integers(0, 300), st.booleans()),
    st.tuples(st.just("pop"), st.integers(0, 5)),
    st.tuples(st.just("del"), st.integers(0, 5)),
    st.just(("clear",)),
)


def _scanned(files: SignedFiles, tenant: str | None) -> int:
    return sum(len(h.content) for h in files.values() if h.tenant == tenant and isinstance(h.content, bytes))


@settings(max_examples=150, deadline=None)
@given(st.lists(_step, max_size=40))
def test_the_running_total_equals_a_scan(steps: list[tuple[Any, ...]]) -> None:
    files = SignedFiles()
    for step in steps:
        if step[0] == "put":
            _, token, tenant, size, exported = step
            content = _Made() if exported else b"x" * size
            files[f"t{token}"] = HostedFile(content=content, tenant=tenant)
        elif step[0] == "pop":
            files.pop(f"t{step[1]}", None)
        elif step[0] == "del" and f"t{step[1]}" in files:
            del files[f"t{step[1]}"]
        elif step[0] == "clear":
            files.clear()
        for tenant in TENANTS:
            assert files.uploaded_bytes(tenant) == _scanned(files, tenant)


def test_popping_a_missing_token_raises_without_a_default() -> None:
    files = SignedFiles()
    assert files.pop("nope", None) is None
    with pytest.raises(KeyError):
        files.pop("nope")
