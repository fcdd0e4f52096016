"""Helpers shared by the resolvers: filters in the ORM's `where` shape, and offset pages."""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import islice
from typing import Any, TypeVar

from graphql import GraphQLResolveInfo

from ...state.errors import InvalidInput
from ..context import RequestContext

T = TypeVar("T")
R = TypeVar("R")

_SUFFIXES: dict[str, Callable[[Any, Any], bool]] = {
    "_not": lambda a, b: a != b,
    "_lt": lambda a, b: a is not None and a < b,
    "_gt": lambda a, b: a is not None and a > b,
    "_lte": lambda a, b: a is not None and a <= b,
    "_gte": lambda a, b: a is not None and a >= b,
    "_in": lambda a, b: a in (b or ()),
}


def ctx(info: GraphQLResolveInfo) -> RequestContext:
    context: RequestContext = info.context
    return context


def matches(values: Mapping[str, Any], where: Mapping[str, Any] | None) -> bool:
    """True when `values` (GraphQL field name -> value) satisfies an ORM where clause."""
    if not where:
        return True
    for key, expected in where.items():
        if key == "AND":
            if not all(matches(values, clause) for clause in expected or []):
                return False
        elif key == "OR":
            if expected and not any(matches(values, clause) for clause in expected):
                return False
        elif key == "NOT":
            if any(matches(values, clause) for clause in expected or []):
                return False
        elif key == "deleted":
            if expected:  # deleted records are gone from state; none match
                return False
        elif isinstance(expected, Mapping):  # a filter on a related record: `dataRow: {dataset: {id_in: [...]}}`
            related = values.get(key)
            if not isinstance(related, Mapping) or not matches(related, expected):
                return False
        else:
            for suffix, compare in _SUFFIXES.items():
                if key.endswith(suffix) and key[: -len(suffix)] in values:
                    if not compare(values[key[: -len(suffix)]], expected):
                        return False
                    break
            else:
                if values.get(key) != expected:
                    return False
    return True


def passing_all_removed(where: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    """`where` without the clauses every record passes: `deleted: false` (deleted records are gone from
    state), which the SDK and labelbox_lite add to their listings; None when nothing is left."""
    if not where:
        return None
    kept: dict[str, Any] = {}
    for key, value in where.items():
        if key == "deleted" and not value:
            continue
        if key == "AND" and isinstance(value, list):
            clauses = [clause for clause in (passing_all_removed(c) for c in value) if clause]
            if clauses:
                kept[key] = clauses
            continue
        kept[key] = value
    return kept or None


def page(items: Iterable[T], skip: int | None, first: int | None) -> list[T]:
    """Items `skip` to `skip + first`: a slice of a Sequence, else read lazily only as far as the page ends."""
    start = max(skip or 0, 0)
    stop = None if first is None else start + max(first, 0)
    if isinstance(items, Sequence):
        return list(items[start:stop])
    return list(islice(items, start, stop))


def listing(records: Iterable[R], shape: Callable[[R], dict[str, Any]], where: Mapping[str, Any] | None,
            skip: int | None, first: int | None) -> list[dict[str, Any]]:
    """An offset page of `records` (in order) as shapes. Unfiltered, only the page's records are shaped, so
    over a Sequence (an ordered index, `state/tables.py`) a page costs O(page) whatever the collection's
    size; filtered, records are shaped and matched in order only until the page is full."""
    where = passing_all_removed(where)
    if not where:
        return [shape(record) for record in page(records, skip, first)]
    return page((s for s in map(shape, records) if matches(s, where)), skip, first)


def encode_cursor(kind: str, offset: int) -> str:
    """An opaque page cursor: the offset of the next item, tagged with what it pages over."""
    return base64.urlsafe_b64encode(f"{kind}:{offset}".encode()).decode()


def decode_cursor(kind: str, cursor: str) -> int:
    try:
        tag, _, value = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        if tag == kind and value.isdigit():
            return int(value)
    except (ValueError, UnicodeDecodeError):
        pass
    raise InvalidInput(f"invalid cursor {cursor!r}")


def encode_id_cursor(kind: str, last_id: str) -> str:
    """An opaque page cursor naming the last item given, for lists that go on from an id (not an offset)."""
    return base64.urlsafe_b64encode(f"{kind}@{last_id}".encode()).decode()


def decode_id_cursor(kind: str, cursor: str) -> str:
    try:
        tag, _, value = base64.urlsafe_b64decode(cursor.encode()).decode().partition("@")
        if tag == kind and value:
            return value
    except (ValueError, UnicodeDecodeError):
        pass
    raise InvalidInput(f"invalid cursor {cursor!r}")


# The largest cursor page served; a bigger `first` is refused, with the bounds, rather than quietly cut.
MAX_PAGE = 1000
DEFAULT_PAGE = 100


def page_size(first: Any) -> int:
    """`first` of a cursor page, checked: an integer from 1 to MAX_PAGE (DEFAULT_PAGE when not given)."""
    size = DEFAULT_PAGE if first is None else first
    if isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= MAX_PAGE:
        raise InvalidInput(f"first must be an integer from 1 to {MAX_PAGE}, got {first!r}")
    return size


def cursor_page(kind: str, items: Sequence[Any], after: str | None, size: int) -> tuple[Sequence[Any], dict[str, Any]]:
    """The `size` items after cursor `after`, and the pageInfo that leads on from them."""
    start = decode_cursor(kind, after) if after else 0
    chunk = items[start : start + size]
    end = start + len(chunk)
    more = end < len(items)
    return chunk, {"endCursor": encode_cursor(kind, end) if more else None, "hasNextPage": more}


def uploaded_bytes(value: Any, what: str) -> bytes:
    """The content of an Upload: the multipart parser puts a file object with `content` in the variables."""
    content = getattr(value, "content", None)
    if not isinstance(content, bytes):
        raise InvalidInput(f"{what} must be sent as a file part of a GraphQL multipart request")
    return content
