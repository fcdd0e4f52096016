"""One data row reference: a UniqueId (a data row id) or a GlobalKey, as upserts take them."""

from __future__ import annotations

from enum import Enum

from attrs import field, frozen


def _non_empty(_instance: object, _attribute: object, value: str) -> None:
    if not isinstance(value, str) or not value:
        raise ValueError(f"a key is a non-empty string, got {value!r}")


class IdType(str, Enum):
    DataRowId = "ID"
    GlobalKey = "GKEY"


@frozen
class Identifiable:
    key: str = field(validator=_non_empty)

    id_type = IdType.DataRowId

    def __str__(self) -> str:
        return self.key


@frozen
class UniqueId(Identifiable):
    """An existing data row, by id."""

    id_type = IdType.DataRowId


@frozen
class GlobalKey(Identifiable):
    """A data row by global key; an upsert creates the row when the key is new."""

    id_type = IdType.GlobalKey
