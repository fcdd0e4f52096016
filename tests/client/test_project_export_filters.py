"""Project.export and Dataset.export filters: time ranges, workflow steps, batches, as the SDK sends them."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import labelbox_lite as lb
from labelbox_lite.exceptions import InvalidQueryError
from mockserver import MockLabelbox

from ..support.ontologies import BOX

ROWS = 6


def _seed(mock: MockLabelbox, label_gaps: list[int]) -> tuple[str, str, list[str]]:
    """A project whose rows gk-0.. get one label each, `label_gaps[i]` seconds after the previous one;
    answers (project id, dataset id, row ids)."""
    created = mock.seed({
        "ontologies": [{"name": "o", "tools": [{"tool": "rectangle", "name": "box"}]}],
        "datasets": [{"name": "d", "data_rows": [{"row_data": f"https://example.com/{i}.jpg", "global_key": f"gk-{i}"}
                                                 for i in range(ROWS)]}],
        "projects": [{"name": "p", "ontology": "o"}]})
    project_id = created["projects"][0]["id"]
    for i, gap in enumerate(label_gaps):
        mock.advance_clock(gap)
        mock.seed({"projects": [{"id": project_id, "labels": [
            {"data_row": f"gk-{i}", "annotations": [{"name": "box", "bbox": BOX}]}]}]})
    return project_id, created["datasets"][0]["id"], created["datasets"][0]["data_rows"]


def _exported(task: lb.ExportTask) -> list[str]:
    task.wait_till_done()
    if not task.has_result():  # an export of no rows has no stream, as in Labelbox
        return []
    return [line.json["data_row"]["global_key"] for line in task.get_buffered_stream()]


def _stamp(mock: MockLabelbox, seconds_from_now: float = 0.0) -> str:
    moment = datetime.fromtimestamp(mock.backend.clock.now() + seconds_from_now, tz=timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def test_batch_and_workflow_filters_pick_the_rows_of_one_batch_or_one_step(client: lb.Client,
                                                                            mock: MockLabelbox) -> None:
    project_id, _dataset_id, rows = _seed(mock, [1, 1])  # gk-0 and gk-1 labelled, outside any batch: done
    project = client.get_project(project_id)
    first = project.create_batch("first", rows[2:4])
    project.create_batch("second", rows[4:])
    assert _exported(project.export(filters={"batch_ids": [first.uid]})) == ["gk-2", "gk-3"]
    assert _exported(project.export(filters={"workflow_status": "Done"})) == ["gk-0", "gk-1"]
    assert _exported(project.export(filters={"workflow_status": "ToLabel"})) == ["gk-2", "gk-3", "gk-4", "gk-5"]
    assert _exported(project.export(filters={"workflow_status": "InReview"})) == []
    both = project.export(filters={"workflow_status": "ToLabel", "global_keys": ["gk-1", "gk-3", "gk-5"]})
    assert _exported(both) == ["gk-3", "gk-5"]
    assert [e.operation for e in mock.requests].count("CurrentUserPyApi") == 0  # no time filter, no time zone


def test_date_ranges_select_by_label_creation_and_last_activity(client: lb.Client, mock: MockLabelbox) -> None:
    project_id, dataset_id, _rows = _seed(mock, [10, 10, 10])
    project = client.get_project(project_id)
    middle = _stamp(mock, -10)  # when gk-1 was labelled
    assert _exported(project.export(filters={"label_created_at": [middle, None]})) == ["gk-1", "gk-2"]
    assert _exported(project.export(filters={"label_created_at": [None, middle]})) == ["gk-0", "gk-1"]
    assert _exported(project.export(filters={"label_created_at": [middle, middle]})) == ["gk-1"]
    assert _exported(project.export(filters={"label_created_at": ["2050-01-01T00:00:00+0230", None]})) == []
    everything = ["2000-01-01", "2050-01-01"]
    assert _exported(project.export(filters={"last_activity_at": everything})) == ["gk-0", "gk-1", "gk-2"]
    dataset = client.get_dataset(dataset_id)
    assert _exported(dataset.export(filters={"label_created_at": [middle, None]})) == ["gk-1", "gk-2"]
    assert len(_exported(dataset.export(filters={"last_activity_at": everything}))) == ROWS
    asked = [e for e in mock.requests if e.operation == "exportDataRowsInProjectPyApi"][-1]
    assert asked.variables["input"]["filters"]["searchQuery"]["query"] == [{
        "type": "data_row_last_activity_at",
        "value": {"operator": "BETWEEN", "timezone": "UTC", "value": {"min": "2000-01-01", "max": "2050-01-01"}}}]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(gaps=st.lists(st.integers(1, 3600), min_size=1, max_size=ROWS),
       start=st.none() | st.integers(-4 * 3600, 0), length=st.none() | st.integers(0, 4 * 3600))
def test_a_label_range_exports_exactly_the_rows_labelled_within_it(gaps: list[int], start: int | None,
                                                                   length: int | None) -> None:
    with MockLabelbox() as mock:
        project_id, _dataset_id, _rows = _seed(mock, gaps)
        now = mock.backend.clock.now()
        made = [now - sum(gaps[i + 1:]) for i in range(len(gaps))]  # when each label was made
        low = None if start is None else int(now) + start
        high = None if length is None else (low if low is not None else int(now) - 2 * 3600) + length
        client = lb.Client(api_key=mock.api_key)
        bounds = [None if bound is None else datetime.fromtimestamp(bound, tz=timezone.utc).strftime(
            "%Y-%m-%dT%H:%M:%S+0000") for bound in (low, high)]
        task = client.get_project(project_id).export(filters={"label_created_at": bounds})
        expected = [f"gk-{i}" for i, moment in enumerate(made)
                    if (low is None or moment >= low) and (high is None or moment < high + 1)]  # to its last second
        if low is None and high is None:
            expected = [f"gk-{i}" for i in range(len(gaps))]  # no bound: no filter, every labelled row
        assert _exported(task) == expected


def test_filters_the_sdk_refuses_are_refused_before_a_request(client: lb.Client, mock: MockLabelbox) -> None:
    project_id, dataset_id, _rows = _seed(mock, [1])
    project, dataset = client.get_project(project_id), client.get_dataset(dataset_id)
    sent = len(mock.requests)
    for filters, message in [
        ({"label_created_at": ["yesterday", None]}, "is not 'YYYY-MM-DD'"),
        ({"last_activity_at": ["2020-01-01"]}, r"expects \[start, end\]"),
        ({"workflow_status": "Skipped"}, "workflow_status expects one of"),
        ({"batch_ids": []}, "non-empty list"),
        ({"data_row_ids": ["a"], "global_keys": ["b"]}, "cannot both be given"),
        ({"task_queue_status": "InReview"}, "'task_queue_status' is not supported"),
    ]:
        with pytest.raises(ValueError, match=message):
            project.export(filters=filters)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="'workflow_status' is not supported"):
        dataset.export(filters={"workflow_status": "Done"})
    assert len(mock.requests) == sent


def test_the_mock_refuses_filters_it_cannot_read(client: lb.Client, mock: MockLabelbox) -> None:
    project_id, _dataset_id, _rows = _seed(mock, [1])
    bad = [
        ({"type": "labeled_at", "value": {"operator": "AFTER", "timezone": "UTC", "value": "2020-01-01"}},
         "operator must be BETWEEN"),
        ({"type": "labeled_at", "value": {"operator": "BETWEEN", "timezone": "Mars/Base", "value": {
            "min": "2020-01-01", "max": "2021-01-01"}}}, "not a known IANA time zone"),
        ({"type": "task_queue_status", "status": "Skipped"}, "status must be one of"),
        ({"type": "batch", "ids": ["x"]}, "takes operator 'is'"),
        ({"type": "issues"}, "filter type 'issues' is not supported"),
    ]
    for item, message in bad:
        request = {"taskName": None, "isStreamableReady": True, "streamable": True, "params": {},
                   "filters": {"projectId": project_id, "searchQuery": {"scope": None, "query": [item]}}}
        with pytest.raises(InvalidQueryError, match=message):
            client.execute(lb.documents.EXPORT_PROJECT, {"input": request})
