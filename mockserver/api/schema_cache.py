"""The SDL's parsed document, cached beside the bytecode so a fresh process does not parse it again.

graphql-core's parser is pure Python: the mock's SDL took about 45 ms to parse, a third
of a cold start (issue 26). Its document is stored as nested tuples (a node is its class's
index followed by its fields' values, in the class's `keys` order) with `marshal`, which
reads back in C, and the nodes are rebuilt without running `Node.__init__` or
`Node.__setattr__` (their per-field work is what parsing spends besides lexing).

The file is written where the SDL's bytecode would be (`importlib.util.cache_from_source`,
so `sys.pycache_prefix` is honoured) and, as bytecode is, only when
`sys.dont_write_bytecode` is false; a file that cannot be written is not an error. Its name
holds a digest of the SDL, of graphql-core's version and of this format, so an edited SDL or
another graphql-core never reads a stale document; a file that does not decode is parsed
over. `tests/mock/test_schema_build.py` holds the cached document equal to a fresh parse.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import marshal
import os
import sys
from pathlib import Path
from typing import Any

import graphql
from graphql import DocumentNode, parse
from graphql.language import ast

# Bumped whenever the encoding below changes.
FORMAT = 1
_NODE_CLASSES = sorted((value for value in vars(ast).values()
                        if isinstance(value, type) and issubclass(value, ast.Node)), key=lambda cls: cls.__name__)
_INDEX = {cls: number for number, cls in enumerate(_NODE_CLASSES)}
# each class with the fields it carries; `loc` is always None (the SDL is parsed without locations)
_SPECS = [(cls, tuple(key for key in cls.keys if key != "loc")) for cls in _NODE_CLASSES]
_OPERATION_TYPE = -1  # the one enum an SDL's nodes hold (schema { query: Query })


def cache_path(sdl_path: str, sdl: str) -> Path:
    digest = hashlib.sha256(f"{FORMAT}\0{graphql.__version__}\0{sdl}".encode()).hexdigest()[:20]
    compiled = Path(importlib.util.cache_from_source(sdl_path))
    return compiled.with_name(f"{Path(sdl_path).name}.{digest}.ast")


def parse_sdl(sdl: str, sdl_path: str | None = None) -> DocumentNode:
    """`parse(sdl, no_location=True)`, read from the cache beside `sdl_path` when it holds this SDL."""
    if sdl_path is None:
        return parse(sdl, no_location=True)
    path = cache_path(sdl_path, sdl)
    try:
        # trusted as the .pyc files beside it are: whoever can write there can change the code itself
        document = _decode(marshal.loads(path.read_bytes()))  # noqa: S302
        if isinstance(document, DocumentNode):
            return document
    except (OSError, ValueError, EOFError, TypeError, IndexError):  # absent, or not ours: parse over
        pass
    document = parse(sdl, no_location=True)
    if not sys.dont_write_bytecode:
        _write(path, marshal.dumps(_encode(document)))
    return document


def _write(path: Path, data: bytes) -> None:
    """Written whole or not at all (a concurrent reader sees the old file or the new one)."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except OSError:  # a read-only install: every process parses, as before
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)


def _encode(value: Any) -> Any:
    if isinstance(value, ast.Node):
        return (_INDEX[type(value)], *(_encode(getattr(value, key)) for key in _SPECS[_INDEX[type(value)]][1]))
    if isinstance(value, tuple):
        return [_encode(item) for item in value]
    if isinstance(value, ast.OperationType):
        return (_OPERATION_TYPE, value.value)
    if value is None or isinstance(value, (str, bool)):
        return value
    raise TypeError(f"an SDL document holds no {type(value).__name__}")


_new = object.__new__
_set = object.__setattr__  # Node.__setattr__ looks for a cached hash on every field set


def _decode(value: Any) -> Any:
    kind = type(value)
    if kind is list:
        return tuple([_decode(item) if type(item) in (tuple, list) else item for item in value])
    if kind is not tuple:
        raise TypeError("not an encoded node")
    number = value[0]
    if number == _OPERATION_TYPE:
        return ast.OperationType(value[1])
    if number < 0:
        raise ValueError("not an encoded node")
    cls, keys = _SPECS[number]
    if len(keys) != len(value) - 1:
        raise ValueError("an encoded node does not match its class")
    node = _new(cls)
    _set(node, "loc", None)
    for key, item in zip(keys, value[1:], strict=True):
        _set(node, key, _decode(item) if type(item) in (tuple, list) else item)
    return node
