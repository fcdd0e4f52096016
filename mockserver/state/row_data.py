"""What a data row's `row_data` may be, for the media type it is given (or the one its content shows).

A URL (or inline text) is taken as it is: the mock fetches nothing, so it cannot see what a URL
holds. A JSON object (or JSON text of one) is an asset of its own kind, recognised by its keys:
a PDF with its text layer (`pdfUrl`), a conversation (`messages`, or Labelbox's conversational
`type`), a tiled map (`tileLayerUrl`). Labelbox refuses an object under a media type that does
not take it, with the words below (the SDK's tests compare them). A PDF object becomes its PDF's
URL, with the text layer kept in the row's media attributes, as Labelbox processes it.
A private-bucket URL (`gs://`) makes a row whose processing fails (state/media.py), as Labelbox
creates it and then cannot read it.
"""

from __future__ import annotations

import json
from typing import Any

# The media types a data row may be given: the SDK's MediaType values (less UNKNOWN and UNSUPPORTED)
# and the names Labelbox's catalog also uses for them.
DATA_ROW_MEDIA_TYPES = (
    "AUDIO", "CONVERSATIONAL", "DOCUMENT", "GEOSPATIAL_TILE", "HTML", "IMAGE", "LLM", "LLM_PROMPT_RESPONSE_CREATION",
    "PDF", "POINT_CLOUD", "TEXT", "TMS_GEO", "TMS_SIMPLE", "VIDEO",
)
# What each kind of JSON object may be given as (None: no media type given)
_JSON_KINDS = {
    "pdf": (None, "PDF", "DOCUMENT"),
    "conversational": (None, "CONVERSATIONAL"),
    "tiles": (None, "TMS_GEO", "GEOSPATIAL_TILE", "TMS_SIMPLE"),
    "json": (None, "LLM", "LLM_PROMPT_RESPONSE_CREATION", "POINT_CLOUD"),
}
_DEFAULT_MEDIA = {"pdf": "PDF", "conversational": "CONVERSATIONAL", "tiles": "TMS_GEO"}
# the content type a media type expects, as Labelbox names it when the content is something else
_EXPECTED_MIME = {"IMAGE": "image/*", "VIDEO": "video/*", "AUDIO": "audio/*", "TEXT": "text/*", "HTML": "text/html",
                  "PDF": "application/pdf", "DOCUMENT": "application/pdf"}
_MIME = {"IMAGE": "image/jpeg", "VIDEO": "video/mp4", "TEXT": "text/plain", "HTML": "text/html",
         "AUDIO": "audio/mpeg", "DOCUMENT": "application/pdf", "PDF": "application/pdf",
         "CONVERSATIONAL": "application/vnd.labelbox.conversational"}
CONVERSATIONAL_TYPE = "application/vnd.labelbox.conversational"


def default_media_attributes(media_type: str) -> dict[str, Any]:
    """What Labelbox reports for an asset it has processed; seeds may give their own."""
    return {"mimeType": _MIME.get(media_type, "application/octet-stream")}


def _kind(obj: dict[str, Any]) -> str:
    if isinstance(obj.get("pdfUrl", obj.get("pdf_url")), str):
        return "pdf"
    kind = obj.get("type")
    if "messages" in obj or (isinstance(kind, str) and kind.startswith(CONVERSATIONAL_TYPE)):
        return "conversational"
    if "tileLayerUrl" in obj:
        return "tiles"
    return "json"


def _as_object(row_data: Any) -> dict[str, Any] | None:
    if isinstance(row_data, dict):
        return row_data
    if isinstance(row_data, str) and row_data.lstrip().startswith("{"):
        try:
            parsed = json.loads(row_data)
        except ValueError:
            return None
        return parsed if isinstance(parsed, dict) else None
    return None


def check_row_data(row_data: Any, media_type: str | None,
                   ) -> str | tuple[str, str | None, dict[str, Any] | None]:
    """(row data as stored, its media type or None if it cannot tell, media attributes or None), or why it is
    refused."""
    obj = _as_object(row_data)
    if obj is not None:
        kind = _kind(obj)
        if media_type not in _JSON_KINDS[kind]:
            assert media_type is not None  # every kind takes no media type
            expected = _EXPECTED_MIME.get(media_type)
            if expected is not None:
                return f"Expected type {expected}, detected: application/json"
            return f"Found invalid contents for media type: '{media_type}'"
        chosen = media_type or _DEFAULT_MEDIA.get(kind)
        if kind == "pdf":
            attributes = {"mimeType": "application/pdf"}
            for key in ("textLayerUrl", "text_layer_url", "tileLayerUrl"):
                if isinstance(obj.get(key), str):
                    attributes[key] = obj[key]
            return str(obj.get("pdfUrl", obj.get("pdf_url"))), chosen, attributes
        return json.dumps(obj), chosen, default_media_attributes(chosen) if chosen else None
    if not isinstance(row_data, str) or not row_data.strip():
        return f"row_data: must be a non-empty string or object, got {row_data!r}"
    return row_data, media_type, None
