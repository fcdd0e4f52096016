"""Imports into a project: ground-truth labels (createLabelImport) and pre-labels
(createModelAssistedLabelingPredictionImport), from a file or a URL, each read by name, listed by
project, and (pre-labels) deleted."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import GraphQLResolveInfo

from ...engines.label_imports import LABEL_IMPORT, MAL_IMPORT, delete_mal_import, project_imports, start_label_import
from ...engines.prediction_imports import read_import
from . import shapes
from .common import ctx, uploaded_bytes


def _create(kind: str) -> Callable[..., dict[str, Any]]:
    def create(_root: Any, info: GraphQLResolveInfo, data: dict[str, Any]) -> dict[str, Any]:
        c = ctx(info)
        payload = data.get("filePayload")
        content = uploaded_bytes(payload["file"], "filePayload.file") if payload is not None else None
        record = start_label_import(c.tasks, c.files, c.org, c.base_url, kind, data["projectId"], data["name"],
                                    data.get("fileUrl"), content)
        return shapes.annotation_import(c.org, record)
    return create


def _read(kind: str) -> Callable[..., dict[str, Any]]:
    def read(_root: Any, info: GraphQLResolveInfo, where: dict[str, Any]) -> dict[str, Any]:
        c = ctx(info)
        record = read_import(c.tasks, c.files, c.org, c.base_url, kind, where["projectId"], where["name"])
        return shapes.annotation_import(c.org, record)
    return read


def _list(kind: str) -> Callable[..., list[dict[str, Any]]]:
    def list_(_root: Any, info: GraphQLResolveInfo, where: dict[str, Any], skip: int | None = None,
              first: int | None = None) -> list[dict[str, Any]]:
        c = ctx(info)
        records = project_imports(c.tasks, c.files, c.org, c.base_url, kind, where["projectId"], skip, first)
        return [shapes.annotation_import(c.org, record) for record in records]
    return list_


def delete_mal(_root: Any, info: GraphQLResolveInfo, where: dict[str, Any]) -> dict[str, Any]:
    c = ctx(info)
    record = delete_mal_import(c.org, where["id"])
    return shapes.annotation_import(c.org, record)


RESOLVERS = {
    "Query": {"labelImport": _read(LABEL_IMPORT), "modelAssistedLabelingPredictionImport": _read(MAL_IMPORT),
              "labelImports": _list(LABEL_IMPORT), "modelAssistedLabelingPredictionImports": _list(MAL_IMPORT)},
    "Mutation": {"createLabelImport": _create(LABEL_IMPORT),
                 "createModelAssistedLabelingPredictionImport": _create(MAL_IMPORT),
                 "deleteModelAssistedLabelingPredictionImport": delete_mal},
}
