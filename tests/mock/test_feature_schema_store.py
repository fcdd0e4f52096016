"""The mock's root feature schemas: bounded by an organisation's quotas, listed a page at a time from
where the last page ended, kept in step with the ontologies that place them."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import labelbox_lite as lb
from labelbox_lite.exceptions import OperationNotAllowedException
from mockserver import MockLabelbox
from mockserver.state import ontologies

PAGE = ("query p($search: String, $from: String, $first: PageSize){rootSchemaNodes(where: {search: $search}, "
        "after: $from, first: $first){nodes {name normalized} nextCursor}}")


def _tool(name: str) -> dict[str, object]:
    return {"tool": "point", "name": name}


def test_the_count_quota_refuses_the_next_feature_schema_and_keeps_what_is_there(
        mock: MockLabelbox, client: lb.Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ontologies, "MAX_FEATURE_SCHEMAS", 2)
    client.create_feature_schema(_tool("a"))
    client.create_ontology("o", {"tools": [_tool("b")], "classifications": []})
    with pytest.raises(OperationNotAllowedException, match="at most 2 feature schemas"):
        client.create_feature_schema(_tool("c"))
    with pytest.raises(OperationNotAllowedException, match="at most 2 feature schemas"):
        client.create_ontology("p", {"tools": [_tool("d")], "classifications": []})
    assert sorted(f.name for f in client.get_feature_schemas(None)) == ["a", "b"]
    assert [o.name for o in client.get_ontologies("")] == ["o"]


def test_the_byte_quota_counts_definitions_and_frees_them_on_delete(
        client: lb.Client, monkeypatch: pytest.MonkeyPatch) -> None:
    big = {"tool": "point", "name": "x" * 2000}
    monkeypatch.setattr(ontologies, "MAX_FEATURE_SCHEMA_BYTES", 3000)
    first = client.create_feature_schema(big)
    with pytest.raises(OperationNotAllowedException, match="at most 3000 bytes"):
        client.create_feature_schema({**big, "name": "y" * 2000})
    client.delete_unused_feature_schema(first.uid)
    client.create_feature_schema({**big, "name": "y" * 2000})


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(st.sampled_from(["cat", "Cattle", "dog", "scatter", "bird"]), min_size=1, max_size=12),
       size=st.integers(1, 4), deleted=st.sets(st.integers(0, 11)))
def test_pages_list_every_match_once_in_creation_order(mock: MockLabelbox, client: lb.Client, names: list[str],
                                                       size: int, deleted: set[int]) -> None:
    mock.reset()
    made = [client.create_feature_schema(_tool(f"{name}-{i}")) for i, name in enumerate(names)]
    for index in sorted(deleted):
        if index < len(made):
            client.delete_unused_feature_schema(made[index].uid)
    kept = [f.name for i, f in enumerate(made) if i not in deleted]
    seen, cursor = [], None
    while True:
        page = client.execute(PAGE, {"search": "CAT", "from": cursor, "first": size})["rootSchemaNodes"]
        assert len(page["nodes"]) <= size
        seen += [node["name"] for node in page["nodes"]]
        cursor = page["nextCursor"]
        if cursor is None:
            break
    assert seen == [name for name in kept if "cat" in name.lower()]
    unused = client.get_unused_feature_schemas()
    assert unused == [f.uid for i, f in enumerate(made) if i not in deleted][:100]


def test_a_title_change_reaches_every_ontology_placing_the_feature_schema(client: lb.Client) -> None:
    shared = client.create_feature_schema(_tool("shared"))
    first = client.create_ontology_from_feature_schemas("one", [shared.uid])
    second = client.create_ontology_from_feature_schemas("two", [shared.uid])
    client.update_feature_schema_title(shared.uid, "renamed")
    for ontology in (first, second):
        assert client.get_ontology(ontology.uid).normalized["tools"][0]["name"] == "renamed"


def test_a_bad_rest_body_is_refused_and_changes_nothing(mock: MockLabelbox, client: lb.Client) -> None:
    response = client.rest("PUT", "feature-schemas/new_feature_schema_id", {"normalized": json.dumps(
        {"tool": "point"})}, idempotent=False)
    assert response.status_code == 400 and "normalized.name: is required" in response.json()["message"]
    response = client.rest("PUT", "feature-schemas/new_feature_schema_id", {"nothing": 1}, idempotent=False)
    assert response.status_code == 400 and "normalized" in response.json()["message"]
    assert client.rest("POST", "feature-schemas/x").status_code == 405
    assert list(client.get_feature_schemas(None)) == []
