"""Every document labelbox_lite sends validates against the SDL: the client speaks the API's language."""

from __future__ import annotations

import pytest
from graphql import build_schema, parse, validate

from labelbox_lite import documents
from mockserver.api.service import load_sdl

SCHEMA = build_schema(load_sdl())
DOCUMENTS = documents.all_documents()


def test_the_client_has_documents() -> None:
    assert len(DOCUMENTS) >= 20


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_document_validates_against_sdl(name: str) -> None:
    errors = validate(SCHEMA, parse(DOCUMENTS[name]))
    assert not errors, [e.message for e in errors]


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_document_has_one_named_operation(name: str) -> None:
    definitions = parse(DOCUMENTS[name]).definitions
    assert len(definitions) == 1
    assert definitions[0].name is not None  # type: ignore[attr-defined]


def test_a_broken_document_would_be_caught() -> None:
    bad = "query GetModelPyApi($id: ID!){model(where: {id: $id}){name noSuchField}}"
    assert validate(SCHEMA, parse(bad))
