"""The real SDK's feature-schema calls and relationship imports against the mock, in-process and standalone."""

from __future__ import annotations

import pytest

from .conftest import SdkTarget

labelbox = pytest.importorskip("labelbox")
lbox_exceptions = pytest.importorskip("lbox.exceptions")


def test_feature_schemas_round_trip_through_the_sdk(sdk: SdkTarget) -> None:
    client = sdk.client
    point = labelbox.Tool(tool=labelbox.Tool.Type.POINT, name="pin", color="#ff0000")
    pin = client.upsert_feature_schema(point.asdict())
    pin_id = pin.normalized["featureSchemaId"]
    assert client.get_feature_schema(pin_id).normalized == pin.normalized
    assert [f.name for f in client.get_feature_schemas("pin")] == ["pin"]
    assert client.update_feature_schema_title(pin_id, "marker").normalized["name"] == "marker"
    made = client.create_feature_schema({"tool": "polygon", "name": "area", "color": "black"})
    ontology = client.create_ontology_from_feature_schemas("o", [made.uid], media_type=labelbox.MediaType.Image)
    client.insert_feature_schema_into_ontology(pin_id, ontology.uid, 0)
    tools = client.get_ontology(ontology.uid).normalized["tools"]
    assert [t["name"] for t in tools] == ["marker", "area"]
    assert client.is_feature_schema_archived(ontology.uid, pin_id) is False
    result = client.delete_feature_schema_from_ontology(ontology.uid, pin_id)
    assert (result.archived, result.deleted) == (False, True)
    assert client.unarchive_feature_schema_node(ontology.uid, made.uid) is None
    assert ontology.uid in client.get_unused_ontologies()
    assert pin_id in client.get_unused_feature_schemas() and made.uid not in client.get_unused_feature_schemas()
    with pytest.raises(lbox_exceptions.LabelboxError, match="used in ontologies"):
        client.delete_unused_feature_schema(made.uid)
    client.delete_unused_ontology(ontology.uid)
    client.delete_unused_feature_schema(made.uid)
    with pytest.raises(lbox_exceptions.LabelboxError, match="Feature schema is already deleted"):
        client.delete_unused_feature_schema(made.uid)


def test_a_relationship_import_checks_both_ends(sdk: SdkTarget) -> None:
    from labelbox.schema.tool_building.relationship_tool import RelationshipTool
    from labelbox.types import Label, ObjectAnnotation, Relationship, RelationshipAnnotation, TextEntity

    client = sdk.client
    created = sdk.seed({"datasets": [{"name": "t", "data_rows": [
        {"row_data": "https://example.com/a.txt", "global_key": "a", "media_type": "TEXT"}]}]})
    row_id = created["datasets"][0]["data_rows"][0]
    e1, e2 = (labelbox.Tool(tool=labelbox.Tool.Type.NER, name=name) for name in ("e1", "e2"))
    rel = RelationshipTool(name="rel")
    rel.add_constraint(e1, e2)
    ontology = client.create_ontology("text", labelbox.OntologyBuilder(tools=[e1, e2, rel]).asdict(),
                                      media_type=labelbox.MediaType.Text)
    project = client.create_project(name="text", media_type=labelbox.MediaType.Text)
    project.connect_ontology(ontology)
    project.create_batch("b", [row_id])
    source = ObjectAnnotation(name="e1", value=TextEntity(start=0, end=2))
    target = ObjectAnnotation(name="e2", value=TextEntity(start=3, end=5))
    good = RelationshipAnnotation(name="rel", value=Relationship(source=source, target=target))
    reversed_ends = RelationshipAnnotation(name="rel", value=Relationship(source=target, target=source))
    task = labelbox.MALPredictionImport.create_from_objects(client, project.uid, "rel", [
        Label(data={"uid": row_id}, annotations=[source, target, good, reversed_ends])])
    task.wait_till_done()
    assert [error["uuid"] for error in task.errors] == [str(reversed_ends._uuid)]


def test_ontologies_without_a_media_type_are_taken_as_the_sdk_sends_them(sdk: SdkTarget) -> None:
    """create_ontology sends mediaType null when none is given, chat evaluations included (the SDK works out
    Conversational only after building its request); Labelbox takes both, a chat evaluation as conversational."""
    client = sdk.client
    radio = labelbox.Classification(class_type=labelbox.Classification.Type.RADIO, name="verdict",
                                    options=[labelbox.Option(value="good")], is_likert_scale=True)
    normalized = labelbox.OntologyBuilder(classifications=[radio]).asdict()
    plain = client.create_ontology("plain", normalized)
    assert plain.media_type == labelbox.MediaType.Unknown  # null, as sent
    chat = client.create_ontology("chat", normalized, ontology_kind=labelbox.OntologyKind.ModelEvaluation)
    assert chat.media_type == labelbox.MediaType.Conversational
    root = chat.normalized["classifications"][0]["featureSchemaId"]
    again = client.create_ontology_from_feature_schemas("again", [root],
                                                        ontology_kind=labelbox.OntologyKind.ModelEvaluation)
    assert again.media_type == labelbox.MediaType.Conversational
    assert [c.is_likert_scale for c in again.classifications()] == [True]  # read back as sent


def test_a_likert_scale_is_kept_as_sent(sdk: SdkTarget) -> None:
    client = sdk.client
    normalized = labelbox.OntologyBuilder(classifications=[
        labelbox.Classification(class_type=labelbox.Classification.Type.RADIO, name="scale", is_likert_scale=True,
                                options=[labelbox.Option(value=str(n)) for n in range(1, 4)]),
        labelbox.Classification(class_type=labelbox.Classification.Type.CHECKLIST, name="tags",
                                options=[labelbox.Option(value="a")])]).asdict()
    normalized["classifications"][1]["isLikertScale"] = False  # the SDK sends it on a radio; a dict may on a checklist
    read = client.get_ontology(client.create_ontology("scales", normalized).uid)
    assert [c.get("isLikertScale") for c in read.normalized["classifications"]] == [True, False]
    assert [c.is_likert_scale for c in read.classifications()] == [True, False]
