"""Every document labelbox_lite sends validates against the SDL (the contract suite runs the SDK's own)."""

from __future__ import annotations

import pytest
from graphql import build_schema, parse, validate

from labelbox_lite import documents
from mockserver.api.service import load_sdl

SCHEMA = build_schema(load_sdl())


@pytest.mark.parametrize("name", sorted(documents.all_documents()))
def test_client_documents_validate(name: str) -> None:
    errors = validate(SCHEMA, parse(documents.all_documents()[name]))
    assert not errors, [error.message for error in errors]
