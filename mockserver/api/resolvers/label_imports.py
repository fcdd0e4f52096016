"""Ground-truth label imports: createLabelImport (a file or a URL) and labelImport by name."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from graphql import GraphQLResolveInfo

from ...engines.label_imports import LABEL_IMPORT, start_label_import
from ...state.errors import InvalidInput
from .common import ctx
from .prediction_imports import _import, _observed, _uploaded_bytes


def create_label_import(_root: Any, info: GraphQLResolveInfo, data: dict[str, Any]) -> dict[str, Any]:
    c = ctx(info)
    url, payload, text = data.get("fileUrl"), data.get("filePayload"), None
    if payload is not None:
        try:
            text = _uploaded_bytes(payload["file"], "filePayload.file").decode("utf-8")
        except UnicodeDecodeError as error:
            raise InvalidInput(f"the uploaded file is not UTF-8 NDJSON: {error}") from None
    elif url is not None and urlsplit(url).scheme not in ("http", "https"):
        raise InvalidInput(f"fileUrl must be an http(s) URL, got {url!r}")
    record = start_label_import(c.org, c.ids, c.clock, c.tasks, c.files, data["projectId"], data["name"], url, text)
    return _import(c, record)


def resolve_label_import(_root: Any, info: GraphQLResolveInfo, where: dict[str, Any]) -> dict[str, Any]:
    c = ctx(info)
    return _observed(c, c.org.annotation_import(LABEL_IMPORT, where["projectId"], where["name"]))


RESOLVERS = {
    "Query": {"labelImport": resolve_label_import},
    "Mutation": {"createLabelImport": create_label_import},
}
