"""The GraphQL multipart request spec: `operations`, `map`, then the file parts.

Each file part's content replaces the `null` at the variable path the map names.
"""

from __future__ import annotations

from typing import Any

from attrs import define

from .jsonbody import JsonBodyError, JsonTooLarge, load_json


class MultipartError(ValueError):
    """The multipart body breaks the spec; the message says where."""


@define(frozen=True)
class UploadedFile:
    filename: str
    content_type: str
    content: bytes


def _boundary(content_type: str) -> bytes:
    for parameter in content_type.split(";")[1:]:
        name, _, value = parameter.strip().partition("=")
        if name.lower() == "boundary" and value:
            return value.strip('"').encode("latin-1")
    raise MultipartError("Content-Type has no boundary")


def _parse_disposition(header: str) -> dict[str, str]:
    params = {}
    for item in header.split(";")[1:]:
        name, _, value = item.strip().partition("=")
        params[name.lower()] = value.strip().strip('"')
    return params


def split_parts(content_type: str, body: bytes) -> dict[str, UploadedFile]:
    """The named parts of a multipart body, each content copied out of it once (an upload of
    tens of MiB is not split, partitioned and trimmed into three more copies)."""
    delimiter = b"--" + _boundary(content_type)
    position = body.find(delimiter)
    if position < 0 or body.startswith(b"--", position + len(delimiter)):
        raise MultipartError("body has no parts for its boundary")
    parts: dict[str, UploadedFile] = {}
    while True:
        start = position + len(delimiter)
        if body.startswith(b"--", start):
            break  # the closing delimiter
        following = body.find(delimiter, start)
        if following < 0:
            raise MultipartError("body ends without its closing boundary (truncated?)")
        head_end = body.find(b"\r\n\r\n", start, following)
        if head_end < 0:
            raise MultipartError("a part has no header block")
        end = following - 2 if body[following - 2:following] == b"\r\n" else following
        headers = {}
        for line in body[start:head_end].decode("latin-1").strip().split("\r\n"):
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        disposition = _parse_disposition(headers.get("content-disposition", ""))
        part_name = disposition.get("name")
        if not part_name:
            raise MultipartError("a part has no name in its Content-Disposition")
        if part_name in parts:  # two `operations` would leave which one runs to the parser's whim
            raise MultipartError(f"part {part_name!r} appears more than once")
        parts[part_name] = UploadedFile(
            filename=disposition.get("filename", part_name),
            content_type=headers.get("content-type", "application/octet-stream"),
            content=body[head_end + 4:max(end, head_end + 4)],
        )
        position = following
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
