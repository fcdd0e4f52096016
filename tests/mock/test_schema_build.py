"""The mock builds its schema assuming the SDL valid (a cold-start cost); this is where that is checked."""

from __future__ import annotations

import marshal
import sys
from pathlib import Path
from typing import Any

import pytest
from graphql import DocumentNode, build_schema, parse, print_ast, validate_schema
from hypothesis import given, settings
from hypothesis import strategies as st

from mockserver.api import schema_cache, service
from mockserver.api.service import build_mock_schema, load_sdl


def test_the_sdl_is_a_valid_schema() -> None:
    assert validate_schema(build_schema(load_sdl())) == []


def test_the_fast_build_serves_the_same_types_and_fields() -> None:
    strict, fast = build_schema(load_sdl()), build_mock_schema()
    assert sorted(strict.type_map) == sorted(fast.type_map)
    for name, graphql_type in strict.type_map.items():
        fields = getattr(graphql_type, "fields", None)
        if fields is not None:
            assert sorted(fields) == sorted(fast.type_map[name].fields), name  # type: ignore[attr-defined]


# -- the parsed SDL cached beside the bytecode (schema_cache.py) --------------------------------------------

def _sdl_path() -> str:
    return str(Path(service.__file__).resolve().parent.parent / service.SDL_RESOURCE)


def test_the_cached_document_is_the_parsed_sdl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "pycache_prefix", str(tmp_path))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    sdl = load_sdl()
    first = schema_cache.parse_sdl(sdl, _sdl_path())  # parses, then writes the cache
    assert schema_cache.cache_path(_sdl_path(), sdl).is_file()
    cached = schema_cache.parse_sdl(sdl, _sdl_path())
    assert cached == first == parse(sdl, no_location=True)
    assert print_ast(cached) == print_ast(parse(sdl))


def test_an_edited_sdl_never_reads_the_old_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "pycache_prefix", str(tmp_path))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    schema_cache.parse_sdl("type Query { a: Int }", _sdl_path())
    edited = "type Query { b: String }"
    assert schema_cache.cache_path(_sdl_path(), edited) != schema_cache.cache_path(_sdl_path(), "type Query { a: Int }")
    assert schema_cache.parse_sdl(edited, _sdl_path()) == parse(edited, no_location=True)


@pytest.mark.parametrize("content", [b"", b"not marshal", marshal.dumps(("x",)), marshal.dumps((-7, "q")),
                                     marshal.dumps((0, "too", "many", "fields", "here", "!")), marshal.dumps([1, 2])])
def test_a_damaged_cache_is_parsed_over(content: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "pycache_prefix", str(tmp_path))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    sdl = "type Query { a: Int }"
    path = schema_cache.cache_path(_sdl_path(), sdl)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    assert schema_cache.parse_sdl(sdl, _sdl_path()) == parse(sdl, no_location=True)
    assert schema_cache.parse_sdl(sdl, _sdl_path()) == parse(sdl, no_location=True)  # rewritten whole


def test_no_cache_is_written_where_bytecode_is_not(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "pycache_prefix", str(tmp_path))
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    schema_cache.parse_sdl("type Query { a: Int }", _sdl_path())
    assert not any(tmp_path.rglob("*.ast"))


def test_an_unwritable_cache_is_not_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setattr(sys, "pycache_prefix", str(blocker))  # a directory cannot be made under a file
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    assert schema_cache.parse_sdl("type Query { a: Int }", _sdl_path()) == parse("type Query { a: Int }",
                                                                                 no_location=True)


_DEFINITIONS = parse(load_sdl(), no_location=True).definitions


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(_DEFINITIONS), min_size=1, max_size=12))
def test_any_part_of_the_sdl_round_trips(definitions: list[Any]) -> None:
    document = DocumentNode(definitions=tuple(definitions), loc=None)
    assert schema_cache._decode(marshal.loads(marshal.dumps(schema_cache._encode(document)))) == document
