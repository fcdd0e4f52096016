"""Query cost bounded before execution (issue 24, finding 6): aliases, page sizes and operations per document.

A 12 KiB document of 999 aliases each reading a page of 100 projects took seconds of the mock's CPU and
answered 3.5 MB; the estimate (fields times the page sizes of their lists) refuses it before any resolver
runs, with the real API's "Query complexity limit exceeded", whether the page size is a literal or a
variable."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pytest
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    parse,
)
from hypothesis import given, settings
from hypothesis import strategies as st

import labelbox_lite as lb
from mockserver.api import limits
from mockserver.api.context import RequestContext
from mockserver.api.service import GraphQLService, build_mock_schema
from mockserver.backend import shared_graphql_service

from .conftest import Target

COMPLEXITY = [{"message": "Query complexity limit exceeded", "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"}}]


def _aliases(count: int, page: str) -> str:
    return "query Wide($n: Int) { " + " ".join(f"a{i}: projects({page}) {{ id }}" for i in range(count)) + " }"


def _post(target: Target, query: str, variables: dict[str, Any] | None = None) -> Any:
    response = target.post_graphql(json.dumps({"query": query, "variables": variables or {}}).encode())
    assert response.status_code == 200
    return response.json()


# -- the attack: refused before execution, both transports --------------------------------------------

def test_999_aliased_pages_are_refused_before_execution(target: Target) -> None:
    query = _aliases(999, "first: 100")
    assert _post(target, query) == {"errors": COMPLEXITY}


def test_page_sizes_given_as_variables_are_counted_per_request(target: Target) -> None:
    query = _aliases(999, "first: $n")
    assert _post(target, query, {"n": 100}) == {"errors": COMPLEXITY}
    assert _post(target, query, {"n": 1}) == {"data": {f"a{i}": [] for i in range(999)}}
    assert _post(target, query) == {"errors": COMPLEXITY}  # left out: a page's default size, 100


def test_many_trivial_aliases_still_run(target: Target) -> None:
    # 1,998 fields, no lists: the cost is the fields themselves
    query = "{ " + " ".join(f"a{i}: user {{ id }}" for i in range(999)) + " }"
    assert "errors" not in _post(target, query)


def test_too_many_operations_are_refused(target: Target) -> None:
    many = " ".join(f"query Q{i} {{ user {{ id }} }}" for i in range(limits.MAX_OPERATIONS + 1))
    body = json.dumps({"query": many, "operationName": "Q0"}).encode()
    assert target.post_graphql(body).json() == {"errors": COMPLEXITY}
    fewer = " ".join(f"query Q{i} {{ user {{ id }} }}" for i in range(limits.MAX_OPERATIONS))
    assert "errors" not in target.post_graphql(json.dumps({"query": fewer, "operationName": "Q7"}).encode()).json()


def test_fields_are_counted_across_the_documents_operations() -> None:
    # each operation under MAX_FIELDS, the document over it: parsing and validating cost the whole text
    operation = " ".join(f"a{j}: user {{ id }}" for j in range(400))
    document = " ".join(f"query Q{i} {{ {operation} }}" for i in range(3))
    assert GraphQLService(shared_graphql_service().schema).prepare(document).errors == COMPLEXITY


def test_no_resolver_runs_for_a_refused_request() -> None:
    service = GraphQLService(build_mock_schema())
    calls = []
    resolve = service.schema.query_type.fields["projects"].resolve  # type: ignore[union-attr]
    assert resolve is not None

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return resolve(*args, **kwargs)

    service.schema.query_type.fields["projects"].resolve = counting  # type: ignore[union-attr]
    prepared = service.prepare(_aliases(999, "first: $n"))
    assert prepared.errors == []
    context: Any = RequestContext.__new__(RequestContext)  # never read: nothing may resolve
    assert service.execute(context, prepared, {"n": 100}) == {"errors": COMPLEXITY}
    assert calls == []


def test_the_client_raises_the_sdks_error(target: Target) -> None:
    with pytest.raises(lb.exceptions.ValidationFailedError, match="Query complexity limit exceeded"):
        target.client().execute(_aliases(999, "first: $n"), {"n": 50})


# -- the estimate against a brute-force model -----------------------------------------------------------

_PAGE = st.one_of(st.none(), st.integers(0, 1000).map(str), st.sampled_from(["$a", "$b"]))


def _page(page: str | None) -> str:
    return "" if page is None else f"(first: {page})"


@st.composite
def _project_selection(draw: st.DrawFn, depth: int = 0) -> str:
    parts = draw(st.lists(st.sampled_from(["id", "name", "labels", "taskQueues", "batches", "spread", "inline"]),
                          min_size=1, max_size=5))
    out = []
    for part in parts:
        if part == "labels":
            out.append(f"labels{_page(draw(_PAGE))} {{ id }}")
        elif part == "taskQueues":
            out.append("taskQueues { id name }")
        elif part == "batches":
            out.append(f"batches{_page(draw(_PAGE))} {{ nodes {{ id }} pageInfo {{ hasNextPage }} }}")
        elif part == "spread":
            out.append("...P")
        elif part == "inline" and depth < 2:
            out.append("... on Project { " + draw(_project_selection(depth + 1)) + " }")
        else:
            out.append(part)
    return " ".join(out)


@st.composite
def _documents(draw: st.DrawFn) -> str:
    roots = draw(st.lists(st.tuples(_PAGE, _project_selection()), min_size=1, max_size=4))
    body = " ".join(f"r{i}: projects{_page(page)} {{ {selection} }}" for i, (page, selection) in enumerate(roots))
    fragment = draw(_project_selection())
    return (f"query Drawn($a: Int, $b: Int = 7) {{ {body} user {{ id }} }}\n"
            f"fragment P on Project {{ id {fragment.replace('...P', 'name')} }}")


def _brute_force(document: str, variables: Mapping[str, Any]) -> int:
    """Every spread expanded where it stands, every variable substituted, the rule applied field by field."""
    ast = parse(document)
    fragments = {d.name.value: d for d in ast.definitions if isinstance(d, FragmentDefinitionNode)}
    operation = next(d for d in ast.definitions if isinstance(d, OperationDefinitionNode))
    defaults = {d.variable.name.value: int(d.default_value.value) for d in operation.variable_definitions
                if isinstance(d.default_value, IntValueNode)}
    pageable = {"projects", "labels", "batches"}
    page_lists = {"nodes"}  # lists of a page type: the page itself

    def times(field: FieldNode) -> int:
        given = next((a.value for a in field.arguments if a.name.value == "first"), None)
        if isinstance(given, IntValueNode):
            return int(given.value)
        if isinstance(given, VariableNode):
            value = variables.get(given.name.value)
            return value if isinstance(value, int) else defaults.get(given.name.value, limits.DEFAULT_PAGE_SIZE)
        if field.name.value in pageable:
            return limits.DEFAULT_PAGE_SIZE
        if field.name.value in page_lists:
            return 1
        return limits.LIST_SIZE if field.name.value == "taskQueues" else 1

    def cost(selection_set: SelectionSetNode | None) -> int:
        total = 0
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                total += 1 + times(selection) * cost(selection.selection_set)
            elif isinstance(selection, InlineFragmentNode):
                total += cost(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                total += cost(fragments[selection.name.value].selection_set)
        return total

    return cost(operation.selection_set)


@settings(max_examples=150, deadline=None)
@given(document=_documents(), a=st.one_of(st.none(), st.integers(0, 1000)), b=st.one_of(st.none(), st.integers(0, 1000)))
def test_the_estimate_is_the_expanded_cost(document: str, a: int | None, b: int | None) -> None:
    variables = {name: value for name, value in (("a", a), ("b", b)) if value is not None}
    expected = _brute_force(document, variables)
    costs = limits.measure(shared_graphql_service().schema, parse(document))
    constant = _brute_force(document, {"a": 0, "b": 0})
    if constant > limits.MAX_COST:  # over whatever the variables: refused when validated
        assert costs is None
        return
    assert costs is not None
    assert costs.too_costly(None, variables) == (expected > limits.MAX_COST)
    if expected <= limits.MAX_COST:
        assert costs.estimate(None, variables) == expected


@pytest.mark.parametrize("value", ["100", 2**40, True, None, -5, 3.0])
def test_a_page_size_that_is_not_an_int_counts_its_default(value: Any) -> None:
    costs = limits.measure(shared_graphql_service().schema, parse("query Q($n: Int) { projects(first: $n) { id } }"))
    assert costs is not None
    expected = {-5: 1, 3.0: 4}.get(value, 1 + limits.DEFAULT_PAGE_SIZE) if not isinstance(value, bool) else 101
    assert costs.estimate(None, {"n": value}) == expected
