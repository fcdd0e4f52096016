"""Exports: the model-run export mutation, the stream fields of Task, and the v1 labels export."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from graphql import GraphQLResolveInfo

from ...engines.export import ChunkSpan
from ..context import RequestContext
from .common import ctx

if TYPE_CHECKING:  # loaded by the first export (engines/export.py says why)
    from ...engines.ndjson_stream import NdjsonStream

NDJSON_CONTENT_TYPE = "application/x-ndjson; charset=utf-8"


def export_data_rows_in_model_run(_root: Any, info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
    c = ctx(info)
    from ...engines.export_snapshot import ExportParams

    request = args["input"]
    params = ExportParams.from_input(request.get("params"))
    task = c.exports.export_model_run(c.org, request["filters"]["modelRunId"], request.get("taskName"), params)
    # every export streams; `streamable` only chose what the SDK returns
    return {"taskId": task.id, "isStreamable": True}


def export_data_rows_in_project(_root: Any, info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
    c = ctx(info)
    return {"taskId": c.exports.export_project(c.org, args["input"]).id, "isStreamable": True}


def export_data_rows_in_catalog(_root: Any, info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
    c = ctx(info)
    return {"taskId": c.exports.export_catalog(c.org, args["input"]).id, "isStreamable": True}


def export_model_run_annotations(_root: Any, info: GraphQLResolveInfo, data: dict[str, Any]) -> dict[str, Any]:
    c = ctx(info)
    task, stream = c.exports.export_labels(c.org, data["modelRunId"])
    url = _sign(c, stream, 0, stream.size - 1) if stream is not None else None
    return {"downloadUrl": url, "createdAt": task.created_at, "status": task.status}


def export_metadata_header(root: dict[str, Any], info: GraphQLResolveInfo, streamType: str) -> dict[str, Any] | None:
    c = ctx(info)
    stream = c.exports.stream(c.org.task(root["id"]), streamType)
    return None if stream is None else {"totalSize": stream.size, "totalLines": stream.lines}


def export_file_from_offset(root: dict[str, Any], info: GraphQLResolveInfo, streamType: str,
                            offset: int) -> dict[str, Any] | None:
    c = ctx(info)
    stream = c.exports.stream(c.org.task(root["id"]), streamType)
    return None if stream is None else _chunk(c, stream, c.exports.span_from_offset(stream, offset))


def export_file_from_line(root: dict[str, Any], info: GraphQLResolveInfo, streamType: str,
                          line: int) -> dict[str, Any] | None:
    c = ctx(info)
    stream = c.exports.stream(c.org.task(root["id"]), streamType)
    return None if stream is None else _chunk(c, stream, c.exports.span_from_line(stream, line))


def _chunk(c: RequestContext, stream: NdjsonStream, span: ChunkSpan) -> dict[str, Any]:
    return {
        "offsets": {"start": span.start, "end": span.end},
        "lines": {"start": span.first_line, "end": span.last_line},
        "file": _sign(c, stream, span.start, span.end),
    }


def _sign(c: RequestContext, stream: NdjsonStream, start: int, end: int) -> str:
    """A signed URL whose bytes are rendered when it is fetched, not now."""
    from ...engines.ndjson_stream import NdjsonRange

    return c.files.sign(c.base_url, NdjsonRange(stream, start, end), NDJSON_CONTENT_TYPE)


RESOLVERS = {
    "Mutation": {
        "exportDataRowsInModelRun": export_data_rows_in_model_run,
        "exportModelRunAnnotations": export_model_run_annotations,
        "exportDataRowsInProject": export_data_rows_in_project,
        "exportDataRowsInCatalog": export_data_rows_in_catalog,
    },
    "Task": {
        "exportMetadataHeader": export_metadata_header,
        "exportFileFromOffset": export_file_from_offset,
        "exportFileFromLine": export_file_from_line,
    },
}
