"""Behaviour of the custom scalars the Labelbox SDL declares."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError, GraphQLScalarType, GraphQLSchema, ValueNode, value_from_ast_untyped

from ..clock import format_datetime


def _serialize_datetime(value: Any) -> str:
    if isinstance(value, (int, float)):
        return format_datetime(float(value))
    if isinstance(value, str):
        return value
    raise GraphQLError(f"DateTime cannot represent {value!r}")


def _parse_datetime(value: Any) -> str:
    if not isinstance(value, str):
        raise GraphQLError(f"DateTime must be a string, got {value!r}")
    return value


def _parse_uint64(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise GraphQLError(f"UInt64 must be a non-negative integer, got {value!r}")
    try:
        number = int(value)
    except ValueError:
        raise GraphQLError(f"UInt64 must be a non-negative integer, got {value!r}") from None
    if not 0 <= number < 2**64:
        raise GraphQLError(f"UInt64 out of range: {value!r}")
    return number


def _literal(parse: Any) -> Any:
    def parse_literal(node: ValueNode, variables: dict[str, Any] | None = None) -> Any:
        return parse(value_from_ast_untyped(node, variables))

    return parse_literal


def _identity(value: Any) -> Any:
    return value


def install_scalars(schema: GraphQLSchema) -> None:
    behaviours = {
        "Json": (_identity, _identity),
        "DateTime": (_serialize_datetime, _parse_datetime),
        "UInt64": (_parse_uint64, _parse_uint64),
        # an Upload's value is the file the multipart parser put in the variables
        "Upload": (_identity, _identity),
    }
    for name, (serialize, parse) in behaviours.items():
        scalar = schema.type_map.get(name)
        if isinstance(scalar, GraphQLScalarType):
            scalar.serialize = serialize  # type: ignore[method-assign]
            scalar.parse_value = parse  # type: ignore[method-assign]
            scalar.parse_literal = _literal(parse)  # type: ignore[method-assign]
