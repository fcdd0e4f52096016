"""The SDK's spellings issue 27 added, through labelbox_lite against the in-process mock: collections
as iterators, quality modes and ontology kinds, tool attributes and likert scales, error handlers,
the import classes' full constructors, datasets' IAM argument, and what is not ported."""

from __future__ import annotations

import math
import warnings
from typing import Any

import pytest
import requests
from hypothesis import given
from hypothesis import strategies as st

import labelbox_lite as lb
from labelbox_lite.exceptions import MalformedQueryException
from labelbox_lite.not_ported import NotPortedAttributeError, NotPortedError, NotPortedImportError
from labelbox_lite.pagination import PaginatedCollection
from labelbox_lite.schema.ontology_kind import OntologyKind
from labelbox_lite.schema.quality_mode import QualityMode
from labelbox_lite.schema.tool_building.types import FeatureSchemaAttribute
from mockserver import MockLabelbox

from ..support import World

# -- PaginatedCollection is its own iterator, as in the SDK ------------------------------------------------


def _counting(items: list[int], page_size: int) -> tuple[PaginatedCollection[int], list[int]]:
    calls: list[int] = []

    def fetch(skip: int, first: int) -> list[int]:
        calls.append(skip)
        return items[skip:skip + first]

    return PaginatedCollection(fetch, lambda item: item, page_size), calls


def test_next_reads_one_item_and_iterating_again_starts_over_without_refetching(
        client: lb.Client, mock: MockLabelbox, world: World) -> None:
    for name in ("b", "c"):
        client.create_model(name, world.ontology_id)
    models = client.get_models()
    first = next(models)
    assert isinstance(first, lb.Model)
    fetched = sum(r.operation == "GetModelsPyApi" for r in mock.requests)
    assert next(m.uid for m in models) == first.uid  # `for` starts from the first item again
    assert models.get_one() == first and len(models.get_many(2)) == 2
    assert sum(r.operation == "GetModelsPyApi" for r in mock.requests) == fetched  # one page held them all
    assert next(client.get_projects()).uid == world.project_id


@given(size=st.integers(0, 40), page_size=st.integers(1, 9), taken=st.integers(0, 45))
def test_a_collection_reads_each_page_once_whatever_is_taken(size: int, page_size: int, taken: int) -> None:
    items = list(range(size))
    collection, calls = _counting(items, page_size)
    assert [next(collection, None) for _ in range(taken)] == [i if i < size else None for i in range(taken)]
    assert list(collection) == items and collection.get_many(taken) == items[:taken]
    assert len(calls) == len(set(calls)) <= math.ceil((size + 1) / page_size)


def test_an_exhausted_collection_raises_stop_iteration() -> None:
    collection, _ = _counting([1], 5)
    assert next(collection) == 1
    with pytest.raises(StopIteration):
        next(collection)
    assert collection.get_one() == 1


# -- quality modes and ontology kinds ----------------------------------------------------------------------

@pytest.mark.parametrize(("modes", "expected"), [
    (None, {"isBenchmarkEnabled": None, "isConsensusEnabled": None, "autoAuditNumberOfLabels": None}),
    ({QualityMode.Benchmark}, {"isBenchmarkEnabled": True, "isConsensusEnabled": False, "autoAuditNumberOfLabels": 1}),
    ({QualityMode.Consensus}, {"isBenchmarkEnabled": False, "isConsensusEnabled": True, "autoAuditNumberOfLabels": 3}),
    ({QualityMode.Benchmark, QualityMode.Consensus},
     {"isBenchmarkEnabled": True, "isConsensusEnabled": True, "autoAuditNumberOfLabels": 3}),
])
def test_quality_modes_decide_what_a_new_project_is_created_with(
        client: lb.Client, mock: MockLabelbox, modes: Any, expected: dict[str, Any]) -> None:
    client.create_project("p", media_type=lb.MediaType.Image, quality_modes=modes)
    sent = next(r.variables for r in reversed(mock.requests) if r.operation == "CreateProjectPyApi")
    assert {key: sent[key] for key in expected} == expected


def test_quality_modes_override_the_flags_and_refuse_what_is_not_a_mode(client: lb.Client, mock: MockLabelbox) -> None:
    client.create_project("p", media_type=lb.MediaType.Image, is_consensus_enabled=False)  # the default modes win
    assert next(r.variables for r in reversed(mock.requests) if r.operation == "CreateProjectPyApi")[
        "isConsensusEnabled"] is True
    client.create_project("q", media_type=lb.MediaType.Image, quality_modes=set(), is_consensus_enabled=False)
    assert next(r.variables for r in reversed(mock.requests) if r.operation == "CreateProjectPyApi")[
        "isConsensusEnabled"] is False
    with pytest.raises(TypeError, match="QualityMode"):
        client.create_project("r", media_type=lb.MediaType.Image, quality_modes={"BENCHMARK-ish"})  # type: ignore[arg-type]


def test_a_model_evaluation_ontology_is_conversational(client: lb.Client, mock: MockLabelbox) -> None:
    normalized = lb.OntologyBuilder(classifications=[
        lb.Classification(class_type=lb.Classification.Type.TEXT, name="verdict")]).asdict()
    ontology = client.create_ontology("chat", normalized, ontology_kind=OntologyKind.ModelEvaluation)
    sent = next(r.variables for r in reversed(mock.requests) if r.operation == "upsertRootSchemaNodePyApi"
                or (r.variables or {}).get("data", {}).get("name") == "chat")
    assert sent["data"]["editorTaskType"] == "MODEL_CHAT_EVALUATION" and ontology.name == "chat"
    with pytest.raises(ValueError, match="must be Conversational"):
        client.create_ontology("x", normalized, media_type=lb.MediaType.Image, ontology_kind=OntologyKind.ModelEvaluation)
    with pytest.raises(TypeError, match="not a valid ontology kind"):
        client.create_ontology("x", normalized, ontology_kind="MODEL_EVALUATION")  # type: ignore[arg-type]


# -- tool attributes and likert scales ---------------------------------------------------------------------

NAMES = st.text(st.characters(codec="ascii", categories=["L", "N"]), min_size=1, max_size=8)


@given(attributes=st.lists(st.tuples(NAMES, NAMES), max_size=3), likert=st.booleans())
def test_attributes_and_likert_scales_survive_a_round_trip(attributes: list[tuple[str, str]], likert: bool) -> None:
    given_attributes = [FeatureSchemaAttribute(attributeName=n, attributeValue=v) for n, v in attributes] or None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        builder = lb.OntologyBuilder(
            tools=[lb.Tool(tool=lb.Tool.Type.BBOX, name="box", attributes=given_attributes)],
            classifications=[lb.Classification(class_type=lb.Classification.Type.RADIO, name="q", options=[
                lb.Option(value="a")], is_likert_scale=likert, attributes=given_attributes)])
        again = lb.OntologyBuilder.from_dict(dictionary=builder.asdict())
    assert again.asdict() == builder.asdict()
    assert again.classifications[0].is_likert_scale is likert
    assert builder.asdict()["tools"][0]["attributes"] == (None if not attributes else [
        {"attributeName": n, "attributeValue": v} for n, v in attributes])


def test_attributes_warn_as_beta_and_only_a_radio_is_a_likert_scale() -> None:
    with pytest.warns(UserWarning, match="attributes for Tools are in beta"):
        lb.Tool(tool=lb.Tool.Type.BBOX, name="box", attributes=[])
    checklist = lb.Classification(class_type=lb.Classification.Type.CHECKLIST, name="c", options=[lb.Option(value="a")],
                                  is_likert_scale=True)
    assert "isLikertScale" not in checklist.asdict()


def test_an_ontology_with_attributes_and_a_likert_scale_is_stored(client: lb.Client) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        builder = lb.OntologyBuilder(tools=[lb.Tool(tool=lb.Tool.Type.BBOX, name="box", attributes=[
            FeatureSchemaAttribute(attributeName="source", attributeValue="model")])], classifications=[
            lb.Classification(class_type=lb.Classification.Type.RADIO, name="q", options=[lb.Option(value="a")],
                              is_likert_scale=True)])
    ontology = client.create_ontology("o", builder.asdict(), media_type=lb.MediaType.Image)
    read = client.get_ontology(ontology.uid).normalized
    assert read["tools"][0]["attributes"] == [{"attributeName": "source", "attributeValue": "model"}]
    assert read["classifications"][0]["isLikertScale"] is True


# -- execute(error_handlers=) -------------------------------------------------------------------------------

def test_an_error_handler_answers_for_its_code(client: lb.Client, mock: MockLabelbox) -> None:
    seen: list[int] = []

    def record(response: requests.Response) -> None:
        seen.append(response.status_code)

    mock.inject_fault("*", graphql_error="MALFORMED_REQUEST", times=2)
    assert client.execute("query GetUserPyApi { user { id } }", error_handlers={"MALFORMED_REQUEST": record}) is None
    assert len(seen) == 1
    with pytest.raises(MalformedQueryException):  # without a handler for the code, the error is raised
        client.execute("query GetUserPyApi { user { id } }", error_handlers={"INTERNAL_SERVER_ERROR": record})
    mock.inject_fault("*", graphql_error="AUTHENTICATION_ERROR", times=1)
    with pytest.raises(lb.exceptions.AuthenticationError):  # handlers answer only the two codes the SDK lets them
        client.execute("query GetUserPyApi { user { id } }", error_handlers={"AUTHENTICATION_ERROR": record})
    assert len(seen) == 1


# -- datasets, imports, metadata fields --------------------------------------------------------------------

def test_a_dataset_takes_the_sdks_iam_argument_and_refuses_an_integration(client: lb.Client) -> None:
    assert client.create_dataset(iam_integration=None, name="d").name == "d"
    assert client.create_dataset("DEFAULT", name="e").name == "e"
    with pytest.raises(ValueError, match="IAM integrations"):
        client.create_dataset(iam_integration=object(), name="f")
    with pytest.raises(TypeError, match="row_count"):
        client.create_dataset(name="g", row_count=3)


def test_create_takes_exactly_one_source(client: lb.Client, world: World) -> None:
    run = client.get_model(world.model_id).create_model_run("r")
    with pytest.raises(ValueError, match="exactly one non-empty of url, path or labels; got none"):
        lb.MEAPredictionImport.create(client=client, id=run.uid, name="x")
    with pytest.raises(ValueError, match="got url, path"):
        lb.LabelImport.create(client, world.project_id, "x", path="a.ndjson", url="https://example.com/a")
    label = lb.types.Label(data={"global_key": "gk-0"}, annotations=[lb.types.ClassificationAnnotation(
        name="text", value=lb.types.Text(answer="t", custom_metrics=[{"name": "m", "value": 1}]))])
    run.upsert_data_rows(global_keys=["gk-0"])
    made = lb.MEAPredictionImport.create(client=client, id=run.uid, name="one", labels=[label])
    assert lb.MEAPredictionImport.from_name(client, run.uid, "one", as_json=True)["name"] == "one"
    assert lb.MEAPredictionImport.from_name(client, run.uid, "one").uid == made.uid


# -- what is not ported says so ------------------------------------------------------------------------------

def test_names_not_ported_raise_errors_that_name_them(client: lb.Client) -> None:
    with pytest.raises(ImportError, match=r"labelbox\.Webhook is not ported to labelbox_lite \(out of scope\)"):
        from labelbox_lite import Webhook  # noqa: F401
    with pytest.raises(NotPortedImportError, match="labelbox.types.LabelGenerator"):
        lb.types.LabelGenerator  # noqa: B018
    with pytest.raises(NotPortedError, match="labelbox.data.metrics.miou_metric"):
        from labelbox_lite.data.metrics import miou_metric  # noqa: F401
    with pytest.raises(NotPortedAttributeError, match="labelbox.Client.get_roles .*docs/porting.md"):
        client.get_roles()  # type: ignore[attr-defined]  # not ported: the point of the test
    assert not hasattr(client, "get_roles") and getattr(client, "get_roles", None) is None
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        client.nothing  # type: ignore[attr-defined]  # noqa: B018


@pytest.mark.parametrize(("normalized", "message"), [
    ({"tools": [{"tool": "rectangle", "name": "b", "attributes": [{"attributeName": 1, "attributeValue": "x"}]}],
      "classifications": []}, r"tools\[0\]\.attributes\[0\]: must be \{attributeName, attributeValue\}"),
    ({"tools": [{"tool": "rectangle", "name": "b", "attributes": "source"}], "classifications": []},
     r"tools\[0\]\.attributes: must be a list"),
])
def test_bad_attributes_are_refused_and_nothing_is_made(
        client: lb.Client, normalized: dict[str, Any], message: str) -> None:
    with pytest.raises(lb.exceptions.InvalidQueryError, match=message):
        client.create_ontology("bad", normalized)
    assert list(client.get_ontologies("bad")) == []


# -- the media types' annotation types refuse what cannot be imported ------------------------------------------

def _video_label(*annotations: Any) -> Any:
    return lb.types.Label(data={"global_key": "v"}, annotations=list(annotations))


def _box() -> Any:
    return lb.types.Rectangle(start=lb.types.Point(x=0, y=0), end=lb.types.Point(x=1, y=1))


def test_video_objects_take_no_confidence_and_segments_are_whole_and_ordered() -> None:
    from labelbox_lite.data.serialization import NDJsonConverter
    from labelbox_lite.exceptions import ConfidenceNotSupportedException, CustomMetricsNotSupportedException

    with pytest.raises(ConfidenceNotSupportedException):
        lb.types.VideoObjectAnnotation(name="b", frame=1, keyframe=True, value=_box(), confidence=0.5)
    with pytest.raises(CustomMetricsNotSupportedException):
        lb.types.VideoObjectAnnotation(name="b", frame=1, keyframe=True, value=_box(), custom_metrics=[])
    with pytest.raises(ValueError, match="frame index"):
        lb.types.VideoObjectAnnotation(name="b", frame=-1, keyframe=True, value=_box())
    partial = _video_label(lb.types.VideoObjectAnnotation(name="b", frame=1, keyframe=True, value=_box()),
                           lb.types.VideoObjectAnnotation(name="b", frame=2, keyframe=True, value=_box(),
                                                          segment_index=0))
    with pytest.raises(ValueError, match="cannot partially have `segment_index` set"):
        NDJsonConverter.serialize([partial])
    polygon = lb.types.Polygon(points=[lb.types.Point(x=0, y=0), lb.types.Point(x=1, y=0), lb.types.Point(x=1, y=1)])
    with pytest.raises(TypeError, match="a video object is a Rectangle, Point or Line"):
        NDJsonConverter.serialize([_video_label(lb.types.VideoObjectAnnotation(
            name="p", frame=1, keyframe=True, value=polygon))])


def test_document_conversation_and_tiled_values_are_checked() -> None:
    with pytest.raises(ValueError, match="Page must be greater than 1"):
        lb.types.DocumentTextSelection(token_ids=["a"], group_id="g", page=0)
    with pytest.raises(TypeError, match="DocumentTextSelection"):
        lb.types.DocumentEntity(text_selections=["not a selection"])
    with pytest.raises(ValueError, match="Bounds on either axes cannot be equal"):
        lb.types.TiledBounds(epsg=lb.types.EPSG.EPSG4326,
                             bounds=[lb.types.Point(x=1, y=1), lb.types.Point(x=1, y=2)])
    with pytest.raises(ValueError, match="Invalid lat/lng bounds"):
        lb.types.TiledBounds(epsg=lb.types.EPSG.EPSG4326,
                             bounds=[lb.types.Point(x=1, y=1), lb.types.Point(x=200, y=2)])
    with pytest.raises(ValueError, match=r"needs to contain /\{z\}/\{x\}/\{y\}"):
        lb.types.TileLayer(url="https://tiles.example.com/tile.png")
    with pytest.raises(ValueError, match="exactly one of uid or global_key"):
        lb.types.GenericDataRowData(uid="a", global_key="b")
    entity = lb.types.ConversationEntity(start=0, end=3, message_id="m")
    assert isinstance(entity, lb.types.TextEntity) and entity.message_id == "m"


def test_video_masks_need_a_source_per_frame_and_colours_per_instance() -> None:
    with pytest.raises(ValueError, match="One of `instance_uri`, `im_bytes` required"):
        lb.types.MaskFrame(index=1)
    with pytest.raises(ValueError, match="is not a valid uri"):
        lb.types.MaskFrame(index=1, instance_uri="mask.png")
    with pytest.raises(ValueError, match="color_rgb is three ints"):
        lb.types.MaskInstance(color_rgb=(0, 0), name="m")
    masks = lb.types.VideoMaskAnnotation(frames=[lb.types.MaskFrame(index=2, im_bytes=b"png")],
                                         instances=[lb.types.MaskInstance(color_rgb=[1, 2, 3], name="m")])
    rows = lb.types.Label(data={"uid": "ckdatarow00000000000000001"}, annotations=[masks])
    from labelbox_lite.ndjson import serialize_labels

    (row,) = serialize_labels([rows])
    assert row["masks"] == {"frames": [{"index": 2, "imBytes": "cG5n"}], "instances": [{"name": "m", "colorRGB": [1, 2, 3]}]}
