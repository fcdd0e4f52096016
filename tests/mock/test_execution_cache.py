"""What the GraphQL service keeps of a document between requests (api/service.py): its validation and the
fields each selection collects, never an answer; a document whose fields depend on @skip or @include
collects them afresh for every request."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import labelbox_lite as lb
from mockserver import MockLabelbox
from mockserver.backend import shared_graphql_service

CONDITIONAL = """query Q($a: Boolean!, $b: Boolean!) {
  user { id @skip(if: $a) email @include(if: $b) ...Org }
}
fragment Org on User { organization @include(if: $a) { id } }"""
PLAIN = "query P { user { id email organization { id name } } }"



@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.booleans()), min_size=2, max_size=6))
def test_conditional_fields_follow_each_request(flags: list[tuple[bool, bool]]) -> None:
    with MockLabelbox() as mock:
        client = lb.Client(api_key=mock.api_key)
        user = client.execute(PLAIN)["user"]
        for skip_id, want in flags:
            got = client.execute(CONDITIONAL, {"a": skip_id, "b": want})["user"]
            expected = {**({} if skip_id else {"id": user["id"]}), **({"email": user["email"]} if want else {}),
                        **({"organization": {"id": user["organization"]["id"]}} if skip_id else {})}
            assert got == expected


def test_a_plain_document_answers_the_current_state_each_time(mock: MockLabelbox) -> None:
    client = lb.Client(api_key=mock.api_key)
    names = "query N { datasets { name } }"
    assert client.execute(names)["datasets"] == client.execute(names)["datasets"] == []
    mock.seed({"datasets": [{"name": "kept fields, fresh answers"}]})
    assert client.execute(names)["datasets"] == [{"name": "kept fields, fresh answers"}]


def test_only_documents_without_conditions_keep_their_fields() -> None:
    service = shared_graphql_service()
    plain, conditional = service.prepare(PLAIN), service.prepare(CONDITIONAL)
    assert plain.document is not None and conditional.document is not None
    assert "mock_subfields" in plain.document.definitions[0].__dict__
    assert all("mock_subfields" not in definition.__dict__ for definition in conditional.document.definitions)


def test_a_refused_document_keeps_nothing() -> None:
    prepared = shared_graphql_service().prepare("query { user { nosuchfield } }")
    assert prepared.errors
    with pytest.raises(KeyError):
        _ = prepared.document.definitions[0].__dict__["mock_subfields"]  # type: ignore[union-attr]
