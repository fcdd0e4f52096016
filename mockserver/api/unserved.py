"""Answers for operations the mock does not serve.

A document asking for a root field the SDL lacks is a Labelbox call the mock does not implement
(a dataset created by a script, say), not a malformed query. graphql-core would answer
`Cannot query field 'createDataset' on type 'Mutation'` followed by an `Unknown type` per input
type; instead the caller gets one error naming the operation and saying the mock does not
implement it, with the code the real API uses for a document it cannot validate. The message
opens with the sentence Labelbox's own server (graphql-js, where its messages are not masked) gives
for the first thing missing, so code matching that still matches.
"""

from __future__ import annotations

import re

from graphql import DocumentNode, FieldNode, GraphQLError, GraphQLSchema, OperationDefinitionNode

from . import errors

PORTING_PAGE = "docs/porting.md"
_UNKNOWN_TYPE = re.compile(r"^Unknown type '([^']+)'")


def not_implemented(schema: GraphQLSchema, document: DocumentNode,
                    problems: list[GraphQLError]) -> list[dict[str, object]] | None:
    """One error per operation that uses what the SDL lacks; None when everything it names exists."""
    unknown_types = sorted({m.group(1) for p in problems if (m := _UNKNOWN_TYPE.match(p.message))})
    answers = []
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        root = schema.get_root_type(definition.operation)
        kind = definition.operation.value.capitalize()
        missing = [f"{kind}.{selection.name.value}" for selection in definition.selection_set.selections
                   if isinstance(selection, FieldNode) and not selection.name.value.startswith("__")
                   and (root is None or selection.name.value not in root.fields)]
        if not missing and not unknown_types:
            continue
        label = f"Operation {definition.name.value!r}" if definition.name else f"An anonymous {kind.lower()}"
        what = ", ".join(missing) if missing else "type " + ", ".join(repr(t) for t in unknown_types)
        if missing:
            type_name, _, field = missing[0].partition(".")
            opening = f'Cannot query field "{field}" on type "{type_name}".'
        else:
            opening = f'Unknown type "{unknown_types[0]}".'
        answers.append(errors.error_body(
            f"{opening} {label} is not implemented by the mock ({what}); {PORTING_PAGE} lists what it serves",
            errors.GRAPHQL_VALIDATION_FAILED))
    return answers or None
