"""The real SDK builds its world from scratch: ontology (nested classifications), project, batch, model, run."""

from __future__ import annotations

from typing import Any

import pytest

from ..support.ontologies import KEYS, ROWS_ONLY, nested_builder, prediction
from .conftest import SdkTarget, labelbox

lbox_exceptions = pytest.importorskip("lbox.exceptions")


def test_the_whole_model_run_setup_from_data_rows_alone(sdk: SdkTarget) -> None:
    sdk.seed(ROWS_ONLY)
    client = sdk.client
    ontology = client.create_ontology("animals", nested_builder(labelbox).asdict(), media_type=labelbox.MediaType.Image)
    assert ontology.name == "animals" and ontology.media_type == labelbox.MediaType.Image
    (box,) = ontology.tools()
    assert box.tool == labelbox.Tool.Type.BBOX and box.feature_schema_id and box.schema_id
    assert [c.name for c in box.classifications] == ["quality"]
    (weather,) = ontology.classifications()
    sunny = weather.options[0]
    assert sunny.value == "sunny" and [c.name for c in sunny.options] == ["how sunny"]
    assert [o.value for o in sunny.options[0].options] == ["very", "slightly"]
    assert client.get_ontology(ontology.uid).normalized == ontology.normalized
    assert [o.uid for o in client.get_ontologies("anim")] == [ontology.uid]

    project = client.create_project(name="street", media_type=labelbox.MediaType.Image, description="scenes")
    assert project.name == "street" and project.description == "scenes"
    assert project.media_type == labelbox.MediaType.Image
    assert project.ontology() is None
    project.update(name="streets", description="street scenes")
    assert (client.get_project(project.uid).name, project.description) == ("streets", "street scenes")
    project.connect_ontology(ontology)
    assert project.ontology().uid == ontology.uid
    assert project.labeling_frontend().name == "Editor"
    assert project.get_label_count() == 0 and list(project.labels()) == []
    assert project.enable_model_assisted_labeling() is True
    assert project.enable_model_assisted_labeling(False) is False
    assert project.uid in [p.uid for p in client.get_projects()]
    assert labelbox.OntologyBuilder.from_project(project).asdict()["classifications"][0]["name"] == "weather"

    batch = project.create_batch("first", global_keys=KEYS)
    assert batch.size == len(KEYS)
    assert [b.uid for b in project.batches()] == [batch.uid]

    model = client.create_model("detector", project.ontology().uid)
    run = model.create_model_run("run-1")
    assert run.upsert_labels(project_id=project.uid) is True  # no labels yet: nothing to register, no failure
    assert run.upsert_data_rows(global_keys=KEYS) is True

    valid = [
        prediction(KEYS[0], name="box", bbox={"top": 1, "left": 2, "height": 3, "width": 4},
             classifications=[{"name": "quality", "answer": {"name": "good"}}]),
        prediction(KEYS[1], name="weather", answer={"name": "sunny", "classifications": [
            {"name": "how sunny", "answer": {"name": "very"}}]}),
    ]
    broken = [
        prediction(KEYS[2], name="box", bbox={"top": 1, "left": 2, "height": 3, "width": 4},
             classifications=[{"name": "quality", "answer": {"name": "awful"}}]),
        prediction(KEYS[3], name="weather", answer={"name": "sunny", "classifications": [
            {"name": "how cloudy", "answer": {"name": "very"}}]}),
    ]
    imported = run.add_predictions("nested", valid + broken)
    assert imported.state == labelbox.AnnotationImportState.RUNNING  # until its first status read
    imported.wait_till_done()
    assert imported.state == labelbox.AnnotationImportState.FINISHED
    assert [s["status"] for s in imported.statuses] == ["SUCCESS", "SUCCESS", "FAILURE", "FAILURE"]
    messages = [s["errors"][0]["message"] for s in imported.statuses[2:]]
    assert messages[0].startswith("classifications[0].answer.name: 'awful' is not an option of 'quality'")
    assert messages[1].startswith("answer.classifications[0].name: no nested classification named 'how cloudy'")

    task = run.export(params={"predictions": True})
    task.wait_till_done()
    assert not task.has_errors()
    exported = {out.json["data_row"]["global_key"]: out.json for out in task.get_buffered_stream()}
    assert sorted(exported) == KEYS
    predictions = {key: row["experiments"][model.uid]["runs"][run.uid]["predictions"] for key, row in exported.items()}
    assert predictions[KEYS[2]] == predictions[KEYS[3]] == []  # the refused rows left nothing
    ((box_object,),) = [p["annotations"]["objects"] for p in predictions[KEYS[0]]]
    assert box_object["name"] == "box"
    assert box_object["classifications"][0]["name"] == "quality"
    assert box_object["classifications"][0]["radio_answer"]["name"] == "good"
    ((weather_answer,),) = [p["annotations"]["classifications"] for p in predictions[KEYS[1]]]
    nested = weather_answer["radio_answer"]["classifications"][0]
    assert nested["name"] == "how sunny" and nested["radio_answer"]["name"] == "very"
    assert nested["feature_schema_id"] == sunny.options[0].feature_schema_id


def test_labels_batches_and_projects_are_deleted(sdk: SdkTarget) -> None:
    ontology_seed = {"name": "o", "tools": [{"tool": "rectangle", "name": "box"}]}
    created = sdk.seed({**ROWS_ONLY, "ontologies": [ontology_seed], "projects": [
        {"name": "labelled", "ontology": "o", "labels": [
            {"data_row": KEYS[0], "annotations": [{"name": "box", "bbox": {"top": 0, "left": 0, "height": 1,
                                                                             "width": 1}}]}]}]})
    project = sdk.client.get_project(created["projects"][0]["id"])
    (label,) = list(project.labels())
    assert label.uid == created["projects"][0]["labels"][0]
    assert '"title": "box"' in label.label
    assert project.get_label_count() == 1

    unlabelled = project.create_batch("unlabelled", global_keys=KEYS[1:])
    label.delete()
    assert project.get_label_count() == 0 and list(project.labels()) == []
    unlabelled.delete()
    assert list(project.batches()) == []

    project.delete()
    with pytest.raises(lbox_exceptions.ResourceNotFoundError):
        sdk.client.get_project(project.uid)
    assert project.uid not in [p.uid for p in sdk.client.get_projects()]


def test_unused_ontologies_and_feature_schemas_are_deleted(sdk: SdkTarget) -> None:
    client = sdk.client
    ontology = client.create_ontology("spare", nested_builder(labelbox).asdict(), media_type=labelbox.MediaType.Image)
    box_schema = ontology.tools()[0].feature_schema_id
    project = client.create_project(name="uses it", media_type=labelbox.MediaType.Image)
    project.connect_ontology(ontology)

    with pytest.raises(lbox_exceptions.LabelboxError, match=f"connected to projects: {project.uid}"):
        client.delete_unused_ontology(ontology.uid)
    with pytest.raises(lbox_exceptions.LabelboxError, match="used in ontologies"):
        client.delete_unused_feature_schema(box_schema)
    project.delete()
    client.delete_unused_ontology(ontology.uid)
    with pytest.raises(lbox_exceptions.ResourceNotFoundError):
        client.get_ontology(ontology.uid)
    client.delete_unused_feature_schema(box_schema)
    with pytest.raises(lbox_exceptions.LabelboxError, match="Feature schema is already deleted"):
        client.delete_unused_feature_schema(box_schema)
    with pytest.raises(lbox_exceptions.LabelboxError, match="Ontology not found: id 'nope'"):
        client.delete_unused_ontology("nope")


@pytest.mark.parametrize(("normalized", "expected"), [
    ({"tools": [{"tool": "rectangle", "name": "a"}, {"tool": "polygon", "name": "a"}], "classifications": []},
     r"tools\[1\].name: 'a' is used twice"),
    ({"tools": [{"tool": "rectangle"}], "classifications": []}, r"tools\[0\].name: is required"),
    ({"tools": [{"tool": "hexagon", "name": "h"}], "classifications": []}, r"tools\[0\].tool: unknown tool type 'hexagon'"),
    ({"tools": [], "classifications": [{"type": "radio", "name": "r", "options": [
        {"value": "x", "options": [{"type": "radio", "name": "deep", "options": []}]}]}]},
     r"classifications\[0\].options\[0\].options\[0\].options: a radio classification needs at least one option"),
])
def test_bad_ontologies_are_refused_naming_the_path(sdk: SdkTarget, normalized: dict[str, Any], expected: str) -> None:
    with pytest.raises(lbox_exceptions.LabelboxError, match=expected):
        sdk.client.create_ontology("bad", normalized)
    assert list(sdk.client.get_ontologies("bad")) == []


def test_connecting_an_ontology_that_lacks_the_labels_features_is_refused(sdk: SdkTarget) -> None:
    created = sdk.seed({**ROWS_ONLY, "ontologies": [
        {"name": "old", "media_type": "IMAGE", "tools": [{"tool": "rectangle", "name": "box"}]}],
        "projects": [{"name": "p", "ontology": "old", "labels": [{"data_row": KEYS[0], "annotations": [
            {"name": "box", "bbox": {"top": 0, "left": 0, "height": 1, "width": 1}}]}]}]})
    project = sdk.client.get_project(created["projects"][0]["id"])
    other = sdk.client.create_ontology("other", {"tools": [{"tool": "point", "name": "dot"}], "classifications": []},
                                       media_type=labelbox.MediaType.Image)
    with pytest.warns(UserWarning, match="Project has labels"), \
            pytest.raises(lbox_exceptions.LabelboxError, match="lacks features they use: 'box'"):
        project.connect_ontology(other)
    assert project.ontology().uid == created["ontologies"][0]["id"]


def test_unknown_ids_name_the_id(sdk: SdkTarget) -> None:
    with pytest.raises(lbox_exceptions.ResourceNotFoundError, match="no-such-ontology"):
        sdk.client.get_ontology("no-such-ontology")
    with pytest.raises(lbox_exceptions.ResourceNotFoundError, match="no-such-project"):
        sdk.client.get_project("no-such-project")


def test_an_ontology_without_a_media_type_connects_to_any_project(sdk: SdkTarget) -> None:
    ontology = sdk.client.create_ontology("any media", {"tools": [{"tool": "point", "name": "dot"}],
                                                        "classifications": []})
    assert ontology.media_type == labelbox.MediaType.Unknown
    project = sdk.client.create_project(name="video", media_type=labelbox.MediaType.Video)
    project.connect_ontology(ontology)
    assert project.ontology().uid == ontology.uid
    image = sdk.client.create_ontology("images only", {"tools": [], "classifications": []},
                                       media_type=labelbox.MediaType.Image)
    with pytest.raises(ValueError, match="same type"):
        project.connect_ontology(image)


def test_labels_are_filtered_by_dataset_and_author_and_ordered(sdk: SdkTarget) -> None:
    """Project.labels(created_by=, datasets=, order_by=) as the SDK sends them (the last two deprecated)."""
    rows = {name: [{"row_data": f"https://example.com/{name}.jpg", "global_key": name}] for name in ("a", "b")}
    box = {"name": "box", "bbox": {"top": 0, "left": 0, "height": 1, "width": 1}}
    created = sdk.seed({"datasets": [{"name": name, "data_rows": data_rows} for name, data_rows in rows.items()],
                        "ontologies": [{"name": "o", "tools": [{"tool": "rectangle", "name": "box"}]}],
                        "projects": [{"name": "p", "ontology": "o", "labels": [
                            {"data_row": "a", "annotations": [box]}]}]})
    project_id = created["projects"][0]["id"]
    sdk.backend.advance_clock(60)
    later = sdk.seed({"projects": [{"id": project_id, "labels": [{"data_row": "b", "annotations": [box]}]}]})
    first, second = created["projects"][0]["labels"][0], later["projects"][0]["labels"][0]
    project = sdk.client.get_project(project_id)
    user = sdk.client.get_user()

    assert [label.uid for label in project.labels(created_by=user)] == [first, second]
    assert list(project.labels(created_by="cnotauser000000000000000000")) == []
    dataset_b = sdk.client.get_dataset(created["datasets"][1]["id"])
    with pytest.warns(DeprecationWarning):
        assert [label.uid for label in project.labels(datasets=[dataset_b])] == [second]
    with pytest.warns(DeprecationWarning):
        assert [label.uid for label in project.labels(order_by=labelbox.Label.created_at.desc)] == [second, first]
