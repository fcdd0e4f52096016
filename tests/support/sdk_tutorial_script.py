# A script written for the Labelbox SDK (labelbox 7.17.0), in the style of Labelbox's basics, annotation
# import and prediction tutorials, using the names issue 27 found labelbox_lite lacking. It is never imported:
# tests/client/test_sdk_tutorial_script.py runs its text with labelbox_lite (the one change porting.md
# promises: `labelbox` -> `labelbox_lite` in the import lines) against the in-process mock, and
# tests/contract/test_sdk_tutorial_script.py runs it unchanged with the SDK against a standalone mock.
# Both check that it observes the same things (`SEEN`). The runner provides API_KEY and ENDPOINTS.
#
# Left out, and why: lb_types.TextData (not in labelbox 7.17.0 either: Label(data={"global_key": ...})
# is the SDK's way now), lb_types.RelationshipAnnotation (added by another change), and importing the
# video, document, conversation and geospatial labels (built and checked here; the mock's import
# validation for those media types is another change's).
# ruff: noqa
# mypy: ignore-errors
import warnings

import labelbox as lb
import labelbox.types as lb_types
from labelbox.data import metrics
from labelbox.data.annotation_types.metrics import ConfusionMatrixMetric, ScalarMetric
from labelbox.schema.ontology_kind import OntologyKind
from labelbox.schema.quality_mode import QualityMode
from labelbox.schema.tool_building.types import FeatureSchemaAttribute

SEEN = {}
client = lb.Client(api_key=API_KEY, **ENDPOINTS)

# -- an ontology, as the basics tutorial builds one ----------------------------------------------------
with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # feature schema attributes are in beta: the SDK warns when given
    box_tool = lb.Tool(tool=lb.Tool.Type.BBOX, name="box",
                       attributes=[FeatureSchemaAttribute(attributeName="source", attributeValue="model")])
builder = lb.OntologyBuilder(
    tools=[box_tool, lb.Tool(tool=lb.Tool.Type.POLYGON, name="area")],
    classifications=[
        lb.Classification(class_type=lb.Classification.Type.RADIO, name="quality", is_likert_scale=True,
                          options=[lb.Option(value="good"), lb.Option(value="bad")]),
        lb.Classification(class_type=lb.Classification.Type.TEXT, name="caption"),
    ],
)
with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # rebuilding the tool from its dict warns again
    builder = lb.OntologyBuilder.from_dict(dictionary=builder.asdict())
SEEN["likert"] = builder.asdict()["classifications"][0].get("isLikertScale")
ontology = client.create_ontology("tutorial ontology", builder.asdict(), media_type=lb.MediaType.Image)
SEEN["ontology tools"] = sorted(tool["name"] for tool in ontology.normalized["tools"])
chat = client.create_ontology("chat evaluation", lb.OntologyBuilder(classifications=[
    lb.Classification(class_type=lb.Classification.Type.TEXT, name="verdict")]).asdict(),
    media_type=lb.MediaType.Conversational, ontology_kind=OntologyKind.ModelEvaluation)
SEEN["chat ontology"] = chat.name

# -- a project, a dataset with metadata, a batch ---------------------------------------------------------
project = client.create_project(name="tutorial project", media_type=lb.MediaType.Image,
                                quality_modes={QualityMode.Benchmark})
project.connect_ontology(ontology)
first = next(client.get_projects())
SEEN["first project"] = (type(first).__name__, first.name)
SEEN["projects"] = [p.name for p in client.get_projects().get_many(5)]

dataset = client.create_dataset(name="tutorial dataset")
keys = ["tutorial-0", "tutorial-1", "tutorial-2"]
task = dataset.create_data_rows([
    {"row_data": f"https://storage.example.com/{key}.jpg", "global_key": key,
     "metadata_fields": [lb.DataRowMetadataField(name="tag", value=f"tag {key}")]}
    for key in keys
])
task.wait_till_done()
SEEN["upsert errors"] = task.errors
batch = project.create_batch("tutorial batch", global_keys=keys[:2], priority=1)
SEEN["batch size"] = batch.size

# -- ground truth and pre-labels --------------------------------------------------------------------------
def box(x):
    return lb_types.Rectangle(start=lb_types.Point(x=x, y=1), end=lb_types.Point(x=x + 4, y=5))


def image_label(key, scored):
    return lb_types.Label(data={"global_key": key}, annotations=[
        lb_types.ObjectAnnotation(name="box", value=box(1), confidence=0.5 if scored else None,
                                  custom_metrics=[{"name": "iou", "value": 0.5}] if scored else None),
        lb_types.ClassificationAnnotation(name="caption", value=lb_types.Text(
            answer="a cat", confidence=0.7 if scored else None,
            custom_metrics=[{"name": "bleu", "value": 0.25}] if scored else None)),
        lb_types.ClassificationAnnotation(name="quality", value=lb_types.Radio(
            answer=lb_types.ClassificationAnswer(name="good", confidence=0.9 if scored else None))),
    ])


ground_truth = lb.LabelImport.create(client=client, id=project.uid, name="tutorial ground truth",
                                     labels=[image_label(keys[0], scored=False)])
ground_truth.wait_till_done()
SEEN["ground truth"] = [status["status"] for status in ground_truth.statuses]
pre_labels = lb.MALPredictionImport.create_from_objects(client=client, project_id=project.uid,
                                                        name="tutorial pre-labels",
                                                        predictions=[image_label(keys[1], scored=False)])
pre_labels.wait_till_done()
SEEN["pre-labels"] = [status["status"] for status in pre_labels.statuses]
SEEN["pre-labels by name"] = lb.MALPredictionImport.from_name(client, project.uid, "tutorial pre-labels",
                                                              as_json=True)["name"]

# -- an export of one batch --------------------------------------------------------------------------------
export = project.export(params={"data_row_details": True, "metadata_fields": True},
                        filters={"batch_ids": [batch.uid]})
export.wait_till_done()
exported = [output.json for output in export.get_buffered_stream()]
SEEN["exported"] = sorted(row["data_row"]["global_key"] for row in exported)

# -- a model run with predictions and metrics --------------------------------------------------------------
model = client.create_model(name="tutorial model", ontology_id=ontology.uid)
run = model.create_model_run("run 1")
run.upsert_data_rows(global_keys=keys[:2])
predictions = [image_label(key, scored=True) for key in keys[:2]]
predictions[0].annotations += [ScalarMetric(metric_name="custom iou", value=0.5, feature_name="box"),
                               ConfusionMatrixMetric(metric_name="counts", value=(1, 0, 0, 1))]
mea = lb.MEAPredictionImport.create(client=client, id=run.uid, name="tutorial predictions", labels=predictions)
mea.wait_till_done()
SEEN["predictions"] = [status["status"] for status in mea.statuses]

# -- the other media types, as their prediction tutorials build them ----------------------------------------
selection = lb_types.DocumentTextSelection(token_ids=["t1", "t2"], group_id="g1", page=1)
bounds = lb_types.TiledBounds(epsg=lb_types.EPSG.EPSG4326,
                              bounds=[lb_types.Point(x=-99.21, y=19.40), lb_types.Point(x=-99.20, y=19.41)])
media = [
    lb_types.Label(data={"global_key": "video"}, annotations=[
        lb_types.VideoObjectAnnotation(name="box", keyframe=True, frame=f, segment_index=0, value=box(f))
        for f in (1, 5)] + [
        lb_types.VideoClassificationAnnotation(name="quality", frame=f, segment_index=0, value=lb_types.Radio(
            answer=lb_types.ClassificationAnswer(name="good"))) for f in (1, 2)]),
    lb_types.Label(data={"global_key": "pdf"}, annotations=[
        lb_types.ObjectAnnotation(name="entity", value=lb_types.DocumentEntity(text_selections=[selection]))]),
    lb_types.Label(data={"global_key": "chat"}, annotations=[
        lb_types.ObjectAnnotation(name="span", value=lb_types.ConversationEntity(start=0, end=4, message_id="m1")),
        lb_types.ClassificationAnnotation(name="verdict", message_id="m1", value=lb_types.Text(answer="fine"))]),
    lb_types.Label(data={"global_key": "tiles"}, annotations=[
        lb_types.ObjectAnnotation(name="site", value=lb_types.Point(x=-99.205, y=19.405))]),
]
tiled = lb_types.TiledImageData(tile_layer=lb_types.TileLayer(url="https://tiles.example.com/{z}/{x}/{y}.png"),
                                tile_bounds=bounds, zoom_levels=[17, 23])
SEEN["tiled row data"] = tiled.asdict()["epsg"]
SEEN["media labels"] = [len(label.annotations) for label in media]
SEEN["metrics module"] = metrics.__name__.split(".")[-2:]
