"""The mock's execution (api/execution.py) answers as graphql-core's own ExecutionContext does: the same data
and the same errors (message, path, locations), for plain leaves of every kind of value, good or bad, on
their own, in lists and under non-null parents, with selections kept across requests or not."""

from __future__ import annotations

import math
from typing import Any

import pytest
from graphql import ExecutionContext, build_schema, execute_sync, parse
from hypothesis import given, settings
from hypothesis import strategies as st

import labelbox_lite as lb
from mockserver import MockLabelbox
from mockserver.api.execution import SHARED_FIELDS, Execution, shaped_field

SDL = """
enum Color { RED GREEN }
type Thing { id: ID! n: Int f: Float s: String! b: Boolean c: Color e: Color! tags: [String!] more: Thing }
type Query { thing: Thing things: [Thing!] strict: Thing! list: [Thing]! }
type Mutation { touch: Thing }
"""
SCHEMA = build_schema(SDL)

# values a shape could hold by mistake as well as good ones: each scalar refuses some of them
VALUE = st.one_of(st.none(), st.booleans(), st.integers(-2**40, 2**40), st.floats(allow_nan=True),
                  st.text(max_size=5), st.sampled_from(["RED", "GREEN", "BLUE", ValueError("boom")]),
                  st.lists(st.one_of(st.none(), st.text(max_size=3), st.integers(0, 3)), max_size=3))
KEYS = ("id", "n", "f", "s", "b", "c", "e", "tags")
THING = st.fixed_dictionaries({}, optional={key: VALUE for key in KEYS})
# an object as a dict (a shape), or as something else (graphql-core's default resolver reads attributes)
PARENT = st.one_of(THING, THING.map(lambda shape: type("Record", (), shape)()))

DOCUMENTS = (
    "{ thing { id n f s b c e tags } }",
    "query Q { things { id s e more { id n } } strict { s } list { c } }",
    "query Q { a: thing { x: id y: n ...F } things { ...F } } fragment F on Thing { s b __typename }",
    "mutation M { touch { id e s } }",
)


def _root(thing: Any, things: list[Any]) -> dict[str, Any]:
    return {"thing": thing, "things": things, "strict": thing, "list": things, "touch": thing}


def _answer(context_class: type[ExecutionContext], document: str, root: Any, shared: bool) -> Any:
    parsed = parse(document)
    if shared:
        for definition in parsed.definitions:
            definition.__dict__[SHARED_FIELDS] = {}
    answers = []
    for _ in range(2):  # the second run reads what the first kept
        result = execute_sync(SCHEMA, parsed, root_value=root, execution_context_class=context_class,
                              field_resolver=shaped_field)
        answers.append((result.data, [error.formatted for error in result.errors or ()]))
    return answers


def _same(left: Any, right: Any) -> bool:
    if isinstance(left, float) and isinstance(right, float):
        return left == right or (math.isnan(left) and math.isnan(right))
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(_same(left[key], right[key]) for key in left)
    if isinstance(left, (list, tuple)) and isinstance(right, (list, tuple)):
        return len(left) == len(right) and all(_same(a, b) for a, b in zip(left, right, strict=True))
    return bool(left == right)


@settings(max_examples=150, deadline=None)
@given(thing=st.one_of(st.none(), PARENT), things=st.lists(PARENT, max_size=3), more=THING,
       document=st.sampled_from(DOCUMENTS), shared=st.booleans())
def test_answers_and_errors_equal_graphql_cores(thing: Any, things: list[Any], more: dict[str, Any],
                                                document: str, shared: bool) -> None:
    if isinstance(thing, dict):
        thing = {**thing, "more": more}
    root = _root(thing, things)
    assert _same(_answer(Execution, document, root, shared), _answer(ExecutionContext, document, root, shared))


@pytest.mark.parametrize(("value", "message"), [
    (None, "Cannot return null for non-nullable field Thing.s."),
    (ValueError("boom"), "boom"),
    ("BLUE", "Enum 'Color' cannot represent value: 'BLUE'"),
])
def test_a_bad_leaf_is_located_and_nulls_its_parent(value: Any, message: str) -> None:
    field = "e" if value == "BLUE" else "s"
    data, errors = _answer(Execution, "query Q { thing { id " + field + " } }", _root({"id": "1", field: value}, []),
                           shared=True)[1]
    assert data == {"thing": None}
    assert errors == [{"message": message, "locations": [{"line": 1, "column": 22}], "path": ["thing", field]}]


def test_the_clients_reads_answer_as_before(mock: MockLabelbox) -> None:
    ids = mock.seed({"ontologies": [{"name": "o"}], "models": [{"name": "m", "ontology": "o"}],
                     "datasets": [{"name": "d"}]})
    client = lb.Client(api_key=mock.api_key)
    model = client.get_model(ids["models"][0])
    assert (model.name, model.uid) == ("m", ids["models"][0])
    assert [dataset.name for dataset in client.get_datasets()] == ["d"]
    assert client.execute("query { user { id email } }")["user"]["email"]


SERVICE_READS: tuple[tuple[str, dict[str, Any] | None], ...] = (
    ("query M($id: ID!) { model(where: {id: $id}) { id name ontologyId createdAt } }", {"id": "MODEL"}),
    ("query M($id: ID!) { model(where: {id: $id}) { id name } }", {"id": "no-such-model"}),
    ("query D { datasets { id name rowCount } user { id email organization { id name } } }", {}),
    ("query O($id: ID!) { model(where: {id: $id}) { ...F } } fragment F on Model { name __typename }", {"id": "MODEL"}),
    ("query O { nosuch: model(where: {id: 1}) { id } }", None),
)


@pytest.mark.parametrize(("query", "variables"), SERVICE_READS)
def test_the_service_answers_as_graphql_core_does(mock: MockLabelbox, query: str, variables: Any) -> None:
    from mockserver.api import errors
    from mockserver.api.context import RequestContext

    model_id = mock.seed({"ontologies": [{"name": "o"}], "models": [{"name": "m", "ontology": "o"}],
                          "datasets": [{"name": "d"}]})["models"][0]
    variables = {key: model_id if value == "MODEL" else value for key, value in (variables or {}).items()}
    backend = mock.backend
    service = backend.graphql
    context = RequestContext(org=backend.store.org_for_key(mock.api_key), store=backend.store,  # type: ignore[arg-type]
                             tasks=backend.tasks, files=backend.files, exports=backend.exports, base_url="http://x")
    prepared = service.prepare(query)
    assert prepared.errors == [] and prepared.document is not None
    plain = execute_sync(service.schema, prepared.document, context_value=context, variable_values=variables,
                         field_resolver=shaped_field)
    expected: dict[str, Any] = {"data": plain.data}
    if plain.errors:
        expected["errors"] = [errors.format_execution_error(error) for error in plain.errors]
    for _ in range(2):  # the second run reads what the first kept of the document
        assert service.execute(context, prepared, variables) == expected
