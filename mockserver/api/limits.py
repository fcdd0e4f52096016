"""Depth, size and cost limits, answered as the real API answers an over-costly query.

Three stages. Before parsing, a cheap look at the text: graphql-core's parser
recurses once per nesting level, so a document nested a few hundred deep would
exhaust Python's stack before any validation rule could measure it, and a huge
document costs parse time whatever it holds. After parsing, a validation rule
measures selection depth, the selections of the whole document (every
operation's, each fragment once, so spreads cost what they add and are never
expanded path by path) and each operation's estimated cost. Before execution,
the estimate is finished with the request's variables (`Costs.too_costly`).

The estimate is GraphQL cost analysis's: every field costs 1, times the page
sizes of the lists it sits in. A list's page size is its `first` argument (a
literal, or a variable read at execution), else `DEFAULT_PAGE_SIZE`; a list
that takes no `first` counts `LIST_SIZE`, but a page type's own lists (a
connection's `nodes`) are the page, so they multiply by 1.
So 999 aliases of `projects(first: 100) { id }` cost 100,899 and are refused
before any resolver runs, where 999 aliases of `user { id }` cost 1,998.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, TypeAlias
from weakref import WeakKeyDictionary

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
)

MAX_DEPTH = 15
# Selections of one document, all its operations and fragments together: parsing and validating cost
# grows with them whichever operation runs.
MAX_FIELDS = 2000
MAX_OPERATIONS = 50
# The estimated cost of the operation that runs (fields x the page sizes of the lists they sit in).
# The SDK's largest reads (a 500-row page of data rows with their details, a 1,000-row cursor page)
# cost under 10,000; an answer of this many values takes the mock about half a second of CPU.
MAX_COST = 50_000
# The page size of a field that takes `first` and is given none: an offset list without one answers
# everything, a cursor page its default of 100 (resolvers/common.DEFAULT_PAGE).
DEFAULT_PAGE_SIZE = 100
# The length of a list that takes no `first`: a record's details (metadata fields, attachments,
# options), a page's results, a few each.
LIST_SIZE = 10
# Brackets of any kind ({ [ () open inside one another: a depth-15 selection with object
# arguments stays far below this, and the parser's recursion at this depth is a few hundred frames.
MAX_TEXT_NESTING = 60
MAX_QUERY_CHARS = 256 * 1024

# What the nesting scan looks at: brackets, and the strings and comments whose brackets do not
# count. An unterminated string runs to the end (of the line, for a plain one), as the lexer
# reads it: a pattern that needed the closing quote would rescan the rest of the text from
# every quote, quadratic time on a hostile document.
_SCANNED = re.compile(r'"""(?:\\"""|[^"]|"(?!""))*(?:"""|\Z)|"(?:\\.|[^"\\\n])*"?|#[^\n]*|[{}\[\]()]')
_OPENING = frozenset("{[(")
_CLOSING = frozenset("}])")


def text_is_too_costly(query: str) -> bool:
    """True when the text alone is over the limits: too long, or nested too deep to parse safely."""
    if len(query) > MAX_QUERY_CHARS:
        return True
    depth = 0
    for match in _SCANNED.finditer(query):
        token = match.group()
        if token in _OPENING:
            depth += 1
            if depth > MAX_TEXT_NESTING:
                return True
        elif token in _CLOSING:
            depth = max(depth - 1, 0)
    return False



Factor: TypeAlias = tuple[str, int]
"""A page size a variable gives: the variable's name, and the size when the request leaves it out."""
Terms: TypeAlias = dict[tuple[Factor, ...], int]
"""An estimated cost: a coefficient per product of variable page sizes (() for the constant part)."""
_CAP = MAX_COST + 1  # coefficients stop here: past it any term with a page size over 0 is over the limit


def _add(into: Terms, terms: Terms, times: int | Factor = 1) -> None:
    """into += terms * times."""
    for key, coefficient in terms.items():
        if isinstance(times, int):
            coefficient *= times
        else:
            key = tuple(sorted((*key, times)))
        into[key] = min(into.get(key, 0) + coefficient, _CAP)


def _page_size(value: Any, fallback: int) -> int:
    """A variable's page size: the Int it holds (negatives count as 0), else the fallback; a value that
    is not an Int (a string, past 32 bits) fails coercion next, which answers the request's own error."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not -(2**31) <= value < 2**31:
        return fallback
    return max(value, 0)


class Costs:
    """Each operation's estimated cost, by name (None for an anonymous one), finished per request."""

    __slots__ = ("_terms",)

    def __init__(self, terms: dict[str | None, Terms]) -> None:
        self._terms = terms

    def estimate(self, operation: str | None, variables: Mapping[str, Any] | None) -> int:
        """The cost of the operation that runs (the only one when `operation` is None), with these
        variables; 0 for an operation the document lacks (graphql-core answers that itself)."""
        if operation is None and len(self._terms) == 1:
            terms = next(iter(self._terms.values()))
        else:
            terms = self._terms.get(operation, {})
        given = variables or {}
        total = 0
        for key, coefficient in terms.items():
            for name, fallback in key:
                coefficient *= _page_size(given.get(name), fallback)
            total += coefficient
            if total > MAX_COST:
                break
        return total

    def too_costly(self, operation: str | None, variables: Mapping[str, Any] | None) -> bool:
        return self.estimate(operation, variables) > MAX_COST


def _is_list(graphql_type: GraphQLOutputType) -> bool:
    return isinstance(graphql_type.of_type if isinstance(graphql_type, GraphQLNonNull) else graphql_type, GraphQLList)


_PAGE_TYPES: WeakKeyDictionary[GraphQLSchema, frozenset[str]] = WeakKeyDictionary()


def _page_types(schema: GraphQLSchema) -> frozenset[str]:
    """Object types a field with a `first` argument answers as a whole (connections, pages): their lists
    are the page, already counted by the field's `first`."""
    known = _PAGE_TYPES.get(schema)
    if known is None:
        known = frozenset(
            get_named_type(field.type).name
            for graphql_type in schema.type_map.values() if isinstance(graphql_type, GraphQLObjectType)
            for field in graphql_type.fields.values()
            if "first" in field.args and not _is_list(field.type)
        )
        _PAGE_TYPES[schema] = known
    return known


class _Measure:
    """Depth, selection count and estimated cost of selections, each fragment measured once.

    A fragment's measure is kept per name, so a spread adds a remembered figure:
    a chain of fragments each spreading the next twice costs a walk per
    fragment, not one per path (which doubles with every fragment). A spread
    counts as one selection itself, so fragments that hold only spreads still
    add up. Counts stop growing past the limit; a cycle measures as nothing
    here and is reported by the standard NoFragmentCycles rule. A fragment's
    cost is the same wherever it is spread: a page size multiplies the field
    that takes it, never a level below.
    """

    def __init__(self, schema: GraphQLSchema, fragments: Mapping[str, FragmentDefinitionNode]) -> None:
        self.schema = schema
        self.page_types = _page_types(schema)
        self.fragment_definitions = fragments
        self._fragments: dict[str, tuple[int, int, Terms]] = {}
        self._measuring: set[str] = set()
        self._variable_defaults: dict[str, int] = {}

    def operation(self, node: OperationDefinitionNode) -> tuple[int, int, Terms]:
        self._variable_defaults = {
            definition.variable.name.value: int(definition.default_value.value)
            for definition in node.variable_definitions or ()
            if isinstance(definition.default_value, IntValueNode)
        }
        root = self.schema.get_root_type(node.operation)
        return self.selections(node.selection_set, root)

    def fragment(self, name: str) -> tuple[int, int, Terms]:
        known = self._fragments.get(name)
        if known is not None:
            return known
        fragment = self.fragment_definitions.get(name)
        if fragment is None or name in self._measuring:
            return 0, 0, {}
        self._measuring.add(name)
        try:
            measured = self.selections(fragment.selection_set, self.schema.get_type(fragment.type_condition.name.value))
        finally:
            self._measuring.discard(name)
        self._fragments[name] = measured
        return measured

    def _multiplier(self, node: FieldNode, field: GraphQLField | None, parent: GraphQLNamedType | None) -> int | Factor:
        """What a field's selections cost times: its page size if it is a list or takes `first`."""
        if field is None:
            return 1
        given = next((argument.value for argument in node.arguments or () if argument.name.value == "first"), None)
        if isinstance(given, IntValueNode):
            return max(int(given.value), 0)
        if isinstance(given, VariableNode):
            name = given.name.value
            # the variable's default in the document stands when the request leaves it out (a fragment
            # keeps the default of the operation it was first measured in)
            return name, self._variable_defaults.get(name, DEFAULT_PAGE_SIZE)
        if "first" in field.args:
            return DEFAULT_PAGE_SIZE
        if _is_list(field.type):
            return 1 if parent is not None and parent.name in self.page_types else LIST_SIZE
        return 1

    def selections(self, selection_set: SelectionSetNode | None,
                   parent: GraphQLNamedType | None) -> tuple[int, int, Terms]:
        """(levels below, selections, estimated cost) of a selection set, relative to where it sits."""
        if selection_set is None:
            return 0, 0, {}
        deepest, count = 0, 0
        cost: Terms = {}
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                fields = parent.fields if isinstance(parent, (GraphQLObjectType, GraphQLInterfaceType)) else {}
                field = fields.get(selection.name.value)
                child = get_named_type(field.type) if field is not None else None
                child_depth, child_count, child_cost = self.selections(selection.selection_set, child)
                deepest, count = max(deepest, child_depth + 1), count + 1 + child_count
                cost[()] = min(cost.get((), 0) + 1, _CAP)
                _add(cost, child_cost, self._multiplier(selection, field, parent))
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = self.schema.get_type(condition.name.value) if condition else parent
                child_depth, child_count, child_cost = self.selections(selection.selection_set, inner)
                deepest, count = max(deepest, child_depth), count + child_count
                _add(cost, child_cost)
            elif isinstance(selection, FragmentSpreadNode):
                child_depth, child_count, child_cost = self.fragment(selection.name.value)
                deepest, count = max(deepest, child_depth), count + 1 + child_count
                _add(cost, child_cost)
            if deepest > MAX_DEPTH or count > MAX_FIELDS:
                return deepest, MAX_FIELDS + 1 if count > MAX_FIELDS else count, cost
        return deepest, count, cost


def measure(schema: GraphQLSchema, document: DocumentNode) -> Costs | None:
    """Each operation's estimated cost, or None when the document is over MAX_OPERATIONS, MAX_DEPTH or
    MAX_FIELDS, or an operation's cost is over MAX_COST whatever its variables. A walk of its own, not a
    validation rule: graphql-core's visitor would walk every node once more, for nothing."""
    operations = [definition for definition in document.definitions if isinstance(definition, OperationDefinitionNode)]
    if len(operations) > MAX_OPERATIONS:
        return None
    fragments = {definition.name.value: definition for definition in document.definitions
                 if isinstance(definition, FragmentDefinitionNode)}
    measuring = _Measure(schema, fragments)  # shared by the operations, so fragments are measured once
    selections = 0
    costs: dict[str | None, Terms] = {}
    for operation in operations:
        try:
            depth, count, terms = measuring.operation(operation)
        except RecursionError:  # fragments spread inside one another hundreds deep: over any limit
            return None
        selections += count
        if depth > MAX_DEPTH or selections > MAX_FIELDS or terms.get((), 0) > MAX_COST:
            return None
        costs[operation.name.value if operation.name else None] = terms
    return Costs(costs)
