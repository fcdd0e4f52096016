"""What every entity shares: identity by uid, as in the Labelbox SDK."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from .not_ported import members

if TYPE_CHECKING:
    import attrs


class Entity:
    """Two entities are equal when they are the same kind and have the same uid."""
    __getattr__ = members()  # an SDK member not ported names itself (docs/porting.md)

    __slots__ = ()
    uid: str
    if TYPE_CHECKING:  # every entity is an attrs class; this lets attrs.asdict and attrs.fields take one
        __attrs_attrs__: ClassVar[tuple[attrs.Attribute[Any], ...]]

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.uid == self.uid

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.uid))

