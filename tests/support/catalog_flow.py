"""The whole model-run workflow from an empty mock, written once for both clients.

The real SDK (`labelbox`) and `labelbox_lite` share the public names this uses,
so the contract test and the in-process client test run the same steps:
ontology -> dataset + data rows -> project + batch -> ground-truth label import
-> model run from the project's labels -> predictions with metrics -> model-run,
project and catalog exports. Every answer is checked.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable
from types import ModuleType
from typing import Any

KEYS = [f"flow-{i}" for i in range(4)]


def png(pixels: list[list[int]]) -> bytes:
    """A grey 8-bit PNG written by hand: the suite needs no imaging library to make one."""
    raw = b"".join(b"\x00" + bytes(row) for row in pixels)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", len(pixels[0]), len(pixels), 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def whole_workflow(lib: ModuleType, lt: ModuleType, custom_metric: Callable[..., Any], client: Any) -> None:
    """`lib` is labelbox or labelbox_lite, `lt` its annotation types, `custom_metric` its CustomMetric."""
    quality = lib.Classification(class_type=lib.Classification.Type.RADIO, name="quality",
                                 options=[lib.Option("good"), lib.Option("bad")])
    builder = lib.OntologyBuilder(tools=[lib.Tool(tool=lib.Tool.Type.BBOX, name="box"),
                                         lib.Tool(tool=lib.Tool.Type.RASTER_SEGMENTATION, name="mask")],
                                  classifications=[quality])
    ontology = client.create_ontology("flow", builder.asdict(), media_type=lib.MediaType.Image)

    dataset = client.create_dataset(name="flow images")
    upload = dataset.create_data_rows([
        {"row_data": f"https://example.com/flow/{i}.jpg", "global_key": key, "external_id": f"ext-{i}",
         "metadata_fields": [{"name": "tag", "value": f"t{i}"}],
         "attachments": [{"type": "RAW_TEXT", "value": f"caption {i}", "name": "caption"}]}
        for i, key in enumerate(KEYS)
    ])
    upload.wait_till_done()
    assert upload.status == "COMPLETE" and upload.errors is None
    assert sorted(row["global_key"] for row in upload.result) == KEYS
    assert client.get_dataset(dataset.uid).row_count == len(KEYS)

    project = client.create_project(name="flow", media_type=lib.MediaType.Image)
    project.connect_ontology(ontology)
    batch = project.create_batch("flow batch", global_keys=KEYS[:3])
    assert batch.size == 3

    def ground_truth(key: str) -> Any:  # annotations are objects of their own: the SDK gives each its uuid
        box = lt.ObjectAnnotation(name="box", value=lt.Rectangle(start=lt.Point(x=1, y=2), end=lt.Point(x=9, y=12)))
        good = lt.ClassificationAnnotation(name="quality", value=lt.Radio(answer=lt.ClassificationAnswer(name="good")))
        return lt.Label(data={"global_key": key}, annotations=[box, good])

    truth = [ground_truth(key) for key in KEYS[:3]]
    imported = lib.LabelImport.create_from_objects(client, project.uid, "ground truth", truth)
    imported.wait_till_done()
    assert [s["status"] for s in imported.statuses] == ["SUCCESS"] * 6, imported.errors
    labels = list(project.labels())
    assert len(labels) == 3
    # made by the key's user through the import, and found by that user
    assert [label.uid for label in project.labels(created_by=client.get_user())] == [label.uid for label in labels]

    model = client.create_model(name="flow model", ontology_id=ontology.uid)
    run = model.create_model_run("flow run")
    assert run.upsert_labels(project_id=project.uid) is True
    predictions = [lt.Label(data={"global_key": KEYS[0]}, annotations=[
        lt.ObjectAnnotation(name="box", value=lt.Rectangle(start=lt.Point(x=2, y=2), end=lt.Point(x=9, y=11)),
                            custom_metrics=[custom_metric(name="iou-ish", value=0.8)]),
        lt.ObjectAnnotation(name="mask", value=lt.Mask(mask=lt.MaskData(im_bytes=png([[0, 255], [255, 255]])),
                                                       color=(255, 255, 255))),
        lt.ScalarMetric(value=0.75, metric_name="agreement"),
        lt.ConfusionMatrixMetric(value=(1, 0, 1, 0), metric_name="boxes", feature_name="box"),
    ])]
    predicted = run.add_predictions("flow predictions", predictions)
    assert [s["status"] for s in predicted.statuses] == ["SUCCESS"] * 4, predicted.errors

    run_export = run.export(params={"predictions": True})
    run_export.wait_till_done()
    run_rows = {line.json["data_row"]["global_key"]: line.json for line in run_export.get_buffered_stream()}
    assert sorted(run_rows) == KEYS[:3]
    [entry] = run_rows[KEYS[0]]["experiments"][model.uid]["runs"].values()
    assert [o["name"] for o in entry["labels"][0]["annotations"]["objects"]] == ["box"]
    [prediction] = entry["predictions"]
    objects = prediction["annotations"]["objects"]
    assert [(o["name"], o["annotation_kind"]) for o in objects] == [
        ("box", "ImageBoundingBox"), ("mask", "ImageSegmentationMask")]
    assert objects[0]["custom_metrics"] == [{"name": "iou-ish", "value": 0.8}]

    project_export = project.export(params={"label_details": True, "project_details": True,
                                            "metadata_fields": True, "attachments": True})
    project_export.wait_till_done()
    project_rows = [line.json for line in project_export.get_buffered_stream()]
    assert [row["data_row"]["global_key"] for row in project_rows] == KEYS[:3]
    for row in project_rows:
        [label] = row["projects"][project.uid]["labels"]
        assert label["annotations"]["classifications"][0]["radio_answer"]["name"] == "good"
        assert row["projects"][project.uid]["project_details"]["batch_name"] == "flow batch"
        assert row["metadata_fields"][0]["schema_name"] == "tag"
        assert row["attachments"][0]["value"].startswith("caption")

    catalog_export = dataset.export(params={"project_ids": [project.uid], "model_run_ids": [run.uid],
                                            "predictions": True})
    catalog_export.wait_till_done()
    catalog_rows = {line.json["data_row"]["global_key"]: line.json for line in catalog_export.get_buffered_stream()}
    assert sorted(catalog_rows) == KEYS
    assert catalog_rows[KEYS[3]]["projects"] == {} and "experiments" not in catalog_rows[KEYS[3]]
    assert list(catalog_rows[KEYS[0]]["experiments"]) == [model.uid]
    listed = lib.DataRow.export(client, global_keys=[KEYS[3]])
    listed.wait_till_done()
    assert [line.json["data_row"]["external_id"] for line in listed.get_buffered_stream()] == ["ext-3"]
