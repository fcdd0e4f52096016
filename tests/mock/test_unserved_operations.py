"""Operations the mock does not serve get an error naming them; docs/porting.md lists exactly what it serves."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import requests
from hypothesis import given
from hypothesis import strategies as st

import labelbox_lite as lb
from labelbox_lite.exceptions import InvalidQueryError
from mockserver import MockLabelbox
from mockserver.api.service import build_mock_schema

PORTING = Path(__file__).resolve().parents[2] / "docs" / "porting.md"
NAMES = st.from_regex(r"[a-z][A-Za-z0-9]{2,20}", fullmatch=True)


def _served() -> set[str]:
    schema = build_mock_schema()
    return {f"{root.name}.{name}" for root in (schema.query_type, schema.mutation_type) if root for name in root.fields}


def test_the_porting_page_lists_exactly_the_root_fields_the_sdl_serves() -> None:
    listed = set(re.findall(r"^\| `((?:Query|Mutation)\.\w+)` \|", PORTING.read_text(encoding="utf-8"), re.M))
    assert not (_served() - listed), f"served but not on docs/porting.md: {sorted(_served() - listed)}"
    assert not (listed - _served()), f"on docs/porting.md but not served: {sorted(listed - _served())}"


_SERVED = _served()


@given(field=NAMES, operation=st.sampled_from(["query", "mutation"]), name=NAMES)
def test_an_unserved_root_field_is_named_as_not_implemented(mock: MockLabelbox, client: lb.Client, field: str,
                                                            operation: str, name: str) -> None:
    if f"{operation.capitalize()}.{field}" in _SERVED:
        return
    document = f"{operation} {name}($input: {field.capitalize()}Input!) {{ {field}(data: $input) {{ id }} }}"
    with pytest.raises(InvalidQueryError) as raised:
        client.execute(document, {"input": {}})
    assert str(raised.value) == (f'Cannot query field "{field}" on type "{operation.capitalize()}". '
                                 f"Operation {name!r} is not implemented by the mock "
                                 f"({operation.capitalize()}.{field}); docs/porting.md lists what it serves")


def test_the_wire_answer_is_one_error_with_the_apis_code(mock: MockLabelbox) -> None:
    answer = requests.post("https://api.labelbox.com/graphql", headers={"Authorization": f"Bearer {mock.api_key}"},
                           json={"query": "mutation CreateWebhookPyApi($data: WebhookCreateInput!)"
                                          "{createWebhook(data: $data){id}}"}, timeout=10)
    (error,) = answer.json()["errors"]
    assert error["extensions"] == {"code": "GRAPHQL_VALIDATION_FAILED"}
    assert error["message"].startswith('Cannot query field "createWebhook" on type "Mutation". '
                                       "Operation 'CreateWebhookPyApi' is not implemented by the mock")


def test_an_unknown_type_in_an_otherwise_served_operation_is_named(client: lb.Client) -> None:
    with pytest.raises(InvalidQueryError,
                       match=r"^Unknown type \"UserWhereX\"\. "
                             r"Operation 'Me' is not implemented by the mock \(type 'UserWhereX'\)"):
        client.execute("query Me($w: UserWhereX) { user { id } }")


def test_mistakes_inside_served_fields_keep_graphqls_own_message(client: lb.Client) -> None:
    with pytest.raises(InvalidQueryError, match="Cannot query field 'password' on type 'User'"):
        client.execute("query Me { user { password } }")
