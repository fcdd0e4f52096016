"""The mock builds its schema assuming the SDL valid (a cold-start cost); this is where that is checked."""

from __future__ import annotations

from graphql import build_schema, validate_schema

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
