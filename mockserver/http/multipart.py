"""The GraphQL multipart request spec: `operations`, `map`, then the file parts.

Each file part's content replaces the `null` at the variable path the map names.
"""

from __future__ import annotations

from typing import Any

from attrs import define
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from .jsonbody import JsonBodyError, JsonTooLarge, load_json


class MultipartError(ValueError):
    """The multipart body breaks the spec; the message says where."""


@define(frozen=True)
class UploadedFile:
    filename: str
    content_type: str
    content: bytes


# A GraphQL multipart request has `operations`, `map` and one part per file; a few headers each.
MAX_PARTS = 256
MAX_PART_HEADERS = 8
MAX_PART_HEADER_BYTES = 4096


def _boundary(content_type: str) -> bytes:
    _, options = parse_options_header(content_type)
    boundary = options.get(b"boundary")
    if not boundary:
        raise MultipartError("Content-Type has no boundary")
    return boundary


def split_parts(content_type: str, body: bytes) -> dict[str, UploadedFile]:
    """The named parts of a multipart body, read by python-multipart's streaming parser: each part's
    content is collected once, and parts, headers per part and header bytes are bounded."""
    parts: dict[str, UploadedFile] = {}
    state: dict[str, Any] = {"ended": False}
    current: dict[str, Any] = {}

    def on_part_begin() -> None:
        if len(parts) >= MAX_PARTS:
            raise MultipartError(f"a multipart request carries at most {MAX_PARTS} parts")
        current.clear()
        current.update(headers={}, field=bytearray(), value=bytearray(), content=[])

    def on_header_field(data: bytes, start: int, end: int) -> None:
        current["field"] += data[start:end]

    def on_header_value(data: bytes, start: int, end: int) -> None:
        current["value"] += data[start:end]

    def on_header_end() -> None:
        name = bytes(current["field"]).decode("latin-1").strip().lower()
        current["headers"][name] = bytes(current["value"]).decode("latin-1").strip()
        current["field"], current["value"] = bytearray(), bytearray()

    def on_part_data(data: bytes, start: int, end: int) -> None:
        current["content"].append(data[start:end])

    def on_part_end() -> None:
        headers = current["headers"]
        disposition, params = parse_options_header(headers.get("content-disposition", ""))
        part_name = params.get(b"name", b"").decode("latin-1")
        if disposition != b"form-data" or not part_name:
            raise MultipartError("a part has no name in its Content-Disposition")
        if part_name in parts:  # two `operations` would leave which one runs to the parser's whim
            raise MultipartError(f"part {part_name!r} appears more than once")
        content = current["content"]
        parts[part_name] = UploadedFile(
            filename=params.get(b"filename", part_name.encode("latin-1")).decode("latin-1"),
            content_type=headers.get("content-type", "application/octet-stream"),
            content=content[0] if len(content) == 1 else b"".join(content),
        )

    def on_end() -> None:
        state["ended"] = True

    callbacks: Any = {"on_part_begin": on_part_begin, "on_part_data": on_part_data, "on_part_end": on_part_end,
                      "on_header_field": on_header_field, "on_header_value": on_header_value,
                      "on_header_end": on_header_end, "on_end": on_end}
    parser = MultipartParser(_boundary(content_type), callbacks, max_header_count=MAX_PART_HEADERS,
                             max_header_size=MAX_PART_HEADER_BYTES)
    try:
        parser.write(body)
        parser.finalize()
    except MultipartError:
        raise
    except MultipartParseError as exc:
        raise MultipartError(f"the body is not multipart for its boundary: {exc}") from None
    if not parts:
        raise MultipartError("body has no parts for its boundary")
    if not state["ended"]:
        raise MultipartError("body ends without its closing boundary (truncated?)")
    return parts


def parse_graphql_multipart(content_type: str, body: bytes) -> dict[str, Any]:
    """The operations object with each mapped file put in place."""
    parts = split_parts(content_type, body)
    operations = _json_object_part(parts, "operations", " (batched operations are not supported)")
    mapping = _json_object_part(parts, "map")
    for key, paths in mapping.items():
        if key not in parts:
            raise MultipartError(f"map names file {key!r}, which the request does not carry")
        if not isinstance(paths, list) or not paths:
            raise MultipartError(f"map entry {key!r} must be a non-empty list of paths")
        for path in paths:
            _place(operations, path, parts[key])
    return operations


def _json_object_part(parts: dict[str, UploadedFile], name: str, hint: str = "") -> dict[str, Any]:
    if name not in parts:
        raise MultipartError(f"no {name!r} part")
    try:
        value = load_json(parts[name].content, repr(name))
    except JsonTooLarge:
        raise  # a 413, as for a JSON body
    except JsonBodyError as exc:
        raise MultipartError(str(exc)) from None
    if not isinstance(value, dict):
        raise MultipartError(f"{name!r} must be a JSON object{hint}")
    return value


def _place(operations: dict[str, Any], path: Any, upload: UploadedFile) -> None:
    if not isinstance(path, str) or not path.startswith("variables."):
        raise MultipartError(f"map path {path!r} must start with 'variables.'")
    steps = path.split(".")
    target: Any = operations
    for step in steps[:-1]:
        target = _step(target, step, path)
    last = steps[-1]
    if isinstance(target, list):
        index = _index(last, target, path)
        target[index] = upload
    elif isinstance(target, dict) and last in target:
        target[last] = upload
    else:
        raise MultipartError(f"map path {path!r} points nowhere in the operations")


def _step(target: Any, step: str, path: str) -> Any:
    if isinstance(target, dict) and step in target:
        return target[step]
    if isinstance(target, list):
        return target[_index(step, target, path)]
    raise MultipartError(f"map path {path!r} points nowhere in the operations")


def _index(step: str, target: list[Any], path: str) -> int:
    if not step.isdigit() or int(step) >= len(target):
        raise MultipartError(f"map path {path!r} points nowhere in the operations")
    return int(step)
