"""What every entity shares: identity by uid, as in the Labelbox SDK."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

import attrs

from .not_ported import members

if TYPE_CHECKING:
    from typing_extensions import dataclass_transform  # typing's is 3.11; only the type checker reads it
else:
    def dataclass_transform(**_: object) -> object:
        return lambda decorator: decorator

E = TypeVar("E", bound="type[Entity]")


class Entity:
    """Two entities are equal when they are the same kind and have the same uid."""
    __getattr__ = members()  # an SDK member not ported names itself (docs/porting.md)

    __slots__ = ()
    uid: str

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.uid == self.uid

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.uid))


@dataclass_transform(field_specifiers=(attrs.field,), eq_default=False)
def entity(cls: E) -> E:
    """`attrs.define(eq=False)`, which is all it does at run time, declared to type checkers as a dataclass
    transform (PEP 681) rather than read by mypy's attrs plugin. The plugin types a field annotated with a
    descriptor (a queryable `Field[str]`, comparison.py) as the descriptor in `__init__` and refuses class
    access to a slot; a dataclass transform takes `__init__`'s type from the descriptor's `__set__`, and
    class and instance access from its `__get__`: `lb.Dataset.name` is the Field, `dataset.name` a str."""
    return attrs.define(eq=False)(cls)
