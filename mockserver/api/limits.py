"""Depth and complexity limits, answered as the real API answers an over-costly query.

Two stages. Before parsing, a cheap look at the text: graphql-core's parser
recurses once per nesting level, so a document nested a few hundred deep would
exhaust Python's stack before any validation rule could measure it, and a huge
document costs parse time whatever it holds. After parsing, a validation rule
measures selection depth and field count, following fragments.
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


def _measure(selection_set: SelectionSetNode | None, context: ValidationContext, depth: int, seen: set[str]) -> tuple[int, int]:
    """(deepest level, number of fields) under a selection set, following fragments once."""
    if selection_set is None:
        return depth, 0
    deepest, count = depth, 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            child_depth, child_count = _measure(selection.selection_set, context, depth + 1, seen)
            deepest, count = max(deepest, child_depth), count + 1 + child_count
        elif isinstance(selection, InlineFragmentNode):
            child_depth, child_count = _measure(selection.selection_set, context, depth, seen)
            deepest, count = max(deepest, child_depth), count + child_count
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = context.get_fragment(name)
            if fragment is None or name in seen:
                continue
            child_depth, child_count = _measure(fragment.selection_set, context, depth, seen | {name})
            deepest, count = max(deepest, child_depth), count + child_count
        if deepest > MAX_DEPTH or count > MAX_FIELDS:
            break
    return deepest, count


class QueryCostRule(ValidationRule):
    def enter_operation_definition(self, node: OperationDefinitionNode, *_args: Any) -> None:
        depth, count = _measure(node.selection_set, self.context, 0, set())
        if depth > MAX_DEPTH or count > MAX_FIELDS:
            self.report_error(GraphQLError(COMPLEXITY_MESSAGE, node))


def limit_rules() -> list[type[ASTValidationRule]]:
    return [QueryCostRule]
