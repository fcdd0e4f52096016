"""A page of every listing costs the same work whatever the collection's size.

Work is counted, not timed: the Python and builtin calls made while the last page of a
listing is answered, and the peak memory allocated meanwhile (which a copy of the whole
collection would show even where it makes no call per record).
"""

from __future__ import annotations

import sys
import tracemalloc
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import labelbox_lite as lb
from mockserver import MockLabelbox
from mockserver.api.resolvers.common import encode_cursor, matches, passing_all_removed
from mockserver.state import batches
from mockserver.state.organization import Organization
from mockserver.state.records import AnnotationImport

PAGE = 10
SMALL, BIG = 30, 300

Listing = Callable[[MockLabelbox, int], tuple[str, dict[str, Any]]]


def _touch(item: Any) -> Any:
    return item


class Watched(list[Any]):
    """A list of ids that makes a call per element it hands out in bulk (iteration, slices, index), so
    walking a whole list of ids in C shows in the count too."""

    def __iter__(self) -> Any:
        yield from list.__iter__(self)

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, slice):
            return [_touch(item) for item in list.__getitem__(self, key)]
        return list.__getitem__(self, key)

    def index(self, value: Any, *_bounds: Any) -> int:
        for at, item in enumerate(self):
            if item == value:
                return at
        raise ValueError(value)


def _org(mock: MockLabelbox) -> Organization:
    org = mock.backend.store.org_for_key(mock.api_key)
    assert org is not None
    return org


def _projects(mock: MockLabelbox, n: int) -> tuple[str, dict[str, Any]]:
    mock.seed({"projects": [{"name": f"p{i}"} for i in range(n)]})
    return "query($s: Int) { projects(skip: $s, first: 10) { id name } }", {"s": n - PAGE}


def _datasets(mock: MockLabelbox, n: int) -> tuple[str, dict[str, Any]]:
    mock.seed({"datasets": [{"name": f"d{i}"} for i in range(n)]})
    # as labelbox_lite and the SDK ask: `deleted: false` holds for every record the mock has
    query = "query($s: Int) { datasets(where: {AND: [{deleted: false}]}, skip: $s, first: 10) { id name } }"
    return query, {"s": n - PAGE}


def _rows(n: int) -> list[dict[str, Any]]:
    return [{"row_data": f"https://example.com/{i}.jpg", "global_key": f"gk-{i}"} for i in range(n)]


def _labels(mock: MockLabelbox, n: int) -> tuple[str, dict[str, Any]]:
    created = mock.seed({"ontologies": [{"name": "o", "tools": [{"tool": "rectangle", "name": "box"}]}],
                         "datasets": [{"name": "d", "data_rows": _rows(n)}],
                         "projects": [{"name": "p", "ontology": "o", "labels": [
                             {"data_row": f"gk-{i}", "annotations": []} for i in range(n)]}]})
    project = _org(mock).project(created["projects"][0]["id"])
    project.label_ids = Watched(project.label_ids)
    query = "query($p: ID!, $s: Int) { project(where: {id: $p}) { labels(skip: $s, first: 10) { id } } }"
    return query, {"p": project.id, "s": n - PAGE}


def _dataset_rows(mock: MockLabelbox, n: int) -> tuple[str, dict[str, Any]]:
    created = mock.seed({"datasets": [{"name": "d", "data_rows": _rows(n)}]})
    rows = created["datasets"][0]["data_rows"]  # oldest first; pages run newest first
    dataset = _org(mock).dataset(created["datasets"][0]["id"])
    dataset.data_row_ids = Watched(dataset.data_row_ids)
    query = "query($d: ID!, $f: ID) { datasetDataRows(id: $d, from: $f, first: 10) { nodes { id } } }"
    return query, {"d": created["datasets"][0]["id"], "f": rows[PAGE]}  # the PAGE rows older than this one


def _ontologies(mock: MockLabelbox, n: int) -> tuple[str, dict[str, Any]]:
    mock.seed({"ontologies": [{"name": f"o{i}"} for i in range(n)]})
    query = "query($a: String) { ontologies(after: $a, first: 10) { nodes { id } } }"
    return query, {"a": encode_cursor("ontologies", n - PAGE)}


def _batches(mock: MockLabelbox, n: int) -> tuple[str, dict[str, Any]]:
    created = mock.seed({"projects": [{"name": "p"}]})
    project_id = created["projects"][0]["id"]
    org, store = _org(mock), mock.backend.store
    for i in range(n):
        batches.create_empty_batch(org, store.ids, store.clock, project_id, f"b{i}")
    query = "query($p: ID!, $a: String) { project(where: {id: $p}) { batches(after: $a, first: 10) { nodes { id } } } }"
    return query, {"p": project_id, "a": encode_cursor("batches", n - PAGE)}


def _overrides(mock: MockLabelbox, n: int) -> tuple[str, dict[str, Any]]:
    created = mock.seed({"projects": [{"name": "p"}], "datasets": [{"name": "d", "data_rows": _rows(n)}]})
    project_id, rows = created["projects"][0]["id"], created["datasets"][0]["data_rows"]
    org, store = _org(mock), mock.backend.store
    for start in range(0, n, n // 3):  # three batches: a page is found across them
        batch, _failed = batches.create_batch(org, store.ids, store.clock, project_id, f"b{start}",
                                              rows[start:start + n // 3], [])
        batch.data_row_ids = Watched(batch.data_row_ids)
    query = ("query($p: ID!, $s: Int) { project(where: {id: $p}) "
             "{ labelingParameterOverrides(skip: $s, first: 10) { id priority dataRow { id } } } }")
    return query, {"p": project_id, "s": n - PAGE}


def _tasks(mock: MockLabelbox, n: int) -> tuple[str, dict[str, Any]]:
    org = _org(mock)
    for i in range(n):
        mock.backend.tasks.start(org, "export", f"t{i}")
    return "query($s: Int) { user { createdTasks(skip: $s, first: 10) { id } } }", {"s": n - PAGE}


def _project_imports(kind: str, field: str) -> Listing:
    def listing(mock: MockLabelbox, n: int) -> tuple[str, dict[str, Any]]:
        project_id = mock.seed({"projects": [{"name": "p"}, {"name": "other"}]})["projects"][0]["id"]
        org, store = _org(mock), mock.backend.store
        for i in range(n):
            task = mock.backend.tasks.start(org, "label-import", f"i{i}")
            org.add_annotation_import(AnnotationImport(
                id=store.ids.new(), name=f"i{i}", kind=kind, model_run_id="", created_at=store.clock.now(),
                task_id=task.id, project_id=project_id, input_text="{}"))
        query = f"query($p: ID!, $s: Int) {{ {field}(skip: $s, first: 10, where: {{projectId: $p}}) {{ id name }} }}"
        return query, {"p": project_id, "s": n - PAGE}
    return listing


def _related_projects(parent: str) -> Listing:
    """Projects through a relationship (an organisation's, the user's, an ontology's), with `deleted: false`
    as the SDK and labelbox_lite ask."""
    def listing(mock: MockLabelbox, n: int) -> tuple[str, dict[str, Any]]:
        created = mock.seed({"ontologies": [{"name": "o", "tools": [{"tool": "rectangle", "name": "box"}]}],
                             "projects": [{"name": f"p{i}", "ontology": "o"} for i in range(n)]})
        org = _org(mock)
        ids = {"organization": org.id, "user": org.user.id, "ontology": created["ontologies"][0]["id"]}
        query = (f"query($id: ID!, $s: Int) {{ {parent}(where: {{id: $id}}) "
                 "{ projects(where: {deleted: false}, skip: $s, first: 10) { id name } } }")
        return query, {"id": ids[parent], "s": n - PAGE}
    return listing


LISTINGS: dict[str, Listing] = {
    "organization projects": _related_projects("organization"), "user projects": _related_projects("user"),
    "ontology projects": _related_projects("ontology"),
    "projects": _projects, "datasets": _datasets, "labels": _labels, "dataset rows": _dataset_rows,
    "ontologies": _ontologies, "batches": _batches, "tasks": _tasks, "labeling parameter overrides": _overrides,
    "label imports": _project_imports("label", "labelImports"),
    "MAL imports": _project_imports("mal-project", "modelAssistedLabelingPredictionImports"),
}


def _work(n: int, listing: Listing) -> tuple[int, int, int]:
    """(calls, peak bytes allocated, items) while the last page of a listing of `n` records is answered."""
    with MockLabelbox() as mock:
        query, variables = listing(mock, n)
        client = lb.Client(api_key=mock.api_key)
        for _ in range(2):  # the first read of a changed collection builds its index; the next fills caches
            client.execute(query, variables)
        calls = 0

        def count(_frame: Any, event: str, _arg: Any) -> None:
            nonlocal calls
            if event in ("call", "c_call"):
                calls += 1

        tracemalloc.start()
        sys.setprofile(count)
        try:
            answer = client.execute(query, variables)
        finally:
            sys.setprofile(None)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
    found = [value for value in _leaves(answer) if isinstance(value, list)]
    return calls, peak, len(found[0]) if found else 0


def _leaves(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in _leaves(item)]
    return [value]


@pytest.mark.parametrize("name", sorted(LISTINGS))
def test_the_last_page_costs_what_it_costs_in_a_small_collection(name: str) -> None:
    small_calls, small_peak, small_items = _work(SMALL, LISTINGS[name])
    big_calls, big_peak, big_items = _work(BIG, LISTINGS[name])
    assert small_items == big_items == PAGE
    # a per-record step anywhere would add at least (BIG - SMALL) calls; a copy of the collection, 8 bytes each
    assert big_calls - small_calls < (BIG - SMALL) // 4, (small_calls, big_calls)
    assert big_peak - small_peak < 8 * (BIG - SMALL) // 2, (small_peak, big_peak)


@given(where=st.recursive(
    st.fixed_dictionaries({}, optional={"deleted": st.booleans(), "name": st.text(max_size=3)}),
    lambda inner: st.fixed_dictionaries({"AND": st.lists(inner, max_size=3)}), max_leaves=6))
def test_dropping_the_clauses_every_record_passes_selects_the_same_records(where: dict[str, Any]) -> None:
    records = [{"name": name} for name in ("", "a", "ab")]
    kept = passing_all_removed(where)
    assert [r for r in records if matches(r, where)] == [r for r in records if matches(r, kept)]
