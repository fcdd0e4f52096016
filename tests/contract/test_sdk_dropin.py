"""The SDK's calls for what issue 27 added, against the mock, beside labelbox_lite's: the same mock state
and answers whichever client made them (quality modes, tool attributes and likert scales, error
handlers, next() on collections, the import classes' constructors)."""

from __future__ import annotations

import warnings
from typing import Any

import pytest

import labelbox_lite as lb
from labelbox_lite.schema.quality_mode import QualityMode
from labelbox_lite.schema.tool_building.types import FeatureSchemaAttribute
from mockserver import MockLabelbox

from .conftest import labelbox

sdk_quality = pytest.importorskip("labelbox.schema.quality_mode")
sdk_tool_types = pytest.importorskip("labelbox.schema.tool_building.types")
sdk_types = pytest.importorskip("labelbox.types", exc_type=ImportError)
QUALITY_FIELDS = ("is_benchmark_enabled", "is_consensus_enabled", "auto_audit_number_of_labels",
                  "auto_audit_percentage")


def _both(mock: MockLabelbox) -> tuple[lb.Client, Any]:
    return lb.Client(api_key=mock.api_key), labelbox.Client(api_key=mock.api_key)


@pytest.mark.parametrize("modes", [None, set(), {"Benchmark"}, {"Consensus"}, {"Benchmark", "Consensus"}])
def test_quality_modes_make_the_same_project_through_both_clients(modes: set[str] | None) -> None:
    with MockLabelbox() as mock:
        ours, theirs = _both(mock)
        lite_modes = None if modes is None else {QualityMode[m] for m in modes}
        sdk_modes = None if modes is None else {sdk_quality.QualityMode[m] for m in modes}
        made_by_us = ours.create_project("ours", media_type=lb.MediaType.Image, quality_modes=lite_modes)
        made_by_sdk = theirs.create_project("theirs", media_type=labelbox.MediaType.Image, quality_modes=sdk_modes)
        read = [theirs.get_project(p.uid) for p in (made_by_us, made_by_sdk)]
        ours_read, theirs_read = ([getattr(p, f) for f in QUALITY_FIELDS] for p in read)
        assert ours_read == theirs_read


def test_attributes_and_likert_scales_read_the_same_through_both_clients() -> None:
    with MockLabelbox() as mock, warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # attributes are in beta: both clients warn
        ours, theirs = _both(mock)
        sdk_builder = labelbox.OntologyBuilder(
            tools=[labelbox.Tool(tool=labelbox.Tool.Type.BBOX, name="box", attributes=[
                sdk_tool_types.FeatureSchemaAttribute(attributeName="source", attributeValue="model")])],
            classifications=[labelbox.Classification(
                class_type=labelbox.Classification.Type.RADIO, name="scale", is_likert_scale=True,
                options=[labelbox.Option(value="1"), labelbox.Option(value="2")])])
        made = theirs.create_ontology("by the SDK", sdk_builder.asdict(), media_type=labelbox.MediaType.Image)
        read = lb.OntologyBuilder.from_dict(dictionary=ours.get_ontology(made.uid).normalized)
        assert read.tools[0].attributes == [FeatureSchemaAttribute(attributeName="source", attributeValue="model")]
        assert read.classifications[0].is_likert_scale is True
        again = ours.create_ontology("by labelbox_lite", read.asdict(), media_type=lb.MediaType.Image)
        sdk_read = labelbox.OntologyBuilder.from_dict(theirs.get_ontology(again.uid).normalized)
        assert sdk_read.tools[0].attributes[0].attributeValue == "model"
        assert sdk_read.classifications[0].is_likert_scale is True


def test_error_handlers_answer_the_same_in_both_clients() -> None:
    with MockLabelbox() as mock:
        calls: list[str] = []
        for client in _both(mock):
            mock.inject_fault("*", graphql_error="MALFORMED_REQUEST", times=1)
            answer = client.execute("query GetUserPyApi { user { id } }",
                                    error_handlers={"MALFORMED_REQUEST": lambda r: calls.append(
                                        r.json()["errors"][0]["extensions"]["code"])})
            assert answer is None
        assert calls == ["MALFORMED_REQUEST", "MALFORMED_REQUEST"]


def test_next_on_a_collection_reads_the_same_item() -> None:
    with MockLabelbox() as mock:
        ours, theirs = _both(mock)
        for name in ("a", "b"):
            ours.create_project(name, media_type=lb.MediaType.Image)
        assert next(ours.get_projects()).uid == next(theirs.get_projects()).uid
        assert [p.uid for p in ours.get_projects().get_many(2)] == [p.uid for p in theirs.get_projects().get_many(2)]


def test_the_import_constructors_import_the_same_rows() -> None:
    with MockLabelbox() as mock:
        world = mock.seed({"ontologies": [{"name": "o", "classifications": [{"type": "text", "name": "caption"}]}],
                           "models": [{"name": "m", "ontology": "o"}],
                           "datasets": [{"name": "d", "data_rows": [{"row_data": "https://example.com/a.jpg",
                                                                     "global_key": "a"}]}]})
        ours, theirs = _both(mock)
        statuses = []
        for client, types, name in ((ours, lb.types, "ours"), (theirs, sdk_types, "theirs")):
            run = client.get_model(world["models"][0]).create_model_run(name)
            run.upsert_data_rows(global_keys=["a"])
            label = types.Label(data={"global_key": "a"}, annotations=[types.ClassificationAnnotation(
                name="caption", value=types.Text(answer="x", custom_metrics=[{"name": "m", "value": 0.5}]))])
            module = lb if client is ours else labelbox
            made = module.MEAPredictionImport.create(client=client, id=run.uid, name=name, labels=[label])
            made.wait_till_done()
            statuses.append([s["status"] for s in made.statuses])
            assert module.MEAPredictionImport.from_name(client, run.uid, name, as_json=True)["name"] == name
        assert statuses[0] == statuses[1] == ["SUCCESS"]
