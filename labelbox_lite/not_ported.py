"""What a script gets when it reaches for an SDK name labelbox_lite does not port: an error naming it.

The names and why each is left out are generated from the comparison with labelbox 7.17.0
(`not_ported_names.py`, written with the table in docs/porting.md by
`python -m tests.contract.porting_table`). A name the SDK does not have stays a plain AttributeError.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NoReturn

from .not_ported_names import NOT_PORTED

TABLE = "docs/porting.md, 'Not ported'"


class NotPortedError(NotImplementedError):
    """An SDK name labelbox_lite does not port: `sdk_name` is its SDK spelling, `reason` "out of scope" or "coming".
    Raised as NotPortedImportError for a module's names and NotPortedAttributeError for a class's members."""

    def __init__(self, name: str) -> None:
        self.sdk_name = name
        self.reason = NOT_PORTED[name]
        super().__init__(f"labelbox.{name} is not ported to labelbox_lite ({self.reason}); {TABLE} lists "
                         "the SDK names labelbox_lite leaves out")


class NotPortedImportError(NotPortedError, ImportError):
    """A module-level SDK name: `from labelbox_lite import X` keeps this message (an AttributeError
    there would become a bare "cannot import name")."""


class NotPortedAttributeError(NotPortedError, AttributeError):
    """An SDK member of a class: still an AttributeError, so `hasattr` and `getattr(x, name, default)`
    keep working, with a message that names it."""


def refuse_module_name(prefix: str, module: str, name: str) -> NoReturn:
    """A module `__getattr__`'s answer for `name`: NotPortedImportError for an SDK name, else AttributeError."""
    if f"{prefix}{name}" in NOT_PORTED:
        raise NotPortedImportError(f"{prefix}{name}")
    raise AttributeError(f"module {module!r} has no attribute {name!r}")


def module_getattr(prefix: str, module: str) -> Callable[[str], Any]:
    def __getattr__(name: str) -> Any:  # noqa: N807 - a module's PEP 562 hook
        refuse_module_name(prefix, module, name)

    return __getattr__


def members(prefix: str = "") -> Callable[[Any, str], Any]:
    """A class's `__getattr__` (prefix "types." for annotation types): an SDK member of the instance's class
    that labelbox_lite does not port raises NotPortedAttributeError naming it. Python calls it only for names
    the instance does not have, so present members cost nothing; subclasses are looked up by their own name."""

    def __getattr__(self: Any, name: str) -> Any:  # noqa: N807 - installed as the class's hook
        key = f"{prefix}{type(self).__name__}.{name}"
        if key in NOT_PORTED:
            raise NotPortedAttributeError(key)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    return __getattr__
