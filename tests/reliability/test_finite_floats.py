"""Float arguments refuse numbers a double cannot hold (1e400 read as infinity), naming the argument."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mockserver import MockLabelbox
from mockserver.api.service import GraphQLService
from mockserver.backend import shared_graphql_service
from mockserver.http.messages import HttpRequest

SEND = ("mutation SendToAnnotateFromMeaPyApi {{ sendToAnnotateFromMea(input: {{ destinationProjectId: \"p\", "
        "batchInput: {{ batchName: \"b\" }}, searchQuery: [], sourceModelRunId: \"r\", "
        "predictionsInput: {{ featureSchemaIdsMapping: {{}}, modelRunId: \"r\", minConfidence: {number} }} }}) "
        "{{ taskId }} }}")


def _errors(query: str) -> list[str]:
    return [error["message"] for error in GraphQLService(shared_graphql_service().schema).prepare(query).errors]


@pytest.mark.parametrize("number", ["1e400", "-1e400", "1" + "0" * 400, "-" + "9" * 5000, "1.5e309"])
def test_a_non_finite_float_literal_is_refused_naming_the_argument(number: str) -> None:
    messages = _errors(SEND.format(number=number))
    assert len(messages) == 1
    assert "Float cannot represent the non-finite number" in messages[0]
    assert "argument input.predictionsInput.minConfidence" in messages[0]
    assert len(messages[0]) < 300  # a 5,000-digit number is not echoed whole


def test_a_variable_default_is_checked_too() -> None:
    messages = _errors("query Q($x: Float = 1e400) { __typename }")  # (graphql-core adds: $x is unused)
    assert ("Float cannot represent the non-finite number 1e400 (default of variable $x): "
            "a Float is a finite double") in messages


@pytest.mark.parametrize("number", ["0.5", "1", "1e308", "-1.7976931348623157e308", "0"])
def test_finite_floats_pass(number: str) -> None:
    assert not any("Float" in message for message in _errors(SEND.format(number=number)))


@settings(max_examples=100, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False), st.integers(309, 2000), st.booleans())
def test_finite_floats_pass_and_overflowing_ones_are_refused(finite: float, exponent: int, negative: bool) -> None:
    assert not any("non-finite" in message for message in _errors(SEND.format(number=repr(finite))))
    overflowing = f"{'-' if negative else ''}9.5e{exponent}"
    assert any("non-finite" in message for message in _errors(SEND.format(number=overflowing)))


def test_over_http_the_answer_is_a_validation_error_and_nothing_changes() -> None:
    with MockLabelbox() as mock:
        before = mock.state()
        body = json.dumps({"query": SEND.format(number="1e400")}).encode()
        response = mock.handler(HttpRequest(method="POST", url="http://mock/graphql", body=body,
                                            headers={"Authorization": f"Bearer {mock.api_key}",
                                                     "Content-Type": "application/json"}))
        assert isinstance(response.body, bytes)  # an answer to a query is whole, never streamed
        answer = json.loads(response.body)
        assert answer["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
        assert "minConfidence" in answer["errors"][0]["message"]
        assert mock.state() == before
