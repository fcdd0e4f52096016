"""Catalog requests the mock refuses, whole or per row, and what they leave as it was."""

from __future__ import annotations

import json

import pytest

import labelbox_lite as lb
from labelbox_lite.exceptions import InvalidQueryError, ResourceConflict, TaskFailedError
from mockserver import MockLabelbox
from mockserver.state.seed import SeedError

from ..support import ONTOLOGY

UPSERT = ("mutation U($manifestUri: String!){upsertDataRows(data: {manifestUri: $manifestUri})"
          "{id status errors}}")


def test_an_unreadable_manifest_fails_the_task_and_writes_nothing(mock: MockLabelbox, client: lb.Client) -> None:
    client.create_dataset(name="d")
    broken = client.upload_data(b"not json", filename="manifest.json", content_type="application/json")
    task = client.execute(UPSERT, {"manifestUri": broken})["upsertDataRows"]
    assert task["status"] == "FAILED" and "manifest" in task["errors"]
    missing_chunk = client.upload_data(json.dumps({"source": "SDK", "item_count": 1,
                                                   "chunk_uris": ["https://elsewhere.example.com/c.json"]}))
    task = client.execute(UPSERT, {"manifestUri": missing_chunk})["upsertDataRows"]
    assert task["status"] == "FAILED" and "no network calls" in task["errors"]
    assert mock.backend.store.organizations()[0].data_rows == {}
    with pytest.raises(TaskFailedError):
        lb.DataUpsertTask.fetch(client, task["id"]).wait_till_done()


def test_datasets_refuse_bad_names_and_unknown_ids(client: lb.Client) -> None:
    with pytest.raises(InvalidQueryError, match="non-empty name"):
        client.create_dataset(name=" ")
    with pytest.raises(lb.exceptions.ResourceNotFoundError):
        client.get_dataset("c" + "0" * 24)
    dataset = client.create_dataset(name="d")
    with pytest.raises(lb.exceptions.ResourceNotFoundError):
        dataset.export(filters={"batch_ids": ["nope"]}, params={"project_ids": ["c" + "0" * 24]})
    with pytest.raises(ValueError, match="not supported"):
        dataset.export(filters={"workflow_status": "Done"})


def test_a_label_import_name_is_unique_in_its_project(mock: MockLabelbox, client: lb.Client) -> None:
    created = mock.seed({"ontologies": [ONTOLOGY], "datasets": [{"name": "d", "data_rows": [
        {"row_data": "https://example.com/0.jpg", "global_key": "k0"}]}],
        "projects": [{"name": "p", "ontology": "everything"}]})
    project_id = created["projects"][0]["id"]
    row = {"uuid": "u1", "dataRow": {"globalKey": "k0"}, "name": "box",
           "bbox": {"top": 0, "left": 0, "height": 1, "width": 1}}
    first = lb.LabelImport.create_from_objects(client, project_id, "gt", [row])
    assert [s["status"] for s in first.statuses] == ["FAILURE"]  # k0 is in no batch of the project
    with pytest.raises(ResourceConflict, match="already has an import named 'gt'"):
        lb.LabelImport.create_from_objects(client, project_id, "gt", [row])
    assert mock.backend.store.organizations()[0].projects[project_id].label_ids == []


def test_metric_rows_are_model_run_predictions_not_labels(mock: MockLabelbox, client: lb.Client) -> None:
    created = mock.seed({"ontologies": [ONTOLOGY], "datasets": [{"name": "d", "data_rows": [
        {"row_data": "https://example.com/0.jpg", "global_key": "k0"}]}],
        "projects": [{"name": "p", "ontology": "everything"}]})
    project_id = created["projects"][0]["id"]
    client.get_project(project_id).create_batch("b", global_keys=["k0"])
    metric = {"dataRow": {"globalKey": "k0"}, "metricValue": 0.5, "metricName": "m", "aggregation": "ARITHMETIC_MEAN"}
    imported = lb.LabelImport.create_from_objects(client, project_id, "metrics", [metric])
    assert imported.statuses[0]["errors"][0]["message"].startswith("metricValue: metrics are model-run predictions")


def test_seeds_add_labels_to_an_existing_project(mock: MockLabelbox) -> None:
    created = mock.seed({"ontologies": [ONTOLOGY], "datasets": [{"name": "d", "data_rows": [
        {"row_data": "https://example.com/0.jpg", "global_key": "k0"}]}],
        "projects": [{"name": "p", "ontology": "everything"}]})
    project_id = created["projects"][0]["id"]
    box = {"name": "box", "bbox": {"top": 0, "left": 0, "height": 1, "width": 1}}
    added = mock.seed({"projects": [{"id": project_id, "labels": [{"data_row": "k0", "annotations": [box]}]}]})
    project = mock.backend.store.organizations()[0].projects[project_id]
    assert project.label_ids == added["projects"][0]["labels"] and len(project.task_queue_ids) == 4
    with pytest.raises(SeedError, match=r"projects\[0\].name.*exists with name 'p'"):
        mock.seed({"projects": [{"id": project_id, "name": "other", "labels": []}]})
    with pytest.raises(SeedError, match=r"annotations\[0\].name: no feature named 'nope'"):
        mock.seed({"projects": [{"id": project_id, "labels": [{"data_row": "k0", "annotations": [{"name": "nope"}]}]}]})
    assert len(project.label_ids) == 1
