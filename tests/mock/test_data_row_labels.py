"""DataRow.labels: a row's labels in every project, oldest first, paged."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import labelbox_lite as lb
from labelbox_lite.exceptions import ResourceNotFoundError
from mockserver import MockLabelbox

QUERY = "query($id: ID!, $s: Int, $f: Int){dataRow(where: {id: $id}){labels(skip: $s, first: $f){id}}}"
ONTOLOGY = {"name": "o", "tools": [{"tool": "rectangle", "name": "box"}]}


def _seed(mock: MockLabelbox, labels_per_project: int = 1) -> tuple[dict[str, str], list[str]]:
    created = mock.seed({"ontologies": [ONTOLOGY], "datasets": [{"name": "d", "data_rows": [
        {"row_data": "https://example.com/0.jpg", "global_key": "k0"},
        {"row_data": "https://example.com/1.jpg", "global_key": "k1"}]}],
        "projects": [{"name": f"p{i}", "ontology": "o", "labels": [
            {"data_row": "k0", "annotations": []} for _ in range(labels_per_project)]} for i in range(2)]})
    rows = dict(zip(("k0", "k1"), created["datasets"][0]["data_rows"], strict=True))
    return rows, [label for project in created["projects"] for label in project["labels"]]


def _ids(client: lb.Client, row_id: str, skip: int | None = None, first: int | None = None) -> list[str]:
    answer: dict[str, Any] = client.execute(QUERY, {"id": row_id, "s": skip, "f": first})
    return [item["id"] for item in answer["dataRow"]["labels"]]


def test_a_row_lists_its_labels_from_every_project(mock: MockLabelbox, client: lb.Client) -> None:
    rows, labels = _seed(mock)
    assert _ids(client, rows["k0"]) == labels
    assert _ids(client, rows["k1"]) == []
    deleted = "query($id: ID!){dataRow(where: {id: $id}){labels(where: {deleted: true}){id}}}"
    assert client.execute(deleted, {"id": rows["k0"]})["dataRow"]["labels"] == []  # deleted ones leave the store


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(skip=st.integers(min_value=0, max_value=7), first=st.integers(min_value=1, max_value=7))
def test_pages_slice_the_same_list(mock: MockLabelbox, client: lb.Client, skip: int, first: int) -> None:
    mock.reset()
    rows, labels = _seed(mock, labels_per_project=3)
    assert _ids(client, rows["k0"], skip, first) == labels[skip:skip + first]


def test_an_unknown_row_is_not_found(client: lb.Client) -> None:
    with pytest.raises(ResourceNotFoundError):
        client.get_data_row("c" + "0" * 24)
