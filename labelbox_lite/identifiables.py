"""Data row references by kind: unique ids or global keys."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import ClassVar, TypeAlias

from attrs import frozen


class Identifiables:
    """A list of references of one kind; `id_type` says which."""

    id_type = ""

    def __init__(self, iterable: Iterable[str]) -> None:
        if isinstance(iterable, (str, bytes)):  # the SDK raises ValueError for bad ids, so this does too
            raise ValueError(f"{type(self).__name__} takes a list of strings, not a single string")
        self._items = list(iterable)
        bad = [item for item in self._items if not isinstance(item, str) or not item]
        if bad:
            raise ValueError(f"{type(self).__name__} holds non-empty strings; got {bad[:5]!r}")

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, index: int) -> str:
        return self._items[index]

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and list(other) == self._items

    def __hash__(self) -> int:
        return hash((type(self).__name__, tuple(self._items)))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._items!r})"


class UniqueIds(Identifiables):
    """Data row ids."""

    id_type = "ID"


class GlobalKeys(Identifiables):
    """Data row global keys."""

    id_type = "GKEY"


@frozen
class UniqueId:
    """A data row id (the SDK's single form: `key`, `id_type`)."""

    key: str
    id_type: ClassVar[str] = "ID"


@frozen
class GlobalKey:
    """A data row global key."""

    key: str
    id_type: ClassVar[str] = "GKEY"


DataRowIds = UniqueIds
# the SDK's unions (labelbox.schema.identifiable / identifiables): one row, or a list of one kind
DataRowIdentifier: TypeAlias = UniqueId | GlobalKey
DataRowIdentifiers: TypeAlias = UniqueIds | GlobalKeys
