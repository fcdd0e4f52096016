"""Float arguments are finite numbers.

graphql-core reads a Float literal with `float(text)`, so `1e400` (or an integer
literal of 400 digits) becomes infinity and would reach a resolver, and from there
state, which JSON cannot carry. Variables cannot carry one (a request body refuses
non-finite numbers), so document literals are the one way in: this validation rule
refuses them, for every Float argument, input field and variable default, in one
place, naming where the number was.
"""

from __future__ import annotations

import math
from typing import Any

from graphql import (
    ArgumentNode,
    FloatValueNode,
    GraphQLError,
    IntValueNode,
    ObjectFieldNode,
    ValidationRule,
    VariableDefinitionNode,
    get_named_type,
)


class FiniteFloatRule(ValidationRule):
    def enter_float_value(self, node: FloatValueNode, _key: Any, parent: Any, _path: Any, ancestors: Any) -> None:
        self._check(node, [*ancestors, parent])

    def enter_int_value(self, node: IntValueNode, _key: Any, parent: Any, _path: Any, ancestors: Any) -> None:
        self._check(node, [*ancestors, parent])  # an Int literal is a valid Float, and 400 digits of one is infinite

    def _check(self, node: FloatValueNode | IntValueNode, ancestors: list[Any]) -> None:
        expected = get_named_type(self.context.get_input_type())
        if expected is None or expected.name != "Float" or math.isfinite(float(node.value)):
            return
        shown = node.value if len(node.value) <= 40 else f"{node.value[:20]}... ({len(node.value)} characters)"
        self.report_error(GraphQLError(
            f"Float cannot represent the non-finite number {shown} ({_where(ancestors)}): "
            "a Float is a finite double", node))


def _where(ancestors: list[Any]) -> str:
    """Which argument (and input fields within it), or which variable's default, holds the number."""
    names: list[str] = []
    for ancestor in ancestors:
        if isinstance(ancestor, VariableDefinitionNode):
            return f"default of variable ${ancestor.variable.name.value}"
        if isinstance(ancestor, ArgumentNode):
            names = [ancestor.name.value]
        elif isinstance(ancestor, ObjectFieldNode) and names:
            names.append(ancestor.name.value)
    return f"argument {'.'.join(names)}" if names else "a Float value"
