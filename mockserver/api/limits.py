"""Depth and complexity limits, answered as the real API answers an over-costly query."""

from __future__ import annotations

from typing import Any

from graphql import (
    ASTValidationRule,
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)
from graphql.validation import ASTValidationContext

from .errors import COMPLEXITY_MESSAGE

MAX_DEPTH = 15
MAX_FIELDS = 2000


def _measure(
    selection_set: SelectionSetNode | None, context: ASTValidationContext, depth: int, seen: set[str]
) -> tuple[int, int]:
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


class QueryCostRule(ASTValidationRule):
    def enter_operation_definition(self, node: OperationDefinitionNode, *_args: Any) -> None:
        depth, count = _measure(node.selection_set, self.context, 0, set())
        if depth > MAX_DEPTH or count > MAX_FIELDS:
            self.report_error(GraphQLError(COMPLEXITY_MESSAGE, node))


def limit_rules() -> list[type[ASTValidationRule]]:
    return [QueryCostRule]
