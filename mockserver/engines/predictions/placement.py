"""Where an annotation sits in its media, as the SDK's NDJSON writes it for each media type.

The rest of the prediction validator checks what an annotation is (its feature, its
geometry or answer); this module checks where it is: video frame ranges and keyframe segments,
a conversation's message, a document's page and text selections. Each check appends
`path: message` problems, as the validator's do.

- Video classifications carry `frames` [{start, end}]; video objects come as `segments`
  [{keyframes: [{frame, <geometry>, classifications}]}] in place of one geometry, and the SDK
  writes those rows without a uuid (the import gives them one).
- Temporal classifications (video and audio) carry their frame ranges in each answer instead:
  `answer: [{name | value, frames, classifications}]` (`temporal.py` checks them), also without a
  uuid. Audio frames are milliseconds, from 0; video frames are frame numbers, from 1.
- Video masks: `masks` {frames, instances} in place of a feature name (`masks.py`).
- Conversations: `messageId` on classifications and on text entities.
- Documents (PDF): a named entity's `textSelections` [{tokenIds, groupId, page}] in place of a
  location; a bounding box's `page` and `unit`. Pages count from 1, as the SDK's
  DocumentTextSelection requires and exports show.

Which of these forms, and which plain geometries, a row may carry depends on its data row's media
type (`MEDIA_TAKES`, the one table of that rule; the fast path and the hypothesis strategies read it
too): the SDK's serializers write each form for one kind of media only (NDSegments and frame ranges
for video, NDDocumentRectangle and NDDocumentEntity for documents, NDConversationEntity and
messageId for conversations, NDTextEntity for text). Media the SDK gives no object annotations
(audio, HTML, LLM rows, point clouds) take classifications only.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Callable
from typing import Any

from .geometry import GEOMETRY_CHECKS
from .values import short

SEGMENTS = "segments"
TEXT_SELECTIONS = "textSelections"
VIDEO_MASKS = "masks"
# not a key of the row: its answers' own frame ranges (a temporal classification, `temporal.py`)
TEMPORAL = "answer[].frames"
# the tool kinds whose objects a video draws as keyframe segments, and the key of each keyframe's geometry
SEGMENT_TOOLS = {"rectangle": "bbox", "point": "point", "line": "line"}
RECTANGLE_UNITS = ("INCHES", "PIXELS", "POINTS", "PERCENT")

_DRAWN = frozenset({"bbox", "polygon", "point", "line"})
# What a row on each media type may carry, of the keys in MEDIA_KEYS, by the data row's media type
# (Labelbox's two names for documents and tiled maps alike). Anything not listed is refused there.
_GROUPS: tuple[tuple[tuple[str, ...], frozenset[str]], ...] = (
    (("IMAGE",), _DRAWN | {"mask"}),
    (("VIDEO",), frozenset({SEGMENTS, "frames", TEMPORAL, VIDEO_MASKS})),
    (("TEXT",), frozenset({"location"})),
    (("PDF", "DOCUMENT"), frozenset({"bbox", "page", "unit", TEXT_SELECTIONS})),
    (("CONVERSATIONAL",), frozenset({"location", "messageId"})),
    (("TMS_GEO", "GEOSPATIAL_TILE", "TMS_SIMPLE"), _DRAWN),
    (("AUDIO",), frozenset({TEMPORAL})),
    (("HTML",), frozenset()),
    (("LLM", "LLM_PROMPT_RESPONSE_CREATION"), frozenset()),
    (("POINT_CLOUD",), frozenset()),
)
MEDIA_TAKES: dict[str, frozenset[str]] = {media: takes for names, takes in _GROUPS for media in names}
# the keys the table rules on, in the order a row's problems name them
MEDIA_KEYS = ("bbox", "polygon", "point", "line", "mask", "location", SEGMENTS, VIDEO_MASKS, TEXT_SELECTIONS,
              "frames", TEMPORAL, "messageId", "page", "unit")
# what each key is, for messages
_WHAT = {"bbox": "bounding box", "polygon": "polygon", "point": "point", "line": "polyline",
         "mask": "segmentation mask", "location": "text location (start, end)", SEGMENTS: "keyframe segments",
         TEXT_SELECTIONS: "text selections", "frames": "frame ranges", "messageId": "conversation message",
         "page": "document page", "unit": "page unit", VIDEO_MASKS: "video masks",
         TEMPORAL: "frame ranges in answers (a temporal classification)"}
# a key a row carries on a media type that needs another key with it: (media group's first name, key) -> needed
_NEEDS = {("PDF", "bbox"): ("page", "unit"), ("CONVERSATIONAL", "location"): ("messageId",)}
# a key that only places another one: a page and unit belong to a document's bounding box
_ONLY_WITH = {("PDF", "page"): "bbox", ("PDF", "unit"): "bbox"}
_GROUP_OF = {media: names[0] for names, _ in _GROUPS for media in names}
# the geometries a row of only uuid, dataRow, name and that geometry may carry, per media type (the fast path's)
STANDALONE_GEOMETRY: dict[str, frozenset[str]] = {
    media: frozenset(key for key in takes if key in _DRAWN | {"mask", "location"}
                     and (_GROUP_OF[media], key) not in _NEEDS)
    for media, takes in MEDIA_TAKES.items()}


# the first frame a range may start at, by media type: audio ranges are milliseconds from the start
_FIRST_FRAME = {"AUDIO": 0}
_FRAME_UNIT = {0: "milliseconds, from 0", 1: "frame numbers, from 1"}


def first_frame(media_type: str | None) -> int:
    return _FIRST_FRAME.get(media_type, 1) if media_type is not None else 1


def is_temporal(row: dict[str, Any]) -> bool:
    """A classification whose answers carry their own frame ranges, as the SDK writes temporal ones."""
    answer = row.get("answer")
    return type(answer) is list and any(type(item) is dict and "frames" in item for item in answer)


def media_keys_of(row: dict[str, Any]) -> list[str]:
    """The keys of MEDIA_KEYS a row has, in that order (TEMPORAL when its answers carry frames)."""
    return [key for key in MEDIA_KEYS if (is_temporal(row) if key == TEMPORAL else key in row)]


def placed_geometry(kind: str, row: dict[str, Any]) -> str | None:
    """The key of the media-specific form a tool row uses in place of its geometry, if any."""
    if SEGMENTS in row and kind in SEGMENT_TOOLS:
        return SEGMENTS
    if TEXT_SELECTIONS in row and kind == "named-entity":
        return TEXT_SELECTIONS
    return None


def uuid_is_given_by_import(row: dict[str, Any]) -> bool:
    """A video object or a temporal classification as the SDK writes it, without a uuid: the import names it."""
    return "uuid" not in row and (SEGMENTS in row or is_temporal(row))


def generated_uuid(row_id: str, row: dict[str, Any]) -> str:
    """A stable uuid for a row that came without one: the same row on the same data row gets the same one."""
    digest = hashlib.sha256(f"{row_id}:{json.dumps(row, sort_keys=True, default=str)}".encode()).hexdigest()
    return f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"


def check_placement(row: dict[str, Any], media_type: str | None, problems: list[str]) -> None:
    """What the row's media type takes (None: its data row is unknown), then frames, messageId, page and
    unit, wherever a row carries them."""
    takes = MEDIA_TAKES.get(media_type) if media_type is not None else None
    if takes is not None:
        _check_media(row, media_type, takes, problems)  # type: ignore[arg-type]
    if "frames" in row:
        check_frame_ranges(row["frames"], "frames", first_frame(media_type), problems)
    if "messageId" in row:
        message_id = row["messageId"]
        if not isinstance(message_id, str) or not message_id:
            problems.append(f"messageId: must be a non-empty string (a message of the conversation), "
                            f"got {short(message_id)}")
    if "page" in row:
        _check_page(row["page"], "page", problems)
    if "unit" in row and row["unit"] not in RECTANGLE_UNITS:
        problems.append(f"unit: must be one of {', '.join(RECTANGLE_UNITS)}, got {short(row['unit'])}")


def _check_media(row: dict[str, Any], media_type: str, takes: frozenset[str], problems: list[str]) -> None:
    group = _GROUP_OF[media_type]
    for key in media_keys_of(row):
        if key not in takes:
            where = [names[0] for names, keys in _GROUPS if key in keys]
            problems.append(f"{key}: the data row is {media_type}, which takes no {_WHAT[key]} "
                            f"({key} is for {', '.join(where)} data rows){_hint(group, key)}")
            continue
        owner = _ONLY_WITH.get((group, key))
        if owner is not None and owner not in row:
            problems.append(f"{key}: on a {media_type} data row, the {_WHAT[key]} places a {_WHAT[owner]} "
                            f"({owner}); this row has none")
            continue
        missing = [needed for needed in _NEEDS.get((group, key), ()) if needed not in row]
        if missing:
            problems.append(f"{missing[0]}: a {_WHAT[key]} on a {media_type} data row needs "
                            f"{' and '.join(_NEEDS[group, key])}")


def _hint(group: str, key: str) -> str:
    """Where the SDK writes this annotation on this media instead, if it does."""
    if group == "VIDEO" and key in SEGMENT_TOOLS.values():
        return f"; a video's objects are keyframe segments ({SEGMENTS}: [{{keyframes: [{{frame, {key}}}]}}])"
    if group == "PDF" and key == "location":
        return f"; a document's entities are {TEXT_SELECTIONS}"
    return ""


def check_frame_ranges(frames: Any, path: str, first: int, problems: list[str],
                       disjoint: bool = False) -> list[tuple[int, int]] | None:
    """[{start, end}] with first <= start <= end; `disjoint`: no two ranges share a frame. The ranges, if valid."""
    if type(frames) is not list or not frames:
        problems.append(f"{path}: must be a non-empty list of {{start, end}} frame ranges, got {short(frames)}")
        return None
    spans: list[tuple[int, int]] = []
    for index, span in enumerate(frames):
        start, end = (span.get("start"), span.get("end")) if type(span) is dict else (None, None)
        if type(start) is not int or type(end) is not int or start < first:
            problems.append(f"{path}[{index}]: start and end are {_FRAME_UNIT[first]}, got {short(span)}")
            return None
        if end < start:
            problems.append(f"{path}[{index}].end: must not be before start, got start {start} and end {end}")
            return None
        spans.append((start, end))
    if disjoint:
        ordered = sorted(range(len(spans)), key=spans.__getitem__)
        for before, after in itertools.pairwise(ordered):
            if spans[after][0] <= spans[before][1]:
                problems.append(f"{path}[{after}]: overlaps {path}[{before}] "
                                f"({spans[after][0]}-{spans[after][1]} and {spans[before][0]}-{spans[before][1]}); "
                                "one answer's ranges are disjoint")
                return None
    return spans


def _check_page(page: Any, path: str, problems: list[str]) -> None:
    if type(page) is not int or page < 1:
        problems.append(f"{path}: must be a page number (from 1), got {short(page)}")


def check_placed_geometry(key: str, kind: str, value: Any, problems: list[str]) -> None:
    """The media-specific form `key` (from `placed_geometry`) of a `kind` tool's geometry."""
    if key == SEGMENTS:
        _check_segments(value, SEGMENT_TOOLS[kind], GEOMETRY_CHECKS[SEGMENT_TOOLS[kind]], problems)
    else:
        _check_text_selections(value, problems)


def _check_segments(segments: Any, geometry_key: str, check: Callable[[Any], str | None],
                    problems: list[str]) -> None:
    if type(segments) is not list or not segments:
        problems.append(f"segments: must be a non-empty list of {{keyframes}}, got {short(segments)}")
        return
    seen: set[int] = set()
    for index, segment in enumerate(segments):
        keyframes = segment.get("keyframes") if type(segment) is dict else None
        if type(keyframes) is not list or not keyframes:
            problems.append(f"segments[{index}].keyframes: must be a non-empty list of keyframes, "
                            f"got {short(keyframes)}")
            return
        for position, keyframe in enumerate(keyframes):
            path = f"segments[{index}].keyframes[{position}]"
            if type(keyframe) is not dict:
                problems.append(f"{path}: a keyframe is an object with frame and {geometry_key}, got {short(keyframe)}")
                return
            frame = keyframe.get("frame")
            if type(frame) is not int or frame < 1:
                problems.append(f"{path}.frame: must be a frame number (from 1), got {short(frame)}")
                return
            if frame in seen:
                problems.append(f"{path}.frame: frame {frame} has a keyframe already; an object has one per frame")
                return
            seen.add(frame)
            geometry = keyframe.get(geometry_key)
            message = (f": a keyframe of this tool needs {geometry_key}" if geometry is None else check(geometry))
            if message is not None:
                problems.append(f"{path}.{geometry_key}{message}")
                return


def _check_text_selections(selections: Any, problems: list[str]) -> None:
    if type(selections) is not list or not selections:
        problems.append(f"textSelections: must be a non-empty list of {{tokenIds, groupId, page}}, "
                        f"got {short(selections)}")
        return
    for index, selection in enumerate(selections):
        path = f"textSelections[{index}]"
        if type(selection) is not dict:
            problems.append(f"{path}: must be an object with tokenIds, groupId and page, got {short(selection)}")
            return
        tokens = selection.get("tokenIds")
        if type(tokens) is not list or not tokens or not all(isinstance(t, str) and t for t in tokens):
            problems.append(f"{path}.tokenIds: must be a non-empty list of token ids, got {short(tokens)}")
            return
        group = selection.get("groupId")
        if not isinstance(group, str) or not group:
            problems.append(f"{path}.groupId: must be a non-empty string, got {short(group)}")
            return
        _check_page(selection.get("page"), f"{path}.page", problems)
