"""Project and catalog exports, like model-run exports: the mutation checks its input and picks the rows;
each row is snapshotted when the task is first read, not inside the request that asked for the export."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import labelbox_lite as lb
from mockserver import MockLabelbox
from mockserver.state.errors import InvalidInput, NotFound

from ..support.exports import org_of


def _dataset(mock: MockLabelbox, rows: int) -> tuple[str, list[str]]:
    created = mock.seed({"datasets": [{"name": "d", "data_rows": [
        {"row_data": f"https://example.com/{i}.jpg", "global_key": f"k{i}", "external_id": f"before-{i}"}
        for i in range(rows)]}]})
    return created["datasets"][0]["id"], created["datasets"][0]["data_rows"]


def _streamed(client: lb.Client, task_id: str) -> list[dict[str, Any]]:
    task = lb.ExportTask.get_task(client, task_id)
    task.wait_till_done()
    return [output.json for output in task.get_buffered_stream()] if task.has_result() else []


@settings(max_examples=10, deadline=None)
@given(rows=st.integers(min_value=1, max_value=6), renamed=st.data())
def test_a_catalog_export_snapshots_at_its_first_read(rows: int, renamed: st.DataObject) -> None:
    with MockLabelbox(api_key="test-key") as mock:
        client = lb.Client(api_key="test-key")
        dataset_id, row_ids = _dataset(mock, rows)
        org = org_of(mock.backend)
        query = [{"type": "dataset", "operator": "is", "ids": [dataset_id]}]
        task = mock.backend.exports.export_catalog(org, {"filters": {"searchQuery": {"query": query}}, "params": {}})
        assert task.name == f"Export v2: data rows {rows}"  # the rows are picked by the mutation
        changed = renamed.draw(st.sets(st.sampled_from(row_ids)))
        for row_id in changed:  # after the mutation, before any read: the export shows the change
            org.data_rows[row_id].external_id = "after"
        exported = _streamed(client, task.id)
        assert [row["data_row"]["id"] for row in exported] == row_ids
        assert [row["data_row"]["external_id"] for row in exported] == [
            "after" if row_id in changed else f"before-{i}" for i, row_id in enumerate(row_ids)]
        client.close()


def test_a_row_deleted_before_the_snapshot_is_left_out(mock: MockLabelbox, client: lb.Client) -> None:
    _, row_ids = _dataset(mock, 3)
    org = org_of(mock.backend)
    query = [{"type": "data_row_id", "operator": "is", "ids": row_ids}]
    task = mock.backend.exports.export_catalog(org, {"filters": {"searchQuery": {"query": query}}})
    del org.data_rows[row_ids[1]]
    assert [row["data_row"]["id"] for row in _streamed(client, task.id)] == [row_ids[0], row_ids[2]]


def test_bad_input_is_refused_by_the_mutation_itself(mock: MockLabelbox) -> None:
    dataset_id, _ = _dataset(mock, 2)
    org = org_of(mock.backend)
    exports = mock.backend.exports
    before = len(org.tasks)
    with pytest.raises(InvalidInput, match="filter type 'colour' is not supported"):
        exports.export_catalog(org, {"filters": {"searchQuery": {"query": [{"type": "colour", "ids": ["x"]}]}}})
    with pytest.raises(NotFound):
        exports.export_catalog(org, {"filters": {"searchQuery": {"query": [
            {"type": "dataset", "operator": "is", "ids": [dataset_id]}]}}, "params": {"modelRunIds": ["no-such-run"]}})
    with pytest.raises(NotFound):
        exports.export_project(org, {"filters": {"projectId": "no-such-project"}})
    with pytest.raises(NotFound):
        exports.export_catalog(org, {"filters": {}, "params": {"projectIds": ["no-such-project"]}})
    assert len(org.tasks) == before  # nothing started
