"""Ids in the order their records were made, for lists that page from an id onwards in O(page).

A dict keeps insertion order but cannot start a walk in the middle; this index can. It lives
beside the records (never dumped) and follows the table it indexes: a table written to
elsewhere (a seed) is noticed by its size and indexed again.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any


class CreationOrder:
    __slots__ = ("_holes", "_ids", "_position")

    def __init__(self, table: Mapping[str, Any]) -> None:
        self._ids: list[str | None] = list(table)
        self._position = {key: index for index, key in enumerate(self._ids) if key is not None}
        self._holes = 0

    def __len__(self) -> int:
        return len(self._position)

    def __contains__(self, key: object) -> bool:
        return key in self._position

    def add(self, key: str) -> None:
        if key not in self._position:
            self._position[key] = len(self._ids)
            self._ids.append(key)

    def remove(self, key: str) -> None:
        index = self._position.pop(key, None)
        if index is None:
            return
        self._ids[index] = None
        self._holes += 1
        if self._holes > 64 and self._holes > len(self._ids) // 2:  # compact now and then: amortised O(1)
            self._ids = [k for k in self._ids if k is not None]
            self._position = {k: i for i, k in enumerate(self._ids) if k is not None}
            self._holes = 0

    def after(self, key: str | None) -> Iterator[str]:
        """The ids after `key` (all of them when None), oldest first; `key` must be indexed."""
        start = 0 if key is None else self._position[key] + 1
        for index in range(start, len(self._ids)):
            found = self._ids[index]
            if found is not None:
                yield found


def synced(index: CreationOrder | None, table: Mapping[str, Any]) -> CreationOrder:
    """`index` if it still matches `table`, else a fresh one (the table was written to directly)."""
    if index is None or len(index) != len(table):
        return CreationOrder(table)
    return index
