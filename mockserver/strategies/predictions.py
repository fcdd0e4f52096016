"""NDJSON predictions for a seeded ontology and model run: rows Labelbox accepts, and rows with one thing wrong.

A `PredictionTarget` says what rows may name (the run's data rows, the ontology's
features, the rows' media type: a video's objects are keyframe segments, a document's
boxes sit on a page, a conversation's entities in a message, as the SDK writes them).
`predictions()` draws a row the mock accepts; `invalid_predictions()` draws a row
with one thing broken and the field its FAILURE status names first;
`mixed_predictions()` draws an import of both, with uuids kept unique.

Every row is plain JSON. Send broken rows as an NDJSON file: like the SDK,
labelbox_lite checks a list of dicts for a missing or doubled dataRow before
uploading, so those rows never reach the mock that way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from attrs import field, frozen
from hypothesis import strategies as st

from ..engines.predictions import GEOMETRY_KEYS
from ..engines.predictions.masks import RASTER
from ..engines.predictions.placement import (
    MEDIA_TAKES,
    RECTANGLE_UNITS,
    SEGMENT_TOOLS,
    SEGMENTS,
    STANDALONE_GEOMETRY,
    TEMPORAL,
    TEXT_SELECTIONS,
    VIDEO_MASKS,
    first_frame,
    is_temporal,
)
from ..state.records import TOOL_GEOMETRY

# A 1x1 PNG: the mock checks a png mask is a base64 PNG, so the bytes must be one.
_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
_NO_ROW_ID = "cnosuchdatarow00000000000"
_NO_SCHEMA_ID = "cnosuchfeature00000000000"


@frozen
class _Feature:
    name: str
    kind: str  # a tool kind, or radio | checklist | text
    options: tuple[str, ...] = ()
    nested: tuple[_Feature, ...] = ()  # a tool's nested classifications
    option_nested: Mapping[str, tuple[_Feature, ...]] = field(factory=dict)  # option value -> its nested ones

    @property
    def geometry(self) -> str | None:
        return TOOL_GEOMETRY.get(self.kind)


def _classification(cls: Mapping[str, Any]) -> _Feature:
    options: list[Mapping[str, Any]] = [{"value": o} if isinstance(o, str) else o for o in cls.get("options", [])]
    return _Feature(cls["name"], cls["type"], tuple(o["value"] for o in options),
                    option_nested={o["value"]: tuple(_classification(c) for c in o["classifications"])
                                   for o in options if o.get("classifications")})


def _features(ontology: Mapping[str, Any]) -> tuple[_Feature, ...]:
    """The seed ontology's features; classifications nest under tools and options (`classifications`)."""
    tools = [_Feature(tool["name"], tool["tool"], nested=tuple(_classification(c) for c in tool.get("classifications", [])))
             for tool in ontology.get("tools", [])]
    return tuple(tools + [_classification(cls) for cls in ontology.get("classifications", [])])


def _strings(value: Iterable[str]) -> tuple[str, ...]:
    # typed, unlike converter=tuple: mypy's attrs plugin cannot solve tuple's Iterable[_T_co] for __init__
    return tuple(value)


@frozen(kw_only=True)
class PredictionTarget:
    """What predictions may name: an ontology as seeded, and the data rows of one model run.

    Rows may be given by global key, by id, or both; `outside_global_keys` are rows
    that exist but are not in the run (predictions naming them must fail).
    `feature_ids` and `option_ids` (from `mock.seed()`'s result) let rows name
    features and options by schemaId as well as by name.
    """

    ontology: Mapping[str, Any]
    global_keys: tuple[str, ...] = field(default=(), converter=_strings)
    data_row_ids: tuple[str, ...] = field(default=(), converter=_strings)
    outside_global_keys: tuple[str, ...] = field(default=(), converter=_strings)
    feature_ids: Mapping[str, str] = field(factory=dict)
    option_ids: Mapping[str, Mapping[str, str]] = field(factory=dict)
    media_type: str = "IMAGE"  # the media type of every row the target names
    features: tuple[_Feature, ...] = field(init=False)

    @features.default
    def _read_features(self) -> tuple[_Feature, ...]:
        return _features(self.ontology)

    def __attrs_post_init__(self) -> None:
        if not self.global_keys and not self.data_row_ids:
            raise ValueError("PredictionTarget needs the run's data rows: global_keys or data_row_ids")
        if not self.features:
            raise ValueError("PredictionTarget needs an ontology with at least one tool or classification")
        if self.media_type not in MEDIA_TAKES:
            raise ValueError(f"PredictionTarget: media_type must be one of {', '.join(MEDIA_TAKES)}, "
                             f"got {self.media_type!r}")
        if not self.annotating:
            raise ValueError(f"PredictionTarget: no feature of the ontology annotates {self.media_type} rows")

    @property
    def annotating(self) -> tuple[_Feature, ...]:
        """The features a row of the target's media type may use: every classification, and the tools it draws."""
        return tuple(f for f in self.features if f.geometry is None or _form(self.media_type, f) is not None)

    @classmethod
    def from_seed(cls, ontology: Mapping[str, Any], created: Mapping[str, Any], **rows: Any) -> PredictionTarget:
        """A target for `ontology` (a seed's entry) given its `created` entry from `mock.seed()`."""
        return cls(ontology=ontology, feature_ids=created.get("features", {}),
                   option_ids=created.get("options", {}), **rows)

    def row_refs(self) -> list[dict[str, str]]:
        return [{"id": row_id} for row_id in self.data_row_ids] + [{"globalKey": key} for key in self.global_keys]

    def feature(self, row: Mapping[str, Any]) -> _Feature:
        """The feature a valid row names, by name or by schemaId (a video mask row: its first instance's)."""
        if VIDEO_MASKS in row and "name" not in row and "schemaId" not in row:
            row = row[VIDEO_MASKS]["instances"][0]
        if "name" in row:
            return next(f for f in self.features if f.name == row["name"])
        return next(f for f in self.features if self.feature_ids.get(f.name) == row["schemaId"])


def _form(media_type: str, feature: _Feature) -> str | None:
    """Where a tool's geometry goes on this media: its own key, segments, textSelections, masks, or None (not drawn)."""
    takes, geometry = MEDIA_TAKES[media_type], feature.geometry
    if VIDEO_MASKS in takes and feature.kind == RASTER:
        return VIDEO_MASKS
    if SEGMENTS in takes and feature.kind in SEGMENT_TOOLS:
        return SEGMENTS
    if TEXT_SELECTIONS in takes and feature.kind == "named-entity":
        return TEXT_SELECTIONS
    return geometry if geometry in takes else None


_numbers = st.floats(min_value=-1e4, max_value=1e4, allow_nan=False, allow_infinity=False)
_sizes = st.floats(min_value=0, max_value=1e4, allow_nan=False, allow_infinity=False)
_confidences = st.floats(min_value=0, max_value=1)


def _point() -> st.SearchStrategy[dict[str, float]]:
    return st.fixed_dictionaries({"x": _numbers, "y": _numbers})


def _geometry(key: str) -> st.SearchStrategy[Any]:
    if key == "bbox":
        return st.fixed_dictionaries({"top": _numbers, "left": _numbers, "height": _sizes, "width": _sizes})
    if key == "polygon":
        return st.lists(_point(), min_size=3, max_size=6)
    if key == "point":
        return _point()
    if key == "line":
        return st.lists(_point(), min_size=2, max_size=6)
    if key == "mask":
        colors = st.lists(st.integers(0, 255), min_size=3, max_size=3)
        return st.one_of(
            st.fixed_dictionaries({"instanceURI": st.just("https://storage.example.com/m.png"), "colorRGB": colors}),
            st.just({"png": _PNG}),
        )
    assert key == "location"
    return st.tuples(st.integers(0, 500), st.integers(0, 500)).map(lambda p: {"start": min(p), "end": max(p)})


def _refs(name: str, schema_id: str | None) -> list[dict[str, str]]:
    """The ways a row may name a feature or an option: by name, by schemaId, or both."""
    if schema_id is None:
        return [{"name": name}]
    return [{"name": name}, {"schemaId": schema_id}, {"name": name, "schemaId": schema_id}]


@st.composite
def _option(draw: st.DrawFn, target: PredictionTarget, feature: _Feature, value: str, top: bool = True) -> dict[str, Any]:
    """A chosen option, named by name or schemaId (nested ones by name: the seed's ids map only the top level)."""
    schema_id = target.option_ids.get(feature.name, {}).get(value) if top else None
    option: dict[str, Any] = dict(draw(st.sampled_from(_refs(value, schema_id))))
    confidence = draw(st.none() | _confidences)
    if confidence is not None:
        option["confidence"] = confidence
    nested: tuple[_Feature, ...] = feature.option_nested.get(value, ())
    answered: bool = bool(nested) and draw(st.booleans())  # an option may be chosen without answering what it nests
    if answered:
        option["classifications"] = draw(_nested_answers(target, nested))
    return option


@st.composite
def _answer(draw: st.DrawFn, target: PredictionTarget, feature: _Feature, top: bool = True) -> dict[str, Any]:
    if feature.kind == "text":
        return {"answer": draw(st.text(max_size=20))}
    if feature.kind == "radio":
        return {"answer": draw(_option(target, feature, draw(st.sampled_from(feature.options)), top))}
    values = draw(st.lists(st.sampled_from(feature.options), min_size=1, max_size=3, unique=True))
    key = draw(st.sampled_from(["answer", "answers"]))  # Labelbox takes a checklist's options under either
    return {key: [draw(_option(target, feature, value, top)) for value in values]}


@st.composite
def _nested_answers(draw: st.DrawFn, target: PredictionTarget, nested: tuple[_Feature, ...]) -> list[dict[str, Any]]:
    """Answers to some of the classifications nested under a tool object or a chosen option."""
    chosen = draw(st.lists(st.sampled_from(nested), min_size=1, max_size=len(nested), unique_by=lambda f: f.name))
    return [{"name": feature.name, **draw(_answer(target, feature, top=False))} for feature in chosen]


_frames = st.integers(1, 10_000)


@st.composite
def _segments(draw: st.DrawFn, geometry: str) -> list[dict[str, Any]]:
    """A video object's keyframe segments, each frame used once, as the SDK's NDSegments writes them."""
    frames = draw(st.lists(_frames, min_size=1, max_size=4, unique=True))
    cut = draw(st.integers(1, len(frames)))
    return [{"keyframes": [{"frame": frame, geometry: draw(_geometry(geometry)), "classifications": []}
                           for frame in part]} for part in (frames[:cut], frames[cut:]) if part]


_text_selections = st.lists(st.fixed_dictionaries({
    "tokenIds": st.lists(st.uuids().map(str), min_size=1, max_size=3), "groupId": st.uuids().map(str),
    "page": st.integers(1, 50)}), min_size=1, max_size=2)
_frame_ranges = st.lists(st.tuples(_frames, _frames).map(lambda p: {"start": min(p), "end": max(p)}),
                         min_size=1, max_size=3)
_message_ids = st.text("0123456789abcdef-", min_size=1, max_size=8)


@st.composite
def _disjoint_ranges(draw: st.DrawFn, first: int, within: list[tuple[int, int]] | None,
                     max_size: int = 4) -> list[tuple[int, int]]:
    """Ranges that share no frame, all inside one range of `within` (a nested answer's parent) if given."""
    low, high = draw(st.sampled_from(within)) if within else (first, first + 10_000)
    points = sorted(draw(st.lists(st.integers(low, high), min_size=1, max_size=2 * max_size, unique=True)))
    points += points[-1:] * (len(points) % 2)  # an odd point out is a one-frame range
    return [(points[i], points[i + 1]) for i in range(0, len(points), 2)]


def _frames_of(spans: list[tuple[int, int]]) -> list[dict[str, int]]:
    return [{"start": start, "end": end} for start, end in spans]


@st.composite
def _temporal_answers(draw: st.DrawFn, target: PredictionTarget, feature: _Feature, first: int,
                      within: list[tuple[int, int]] | None = None, top: bool = True) -> list[dict[str, Any]]:
    """A temporal classification's answers as the SDK writes them: each option or text value once, with its
    own disjoint ranges; a radio's options never at the same frame; nested answers inside their parent's."""
    if feature.kind == "text":
        values = draw(st.lists(st.text(max_size=12), min_size=1, max_size=3, unique=True))
        pool = draw(_disjoint_ranges(first, within, max_size=2 * len(values)))
        values = values[:len(pool)]
        return [{"value": value, "frames": _frames_of(pool[i::len(values)])} for i, value in enumerate(values)]
    values = draw(st.lists(st.sampled_from(feature.options), min_size=1, max_size=3, unique=True))
    if feature.kind == "radio":  # one pool of ranges dealt out, so no two options overlap
        pool = draw(_disjoint_ranges(first, within, max_size=2 * len(values)))
        values = values[:len(pool)]
        spans = [pool[i::len(values)] for i in range(len(values))]
    else:
        spans = [draw(_disjoint_ranges(first, within)) for _ in values]
    answers = []
    for value, ranges in zip(values, spans, strict=True):
        schema_id = target.option_ids.get(feature.name, {}).get(value) if top else None
        answer: dict[str, Any] = {**draw(st.sampled_from(_refs(value, schema_id))), "frames": _frames_of(ranges)}
        nested: tuple[_Feature, ...] = feature.option_nested.get(value, ())
        answered: bool = bool(nested) and draw(st.booleans())
        if answered:
            chosen = draw(st.lists(st.sampled_from(nested), min_size=1, max_size=len(nested),
                                   unique_by=lambda f: f.name))
            answer["classifications"] = [{"name": f.name, "answer": draw(_temporal_answers(
                target, f, first, ranges, top=False))} for f in chosen]
        answers.append(answer)
    return answers


@st.composite
def _video_masks(draw: st.DrawFn, target: PredictionTarget) -> dict[str, Any]:
    """A VideoMaskAnnotation as NDVideoMasks writes it: masked frames, and a colour per raster feature."""
    frames = draw(st.lists(_frames, min_size=1, max_size=3, unique=True))
    rasters = [f for f in target.features if f.kind == RASTER]
    features = draw(st.lists(st.sampled_from(rasters), min_size=1, max_size=len(rasters), unique_by=lambda f: f.name))
    colors = draw(st.lists(st.tuples(*[st.integers(0, 255)] * 3), min_size=len(features), max_size=len(features),
                           unique=True))
    return {"frames": [{"index": index, **draw(st.sampled_from([
                {"instanceURI": f"https://storage.example.com/mask-{index}.png"}, {"imBytes": _PNG}]))}
                       for index in frames],
            "instances": [{**draw(st.sampled_from(_refs(f.name, target.feature_ids.get(f.name)))),
                           "colorRGB": list(color)} for f, color in zip(features, colors, strict=True)]}


@st.composite
def predictions(draw: st.DrawFn, target: PredictionTarget) -> dict[str, Any]:
    """One NDJSON prediction the mock accepts for `target`'s run and ontology, in its rows' media."""
    feature = draw(st.sampled_from(target.annotating))
    row: dict[str, Any] = {"uuid": str(draw(st.uuids())), "dataRow": draw(st.sampled_from(target.row_refs()))}
    row.update(draw(st.sampled_from(_refs(feature.name, target.feature_ids.get(feature.name)))))
    if draw(st.booleans()):
        row["confidence"] = draw(_confidences)
    takes = MEDIA_TAKES[target.media_type]
    if feature.geometry is not None:
        row["classifications"] = draw(_nested_answers(target, feature.nested)) if feature.nested else []
        form = _form(target.media_type, feature)
        assert form is not None  # `annotating` holds only the tools this media draws
        if form == SEGMENTS:  # the SDK writes a video object without a uuid: the import names it
            del row["uuid"]
            row[SEGMENTS] = draw(_segments(SEGMENT_TOOLS[feature.kind]))
        elif form == VIDEO_MASKS:  # one row of every masked frame; its instances name the features
            for key in ("name", "schemaId", "classifications"):
                row.pop(key, None)
            row[VIDEO_MASKS] = draw(_video_masks(target))
        elif form == TEXT_SELECTIONS:
            row[TEXT_SELECTIONS] = draw(_text_selections)
        else:
            row[form] = draw(_geometry(form))
            if "page" in takes:  # a document's box sits on a page
                row.update(page=draw(st.integers(1, 50)), unit=draw(st.sampled_from(RECTANGLE_UNITS)))
            if "messageId" in takes:  # a conversation's entity is in a message
                row["messageId"] = draw(_message_ids)
    elif TEMPORAL in takes and draw(st.booleans()):  # the SDK writes these without a uuid or a confidence
        row.pop("confidence", None)
        if draw(st.booleans()):
            del row["uuid"]
        row["answer"] = draw(_temporal_answers(target, feature, first_frame(target.media_type)))
    else:
        row.update(draw(_answer(target, feature)))
        if "frames" in takes and feature.kind != "text" and draw(st.booleans()):
            row["frames"] = draw(_frame_ranges)
        if "messageId" in takes and draw(st.booleans()):
            row["messageId"] = draw(_message_ids)
    return row


def _absent(taken: Any, base: str) -> str:
    """A name that is not in `taken`."""
    name = base
    while name in taken:
        name += "-x"
    return name


# Each breaker takes (row, target, draw), breaks one thing, and answers the field its FAILURE names.
def _no_uuid(row: dict[str, Any], _t: PredictionTarget, _d: Any) -> str:
    if SEGMENTS in row or is_temporal(row):  # may have none, which is right for these: an empty one is not
        row["uuid"] = None
    else:
        del row["uuid"]
    return "uuid"


def _bad_uuid(row: dict[str, Any], _t: PredictionTarget, draw: Any) -> str:
    row["uuid"] = draw(st.sampled_from([7, "", None, ["u"]]))
    return "uuid"


def _no_data_row(row: dict[str, Any], _t: PredictionTarget, _d: Any) -> str:
    del row["dataRow"]
    return "dataRow"


def _both_refs(row: dict[str, Any], target: PredictionTarget, _d: Any) -> str:
    row["dataRow"] = {"id": (target.data_row_ids or (_NO_ROW_ID,))[0],
                      "globalKey": (target.global_keys or ("gk",))[0]}
    return "dataRow"


def _unknown_key(row: dict[str, Any], target: PredictionTarget, _d: Any) -> str:
    row["dataRow"] = {"globalKey": _absent(set(target.global_keys) | set(target.outside_global_keys), "no-such-key")}
    return "dataRow.globalKey"


def _unknown_id(row: dict[str, Any], _t: PredictionTarget, _d: Any) -> str:
    row["dataRow"] = {"id": _NO_ROW_ID}
    return "dataRow.id"


def _outside_run(row: dict[str, Any], target: PredictionTarget, draw: Any) -> str:
    row["dataRow"] = {"globalKey": draw(st.sampled_from(target.outside_global_keys))}
    return "dataRow"


def _unknown_name(row: dict[str, Any], target: PredictionTarget, _d: Any) -> str:
    row.pop("schemaId", None)
    row["name"] = _absent({f.name for f in target.features}, "no-such-feature")
    return "name"


def _unknown_schema_id(row: dict[str, Any], _t: PredictionTarget, _d: Any) -> str:
    row.pop("name", None)
    row["schemaId"] = _NO_SCHEMA_ID
    return "schemaId"


def _no_feature(row: dict[str, Any], _t: PredictionTarget, _d: Any) -> str:
    if VIDEO_MASKS in row:  # its instances name its features
        instance = row[VIDEO_MASKS]["instances"][0]
        instance.pop("name", None)
        instance.pop("schemaId", None)
        return f"{VIDEO_MASKS}.instances[0].name"
    row.pop("name", None)
    row.pop("schemaId", None)
    return "name"


def _bad_confidence(row: dict[str, Any], _t: PredictionTarget, draw: Any) -> str:
    row["confidence"] = draw(st.sampled_from([1.5, -0.1, "0.5", True]))
    return "confidence"


def _foreign_geometry(row: dict[str, Any], target: PredictionTarget, draw: Any) -> str:
    own, media = target.feature(row).geometry, target.media_type
    # not a geometry this media takes only with another key (a document's box, a conversation's
    # location): its first problem would name the key it lacks
    other: str = draw(st.sampled_from([key for key in GEOMETRY_KEYS if key != own and (
        key not in MEDIA_TAKES[media] or key in STANDALONE_GEOMETRY[media])]))
    if "uuid" not in row:  # a video object without its segments is a plain row, which needs a uuid
        row["uuid"] = str(draw(st.uuids()))
    for key in (own, SEGMENTS, TEXT_SELECTIONS):
        row.pop(key, None)  # type: ignore[arg-type]
    row[other] = {"x": 1, "y": 1}
    return other


_BAD_GEOMETRY: dict[str, list[tuple[Any, str]]] = {
    "bbox": [({"top": 1, "left": 1, "height": 2, "width": -1}, "bbox.width"),
             ({"top": 1, "left": 1, "height": 2}, "bbox.width"), ([1, 2, 3, 4], "bbox")],
    "polygon": [([{"x": 1, "y": 1}, {"x": 2, "y": 2}], "polygon"),
                ([{"x": 1}, {"x": 2, "y": 2}, {"x": 3, "y": 1}], "polygon[0]")],
    "point": [({"x": 1}, "point"), ({"x": "1", "y": 2}, "point")],
    "line": [([{"x": 1, "y": 1}], "line"), ({"x": 1, "y": 1}, "line")],
    "mask": [({"instanceURI": "https://m.png", "colorRGB": [1, 2]}, "mask.colorRGB"),
             ({"png": "bm90IGEgcG5n"}, "mask.png"), ({}, "mask")],
    "location": [({"start": 5, "end": 2}, "location.end"), ({"start": -1, "end": 2}, "location")],
}


def _bad_value(row: dict[str, Any], target: PredictionTarget, draw: Any) -> str:
    feature = target.feature(row)
    if VIDEO_MASKS in row:
        row[VIDEO_MASKS]["frames"][0]["index"] = 0
        return f"{VIDEO_MASKS}.frames[0].index"
    if is_temporal(row):
        row["answer"][0]["frames"] = draw(st.sampled_from([[], [{"start": 5, "end": 2}]]))
        return "answer[0].frames"
    if TEXT_SELECTIONS in row:
        row[TEXT_SELECTIONS] = draw(st.sampled_from([[], [{"tokenIds": [], "groupId": "g", "page": 1}]]))
        return TEXT_SELECTIONS
    if SEGMENTS in row:  # a keyframe's geometry
        geometry = SEGMENT_TOOLS[feature.kind]
        value, path = draw(st.sampled_from(_BAD_GEOMETRY[geometry]))
        row[SEGMENTS][0]["keyframes"][0][geometry] = value
        return f"{SEGMENTS}[0].keyframes[0].{path}"
    if feature.geometry is not None:
        value, path = draw(st.sampled_from(_BAD_GEOMETRY[feature.geometry]))
        row[feature.geometry] = value
        return str(path)
    row.pop("answers", None)
    if feature.kind == "text":
        row["answer"] = draw(st.sampled_from([3, {"name": "x"}, ["x"]]))
        return "answer"
    first, missing = feature.options[0], _absent(feature.options, "no-such-option")
    choices: list[tuple[Any, str]]
    if feature.kind == "radio":
        choices = [({"name": missing}, "answer.name"), ([{"name": first}], "answer"),
                   ({"schemaId": _NO_SCHEMA_ID}, "answer.schemaId"),
                   ({"name": first, "confidence": 2}, "answer.confidence")]
    else:
        choices = [([], "answer"), ([{"name": missing}], "answer[0].name"),
                   ([{"name": first}, {"name": first}], "answer"), ({"name": first}, "answer")]
    row["answer"], path = draw(st.sampled_from(choices))
    return str(path)


def _nested_path(row: dict[str, Any]) -> tuple[list[dict[str, Any]], str] | None:
    """The first list of nested answers in a row, and its path: under the object, or under a chosen option."""
    if row.get("classifications"):
        return row["classifications"], "classifications"
    for key in ("answer", "answers"):
        answer = row.get(key)
        chosen = [(key, answer)] if isinstance(answer, dict) else (
            [(f"{key}[{i}]", a) for i, a in enumerate(answer)] if isinstance(answer, list) else [])
        for path, option in chosen:
            if isinstance(option, dict) and option.get("classifications"):
                return option["classifications"], f"{path}.classifications"
    return None


def _unknown_nested(row: dict[str, Any], target: PredictionTarget, draw: Any) -> str:
    """A nested answer naming a classification that is not nested there; rows without nesting lose their feature."""
    found = _nested_path(row)
    if found is None:
        return _unknown_name(row, target, draw)
    nested, path = found
    nested[0]["name"] = "no-such-nested-classification"
    return f"{path}[0].name"


_BREAKERS = [_unknown_nested, _no_uuid, _bad_uuid, _no_data_row, _both_refs, _unknown_key, _unknown_id, _unknown_name,
             _unknown_schema_id, _no_feature, _bad_confidence, _foreign_geometry, _bad_value]


@st.composite
def invalid_predictions(draw: st.DrawFn, target: PredictionTarget) -> tuple[dict[str, Any], str]:
    """A valid row with one thing broken, and the field its FAILURE status names (a message starts with it)."""
    row = draw(predictions(target))
    breakers = _BREAKERS + ([_outside_run] if target.outside_global_keys else [])
    breaker = draw(st.sampled_from(breakers))
    return row, breaker(row, target, draw)


@st.composite
def mixed_predictions(draw: st.DrawFn, target: PredictionTarget,
                      max_size: int = 12) -> list[tuple[dict[str, Any], str | None]]:
    """An import's rows, valid and broken, each with the field its failure names (None: it must succeed).

    Uuids are unique except where a later row deliberately reuses an earlier one,
    which must fail that row on `uuid`.
    """
    rows = draw(st.lists(st.one_of(predictions(target).map(lambda r: (r, None)), invalid_predictions(target)),
                         min_size=1, max_size=max_size))
    seen: set[str] = set()
    out: list[tuple[dict[str, Any], str | None]] = []
    for row, expected in rows:
        uuid = row.get("uuid")
        if isinstance(uuid, str) and uuid:
            while row["uuid"] in seen:  # drawn twice by chance; keep the expectation exact
                row["uuid"] += "-again"
            seen.add(row["uuid"])
        out.append((row, expected))
    if len(out) > 1 and draw(st.booleans()):
        earlier = next((r["uuid"] for r, _ in out[:-1] if isinstance(r.get("uuid"), str) and r["uuid"]), None)
        if earlier is not None:
            last, _ = out[-1]
            last["uuid"] = earlier
            out[-1] = (last, "uuid")
    return out
