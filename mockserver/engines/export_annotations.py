"""Annotations as exports show them: NDJSON rows (how labels and predictions are
stored) turned into export v2 objects and classifications, or export v1 objects.

A video's label is exported frame by frame (`v2_video_annotations`, label_kind "Video"), as
the SDK's test_export_video_streamable shows it: `frames` {frame: {objects, classifications}},
`segments` and `key_frame_feature_map` per object, and the classifications of the whole video.

Names and schema ids come from the model's ontology; feature ids are the rows'
uuids, or derived from where the annotation sits when a row has none, so that
rendering the same snapshot twice gives the same bytes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from attrs import frozen

from ..state.ontologies import walk
from ..state.records import Classification, Ontology, Option

# NDJSON geometry key -> (export v2 annotation_kind, export v2 key)
GEOMETRIES = {
    "bbox": ("ImageBoundingBox", "bounding_box"),
    "polygon": ("ImagePolygon", "polygon"),
    "line": ("ImagePolyline", "line"),
    "point": ("ImagePoint", "point"),
    "mask": ("ImageSegmentationMask", "mask"),
    "location": ("TextEntity", "location"),
}

Annotation = Mapping[str, Any]


@lru_cache(maxsize=1 << 16)  # an export read again (or a run exported twice) derives no id twice
def derived_id(*parts: object) -> str:
    """A stable cuid-shaped id for something the state gives no id of its own."""
    digest = hashlib.sha256(":".join(map(str, parts)).encode("utf-8")).hexdigest()
    return "c" + digest[:24]


@lru_cache(maxsize=1024)  # a few feature names over every row
def slug(name: str | None) -> str | None:
    return None if name is None else name.strip().lower().replace(" ", "_")


@frozen
class FeatureIndex:
    """An ontology's features by name and by schema id, with radio and checklist options."""

    ids_by_name: Mapping[str, str]
    names_by_id: Mapping[str, str]
    option_ids: Mapping[tuple[str, str], str]  # (question schema id, option value) -> option schema id
    option_values: Mapping[str, str]  # option schema id -> value
    kinds: Mapping[str, str]  # classification schema id -> radio | checklist | text

    @classmethod
    def of(cls, ontology: Ontology | None) -> FeatureIndex:
        if ontology is None:
            return cls({}, {}, {}, {}, {})
        # nested classifications too, at any depth; a name repeated deeper never shadows a top-level one
        features = [node for node in walk(ontology) if not isinstance(node, Option)]
        options = [(c.feature_schema_id, o) for c in features if isinstance(c, Classification) for o in c.options]
        ids_by_name: dict[str, str] = {}
        for feature in features:
            ids_by_name.setdefault(feature.name, feature.feature_schema_id)
        return cls(
            ids_by_name=ids_by_name,
            names_by_id={f.feature_schema_id: f.name for f in features},
            option_ids={(question, o.value): o.feature_schema_id for question, o in options},
            option_values={o.feature_schema_id: o.value for _question, o in options},
            kinds={c.feature_schema_id: c.type for c in features if isinstance(c, Classification)},
        )

    def feature(self, annotation: Annotation) -> tuple[str | None, str | None]:
        """(schema id, name) of the feature an annotation names by either."""
        schema_id, name = annotation.get("schemaId"), annotation.get("name")
        if schema_id is None and name is not None:
            schema_id = self.ids_by_name.get(name)
        if name is None and schema_id is not None:
            name = self.names_by_id.get(schema_id)
        return schema_id, name

    def option(self, question_id: str | None, answer: Annotation) -> tuple[str | None, str | None]:
        """(schema id, value) of a radio or checklist answer."""
        schema_id, value = answer.get("schemaId"), answer.get("name", answer.get("value"))
        if schema_id is None and value is not None and question_id is not None:
            schema_id = self.option_ids.get((question_id, value))
        if value is None and schema_id is not None:
            value = self.option_values.get(schema_id)
        return schema_id, value


def _answer(annotation: Annotation) -> Any:
    return annotation.get("answer", annotation.get("answers"))


def _is_temporal(annotation: Annotation) -> bool:
    """Answers that carry their own frame ranges (the validator's `placement.is_temporal`, on stored rows)."""
    answer = annotation.get("answer")
    return isinstance(answer, list) and any(isinstance(item, Mapping) and "frames" in item for item in answer)


def _frames(ranges: Sequence[Mapping[str, int]]) -> list[int]:
    return [frame for span in ranges for frame in range(span["start"], span["end"] + 1)]


# -- export v2 ----------------------------------------------------------------------

def v2_annotations(annotations: Sequence[Annotation], features: FeatureIndex, owner: str) -> dict[str, list[Any]]:
    """A label's (or prediction's) annotations in export v2's {objects, classifications, relationships}."""
    objects: list[Any] = []
    classifications: list[Any] = []
    relationships: list[Any] = []
    for index, annotation in enumerate(annotations):
        if "metricValue" in annotation:
            continue  # metrics score a row; they are not annotations
        feature_id = annotation.get("uuid") or derived_id(owner, index)
        if "relationship" in annotation:
            relationships.append(_v2_relationship(annotation, features, feature_id))
            continue
        answer = annotation.get("answer", annotation.get("answers"))  # _answer, inline: once per annotation
        if answer is None:
            objects.append(_v2_object(annotation, features, feature_id))
        elif isinstance(answer, list) and _is_temporal(annotation):  # a temporal answer is a list
            classifications.append(_v2_temporal(annotation, features, feature_id))
        else:
            classifications.append(_v2_answered(annotation, answer, features, feature_id))
    return {"objects": objects, "classifications": classifications, "relationships": relationships}


def v2_video_annotations(annotations: Sequence[Annotation], features: FeatureIndex, owner: str) -> dict[str, Any]:
    """A video label in export v2: each annotation at the frames it holds. Keyframes only: the mock does not
    interpolate objects between them. Video masks are left out (no export of them is documented)."""
    frames: dict[int, dict[str, Any]] = {}
    segments: dict[str, list[list[int]]] = {}
    key_frames: dict[str, dict[str, bool]] = {}
    whole: list[Any] = []

    def at(frame: int) -> dict[str, Any]:
        return frames.setdefault(frame, {"objects": {}, "classifications": []})

    for index, annotation in enumerate(annotations):
        feature_id = annotation.get("uuid") or derived_id(owner, index)
        if "metricValue" in annotation or "relationship" in annotation or "masks" in annotation:
            continue
        if "segments" in annotation:
            schema_id, name = features.feature(annotation)
            for segment in annotation["segments"]:
                keyframes = segment["keyframes"]
                segments.setdefault(feature_id, []).append([keyframes[0]["frame"], keyframes[-1]["frame"]])
                for keyframe in keyframes:
                    shaped = {"feature_id": feature_id, "feature_schema_id": schema_id, "name": name}
                    for key, (kind, export_key) in _VIDEO_GEOMETRIES.items():
                        if key in keyframe:
                            shaped.update({"annotation_kind": kind, export_key: keyframe[key]})
                    shaped["classifications"] = [
                        _v2_classification(nested, features, f"{feature_id}.{keyframe['frame']}.{position}")
                        for position, nested in enumerate(keyframe.get("classifications") or [])]
                    at(keyframe["frame"])["objects"][feature_id] = shaped
                    key_frames.setdefault(feature_id, {})[str(keyframe["frame"])] = True
        elif _is_temporal(annotation):
            for frame, shaped in _temporal_by_frame(annotation, features, feature_id).items():
                at(frame)["classifications"].append(shaped)
        elif annotation.get("frames"):
            shaped = _v2_classification(annotation, features, feature_id)
            for frame in _frames(annotation["frames"]):
                at(frame)["classifications"].append(shaped)
        elif _answer(annotation) is not None:
            whole.append(_v2_classification(annotation, features, feature_id))
    return {"frames": {str(frame): frames[frame] for frame in sorted(frames)}, "segments": segments,
            "key_frame_feature_map": key_frames, "classifications": whole}


# a video object's keyframe geometry -> (export v2 annotation_kind, export v2 key)
_VIDEO_GEOMETRIES = {"bbox": ("VideoBoundingBox", "bounding_box"), "point": ("VideoPoint", "point"),
                     "line": ("VideoPolyline", "line")}


def _temporal_by_frame(annotation: Annotation, features: FeatureIndex, feature_id: str) -> dict[int, dict[str, Any]]:
    """A temporal classification as each frame holds it: the answers whose ranges cover that frame, and
    under each, the nested answers that do."""
    schema_id, name = features.feature(annotation)
    kind = _temporal_kind(annotation, features, schema_id)
    active: dict[int, list[Annotation]] = {}
    for answer in annotation["answer"]:
        for frame in _frames(answer["frames"]):
            active.setdefault(frame, []).append(answer)
    out = {}
    for frame, answers in active.items():
        shaped: dict[str, Any] = {"feature_id": feature_id, "feature_schema_id": schema_id, "name": name,
                                  "value": slug(name)}
        if kind == "text":
            shaped["text_answer"] = {"content": answers[0]["value"]}
        else:
            options = [_temporal_option(schema_id, answer, features, f"{feature_id}.{answer.get('schemaId')}", frame)
                       for answer in answers]
            if kind == "radio":
                shaped["radio_answer"] = options[0]
            else:
                shaped["checklist_answers"] = options
        out[frame] = shaped
    return out


def _temporal_kind(annotation: Annotation, features: FeatureIndex, schema_id: str | None) -> str:
    if any("value" in answer for answer in annotation["answer"]):
        return "text"
    return features.kinds.get(schema_id or "", "checklist")


def _temporal_option(question_id: str | None, answer: Annotation, features: FeatureIndex, feature_id: str,
                     frame: int) -> dict[str, Any]:
    schema_id, value = features.option(question_id, answer)
    nested = []
    for position, question in enumerate(answer.get("classifications") or []):
        by_frame = _temporal_by_frame(question, features, f"{feature_id}.{position}")
        if frame in by_frame:
            nested.append(by_frame[frame])
    return {"feature_id": derived_id(feature_id), "feature_schema_id": schema_id, "name": value, "value": slug(value),
            "classifications": nested}


def _v2_temporal(annotation: Annotation, features: FeatureIndex, feature_id: str) -> dict[str, Any]:
    """A temporal classification outside a video (audio): one entry, each answer with its frame ranges
    (milliseconds). The SDK shows no export of these; this keeps every range the import took."""
    schema_id, name = features.feature(annotation)
    shaped: dict[str, Any] = {"feature_id": feature_id, "feature_schema_id": schema_id, "name": name,
                              "value": slug(name)}
    kind = _temporal_kind(annotation, features, schema_id)
    answers = []
    for index, answer in enumerate(annotation["answer"]):
        if kind == "text":
            answers.append({"content": answer["value"], "frames": answer["frames"]})
            continue
        option_id, value = features.option(schema_id, answer)
        answers.append({"feature_id": derived_id(feature_id, index), "feature_schema_id": option_id, "name": value,
                        "value": slug(value), "frames": answer["frames"],
                        "classifications": [_v2_temporal(nested, features, f"{feature_id}.{index}.{position}")
                                            for position, nested in enumerate(answer.get("classifications") or [])]})
    shaped[f"{kind}_answers"] = answers
    return shaped


def _v2_relationship(annotation: Annotation, features: FeatureIndex, feature_id: str) -> dict[str, Any]:
    """A relationship as export v2 lists it: its ends by their feature ids (the uuids they were imported with)."""
    schema_id, name = features.feature(annotation)
    relationship = annotation["relationship"]
    shaped: dict[str, Any] = {"feature_id": feature_id, "feature_schema_id": schema_id, "name": name,
                              "value": slug(name),
                              "unidirectional": relationship.get("type", "unidirectional") == "unidirectional",
                              "source": relationship.get("source"), "target": relationship.get("target")}
    if relationship.get("sourceOntologyName") is not None:
        shaped["source_ontology_name"] = relationship["sourceOntologyName"]
    if relationship.get("readonly") is not None:
        shaped["readonly"] = relationship["readonly"]
    return shaped


def _v2_object(annotation: Annotation, features: FeatureIndex, feature_id: str) -> dict[str, Any]:
    schema_id, name = features.feature(annotation)
    shaped: dict[str, Any] = {"feature_id": feature_id, "feature_schema_id": schema_id, "name": name}
    for key, (kind, export_key) in GEOMETRIES.items():
        if key in annotation:
            shaped["annotation_kind"] = kind
            shaped[export_key] = annotation[key]
            break
    else:
        shaped["annotation_kind"] = "Unknown"
    nested = annotation.get("classifications")
    shaped["classifications"] = [
        _v2_classification(question, features, f"{feature_id}.{index}") for index, question in enumerate(nested)
    ] if nested else []
    if annotation.get("customMetrics"):
        _custom_metrics(annotation, shaped)
    return shaped


def _custom_metrics(annotation: Annotation, shaped: dict[str, Any]) -> None:
    if annotation.get("customMetrics"):
        shaped["custom_metrics"] = [{"name": m["name"], "value": m["value"]} for m in annotation["customMetrics"]]


def _v2_classification(annotation: Annotation, features: FeatureIndex, feature_id: str) -> dict[str, Any]:
    return _v2_answered(annotation, _answer(annotation), features, feature_id)


def _v2_answered(annotation: Annotation, answer: Any, features: FeatureIndex, feature_id: str) -> dict[str, Any]:
    """A classification whose answer (`_answer`) the caller has read already."""
    schema_id, name = features.feature(annotation)
    shaped: dict[str, Any] = {"feature_id": annotation.get("uuid") or feature_id, "feature_schema_id": schema_id,
                              "name": name, "value": slug(name)}
    if isinstance(answer, str):
        shaped["text_answer"] = {"content": answer}
    elif isinstance(answer, list):
        shaped["checklist_answers"] = [
            _v2_answer(schema_id, item, features, f"{feature_id}.{index}") for index, item in enumerate(answer)
        ]
    elif type(answer) is dict or isinstance(answer, Mapping):  # a stored answer is a dict: no ABC check
        shaped["radio_answer"] = _v2_answer(schema_id, answer, features, f"{feature_id}.0")
    if annotation.get("customMetrics"):
        _custom_metrics(annotation, shaped)
    return shaped


def _v2_answer(question_id: str | None, answer: Annotation, features: FeatureIndex, feature_id: str) -> dict[str, Any]:
    schema_id, value = features.option(question_id, answer)
    nested = answer.get("classifications")
    shaped = {
        "feature_id": derived_id(feature_id), "feature_schema_id": schema_id, "name": value, "value": slug(value),
        "classifications": [
            _v2_classification(question, features, f"{feature_id}.{index}") for index, question in enumerate(nested)
        ] if nested else [],
    }
    if answer.get("customMetrics"):
        _custom_metrics(answer, shaped)
    return shaped


# -- export v1 (ModelRun.export_labels) ------------------------------------------------

def v1_label(annotations: Sequence[Annotation], features: FeatureIndex, owner: str) -> dict[str, list[Any]]:
    """A label's annotations in export v1's {"objects", "classifications"}."""
    objects: list[Any] = []
    classifications: list[Any] = []
    for index, annotation in enumerate(annotations):
        feature_id = annotation.get("uuid") or derived_id(owner, index)
        if "relationship" in annotation or "metricValue" in annotation:
            continue  # v1 exports had no relationships; metrics are no annotations
        if _answer(annotation) is not None:
            classifications.append(_v1_classification(annotation, features, feature_id))
        else:
            objects.append(_v1_object(annotation, features, feature_id))
    return {"objects": objects, "classifications": classifications}


def _v1_feature(annotation: Annotation, features: FeatureIndex, feature_id: str) -> dict[str, Any]:
    schema_id, name = features.feature(annotation)
    return {"featureId": feature_id, "schemaId": schema_id, "title": name, "value": slug(name)}


def _v1_object(annotation: Annotation, features: FeatureIndex, feature_id: str) -> dict[str, Any]:
    shaped = _v1_feature(annotation, features, feature_id)
    for key in ("bbox", "polygon", "line", "point"):
        if key in annotation:
            shaped[key] = annotation[key]
    if "mask" in annotation:
        shaped["instanceURI"] = (annotation["mask"] or {}).get("instanceURI")
    if "location" in annotation:
        shaped["data"] = {"location": annotation["location"]}
    shaped["classifications"] = [
        _v1_classification(nested, features, f"{feature_id}.{index}")
        for index, nested in enumerate(annotation.get("classifications") or [])
    ]
    return shaped


def _v1_classification(annotation: Annotation, features: FeatureIndex, feature_id: str) -> dict[str, Any]:
    shaped = _v1_feature(annotation, features, annotation.get("uuid") or feature_id)
    answer = _answer(annotation)

    def option(item: Annotation, index: int) -> dict[str, Any]:
        schema_id, value = features.option(shaped["schemaId"], item)
        return {"featureId": derived_id(feature_id, index), "schemaId": schema_id, "title": value, "value": slug(value)}

    if isinstance(answer, str):
        shaped["answer"] = answer
    elif isinstance(answer, list):
        shaped["answers"] = [option(item, index) for index, item in enumerate(answer)]
    elif isinstance(answer, Mapping):
        shaped["answer"] = option(answer, 0)
    return shaped
