"""The SDK's `where` clauses: `lb.Model.name == "a"`, `!=`, joined with `&`.

An entity's queryable fields are installed on its class (`queryable`), so the class attribute
builds a Comparison while an instance still reads its value; type checkers see the same (`Field`). A clause becomes the GraphQL
where-input the service takes for that entity (`name`, `name_not`, `AND`); anything the input
cannot say (`<`, `|`, `~`, a field of another entity, a plain bool) is refused with a TypeError
naming what was given, never sent as a filter that matches everything; a field compared twice is
refused with the SDK's InvalidQueryError, as the SDK does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from enum import Enum
from typing import TYPE_CHECKING, Any, Generic, TypeVar, get_origin, overload

import attrs

if TYPE_CHECKING:
    from typing_extensions import dataclass_transform  # typing's is 3.11; only the type checker reads it
else:
    def dataclass_transform(**_: object) -> Callable[[Any], Any]:
        return lambda decorator: decorator

T = TypeVar("T")
C = TypeVar("C", bound=type)


class Op(Enum):
    EQ = ""
    NE = "_not"
    LT = "_lt"
    GT = "_gt"
    LE = "_lte"
    GE = "_gte"


class Clause:
    """What `&`, `|` and `~` combine."""

    __slots__ = ()

    def __and__(self, other: object) -> LogicalExpression:
        if not isinstance(other, Clause):
            return NotImplemented
        return LogicalExpression("AND", self, other)

    def __or__(self, other: object) -> LogicalExpression:
        if not isinstance(other, Clause):
            return NotImplemented
        return LogicalExpression("OR", self, other)

    def __invert__(self) -> LogicalExpression:
        return LogicalExpression("NOT", self, None)


class Comparison(Clause):
    __slots__ = ("field", "op", "value")

    def __init__(self, op: Op, field: Field[Any], value: Any) -> None:
        self.op, self.field, self.value = op, field, value

    def __repr__(self) -> str:
        return f"{self.field!r} {self.op.name} {self.value!r}"


class LogicalExpression(Clause):
    __slots__ = ("first", "op", "second")

    def __init__(self, op: str, first: Clause, second: Clause | None) -> None:
        self.op, self.first, self.second = op, first, second

    def __repr__(self) -> str:
        return f"NOT {self.first!r}" if self.second is None else f"({self.first!r} {self.op} {self.second!r})"


class Field(Generic[T]):
    """A queryable field on an entity class; on an instance it reads the attribute as before.

    An entity declares one as `name: Field[str]` in a class made by `queryable`: type checkers then read
    `lb.Dataset.name` as this Field and `dataset.name` as the str (the overloads of `__get__`), and take
    a str for it in `__init__` and in assignment (`__set__`)."""

    class Order(Enum):
        """A sort direction, as `order_by=(field, Field.Order.Asc)` (or `field.asc`) gives it."""

        Asc = "ASC"
        Desc = "DESC"

    def __init__(self, owner: type, name: str, graphql_name: str, slot: Any) -> None:
        self.owner, self.name, self.graphql_name, self._slot = owner, name, graphql_name, slot

    @property
    def asc(self) -> tuple[Field[T], Field.Order]:
        return self, Field.Order.Asc

    @property
    def desc(self) -> tuple[Field[T], Field.Order]:
        return self, Field.Order.Desc

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> Field[T]: ...
    @overload
    def __get__(self, instance: object, owner: type | None = None) -> T: ...
    def __get__(self, instance: object, owner: type | None = None) -> Any:
        return self if instance is None else self._slot.__get__(instance, owner)

    def __set__(self, instance: object, value: T) -> None:
        self._slot.__set__(instance, value)

    def __repr__(self) -> str:
        return f"{self.owner.__name__}.{self.name}"

    def __hash__(self) -> int:
        return hash((self.owner, self.name))

    def __eq__(self, value: object) -> Comparison:  # type: ignore[override]
        return Comparison(Op.EQ, self, value)

    def __ne__(self, value: object) -> Comparison:  # type: ignore[override]
        return Comparison(Op.NE, self, value)

    def __lt__(self, value: object) -> Comparison:
        return Comparison(Op.LT, self, value)

    def __gt__(self, value: object) -> Comparison:
        return Comparison(Op.GT, self, value)

    def __le__(self, value: object) -> Comparison:
        return Comparison(Op.LE, self, value)

    def __ge__(self, value: object) -> Comparison:
        return Comparison(Op.GE, self, value)


@dataclass_transform(field_specifiers=(attrs.field,), eq_default=False)
def queryable(**graphql_names: str) -> Callable[[C], C]:
    """Makes an entity class: `attrs.define(eq=False)`, then `cls.<field>` builds comparisons, for each
    field in `graphql_names` (attribute -> GraphQL field name), which the class annotates `Field[...]`.

    To type checkers this is a dataclass transform (PEP 681), not the attrs class mypy's attrs plugin
    would read: the plugin types a descriptor-annotated field as the descriptor in `__init__` and refuses
    class access to a slot; a dataclass transform takes `__init__`'s type from `Field.__set__`, and class
    and instance access from `Field.__get__`. (A field cannot be named as a dataclass option: eq, init...)"""
    def make(cls: C) -> C:
        made = attrs.define(eq=False)(cls)
        declared = {name for name, kind in made.__annotations__.items() if _is_field(kind)}
        if declared != set(graphql_names):  # the annotations are what type checkers read: they must agree
            raise TypeError(f"{made.__name__} annotates {sorted(declared)} as Field[...] but queries "
                            f"{sorted(graphql_names)}")
        for name, graphql_name in graphql_names.items():
            installed: Field[Any] = Field(made, name, graphql_name, made.__dict__[name])
            setattr(made, name, installed)
        return made

    return make


def _is_field(annotation: object) -> bool:
    return annotation.startswith("Field[") if isinstance(annotation, str) else get_origin(annotation) is Field


def order_by_input(entity: type, order_by: object) -> str:
    """The GraphQL orderBy value (`createdAt_ASC`) for `(entity.<field>, Field.Order)`; another entity's field
    is refused with InvalidAttributeError, as the SDK refuses it."""
    if not (isinstance(order_by, tuple) and len(order_by) == 2 and isinstance(order_by[1], Field.Order)):
        raise TypeError(f"order_by takes ({entity.__name__}.<field>, Field.Order), as {entity.__name__}.<field>.asc "
                        f"gives it; got {order_by!r}")
    field, order = order_by
    if not isinstance(field, Field) or field.owner is not entity:
        from .exceptions import InvalidAttributeError

        raise InvalidAttributeError(f"Field(s) '{field!r}' not valid on DB type '{entity.__name__}'")
    return f"{field.graphql_name}_{order.value}"


def where_input(entity: type, where: object, ops: frozenset[Op] = frozenset({Op.EQ, Op.NE})) -> dict[str, Any] | None:
    """The GraphQL where-input for a clause on `entity`; a dict of attribute names -> values is an AND of ==."""
    what = f"where= for {entity.__name__}"
    if where is None:
        return None
    if isinstance(where, Mapping):
        clauses = [_field(entity, name, what) == value for name, value in where.items()]
        return _join(entity, clauses, ops, what) if clauses else None
    if isinstance(where, Clause):
        fields = list(_fields(where))
        if len(set(fields)) != len(fields):  # the SDK refuses these before sending, with this error
            from .exceptions import InvalidQueryError

            raise InvalidQueryError(f"Where clause contains multiple comparisons for the same field: {where!r}.")
        return _input(entity, where, ops, what)
    hint = (" (a comparison with something that is not a field of the class evaluates to a bool: "
            f"write {entity.__name__}.<field> == value)") if isinstance(where, bool) else ""
    raise TypeError(f"{what} takes a comparison such as {entity.__name__}.name == 'x', or a dict; "
                    f"got {type(where).__name__} {where!r}{hint}")


def _fields(clause: Clause) -> Iterator[Field[Any]]:
    if isinstance(clause, LogicalExpression):
        yield from _fields(clause.first)
        if clause.second is not None:
            yield from _fields(clause.second)
    elif isinstance(clause, Comparison):
        yield clause.field


def _field(entity: type, name: str, what: str) -> Field[Any]:
    found = entity.__dict__.get(name)
    if not isinstance(found, Field):
        fields = sorted(k for k, v in entity.__dict__.items() if isinstance(v, Field))
        raise TypeError(f"{what}: {name!r} is not a field it can filter on; it filters on {fields}")
    return found


def _join(entity: type, clauses: list[Comparison], ops: frozenset[Op], what: str) -> dict[str, Any]:
    inputs = [_input(entity, clause, ops, what) for clause in clauses]
    return inputs[0] if len(inputs) == 1 else {"AND": inputs}


def _input(entity: type, clause: Clause, ops: frozenset[Op], what: str) -> dict[str, Any]:
    if isinstance(clause, LogicalExpression):
        if clause.op != "AND" or clause.second is None:
            raise TypeError(f"{what}: Labelbox filters {entity.__name__} by comparisons joined with &; "
                            f"{clause.op} is not supported (got {clause!r})")
        return {"AND": [_input(entity, clause.first, ops, what), _input(entity, clause.second, ops, what)]}
    assert isinstance(clause, Comparison)
    if clause.field.owner is not entity:
        raise TypeError(f"{what}: {clause.field!r} is a field of {clause.field.owner.__name__}, not of "
                        f"{entity.__name__} (got {clause!r})")
    if clause.op not in ops:
        allowed = " and ".join(sorted({"==" if op is Op.EQ else "!=" if op is Op.NE else op.name for op in ops}))
        raise TypeError(f"{what}: {clause.field!r} can be compared with {allowed} only (got {clause!r})")
    return {clause.field.graphql_name + clause.op.value: clause.value}
