"""Lazy, paginated collections: nothing is fetched until iteration, one page at a time.

As in the SDK, a collection is its own iterator: `next(collection)` gives the next item, fetching
a page when the ones read so far are used up. Items read are kept, so iterating again (`for`,
`get_one`, `get_many`) starts over from the first item without fetching what was already read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")

PAGE_SIZE = 100


class PaginatedCollection(Generic[T]):
    """Every item of a list query, `page_size` at a time: `fetch(skip, first)` returns one page of raw
    items, and a short page is the last."""

    def __init__(self, fetch: Callable[[int, int], list[Any]], build: Callable[[Any], T],
                 page_size: int = PAGE_SIZE) -> None:
        self._fetch = fetch
        self._build = build
        self._page_size = page_size
        self._items: list[T] = []
        self._index = 0
        self._done = False
        self._skip = 0

    def _next_page(self) -> tuple[list[Any], bool]:
        """One more page of raw items, and whether it was the last."""
        items = self._fetch(self._skip, self._page_size)
        self._skip += self._page_size
        return items, len(items) < self._page_size

    def __iter__(self) -> PaginatedCollection[T]:
        self._index = 0
        return self

    def __next__(self) -> T:
        while self._index >= len(self._items):
            if self._done:
                raise StopIteration
            raw, self._done = self._next_page()
            if not raw:
                self._done = True
            self._items.extend(self._build(item) for item in raw)
        item = self._items[self._index]
        self._index += 1
        return item

    def get_one(self) -> T | None:
        """The first item, or None when there is none."""
        for item in self:
            return item
        return None

    def get_many(self, n: int) -> list[T]:
        """The first `n` items (fewer when there are fewer)."""
        found: list[T] = []
        for item in self:
            if len(found) >= n:
                break
            found.append(item)
        return found

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"


class CursorCollection(PaginatedCollection[T]):
    """The same over a cursor-paged connection: `fetch(cursor)` returns (items, next cursor); no cursor ends it."""

    def __init__(self, fetch: Callable[[str | None], tuple[list[Any], str | None]], build: Callable[[Any], T]) -> None:
        super().__init__(lambda _skip, _first: [], build)
        self._fetch_cursor = fetch
        self._cursor: str | None = None

    def _next_page(self) -> tuple[list[Any], bool]:
        items, self._cursor = self._fetch_cursor(self._cursor)
        return items, not items or not self._cursor
