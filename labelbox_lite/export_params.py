"""ModelRunExportParams: what a model-run export includes, and how it goes on the wire."""

from __future__ import annotations

import warnings
from enum import Enum
from typing import Any, TypedDict

# params key -> ModelRunExportParamsInput field; every flag defaults to False
FLAGS = {
    "attachments": "includeAttachments",
    "embeddings": "includeEmbeddings",
    "metadata_fields": "includeMetadata",
    "data_row_details": "includeDataRowDetails",
    "predictions": "includePredictions",
    "model_run_details": "includeModelRunDetails",
}
# Accepted for scripts written against the Labelbox SDK, which documents it; it has no
# wire field because every model-run export row carries its media attributes.
ALWAYS_INCLUDED = frozenset({"media_attributes"})
MEDIA_TYPES = frozenset({
    "AUDIO", "CONVERSATIONAL", "DOCUMENT", "GEOSPATIAL_TILE", "HTML", "IMAGE", "LLM", "LLM_PROMPT_RESPONSE_CREATION",
    "PDF", "POINT_CLOUD", "TEXT", "TMS_GEO", "TMS_SIMPLE", "UNKNOWN", "UNSUPPORTED", "VIDEO",
})
KNOWN_KEYS = frozenset(FLAGS) | ALWAYS_INCLUDED | {"media_type_override"}


class ModelRunExportParams(TypedDict, total=False):
    """What `ModelRun.export` includes in each row, beyond the data row, media attributes and labels."""

    data_row_details: bool | None
    metadata_fields: bool | None
    attachments: bool | None
    embeddings: bool | None
    media_type_override: Any  # a MediaType name ("IMAGE") or an enum whose value is one
    predictions: bool | None
    model_run_details: bool | None
    media_attributes: bool | None


class UnknownExportParamWarning(UserWarning):
    """An export params key that labelbox_lite does not know was given; it was not sent."""


def model_run_export_input(run_id: str, task_name: str | None, params: ModelRunExportParams | None,
                           streamable: bool, *, stacklevel: int) -> dict[str, Any]:
    """The `input` of exportDataRowsInModelRun.

    Raises ValueError for a value of the wrong kind, before anything is sent;
    warns (at `stacklevel`, the caller's line) about every unknown key.
    """
    given: dict[str, Any] = dict(params or {})
    unknown = sorted(set(given) - KNOWN_KEYS, key=str)
    if unknown:
        plural = "s" if len(unknown) > 1 else ""
        warnings.warn(
            f"unknown model-run export params key{plural} {', '.join(repr(key) for key in unknown)}: not sent; "
            f"known keys: {', '.join(sorted(KNOWN_KEYS))}",
            UnknownExportParamWarning,
            stacklevel=stacklevel + 1,
        )
    wire: dict[str, Any] = {"mediaTypeOverride": _media_type(given.get("media_type_override"))}
    for key, field in FLAGS.items():
        wire[field] = _flag(key, given.get(key))
    _flag("media_attributes", given.get("media_attributes"))
    return {
        "taskName": task_name,
        "filters": {"modelRunId": run_id},
        "isStreamableReady": True,
        "params": wire,
        "streamable": streamable,
    }


def _flag(key: str, value: Any) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        raise ValueError(f"export param {key!r} must be True, False or None, got {value!r}")
    return value


def _media_type(value: Any) -> str | None:
    if value is None:
        return None
    name = value.value if isinstance(value, Enum) else value
    if not isinstance(name, str) or name.upper() not in MEDIA_TYPES:
        raise ValueError(f"export param 'media_type_override' must be one of {', '.join(sorted(MEDIA_TYPES))}; "
                         f"got {value!r}")
    return name.upper()
