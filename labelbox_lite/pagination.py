"""Lazy, paginated collections: nothing is fetched until iteration, one page at a time."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Generic, TypeVar

T = TypeVar("T")

PAGE_SIZE = 100


class PaginatedCollection(Generic[T]):
    """Iterates over every item of a list query, fetching `page_size` at a time.

    `fetch(skip, first)` returns one page of raw items; a short page ends it.
    """

    def __init__(self, fetch: Callable[[int, int], list[Any]], build: Callable[[Any], T], page_size: int = PAGE_SIZE) -> None:
        self._fetch = fetch
        self._build = build
        self._page_size = page_size

    def __iter__(self) -> Iterator[T]:
        skip = 0
        while True:
            items = self._fetch(skip, self._page_size)
            for item in items:
                yield self._build(item)
            if len(items) < self._page_size:
                return
            skip += self._page_size

    def __repr__(self) -> str:
        return "<PaginatedCollection>"


class CursorCollection(Generic[T]):
    """Iterates over a cursor-paged connection: `fetch(cursor)` returns (items, next cursor)."""

    def __init__(self, fetch: Callable[[str | None], tuple[list[Any], str | None]], build: Callable[[Any], T]) -> None:
        self._fetch = fetch
        self._build = build

    def __iter__(self) -> Iterator[T]:
        cursor: str | None = None
        while True:
            items, cursor = self._fetch(cursor)
            for item in items:
                yield self._build(item)
            if not items or not cursor:
                return

    def __repr__(self) -> str:
        return "<CursorCollection>"
