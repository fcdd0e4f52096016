"""A finished data-row upsert answers `Task.result` as a signed JSON report, as Labelbox does."""

from __future__ import annotations

from typing import Any

import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import labelbox_lite as lb
from mockserver import MockLabelbox

TASK = "query T($id: ID!){user{createdTasks(where: {id: $id}){id status type result errors}}}"
UPSERT = "mutation U($m: String!){upsertDataRows(data: {manifestUri: $m}){id status result}}"


def _report(client: lb.Client, task_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    task = client.execute(TASK, {"id": task_id})["user"]["createdTasks"][0]
    response = requests.get(task["result"], timeout=5)
    response.raise_for_status()
    return task, response.json()


def test_a_finished_upsert_reports_created_rows_and_refused_specs(client: lb.Client) -> None:
    dataset = client.create_dataset(name="d")
    task = dataset.create_data_rows([
        {"row_data": "https://example.com/a.jpg", "global_key": "a", "external_id": "ea"},
        {"row_data": "https://example.com/b.jpg", "global_key": "a"},  # the key is taken: refused
    ])
    task.wait_till_done()
    shape, report = _report(client, task.uid)
    assert shape["type"] == "adv-upsert-data-rows" and shape["status"] == "COMPLETE"
    [created] = report["createdDataRows"]
    assert created == {"id": created["id"], "externalId": "ea", "globalKey": "a",
                       "rowData": "https://example.com/a.jpg"}
    [refused] = report["errors"]
    assert refused["failedDataRows"][0]["rowData"] == "https://example.com/b.jpg"
    assert refused["failedDataRows"][0]["metadata"] == [] and refused["message"]


def test_a_failed_upsert_reports_its_error_and_a_running_one_no_url(mock: MockLabelbox, client: lb.Client) -> None:
    client.create_dataset(name="d")
    broken = client.upload_data(b"not json", filename="manifest.json", content_type="application/json")
    failed = client.execute(UPSERT, {"m": broken})["upsertDataRows"]
    shape, report = _report(client, failed["id"])
    assert shape["status"] == "FAILED" and report == {"error": shape["errors"]}
    assert failed["result"] == shape["result"]  # one report, signed once while it lives


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(min_value=1, max_value=6))
def test_the_report_lists_every_created_row(client: lb.Client, count: int) -> None:
    dataset = client.create_dataset(name="d")
    task = dataset.create_data_rows([{"row_data": f"https://example.com/{i}.jpg"} for i in range(count)])
    task.wait_till_done()
    _, report = _report(client, task.uid)
    assert sorted(r["rowData"] for r in report["createdDataRows"]) == sorted(
        f"https://example.com/{i}.jpg" for i in range(count))
    assert report["errors"] == []
