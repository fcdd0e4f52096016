"""labelbox_lite's feature schemas: root tools and classifications as records of their own, placed into
ontologies by id, renamed, archived and deleted as Labelbox does; relationship tools and annotations."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import labelbox_lite as lb
from labelbox_lite import types as lt
from labelbox_lite.exceptions import LabelboxError, ResourceNotFoundError
from mockserver import MockLabelbox

from ..support.ontologies import KEYS, ROWS_ONLY

POINT = lb.Tool(tool=lb.Tool.Type.POINT, name="pin", color="#ff0000")


def test_a_feature_schema_is_made_read_renamed_placed_and_deleted(client: lb.Client) -> None:
    pin = client.upsert_feature_schema(POINT.asdict())
    pin_id = pin.normalized["featureSchemaId"]
    assert pin.uid == pin_id and pin.name == "pin" and pin.normalized["tool"] == "point"
    assert client.get_feature_schema(pin_id) == pin
    assert [f.uid for f in client.get_feature_schemas("PI")] == [pin_id]
    assert client.update_feature_schema_title(pin_id, "marker").normalized["name"] == "marker"

    pins = client.create_ontology_from_feature_schemas("pins", [pin_id], media_type=lb.MediaType.Image)
    (placed,) = pins.normalized["tools"]
    assert placed["featureSchemaId"] == pin_id and placed["schemaNodeId"] == pin.normalized["schemaNodeId"]
    assert pin_id not in client.get_unused_feature_schemas()
    assert pins.uid in client.get_unused_ontologies()
    with pytest.raises(LabelboxError, match="used in ontologies"):
        client.delete_unused_feature_schema(pin_id)

    # an upsert of the same id changes the definition wherever it is placed
    client.upsert_feature_schema(lb.Tool(tool=lb.Tool.Type.POINT, name="dot", color="#00ff00",
                                         feature_schema_id=pin_id).asdict())
    assert client.get_ontology(pins.uid).normalized["tools"][0]["name"] == "dot"

    client.delete_unused_ontology(pins.uid)
    assert pin_id in client.get_unused_feature_schemas()
    client.delete_unused_feature_schema(pin_id)
    with pytest.raises(LabelboxError, match="Feature schema is already deleted"):
        client.delete_unused_feature_schema(pin_id)


def test_placing_moving_archiving_and_removing_in_an_ontology(mock: MockLabelbox, client: lb.Client) -> None:
    mock.seed(ROWS_ONLY)
    ontology = client.create_ontology("o", {"tools": [{"tool": "rectangle", "name": "box"},
                                                      {"tool": "polygon", "name": "area"}], "classifications": []},
                                      media_type=lb.MediaType.Image)
    pin = client.create_feature_schema(POINT.asdict())
    client.insert_feature_schema_into_ontology(pin.uid, ontology.uid, 1)
    assert [t["name"] for t in client.get_ontology(ontology.uid).normalized["tools"]] == ["box", "pin", "area"]
    client.insert_feature_schema_into_ontology(pin.uid, ontology.uid, 0)
    assert [t["name"] for t in client.get_ontology(ontology.uid).normalized["tools"]] == ["pin", "box", "area"]

    # a root node labels use is archived, not removed; one they do not use is removed
    box_id = ontology.normalized["tools"][0]["featureSchemaId"]
    project = client.create_project(name="p", media_type=lb.MediaType.Image)
    project.connect_ontology(ontology)
    project.create_batch("b", global_keys=KEYS[:1])
    task = lb.LabelImport.create_from_objects(client, project.uid, "gt", [
        {"uuid": "9d4b64e9-5b8a-4a57-8d2f-3a7a0f27e2a1", "dataRow": {"globalKey": KEYS[0]}, "name": "box",
         "bbox": {"top": 1, "left": 1, "height": 2, "width": 2}}])
    task.wait_till_done()
    assert client.is_feature_schema_archived(ontology.uid, box_id) is False
    result = client.delete_feature_schema_from_ontology(ontology.uid, box_id)
    assert (result.archived, result.deleted) == (True, False)
    assert client.is_feature_schema_archived(ontology.uid, box_id) is True
    client.unarchive_feature_schema_node(ontology.uid, box_id)
    assert client.is_feature_schema_archived(ontology.uid, box_id) is False
    removed = client.delete_feature_schema_from_ontology(ontology.uid, pin.uid)
    assert (removed.archived, removed.deleted) == (False, True)
    assert [t["name"] for t in client.get_ontology(ontology.uid).normalized["tools"]] == ["box", "area"]


def test_unknown_ids_and_bad_input_are_refused_naming_them(client: lb.Client) -> None:
    with pytest.raises(LabelboxError, match="Cannot find root schema node with feature schema id nope"):
        client.delete_unused_feature_schema("nope")
    with pytest.raises(LabelboxError, match="Cannot find root schema node with feature schema id nope"):
        client.upsert_feature_schema({**POINT.asdict(), "featureSchemaId": "nope"})
    with pytest.raises(ResourceNotFoundError):
        client.get_feature_schema("nope")
    pin = client.create_feature_schema(POINT.asdict())
    with pytest.raises(LabelboxError, match="title must be a non-empty string"):
        client.update_feature_schema_title(pin.uid, "")
    with pytest.raises(LabelboxError, match="cannot make it a rectangle tool"):
        client.upsert_feature_schema({**lb.Tool(tool=lb.Tool.Type.BBOX, name="b").asdict(), "featureSchemaId": pin.uid})
    with pytest.raises(LabelboxError, match="unknown tool type 'hexagon'"):
        client.upsert_feature_schema({"tool": "hexagon", "name": "h"})
    with pytest.raises(ResourceNotFoundError, match="'Ontology' not found for params: 'nope'"):
        client.is_feature_schema_archived("nope", pin.uid)
    with pytest.raises(LabelboxError, match="Failed to find ontology by id: nope"):
        client.unarchive_feature_schema_node("nope", pin.uid)
    ontology = client.create_ontology("o", {"tools": [{"tool": "point", "name": "dot"}], "classifications": []})
    with pytest.raises(LabelboxError, match="not in the ontology"):
        client.is_feature_schema_archived(ontology.uid, pin.uid)
    with pytest.raises(LabelboxError, match="position must be an integer from 0 to 1"):
        client.insert_feature_schema_into_ontology(pin.uid, ontology.uid, 5)
    with pytest.raises(LabelboxError, match="after must be the id"):
        client.get_unused_feature_schemas("nope")
    assert [f.name for f in client.get_feature_schemas(None)] == ["pin", "dot"]  # nothing half-made


def test_chat_evaluation_ontologies_take_the_chat_tools_only(client: lb.Client) -> None:
    chat = {"tools": [{"tool": "message-ranking", "name": "rank"},
                      {"tool": "step-reasoning", "name": "steps", "definition": {
                          "variants": [{"id": 0, "name": "Correct", "actions": []}], "version": 1}}],
            "classifications": []}
    with pytest.raises(LabelboxError, match="belongs to a chat-evaluation ontology"):
        client.create_ontology("plain", chat, media_type=lb.MediaType.Conversational)
    ontology = client.create_ontology("chat", chat, ontology_kind=lb.OntologyKind.ModelEvaluation)
    assert ontology.media_type is lb.MediaType.Conversational
    steps = ontology.normalized["tools"][1]["definition"]
    assert (steps["title"], steps["value"]) == ("steps", "steps")
    with pytest.raises(ValueError, match="must be Conversational"):
        client.create_ontology("x", chat, media_type=lb.MediaType.Image, ontology_kind=lb.OntologyKind.ModelEvaluation)
    with pytest.raises(LabelboxError, match="holds only"):
        client.create_ontology("x", {"tools": [{"tool": "point", "name": "p"}], "classifications": []},
                               ontology_kind=lb.OntologyKind.ModelEvaluation)


def _text_project(mock: MockLabelbox, client: lb.Client, constrained: bool) -> tuple[lb.Project, list[str]]:
    rows = mock.seed({"datasets": [{"name": "t", "data_rows": [
        {"row_data": f"https://example.com/{i}.txt", "global_key": f"t-{i}", "media_type": "TEXT"}
        for i in range(2)]}]})
    ids = list(rows["datasets"][0]["data_rows"])
    e1, e2 = (lb.Tool(tool=lb.Tool.Type.NER, name=name) for name in ("e1", "e2"))
    rel = lb.RelationshipTool("rel")
    if constrained:
        rel.add_constraint(e1, e2)
    ontology = client.create_ontology("text", lb.OntologyBuilder(tools=[e1, e2, rel]).asdict(),
                                      media_type=lb.MediaType.Text)
    if constrained:
        tools = {t["name"]: t["featureSchemaId"] for t in ontology.normalized["tools"]}
        assert ontology.normalized["tools"][2]["definition"]["constraints"] == [[tools["e1"], tools["e2"]]]
    project = client.create_project(name="text", media_type=lb.MediaType.Text)
    project.connect_ontology(ontology)
    project.create_batch("b", data_rows=ids)
    return project, ids


def test_a_relationship_between_two_objects_of_one_label_is_imported(mock: MockLabelbox, client: lb.Client) -> None:
    project, ids = _text_project(mock, client, constrained=True)
    source = lt.ObjectAnnotation(name="e1", value=lt.TextEntity(start=0, end=2))
    target = lt.ObjectAnnotation(name="e2", value=lt.TextEntity(start=3, end=5))
    relationship = lt.RelationshipAnnotation(name="rel", value=lt.Relationship(source=source, target=target))
    backwards = lt.RelationshipAnnotation(name="rel", value=lt.Relationship(source=target, target=source))
    task = lb.MALPredictionImport.create_from_objects(client, project.uid, "rel", [
        lt.Label(data={"uid": ids[0]}, annotations=[source, target, relationship, backwards])])
    task.wait_till_done()
    assert [error["uuid"] for error in task.errors] == [backwards._uuid]
    assert "does not allow a relationship" in task.errors[0]["errors"][0]["message"]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(other_row=st.booleans(), missing=st.booleans(), kind=st.sampled_from(list(lt.Relationship.Type)))
def test_a_relationship_stands_only_when_both_ends_are_in_its_label(mock: MockLabelbox, client: lb.Client,
                                                                    other_row: bool, missing: bool,
                                                                    kind: Any) -> None:
    mock.reset()
    project, ids = _text_project(mock, client, constrained=False)
    source = lt.ObjectAnnotation(name="e1", value=lt.TextEntity(start=0, end=2))
    target = lt.ObjectAnnotation(name="e2", value=lt.TextEntity(start=3, end=5))
    relationship = lt.RelationshipAnnotation(name="rel", value=lt.Relationship(source=source, target=target,
                                                                                 type=kind))
    labels = [lt.Label(data={"uid": ids[0]}, annotations=[source, relationship]),
              lt.Label(data={"uid": ids[1] if other_row else ids[0]}, annotations=[] if missing else [target])]
    task = lb.MALPredictionImport.create_from_objects(client, project.uid, "rel", labels)
    task.wait_till_done()
    failed = [error["uuid"] for error in task.errors]
    assert failed == ([relationship._uuid] if missing or other_row else [])


def test_an_imported_relationship_is_exported_with_its_ends(mock: MockLabelbox, client: lb.Client) -> None:
    project, ids = _text_project(mock, client, constrained=False)
    source = lt.ObjectAnnotation(name="e1", value=lt.TextEntity(start=0, end=2))
    target = lt.ObjectAnnotation(name="e2", value=lt.TextEntity(start=3, end=5))
    relationship = lt.RelationshipAnnotation(name="rel", value=lt.Relationship(
        source=source, target=target, type=lt.Relationship.Type.BIDIRECTIONAL))
    task = lb.LabelImport.create_from_objects(client, project.uid, "gt", [
        lt.Label(data={"uid": ids[0]}, annotations=[source, target, relationship])])
    task.wait_till_done()
    assert task.errors == []
    export = project.export(params={"label_details": True})
    export.wait_till_done()
    (row,) = [r.json for r in export.get_buffered_stream() if r.json["data_row"]["id"] == ids[0]]
    (label,) = row["projects"][project.uid]["labels"]
    (exported,) = label["annotations"]["relationships"]
    assert exported["source"] == source._uuid and exported["target"] == target._uuid
    assert (exported["name"], exported["unidirectional"]) == ("rel", False)
    assert exported["feature_id"] == relationship._uuid
    assert {o["feature_id"] for o in label["annotations"]["objects"]} == {source._uuid, target._uuid}
