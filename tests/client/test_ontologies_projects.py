"""labelbox_lite builds a model run's world from data rows alone: ontology (nested), project, batch, model, run."""

from __future__ import annotations

from typing import Any

import pytest

import labelbox_lite as lb
from labelbox_lite.exceptions import InconsistentOntologyException, LabelboxError, ResourceNotFoundError
from mockserver import MockLabelbox

from ..support.ontologies import BOX, KEYS, ROWS_ONLY, nested_builder, prediction


def test_the_whole_model_run_setup_from_data_rows_alone(mock: MockLabelbox, client: lb.Client) -> None:
    mock.seed(ROWS_ONLY)
    ontology = client.create_ontology("animals", nested_builder(lb).asdict(), media_type=lb.MediaType.Image)
    assert ontology.media_type is lb.MediaType.Image
    assert (ontology.object_schema_count, ontology.classification_schema_count) == (1, 1)
    (box,) = ontology.tools()
    assert box.tool is lb.Tool.Type.BBOX and box.feature_schema_id and box.schema_id
    (weather,) = ontology.classifications()
    sunny = weather.options[0]
    assert [c.name for c in sunny.options] == ["how sunny"]
    assert client.get_ontology(ontology.uid).normalized == ontology.normalized
    assert [o.uid for o in client.get_ontologies("ANIM")] == [ontology.uid]
    assert lb.OntologyBuilder.from_ontology(ontology).asdict()["tools"][0]["classifications"][0]["name"] == "quality"

    project = client.create_project(name="street", media_type=lb.MediaType.Image, description="scenes")
    assert project.media_type is lb.MediaType.Image and project.description == "scenes"
    assert project.ontology() is None
    project.connect_ontology(ontology)
    assert project.ontology() == ontology
    frontend = project.labeling_frontend()
    assert frontend is not None and frontend.name == "Editor"
    assert project.get_label_count() == 0 and list(project.labels()) == []
    assert project.enable_model_assisted_labeling() is True
    assert project.enable_model_assisted_labeling(False) is False
    assert project in list(client.get_projects())

    batch = project.create_batch("first", global_keys=KEYS)
    assert batch.size == len(KEYS)
    model = client.create_model("detector", project.ontology().uid)  # type: ignore[union-attr]
    run = model.create_model_run("run-1")
    assert run.upsert_labels(project_id=project.uid) is True
    assert run.upsert_data_rows(global_keys=KEYS) is True

    rows = [
        prediction(KEYS[0], name="box", bbox=BOX, classifications=[{"name": "quality", "answer": {"name": "good"}}]),
        prediction(KEYS[1], name="weather", answer={"name": "sunny", "classifications": [
            {"name": "how sunny", "answer": {"name": "very"}}]}),
        prediction(KEYS[2], name="box", bbox=BOX, classifications=[{"name": "quality", "answer": {"name": "awful"}}]),
    ]
    imported = run.add_predictions("nested", rows)
    assert [s["status"] for s in imported.statuses] == ["SUCCESS", "SUCCESS", "FAILURE"]
    assert imported.statuses[2]["errors"][0]["message"].startswith(
        "classifications[0].answer.name: 'awful' is not an option of 'quality'")

    task = run.export(params={"predictions": True})
    task.wait_till_done()
    exported = {out.json["data_row"]["global_key"]: out.json for out in task.get_buffered_stream()}
    predictions = exported[KEYS[1]]["experiments"][model.uid]["runs"][run.uid]["predictions"]
    ((weather_answer,),) = [p["annotations"]["classifications"] for p in predictions]
    nested = weather_answer["radio_answer"]["classifications"][0]
    assert nested["name"] == "how sunny" and nested["radio_answer"]["name"] == "very"


def test_labels_batches_and_projects_are_deleted(mock: MockLabelbox, client: lb.Client) -> None:
    created = mock.seed({**ROWS_ONLY, "ontologies": [{"name": "o", "tools": [{"tool": "rectangle", "name": "box"}]}],
                         "projects": [{"name": "p", "ontology": "o", "labels": [
                             {"data_row": KEYS[0], "annotations": [{"name": "box", "bbox": BOX}]}]}]})
    project = client.get_project(created["projects"][0]["id"])
    (label,) = list(project.labels())
    assert label.uid == created["projects"][0]["labels"][0] and '"title": "box"' in label.label
    assert label.project() == project and label.data_row().global_key == KEYS[0]
    batch = project.create_batch("rest", global_keys=KEYS[1:])
    label.delete()
    assert project.get_label_count() == 0
    with pytest.raises(ResourceNotFoundError, match=label.uid):
        label.delete()
    batch.delete()
    assert list(project.batches()) == []
    project.delete()
    with pytest.raises(ResourceNotFoundError):
        client.get_project(project.uid)


def test_unused_ontologies_and_feature_schemas_are_deleted(client: lb.Client) -> None:
    ontology = client.create_ontology("spare", nested_builder(lb).asdict(), media_type=lb.MediaType.Image)
    box_schema = ontology.tools()[0].feature_schema_id
    assert box_schema is not None
    project = client.create_project(name="uses it", media_type=lb.MediaType.Image)
    project.connect_ontology(ontology)
    with pytest.raises(LabelboxError, match=f"connected to projects: {project.uid}"):
        client.delete_unused_ontology(ontology.uid)
    with pytest.raises(LabelboxError, match="used in ontologies"):
        client.delete_unused_feature_schema(box_schema)
    project.delete()
    client.delete_unused_ontology(ontology.uid)
    client.delete_unused_feature_schema(box_schema)
    with pytest.raises(ResourceNotFoundError, match=ontology.uid):
        client.get_ontology(ontology.uid)
    with pytest.raises(LabelboxError, match="Ontology not found: id 'nope'"):
        client.delete_unused_ontology("nope")


def test_connecting_an_ontology_that_lacks_the_labels_features_is_refused(mock: MockLabelbox,
                                                                        client: lb.Client) -> None:
    created = mock.seed({**ROWS_ONLY, "ontologies": [
        {"name": "old", "media_type": "IMAGE", "tools": [{"tool": "rectangle", "name": "box"}]}],
        "projects": [{"name": "p", "ontology": "old", "labels": [
            {"data_row": KEYS[0], "annotations": [{"name": "box", "bbox": BOX}]}]}]})
    project = client.get_project(created["projects"][0]["id"])
    other = client.create_ontology("other", {"tools": [{"tool": "point", "name": "dot"}], "classifications": []},
                                   media_type=lb.MediaType.Image)
    with pytest.warns(UserWarning, match="Project has labels"), pytest.raises(LabelboxError, match="'box'"):
        project.connect_ontology(other)
    covering = client.create_ontology("covering", {"tools": [{"tool": "rectangle", "name": "box"}],
                                                   "classifications": []}, media_type=lb.MediaType.Image)
    with pytest.warns(UserWarning, match="Project has labels"):
        project.connect_ontology(covering)
    assert project.ontology() == covering


def test_media_types_must_agree(client: lb.Client) -> None:
    video = client.create_ontology("video", {"tools": [], "classifications": []}, media_type=lb.MediaType.Video)
    project = client.create_project(name="images", media_type=lb.MediaType.Image)
    with pytest.raises(ValueError, match="same type"):
        project.connect_ontology(video)
    untyped = client.create_ontology("untyped", {"tools": [], "classifications": []})
    assert untyped.media_type is lb.MediaType.Unknown
    project.connect_ontology(untyped)  # an ontology without a media type fits any project
    assert project.ontology() == untyped
    with pytest.raises(TypeError, match="not a valid media type"):
        client.create_project(name="x", media_type=lb.MediaType.Unknown)


def test_the_builder_refuses_what_the_sdk_refuses() -> None:
    builder = lb.OntologyBuilder()
    builder.add_tool(lb.Tool(tool=lb.Tool.Type.POINT, name="dot"))
    with pytest.raises(InconsistentOntologyException, match="Duplicate tool name 'dot'"):
        builder.add_tool(lb.Tool(tool=lb.Tool.Type.POINT, name="dot"))
    with pytest.raises(InconsistentOntologyException, match="requires options"):
        lb.OntologyBuilder(classifications=[lb.Classification(lb.Classification.Type.RADIO, "r")]).asdict()
    with pytest.raises(ValueError, match="name"):
        lb.Classification(lb.Classification.Type.TEXT)


@pytest.mark.parametrize(("normalized", "expected"), [
    ({"tools": [{"tool": "rectangle", "name": "a"}, {"tool": "polygon", "name": "a"}]}, r"tools\[1\].name"),
    ({"tools": [{"tool": "rectangle"}]}, r"tools\[0\].name: is required"),
    ({"tools": [{"tool": "hexagon", "name": "h"}]}, r"tools\[0\].tool: unknown tool type 'hexagon'"),
    ({"classifications": [{"type": "radio", "name": "r", "options": [{"value": "x", "options": [
        {"type": "checklist", "name": "deep", "options": [{"value": "y"}, {"value": "y"}]}]}]}]},
     r"classifications\[0\].options\[0\].options\[0\].options\[1\].value: 'y' is used twice"),
    ({"tools": [{"tool": "point", "name": "p", "featureSchemaId": "cunknownfeatureschema0000"}]},
     r"tools\[0\].featureSchemaId: no feature schema"),
])
def test_bad_ontologies_are_refused_naming_the_path(client: lb.Client, normalized: dict[str, Any],
                                                    expected: str) -> None:
    with pytest.raises(LabelboxError, match=expected):
        client.create_ontology("bad", normalized)
    assert list(client.get_ontologies("bad")) == []


def test_unknown_ids_name_the_id(client: lb.Client) -> None:
    with pytest.raises(ResourceNotFoundError, match="no-such-ontology"):
        client.get_ontology("no-such-ontology")
    with pytest.raises(LabelboxError, match="Cannot find root schema node with feature schema id nope"):
        client.delete_unused_feature_schema("nope")
