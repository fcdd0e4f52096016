"""Imports into a project: ground-truth labels (createLabelImport) and pre-labels
(createModelAssistedLabelingPredictionImport), from a file or a URL, and each read by name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from graphql import GraphQLResolveInfo

from ...engines.label_imports import LABEL_IMPORT, MAL_IMPORT, start_label_import
from ...state.errors import InvalidInput
from .common import ctx
from .prediction_imports import _import, _observed, _uploaded_bytes


def _create(kind: str) -> Callable[..., dict[str, Any]]:
    def create(_root: Any, info: GraphQLResolveInfo, data: dict[str, Any]) -> dict[str, Any]:
        return _create_import(info, data, kind)
    return create


def _read(kind: str) -> Callable[..., dict[str, Any]]:
    def read(_root: Any, info: GraphQLResolveInfo, where: dict[str, Any]) -> dict[str, Any]:
        c = ctx(info)
        return _observed(c, c.org.annotation_import(kind, where["projectId"], where["name"]))
    return read


def _create_import(info: GraphQLResolveInfo, data: dict[str, Any], kind: str) -> dict[str, Any]:
    c = ctx(info)
    url, payload, text = data.get("fileUrl"), data.get("filePayload"), None
    if payload is not None:
        try:
            text = _uploaded_bytes(payload["file"], "filePayload.file").decode("utf-8")
        except UnicodeDecodeError as error:
            raise InvalidInput(f"the uploaded file is not UTF-8 NDJSON: {error}") from None
    elif url is not None and urlsplit(url).scheme not in ("http", "https"):
        raise InvalidInput(f"fileUrl must be an http(s) URL, got {url!r}")
    record = start_label_import(c.org, c.ids, c.clock, c.tasks, c.files, data["projectId"], data["name"], url, text,
                                kind)
    return _import(c, record)


RESOLVERS = {
    "Query": {"labelImport": _read(LABEL_IMPORT), "modelAssistedLabelingPredictionImport": _read(MAL_IMPORT)},
    "Mutation": {"createLabelImport": _create(LABEL_IMPORT),
                 "createModelAssistedLabelingPredictionImport": _create(MAL_IMPORT)},
}
