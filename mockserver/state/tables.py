"""Ordered indexes beside the records, so a page of a listing costs O(page), not O(collection).

`Table` is the organisation's table of one kind of record by id. It forgets its ordered
view on every change, so a listing rebuilds it once after a change and then slices it
for every page.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterable
from typing import Any, TypeVar, overload

T = TypeVar("T")
D = TypeVar("D")


class LiveIds:
    """Every key the tables of a store's organisations hold, counted (an id seeded explicitly may be held
    by two organisations): whether an id is live anywhere, in O(1) rather than a look in every table of
    every organisation (Store.track_ids)."""

    def __init__(self) -> None:
        self._held: dict[str, int] = {}
        self._lock = threading.Lock()  # tables of different organisations change at once

    def __contains__(self, key: object) -> bool:
        return key in self._held

    def __len__(self) -> int:
        return len(self._held)

    def add(self, keys: Iterable[str]) -> None:
        with self._lock:
            for key in keys:
                self._held[key] = self._held.get(key, 0) + 1

    def discard(self, keys: Iterable[str]) -> None:
        with self._lock:
            for key in keys:
                left = self._held.get(key, 0) - 1
                if left > 0:
                    self._held[key] = left
                else:
                    self._held.pop(key, None)


class Table(dict[str, T]):
    """Records by id, in the order they were added, with cached ordered views of its values; once
    tracked (`track`), every key it gains or loses is counted in the store's LiveIds."""

    _live: LiveIds | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._views: dict[Hashable, list[Any]] = {}

    def track(self, live: LiveIds | None) -> None:
        """Counts this table's keys in `live` from now on (None: stops, and takes them off)."""
        if self._live is live:
            return
        if self._live is not None:
            self._live.discard(list(self))
        self._live = live
        if live is not None:
            live.add(list(self))

    def ordered(self) -> list[T]:
        """The records in the order they were added (insertion order); rebuilt only after a change."""
        return self.view("insertion", lambda records: list(records))

    def view(self, key: Hashable, build: Callable[[Iterable[T]], list[Any]]) -> list[Any]:
        """A derived list of the records (`build` of them), kept until the table changes. `build` must read
        only what a record never changes in place (its id, its creation time), since in-place edits are
        not seen here."""
        cached = self._views.get(key)
        if cached is None:
            cached = self._views[key] = build(self.values())
        return cached

    def _changed(self) -> None:
        if self._views:
            self._views.clear()

    def changed_in_place(self) -> None:
        """A record's field that a view reads changed in place (a project's ontology): views are rebuilt."""
        self._changed()

    def __setitem__(self, key: str, value: T) -> None:
        self._changed()
        if self._live is not None and key not in self:
            self._live.add((key,))
        super().__setitem__(key, value)

    def __delitem__(self, key: str) -> None:
        self._changed()
        super().__delitem__(key)
        if self._live is not None:
            self._live.discard((key,))

    @overload
    def pop(self, key: str, /) -> T: ...
    @overload
    def pop(self, key: str, default: D, /) -> T | D: ...

    def pop(self, key: str, *default: Any) -> Any:
        self._changed()
        if self._live is not None and key in self:
            self._live.discard((key,))
        return super().pop(key, *default)

    def popitem(self) -> tuple[str, T]:
        self._changed()
        item = super().popitem()
        if self._live is not None:
            self._live.discard((item[0],))
        return item

    def setdefault(self, key: str, default: Any = None) -> Any:
        self._changed()
        if self._live is not None and key not in self:
            self._live.add((key,))
        return super().setdefault(key, default)

    def update(self, *args: Any, **kwargs: Any) -> None:
        self._changed()
        if self._live is not None:
            added = dict(*args, **kwargs)
            self._live.add([key for key in added if key not in self])
            super().update(added)
            return
        super().update(*args, **kwargs)

    def clear(self) -> None:
        self._changed()
        if self._live is not None:
            self._live.discard(list(self))
        super().clear()

    def __ior__(self, other: Any) -> Table[T]:  # type: ignore[override,misc]
        self.update(other)
        return self
