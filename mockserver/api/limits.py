"""Depth and complexity limits, answered as the real API answers an over-costly query.

Two stages. Before parsing, a cheap look at the text: graphql-core's parser
recurses once per nesting level, so a document nested a few hundred deep would
exhaust Python's stack before any validation rule could measure it, and a huge
document costs parse time whatever it holds. After parsing, a validation rule
measures selection depth and field count, each fragment once
(so spreads cost what they add, and are never expanded path by path).
"""

from __future__ import annotations

import re
from typing import Any

from graphql import (
    ASTValidationRule,
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
)

from .errors import COMPLEXITY_MESSAGE

MAX_DEPTH = 15
MAX_FIELDS = 2000
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


class _Cost:
    """Depth and field count of selections, each fragment measured once.

    A fragment's cost is kept per name, so a spread adds a remembered figure:
    a chain of fragments each spreading the next twice costs a walk per
    fragment, not one per path (which doubles with every fragment). A spread
    counts as one selection itself, so fragments that hold only spreads still
    add up. Counts stop growing past the limit; a cycle measures as nothing
    here and is reported by the standard NoFragmentCycles rule.
    """

    def __init__(self, context: ValidationContext) -> None:
        self.context = context
        self._fragments: dict[str, tuple[int, int]] = {}
        self._measuring: set[str] = set()

    def fragment(self, name: str) -> tuple[int, int]:
        known = self._fragments.get(name)
        if known is not None:
            return known
        fragment = self.context.get_fragment(name)
        if fragment is None or name in self._measuring:
            return 0, 0
        self._measuring.add(name)
        try:
            measured = self.selections(fragment.selection_set)
        finally:
            self._measuring.discard(name)
        self._fragments[name] = measured
        return measured

    def selections(self, selection_set: SelectionSetNode | None) -> tuple[int, int]:
        """(levels below, selections) of a selection set, relative to where it sits."""
        if selection_set is None:
            return 0, 0
        deepest, count = 0, 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                child_depth, child_count = self.selections(selection.selection_set)
                deepest, count = max(deepest, child_depth + 1), count + 1 + child_count
            elif isinstance(selection, InlineFragmentNode):
                child_depth, child_count = self.selections(selection.selection_set)
                deepest, count = max(deepest, child_depth), count + child_count
            elif isinstance(selection, FragmentSpreadNode):
                child_depth, child_count = self.fragment(selection.name.value)
                deepest, count = max(deepest, child_depth), count + 1 + child_count
            if deepest > MAX_DEPTH or count > MAX_FIELDS:
                return deepest, MAX_FIELDS + 1 if count > MAX_FIELDS else count
        return deepest, count


class QueryCostRule(ValidationRule):
    def __init__(self, context: ValidationContext) -> None:
        super().__init__(context)
        self._cost = _Cost(context)  # shared by the document's operations, so fragments are measured once

    def enter_operation_definition(self, node: OperationDefinitionNode, *_args: Any) -> None:
        try:
            depth, count = self._cost.selections(node.selection_set)
        except RecursionError:  # fragments spread inside one another hundreds deep: over any limit
            depth, count = MAX_DEPTH + 1, 0
        if depth > MAX_DEPTH or count > MAX_FIELDS:
            self.report_error(GraphQLError(COMPLEXITY_MESSAGE, node))


def limit_rules() -> list[type[ASTValidationRule]]:
    return [QueryCostRule]
