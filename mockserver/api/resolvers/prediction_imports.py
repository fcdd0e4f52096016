"""Prediction imports (MEA, and MEA to MAL) and file uploads.

An import is a task of kind `prediction-import` (or `mal-import`), so the
configured transition decides when it runs and whether it fails. Starting and
reading one is engines/prediction_imports.py's; this module reads the
arguments and shapes the record it answers.
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLResolveInfo

from ...engines import prediction_imports as imports
from . import shapes
from .common import ctx, uploaded_bytes


def create_mea_import(_root: Any, info: GraphQLResolveInfo, data: dict[str, Any]) -> dict[str, Any]:
    c = ctx(info)
    payload = data.get("filePayload")
    content = uploaded_bytes(payload["file"], "filePayload.file") if payload is not None else None
    record = imports.start_mea_import(c.tasks, c.files, c.org, c.base_url, data["modelRunId"], data["name"],
                                      data.get("fileUrl"), content, c.store.policies)
    return shapes.annotation_import(c.org, record)


def resolve_mea_import(_root: Any, info: GraphQLResolveInfo, where: dict[str, Any]) -> dict[str, Any]:
    c = ctx(info)
    record = imports.read_import(c.tasks, c.files, c.org, c.base_url, "mea", where["modelRunId"], where["name"])
    return shapes.annotation_import(c.org, record)


def create_mal_import(_root: Any, info: GraphQLResolveInfo, data: dict[str, Any]) -> dict[str, Any]:
    c = ctx(info)
    record = imports.start_mal_import(c.tasks, c.files, c.org, c.base_url, data["modelRunId"], data["projectId"],
                                      data["name"], list(data["dataRowIds"]))
    return shapes.annotation_import(c.org, record)


def resolve_mal_import(_root: Any, info: GraphQLResolveInfo, where: dict[str, Any]) -> dict[str, Any]:
    c = ctx(info)
    record = imports.read_import(c.tasks, c.files, c.org, c.base_url, "mal", where["projectId"], where["name"])
    return shapes.annotation_import(c.org, record)


def upload_file(_root: Any, info: GraphQLResolveInfo, file: Any, contentLength: int,
                sign: bool | None = None) -> dict[str, Any]:
    c = ctx(info)
    content = uploaded_bytes(file, "file")
    filename = getattr(file, "filename", None) or "upload"
    content_type = getattr(file, "content_type", None) or "application/octet-stream"
    return {"url": c.files.sign(c.base_url, content, content_type), "filename": filename}


RESOLVERS = {
    "Query": {
        "modelErrorAnalysisPredictionImport": resolve_mea_import,
        "meaToMalPredictionImport": resolve_mal_import,
    },
    "Mutation": {
        "createModelErrorAnalysisPredictionImport": create_mea_import,
        "createMalPredictionImportForModelRunDataRows": create_mal_import,
        "uploadFile": upload_file,
    },
}
