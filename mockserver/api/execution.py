"""graphql-core's execution, with what is pure of a document or the schema worked out once.

Nothing here caches an answer. What is kept:
- per operation of a document without @skip/@include (PreparedDocument marks it): the fields its root
  and each sub-selection collect, which depend on a request only through those directives;
- per field of the schema: whether it is a *plain leaf*, a scalar or enum field with no resolver and no
  arguments. Such a field of a dict (every shape is one, and holds values, never callables:
  tests/mock/test_shapes_hold_values.py) is its parent's key, completed as graphql-core completes a
  leaf; its resolve info, argument values and path are made only if it fails. That is most fields of
  most answers, and those three were most of their cost.

Everything else (resolvers, objects, lists, abstract types, errors) runs through graphql-core's own
methods. tests/mock/test_execution.py holds answers and errors equal to graphql-core's plain
ExecutionContext over the same documents.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    DocumentNode,
    ExecutionContext,
    ExecutionResult,
    FieldNode,
    GraphQLEnumType,
    GraphQLError,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLScalarType,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    Undefined,
    default_field_resolver,
    located_error,
)
from graphql.execution.collect_fields import collect_fields
from graphql.execution.execute import assume_not_awaitable
from graphql.pyutils import Path, inspect

# Set on an operation node (graphql-core's nodes take custom attributes) whose selections are the same for
# every request: (type, id of the field node) -> sub-fields, and the root type -> root fields. The ids are
# of nodes the document holds, which lives as long as the cache does.
SHARED_FIELDS = "mock_subfields"

# Set on a GraphQLObjectType: field name -> (non-null, leaf type) for its plain leaves, None for any other
# field. Filled on first use, after the service bound its resolvers.
_PLAIN_LEAVES = "mock_plain_leaves"


def shaped_field(source: Any, info: GraphQLResolveInfo, **args: Any) -> Any:
    """graphql-core's default resolver, quicker for what resolvers answer: shapes are dicts of values, never
    callables (tests/mock/test_shapes_hold_values.py), so a field without a resolver is a key of its parent."""
    if type(source) is dict:
        return source.get(info.field_name)
    return default_field_resolver(source, info, **args)


def _plain_leaf(parent_type: GraphQLObjectType, name: str) -> tuple[bool, GraphQLScalarType | GraphQLEnumType] | None:
    if name.startswith("__"):  # introspection's fields resolve themselves
        return None
    field = parent_type.fields.get(name)
    if field is None or field.resolve is not None or field.args:
        return None
    field_type = field.type
    non_null = isinstance(field_type, GraphQLNonNull)
    leaf = field_type.of_type if non_null else field_type
    if not isinstance(leaf, (GraphQLScalarType, GraphQLEnumType)):
        return None
    return non_null, leaf


def _plain_leaves(parent_type: GraphQLObjectType) -> dict[str, tuple[bool, Any] | None]:
    leaves = parent_type.__dict__.get(_PLAIN_LEAVES)
    if leaves is None:
        leaves = {name: _plain_leaf(parent_type, name) for name in parent_type.fields}
        parent_type.__dict__[_PLAIN_LEAVES] = leaves
    return leaves


class Execution(ExecutionContext):
    """graphql-core's ExecutionContext, for synchronous execution with `shaped_field` as the default resolver
    (GraphQLService.execute); any other use runs graphql-core's methods unchanged."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shared: dict[Any, Any] | None = self.operation.__dict__.get(SHARED_FIELDS)
        if self._shared is not None:
            # the same keys as graphql-core's per-request cache: (type, id of the field node)
            self._subfields_cache = self._shared
        self._plain = (self.is_awaitable is assume_not_awaitable and self.field_resolver is shaped_field
                       and self.middleware_manager is None)

    def execute_operation(self, operation: OperationDefinitionNode, root_value: Any) -> Any:
        shared = self._shared
        root_type = self.schema.get_root_type(operation.operation)
        if shared is None or root_type is None:
            return super().execute_operation(operation, root_value)
        root_fields = shared.get(root_type)
        if root_fields is None:
            try:
                root_fields = collect_fields(self.schema, self.fragments, self.variable_values, root_type,
                                             operation.selection_set)
            except RecursionError:  # as graphql-core answers it, below
                return super().execute_operation(operation, root_value)
            shared[root_type] = root_fields
        if operation.operation == OperationType.MUTATION:
            return self.execute_fields_serially(root_type, root_value, None, root_fields)
        return self.execute_fields(root_type, root_value, None, root_fields)

    def execute_fields(self, parent_type: GraphQLObjectType, source_value: Any, path: Path | None,
                       fields: dict[str, list[FieldNode]]) -> Any:
        if not self._plain or type(source_value) is not dict:
            return super().execute_fields(parent_type, source_value, path, fields)
        # graphql-core's loop, with no awaitable to gather (the execution is synchronous)
        leaves = _plain_leaves(parent_type)
        results = {}
        for response_name, field_nodes in fields.items():
            leaf = leaves.get(field_nodes[0].name.value)
            if leaf is not None:
                results[response_name] = self._complete_plain_leaf(leaf, parent_type, source_value, field_nodes,
                                                                   path, response_name)
                continue
            result = self.execute_field(parent_type, source_value, field_nodes, Path(path, response_name,
                                                                                       parent_type.name))
            if result is not Undefined:
                results[response_name] = result
        return results

    def _complete_plain_leaf(self, leaf: tuple[bool, Any], parent_type: GraphQLObjectType, source: dict[str, Any],
                             field_nodes: list[FieldNode], path: Path | None, response_name: str) -> Any:
        """execute_field of a plain leaf on a dict: `shaped_field`'s value, completed as complete_value and
        complete_leaf_value complete it, with errors located and handled as execute_field handles them."""
        non_null, leaf_type = leaf
        result = source.get(field_nodes[0].name.value)
        try:
            if isinstance(result, Exception):
                raise result
            if result is None or result is Undefined:
                completed = None
            else:
                completed = leaf_type.serialize(result)
                if completed is Undefined or completed is None:
                    raise TypeError(f"Expected `{inspect(leaf_type)}.serialize({inspect(result)})`"
                                    f" to return non-nullable value, returned: {inspect(completed)}")
            if completed is None and non_null:
                raise TypeError(f"Cannot return null for non-nullable field"
                                f" {parent_type.name}.{field_nodes[0].name.value}.")
            return completed
        except Exception as raw_error:
            field_path = Path(path, response_name, parent_type.name)
            error: GraphQLError = located_error(raw_error, field_nodes, field_path.as_list())
            self.handle_field_error(error, parent_type.fields[field_nodes[0].name.value].type, field_path)
            return None


def execute(schema: GraphQLSchema, document: DocumentNode, context: Any, variables: dict[str, Any],
            operation_name: str | None) -> ExecutionResult:
    """graphql-core's execute_sync with `Execution` and `shaped_field`, less what cannot apply to the
    service's calls: the check of its arguments (the schema is the service's, built valid; `variables` a
    dict) and the check for an awaitable answer (with `assume_not_awaitable` none is ever seen as one)."""
    context_or_errors = Execution.build(schema, document, None, context, variables, operation_name,
                                        shaped_field, None, None, 50, None, assume_not_awaitable)
    if isinstance(context_or_errors, list):
        return ExecutionResult(data=None, errors=context_or_errors)
    errors = context_or_errors.collected_errors
    try:
        data = context_or_errors.execute_operation(context_or_errors.operation, None)
    except GraphQLError as error:
        errors.add(error, None)
        return context_or_errors.build_response(None, errors.errors)
    return context_or_errors.build_response(data, errors.errors)  # type: ignore[arg-type]  # never awaitable
