"""A video's segmentation masks, as the SDK's NDVideoMasks writes a VideoMaskAnnotation:

    {"uuid", "dataRow", "masks": {"frames": [{"index", "instanceURI" | "imBytes"}],
                                  "instances": [{"name" | "schemaId", "colorRGB"}]}}

One row holds every masked frame of the video and every feature drawn in them: the features are
named by the instances (each a raster-segmentation tool of the ontology, by its colour in the
frames' images), not by the row, which has no name. A frame's image is a URL or a base64 PNG.
"""

from __future__ import annotations

from typing import Any

from .features import FeatureIndex
from .geometry import is_base64_png, is_color
from .values import short

RASTER = "raster-segmentation"


def check_video_masks(features: FeatureIndex, row: dict[str, Any], problems: list[str]) -> dict[str, Any] | None:
    """Checks `masks`; returns it with each instance's name and schemaId filled in when it is valid."""
    for key in ("name", "schemaId"):
        if key in row:
            problems.append(f"{key}: a video mask row names its features in masks.instances, not beside them")
            break
    masks = row["masks"]
    if type(masks) is not dict:
        problems.append(f"masks: must be an object with frames and instances, got {short(masks)}")
        return None
    frames_ok = _check_frames(masks.get("frames"), problems)
    instances = _check_instances(features, masks.get("instances"), problems)
    return {**masks, "instances": instances} if frames_ok and instances is not None else None


def _check_frames(frames: Any, problems: list[str]) -> bool:
    if type(frames) is not list or not frames:
        problems.append(f"masks.frames: must be a non-empty list of {{index, instanceURI or imBytes}}, "
                        f"got {short(frames)}")
        return False
    seen: set[int] = set()
    for position, frame in enumerate(frames):
        path = f"masks.frames[{position}]"
        if type(frame) is not dict:
            problems.append(f"{path}: a masked frame is {{index, instanceURI or imBytes}}, got {short(frame)}")
            return False
        index = frame.get("index")
        if type(index) is not int or index < 1:
            problems.append(f"{path}.index: must be a frame number (from 1), got {short(index)}")
            return False
        if index in seen:
            problems.append(f"{path}.index: frame {index} is masked already; one image holds a frame's masks")
            return False
        seen.add(index)
        uri, data = frame.get("instanceURI"), frame.get("imBytes")
        if (uri is None) == (data is None):
            problems.append(f"{path}: give exactly one of instanceURI or imBytes")
            return False
        if uri is not None and (not isinstance(uri, str) or not uri.startswith(("https://", "http://"))):
            problems.append(f"{path}.instanceURI: must be a URL, got {short(uri)}")
            return False
        if data is not None and not is_base64_png(data):
            problems.append(f"{path}.imBytes: must be a base64-encoded PNG image")
            return False
    return True


def _check_instances(features: FeatureIndex, instances: Any, problems: list[str]) -> list[dict[str, Any]] | None:
    if type(instances) is not list or not instances:
        problems.append(f"masks.instances: must be a non-empty list of {{name or schemaId, colorRGB}}, "
                        f"got {short(instances)}")
        return None
    out: list[dict[str, Any]] = []
    colors: dict[tuple[int, ...], int] = {}
    for position, instance in enumerate(instances):
        path = f"masks.instances[{position}]"
        if type(instance) is not dict:
            problems.append(f"{path}: an instance is {{name or schemaId, colorRGB}}, got {short(instance)}")
            return None
        feature = features.resolve(instance.get("name"), instance.get("schemaId"))
        if isinstance(feature, str):
            problems.append(f"{path}.{feature}")
            return None
        if feature.kind != RASTER:
            problems.append(f"{path}.name: feature {feature.name!r} is a {feature.kind}, not a {RASTER} tool")
            return None
        color: Any = instance.get("colorRGB")
        if not is_color(color):
            problems.append(f"{path}.colorRGB: must be three integers within [0, 255], got {short(color)}")
            return None
        if tuple(color) in colors:
            problems.append(f"{path}.colorRGB: {color} is masks.instances[{colors[tuple(color)]}]'s colour already; "
                            "each instance is one colour of the frames' images")
            return None
        colors[tuple(color)] = position
        out.append({**instance, "name": feature.name, "schemaId": feature.schema_id})
    return out
