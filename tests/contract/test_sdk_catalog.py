"""The real SDK through the catalog: datasets, data-row uploads, ground-truth imports, metrics and exports.

The ontology and the project come from a seed here; everything else (dataset,
rows, batch, labels, model run, predictions, exports) goes through the SDK.
"""

from __future__ import annotations

import io
import json
import uuid
from typing import Any

import pytest

from mockserver.state.datasets import RESERVED_METADATA

from ..support import ONTOLOGY
from ..support.catalog_flow import whole_workflow
from .conftest import SdkTarget, labelbox

lb_types = pytest.importorskip("labelbox.types", exc_type=ImportError)  # needs the data extra
lbox_exceptions = pytest.importorskip("lbox.exceptions")
mixins = pytest.importorskip("labelbox.data.mixins", exc_type=ImportError)
Image = pytest.importorskip("PIL.Image")

TAG, SPLIT, _CAPTURED = RESERVED_METADATA
TRAIN = SPLIT.options[0]


def _setup(sdk: SdkTarget) -> tuple[str, str]:
    seeded = sdk.seed({"ontologies": [ONTOLOGY], "projects": [{"name": "ground truth", "ontology": "everything"}]})
    return seeded["ontologies"][0]["id"], seeded["projects"][0]["id"]


def _rows(count: int, prefix: str = "cat") -> list[dict[str, Any]]:
    return [{
        "row_data": f"https://example.com/{prefix}/{i}.jpg", "global_key": f"{prefix}-{i}", "external_id": f"x-{i}",
        "metadata_fields": [{"name": "tag", "value": f"t{i}"}, {"schema_id": SPLIT.id, "value": TRAIN.id}],
        "attachments": [{"type": "RAW_TEXT", "value": f"note {i}", "name": "note"}],
    } for i in range(count)]


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (255, 255, 255)).save(buffer, "PNG")
    return buffer.getvalue()


def _box(key: str) -> Any:
    return lb_types.ObjectAnnotation(
        name="box", value=lb_types.Rectangle(start=lb_types.Point(x=1, y=2), end=lb_types.Point(x=5, y=8)),
    )


def test_dataset_rows_labels_run_and_exports(sdk: SdkTarget) -> None:
    ontology_id, project_id = _setup(sdk)
    client = sdk.client
    dataset = client.create_dataset(name="catalog", description="from the SDK")
    assert client.get_dataset(dataset.uid).name == "catalog"
    task = dataset.create_data_rows(_rows(4))
    task.wait_till_done()
    assert task.status == "COMPLETE" and task.errors is None
    created = {row["global_key"]: row["id"] for row in task.result}
    assert sorted(created) == [f"cat-{i}" for i in range(4)]
    assert client.get_dataset(dataset.uid).row_count == 4
    assert {row.uid for row in dataset.data_rows()} == set(created.values())

    row = client.get_data_row_by_global_key("cat-1")
    assert (row.uid, row.external_id, row.row_data) == (created["cat-1"], "x-1", "https://example.com/cat/1.jpg")
    assert {(field.name, field.value) for field in row.metadata} == {("tag", "t1"), ("train", TRAIN.id)}
    assert [(a.attachment_type, a.attachment_value) for a in row.attachments()] == [("RAW_TEXT", "note 1")]
    assert row.dataset().uid == dataset.uid

    project = client.get_project(project_id)
    batch = project.create_batch("first", global_keys=["cat-0", "cat-1", "cat-2"])
    assert batch.size == 3

    labels = [
        lb_types.Label(data={"global_key": f"cat-{i}"}, annotations=[
            _box(f"cat-{i}"),
            lb_types.ClassificationAnnotation(name="quality", value=lb_types.Radio(
                answer=lb_types.ClassificationAnswer(name="good"))),
        ]) for i in range(3)
    ]
    ground_truth = labelbox.LabelImport.create_from_objects(client, project_id, "gt", labels)
    ground_truth.wait_till_done()
    assert ground_truth.state == labelbox.AnnotationImportState.FINISHED
    assert [s["status"] for s in ground_truth.statuses] == ["SUCCESS"] * 6
    assert labelbox.LabelImport.from_name(client, project_id, "gt").uid == ground_truth.uid

    model = client.create_model(name=f"model-{uuid.uuid4().hex[:6]}", ontology_id=ontology_id)
    run = model.create_model_run("from ground truth")
    run.upsert_labels(project_id=project_id)
    predictions = [lb_types.Label(data={"global_key": "cat-0"}, annotations=[
        lb_types.ObjectAnnotation(name="box", value=lb_types.Rectangle(
            start=lb_types.Point(x=1, y=2), end=lb_types.Point(x=5, y=8)),
            custom_metrics=[mixins.CustomMetric(name="iou-ish", value=0.7)]),
        lb_types.ObjectAnnotation(name="mask", value=lb_types.Mask(
            mask=lb_types.MaskData(im_bytes=_png()), color=(255, 255, 255))),
        lb_types.ScalarMetric(value=0.9, metric_name="agreement"),
        lb_types.ConfusionMatrixMetric(value=(1, 0, 2, 1), metric_name="boxes", feature_name="box"),
    ])]
    imported = run.add_predictions("with metrics", predictions)
    assert [s["status"] for s in imported.statuses] == ["SUCCESS"] * 4, imported.errors

    run_rows = list(run.export(params={"predictions": True}).get_buffered_stream())
    assert {r.json["data_row"]["global_key"] for r in run_rows} == {"cat-0", "cat-1", "cat-2"}
    [first] = [r.json for r in run_rows if r.json["data_row"]["global_key"] == "cat-0"]
    [experiment] = first["experiments"][model.uid]["runs"].values()
    [prediction] = experiment["predictions"]
    objects = prediction["annotations"]["objects"]
    assert [o["name"] for o in objects] == ["box", "mask"]
    assert objects[0]["custom_metrics"] == [{"name": "iou-ish", "value": 0.7}]

    project_task = project.export(params={"label_details": True, "project_details": True, "metadata_fields": True,
                                          "attachments": True})
    project_task.wait_till_done()
    assert not project_task.has_errors()
    project_rows = [r.json for r in project_task.get_buffered_stream()]
    assert [r["data_row"]["global_key"] for r in project_rows] == ["cat-0", "cat-1", "cat-2"]
    for exported in project_rows:
        entry = exported["projects"][project_id]
        [label] = entry["labels"]
        assert [o["name"] for o in label["annotations"]["objects"]] == ["box"]
        assert label["annotations"]["classifications"][0]["radio_answer"]["name"] == "good"
        assert label["label_details"]["created_by"] == "user1@example.com"
        assert entry["project_details"]["batch_name"] == "first"
        assert {m["schema_name"] for m in exported["metadata_fields"]} == {"tag", "split"}
        assert exported["attachments"][0]["type"] == "RAW_TEXT"

    dataset_task = dataset.export(params={"project_ids": [project_id], "model_run_ids": [run.uid]})
    dataset_task.wait_till_done()
    catalog_rows = {r.json["data_row"]["global_key"]: r.json for r in dataset_task.get_buffered_stream()}
    assert sorted(catalog_rows) == [f"cat-{i}" for i in range(4)]
    assert catalog_rows["cat-3"]["projects"] == {} and "experiments" not in catalog_rows["cat-3"]
    assert list(catalog_rows["cat-0"]["experiments"]) == [model.uid]

    listed = labelbox.DataRow.export(client, global_keys=["cat-2", "cat-3"])
    listed.wait_till_done()
    assert sorted(r.json["data_row"]["global_key"] for r in listed.get_buffered_stream()) == ["cat-2", "cat-3"]


@pytest.mark.sdk_reports_row_errors
def test_upload_errors_are_per_row_and_good_rows_land(sdk: SdkTarget) -> None:
    client = sdk.client
    dataset = client.create_dataset(name="errors")
    first = dataset.create_data_rows(_rows(2, "dup"))
    first.wait_till_done()
    task = dataset.upsert_data_rows([
        {"row_data": "https://example.com/dup/again.jpg", "global_key": "dup-0"},  # duplicate global key
        {"key": labelbox.GlobalKey("fresh"), "external_id": "no row data"},  # a new row needs row_data
        {"key": labelbox.UniqueId("c" + "0" * 24), "external_id": "nobody"},  # an id naming nothing
        {"row_data": "https://example.com/dup/good.jpg", "global_key": "good"},
    ])
    task.wait_till_done()
    assert [row["global_key"] for row in task.result] == ["good"]
    messages = sorted(error["message"] for error in task.errors)
    assert len(messages) == 3
    assert any("Duplicate global key: 'dup-0'" in m for m in messages)
    assert any(m.startswith("row_data: is required") for m in messages)
    assert any(m.startswith("Data row not found") for m in messages)
    assert client.get_dataset(dataset.uid).row_count == 3
    lookup = client.get_data_row_ids_for_global_keys(["dup-1", "fresh", "good"])
    assert lookup["status"] == "PARTIAL SUCCESS"
    assert lookup["results"][1] == "" and lookup["errors"] == [{"global_key": "fresh", "error": "Data Row not found"}]

    with pytest.raises(lbox_exceptions.ResourceNotFoundError):
        client.get_data_row_by_global_key("fresh")


def test_rows_and_datasets_are_deleted_with_what_points_at_them(sdk: SdkTarget) -> None:
    _ontology_id, project_id = _setup(sdk)
    client = sdk.client
    dataset = client.create_dataset(name="doomed")
    single = dataset.create_data_row(row_data="https://example.com/one.jpg", global_key="one")
    assert single.global_key == "one"
    task = dataset.create_data_rows(_rows(2, "d"))
    task.wait_till_done()
    project = client.get_project(project_id)
    project.create_batch("b", global_keys=["one", "d-0"])
    single.delete()
    assert client.get_dataset(dataset.uid).row_count == 2
    with pytest.raises(lbox_exceptions.ResourceNotFoundError):
        client.get_data_row(single.uid)
    assert [d.name for d in client.get_datasets(where=labelbox.Dataset.name == "doomed")] == ["doomed"]
    dataset.update(name="renamed")
    assert client.get_dataset(dataset.uid).name == "renamed"
    dataset.delete()
    with pytest.raises(lbox_exceptions.ResourceNotFoundError):
        client.get_dataset(dataset.uid)
    assert list(client.get_datasets()) == []
    assert sdk.backend.store.organizations()[0].data_rows == {}


def test_label_imports_from_a_file_and_a_url_and_pre_labels(sdk: SdkTarget, tmp_path: Any) -> None:
    _ontology_id, project_id = _setup(sdk)
    client = sdk.client
    dataset = client.create_dataset(name="imports")
    dataset.create_data_rows(_rows(3, "imp")).wait_till_done()
    client.get_project(project_id).create_batch("b", global_keys=["imp-0", "imp-1", "imp-2"])

    def row(key: str, name: str = "box") -> dict[str, Any]:
        return {"uuid": str(uuid.uuid4()), "dataRow": {"globalKey": key}, "name": name,
                "bbox": {"top": 1, "left": 1, "height": 2, "width": 2}}

    path = tmp_path / "labels.ndjson"
    path.write_text("\n".join(json.dumps(r) for r in [row("imp-0"), row("imp-1", "nope")]))
    from_file = labelbox.LabelImport.create_from_file(client, project_id, "file", str(path))
    from_file.wait_till_done()
    assert [s["status"] for s in from_file.statuses] == ["SUCCESS", "FAILURE"]
    assert from_file.errors[0]["errors"][0]["message"].startswith("name: no feature named 'nope'")

    url = client.upload_data(json.dumps(row("imp-2")).encode(), filename="l.ndjson",
                             content_type="application/x-ndjson")
    from_url = labelbox.LabelImport.create_from_url(client, project_id, "url", url)
    from_url.wait_till_done()
    assert [s["status"] for s in from_url.statuses] == ["SUCCESS"]
    assert from_url.input_file_url == url

    pre = labelbox.MALPredictionImport.create_from_objects(client, project_id, "pre", [row("imp-1")])
    pre.wait_till_done()
    assert [s["status"] for s in pre.statuses] == ["SUCCESS"]
    assert labelbox.MALPredictionImport.from_name(client, project_id, "pre").uid == pre.uid
    org = sdk.backend.store.organizations()[0]
    assert len(org.projects[project_id].label_ids) == 2 and len(org.projects[project_id].prelabels) == 1

    project = client.get_project(project_id)
    listed = list(project.get_label_imports())
    assert [(i.name, i.uid, i.state) for i in listed] == [
        ("file", from_file.uid, labelbox.AnnotationImportState.FINISHED),
        ("url", from_url.uid, labelbox.AnnotationImportState.FINISHED)]
    assert listed[0].project().uid == project_id and listed[0].statuses == from_file.statuses
    assert [i.uid for i in project.get_mal_prediction_imports()] == [pre.uid]

    pre.delete()  # the import goes; the pre-labels it wrote stay
    assert list(project.get_mal_prediction_imports()) == []
    assert len(org.projects[project_id].prelabels) == 1
    with pytest.raises(lbox_exceptions.ResourceNotFoundError):
        labelbox.MALPredictionImport.from_name(client, project_id, "pre")
    assert [i.uid for i in project.get_label_imports()] == [from_file.uid, from_url.uid]


def test_the_whole_workflow_runs_from_an_empty_mock(sdk: SdkTarget) -> None:
    """No seed at all: ontology, dataset, rows, project, batch, ground truth, run, predictions, three exports."""
    whole_workflow(labelbox, lb_types, mixins.CustomMetric, sdk.client)
