"""Ordered indexes beside the records, so a page of a listing costs O(page), not O(collection).

`Table` is the organisation's table of one kind of record by id. It forgets its ordered
view on every change, so a listing rebuilds it once after a change and then slices it
for every page.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Any, TypeVar, overload

T = TypeVar("T")
D = TypeVar("D")


class Table(dict[str, T]):
    """Records by id, in the order they were added, with cached ordered views of its values."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._views: dict[Hashable, list[Any]] = {}

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
        super().__setitem__(key, value)

    def __delitem__(self, key: str) -> None:
        self._changed()
        super().__delitem__(key)

    @overload
    def pop(self, key: str, /) -> T: ...
    @overload
    def pop(self, key: str, default: D, /) -> T | D: ...

    def pop(self, key: str, *default: Any) -> Any:
        self._changed()
        return super().pop(key, *default)

    def popitem(self) -> tuple[str, T]:
        self._changed()
        return super().popitem()

    def setdefault(self, key: str, default: Any = None) -> Any:
        self._changed()
        return super().setdefault(key, default)

    def update(self, *args: Any, **kwargs: Any) -> None:
        self._changed()
        super().update(*args, **kwargs)

    def clear(self) -> None:
        self._changed()
        super().clear()

    def __ior__(self, other: Any) -> Table[T]:  # type: ignore[override,misc]
        self.update(other)
        return self
