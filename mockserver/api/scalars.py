"""Behaviour of the custom scalars the Labelbox SDL declares."""

from __future__ import annotations

import math
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


# Json holds training configs and metadata, never numbers this long; past it a value is refused, not truncated
MAX_JSON_INTEGER_DIGITS = 400
_JSON_INTEGER_BOUND = 10**MAX_JSON_INTEGER_DIGITS


def _json_value(value: Any) -> Any:
    """A Json value as stored and answered: only finite numbers, and integers of bounded length.

    `1e400` in a document literal reads as infinity, which JSON cannot carry: stored, it would be
    answered as the non-JSON token `Infinity`. It is refused on the way in (and, should one get
    into state another way, on the way out). Iterative, so no nesting depth can overflow it.
    """
    stack = [value]
    while stack:
        current = stack.pop()
        if isinstance(current, float) and not math.isfinite(current):
            raise GraphQLError(f"Json cannot represent the non-finite number {current!r}")
        if isinstance(current, int) and not isinstance(current, bool) and abs(current) >= _JSON_INTEGER_BOUND:
            raise GraphQLError(f"Json cannot represent an integer of more than {MAX_JSON_INTEGER_DIGITS} digits")
        if isinstance(current, dict):
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)
    return value


def _literal(parse: Any) -> Any:
    def parse_literal(node: ValueNode, variables: dict[str, Any] | None = None) -> Any:
        try:
            value = value_from_ast_untyped(node, variables)
        except ValueError:  # an integer literal past Python's conversion limit
            raise GraphQLError(f"a number of {len(getattr(node, 'value', ''))} characters is too long") from None
        return parse(value)

    return parse_literal


def _identity(value: Any) -> Any:
    return value


def install_scalars(schema: GraphQLSchema) -> None:
    behaviours = {
        "Json": (_json_value, _json_value),
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
