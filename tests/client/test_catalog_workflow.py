"""labelbox_lite through the catalog, in-process: datasets, uploads, ground truth, metrics, exports."""

from __future__ import annotations

import copy
from typing import Any

import pytest

import labelbox_lite as lb
from labelbox_lite import types as lb_types
from labelbox_lite.exceptions import InvalidQueryError, ResourceNotFoundError
from mockserver import MockLabelbox
from mockserver.state.datasets import RESERVED_METADATA

from ..support import ONTOLOGY
from ..support.catalog_flow import png, whole_workflow

_TAG, SPLIT, _CAPTURED = RESERVED_METADATA
TRAIN = SPLIT.options[0]


def _rows(count: int, prefix: str = "cat") -> list[dict[str, Any]]:
    return [{
        "row_data": f"https://example.com/{prefix}/{i}.jpg", "global_key": f"{prefix}-{i}", "external_id": f"x-{i}",
        "metadata_fields": [{"name": "tag", "value": f"t{i}"}, {"name": "split", "value": "train"}],
        "attachments": [{"type": "RAW_TEXT", "value": f"note {i}", "name": "note"}],
    } for i in range(count)]


def _setup(mock: MockLabelbox) -> tuple[str, str]:
    seeded = mock.seed({"ontologies": [ONTOLOGY], "projects": [{"name": "ground truth", "ontology": "everything"}]})
    return seeded["ontologies"][0]["id"], seeded["projects"][0]["id"]


def _box() -> lb_types.ObjectAnnotation:
    return lb_types.ObjectAnnotation(name="box", value=lb_types.Rectangle(
        start=lb_types.Point(x=1, y=2), end=lb_types.Point(x=5, y=8)))


def test_the_catalog_workflow(mock: MockLabelbox, client: lb.Client) -> None:
    ontology_id, project_id = _setup(mock)
    dataset = client.create_dataset(name="catalog", description="from labelbox_lite")
    task = dataset.create_data_rows(_rows(4))
    task.wait_till_done()
    assert task.errors is None and not task.has_errors()
    assert [row["global_key"] for row in task.result or []] == [f"cat-{i}" for i in range(4)]
    assert client.get_dataset(dataset.uid).row_count == 4
    assert [row.global_key for row in dataset.data_rows()] == [f"cat-{i}" for i in range(4)][::-1]

    row = client.get_data_row_by_global_key("cat-1")
    assert {(f["name"], str(f["value"])) for f in row.metadata_fields} >= {("tag", "t1")}
    assert [(a.attachment_type, a.attachment_value) for a in row.attachments()] == [("RAW_TEXT", "note 1")]
    assert row.dataset() == dataset

    project = client.get_project(project_id)
    assert project.create_batch("first", global_keys=["cat-0", "cat-1", "cat-2"]).size == 3
    labels = [lb_types.Label(data={"global_key": f"cat-{i}"}, annotations=[
        _box(), lb_types.ClassificationAnnotation(name="quality", value=lb_types.Radio(
            answer=lb_types.ClassificationAnswer(name="good")))]) for i in range(3)]
    ground_truth = lb.LabelImport.create_from_objects(client, project_id, "gt", labels)
    ground_truth.wait_till_done()
    assert [s["status"] for s in ground_truth.statuses] == ["SUCCESS"] * 6
    assert lb.LabelImport.from_name(client, project_id, "gt").uid == ground_truth.uid
    assert ground_truth.project() == project

    run = client.create_model(name="model", ontology_id=ontology_id).create_model_run("from ground truth")
    assert run.upsert_labels(project_id=project_id) is True
    predictions = [lb_types.Label(data={"global_key": "cat-0"}, annotations=[
        lb_types.ObjectAnnotation(name="box", value=lb_types.Rectangle(
            start=lb_types.Point(x=1, y=2), end=lb_types.Point(x=5, y=8)),
            custom_metrics=[lb_types.CustomMetric(name="iou-ish", value=0.7)]),
        lb_types.ObjectAnnotation(name="mask", value=lb_types.Mask(
            mask=lb_types.MaskData(im_bytes=png([[0, 255], [255, 0]])), color=(255, 255, 255))),
        lb_types.ScalarMetric(value=0.9, metric_name="agreement"),
        lb_types.ConfusionMatrixMetric(value=(1, 0, 2, 1), metric_name="boxes", feature_name="box"),
    ])]
    imported = run.add_predictions("with metrics", predictions)
    assert [s["status"] for s in imported.statuses] == ["SUCCESS"] * 4

    project_task = project.export(params={"label_details": True, "project_details": True})
    project_task.wait_till_done()
    project_rows = [r.json for r in project_task.get_buffered_stream()]
    assert [r["data_row"]["global_key"] for r in project_rows] == ["cat-0", "cat-1", "cat-2"]
    assert all(len(r["projects"][project_id]["labels"]) == 1 for r in project_rows)

    dataset_task = dataset.export(params={"project_ids": [project_id], "model_run_ids": [run.uid],
                                          "predictions": True})
    dataset_task.wait_till_done()
    catalog = {r.json["data_row"]["global_key"]: r.json for r in dataset_task.get_buffered_stream()}
    assert catalog["cat-3"]["projects"] == {}
    [entry] = catalog["cat-0"]["experiments"].values()
    [prediction] = entry["runs"][run.uid]["predictions"]
    assert [o["name"] for o in prediction["annotations"]["objects"]] == ["box", "mask"]
    assert prediction["annotations"]["objects"][0]["custom_metrics"] == [{"name": "iou-ish", "value": 0.7}]

    listed = lb.DataRow.export(client, global_keys=["cat-3"])
    listed.wait_till_done()
    assert [r.json["data_row"]["id"] for r in listed.get_buffered_stream()] == [client.get_data_row_by_global_key(
        "cat-3").uid]


def test_upload_errors_are_per_row(mock: MockLabelbox, client: lb.Client) -> None:
    dataset = client.create_dataset(name="errors")
    dataset.create_data_rows(_rows(1, "dup")).wait_till_done()
    task = dataset.upsert_data_rows([
        {"row_data": "https://example.com/again.jpg", "global_key": "dup-0"},
        {"key": lb.GlobalKey("fresh"), "external_id": "no row data"},
        {"row_data": "https://example.com/good.jpg", "global_key": "good"},
    ])
    task.wait_till_done()
    assert [row["global_key"] for row in task.result or []] == ["good"]
    assert [error["message"].split(":")[0] for error in task.errors or []] == ["Duplicate global key", "row_data"]
    assert task.errors and task.errors[1]["failedDataRows"][0]["globalKey"] == "fresh"
    assert client.get_dataset(dataset.uid).row_count == 2
    with pytest.raises(KeyError, match="not a valid custom metadata"):
        dataset.create_data_rows([{"row_data": "https://example.com/m.jpg",
                                   "metadata_fields": [{"name": "nope", "value": "x"}]}])
    with pytest.raises(ValueError, match="not found in ontology"):
        dataset.create_data_rows([{"row_data": "https://example.com/m.jpg",
                                   "metadata_fields": [{"schema_id": "c" + "1" * 24, "value": "x"}]}])
    with pytest.raises(ValueError, match="empty payload"):
        dataset.create_data_rows([{"external_id": "no row data"}])


def test_rows_and_datasets_delete(mock: MockLabelbox, client: lb.Client) -> None:
    dataset = client.create_dataset(name="doomed")
    single = dataset.create_data_row(row_data="https://example.com/one.jpg", global_key="one")
    assert client.get_data_row_ids_for_global_keys(["one", "two"]) == {
        "status": "PARTIAL SUCCESS", "results": [single.uid, ""],
        "errors": [{"global_key": "two", "error": "Data Row not found"}]}
    single.delete()
    with pytest.raises(ResourceNotFoundError):
        client.get_data_row(single.uid)
    with pytest.raises(ResourceNotFoundError):
        client.get_data_row_by_global_key("one")
    dataset.update(name="renamed")
    assert [d.name for d in client.get_datasets(where={"name": "renamed"})] == ["renamed"]
    dataset.delete()
    with pytest.raises(ResourceNotFoundError):
        client.get_dataset(dataset.uid)
    lb.DataRow.bulk_delete([single])  # deleted already: as Labelbox, no error
    with pytest.raises(InvalidQueryError, match="no data row"):  # an id that never named a row
        never = copy.copy(single)
        never.uid = "never-a-row"
        lb.DataRow.bulk_delete([never])


def test_mal_prediction_import_adds_pre_labels(mock: MockLabelbox, client: lb.Client) -> None:
    _ontology_id, project_id = _setup(mock)
    dataset = client.create_dataset(name="mal")
    dataset.create_data_rows(_rows(2, "m")).wait_till_done()
    client.get_project(project_id).create_batch("b", global_keys=["m-0"])
    rows = [lb_types.Label(data={"global_key": key}, annotations=[_box()]) for key in ("m-0", "m-1")]
    imported = lb.MALPredictionImport.create_from_objects(client, project_id, "pre", rows)
    assert [s["status"] for s in imported.statuses] == ["SUCCESS", "FAILURE"]
    assert "not in project" in imported.errors[0]["errors"][0]["message"]
    project = mock.backend.store.organizations()[0].projects[project_id]
    assert list(project.prelabels) == [client.get_data_row_by_global_key("m-0").uid]


def test_the_whole_workflow_runs_from_an_empty_mock(client: lb.Client) -> None:
    whole_workflow(lb, lb_types, lb_types.CustomMetric, client)
