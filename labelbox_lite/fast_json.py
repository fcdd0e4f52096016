"""JSON for the two bulk paths (prediction uploads, export streams): the stdlib's C code, or orjson.

`pip install labelbox-lite[fast]` adds orjson, which export streams are then
parsed with and prediction rows encoded with. Results are the same either way:
a row the two libraries would treat differently takes the stdlib's path.

- Encoding: uploads are compact (no space after `,` and `:`); orjson writes
  UTF-8 where the stdlib writes ASCII escapes; both parse to the same values.
  orjson cannot write integers beyond 64 bits, lone surrogates or non-str keys
  (it raises), and writes NaN and infinities as `null` where json.dumps writes
  `NaN`/`Infinity`; a row whose orjson text raises or holds `null` is written
  by the stdlib instead.
- Parsing: orjson reads integers beyond 64 bits as floats, so a piece of stream
  holding a run of 19 or more digits that may be a number (found by one C pass
  over its bytes; digits inside a word such as a zero-padded id are not) is
  parsed by the stdlib; orjson refuses NaN, Infinity and lone surrogates, which
  then also go to the stdlib, which reads them or words the error.

Without orjson, rows are encoded with a C encoder built once (json.dumps
builds a new one per call).

Set LABELBOX_LITE_NO_ORJSON=1 to use the stdlib even with orjson installed.
"""

from __future__ import annotations

import importlib
import io
import json
import json.encoder
import os
from collections.abc import Callable, Iterable
from typing import Any

_NOT_LOADED = object()
_orjson: Any = _NOT_LOADED


def orjson_module() -> Any | None:
    """orjson if installed and not switched off, imported on first use (it is not needed to import the client)."""
    global _orjson
    if _orjson is _NOT_LOADED:
        if os.environ.get("LABELBOX_LITE_NO_ORJSON"):
            _orjson = None
        else:
            try:
                _orjson = importlib.import_module("orjson")
            except ImportError:
                _orjson = None
    return _orjson


def _refuse(value: Any) -> Any:
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _make_encoder(key_separator: str, item_separator: str) -> Callable[[Any, int], Iterable[str]] | None:
    make = getattr(json.encoder, "c_make_encoder", None)  # not in typeshed: the C accelerator's constructor
    if make is None:
        return None
    # no circular-reference markers: a reused markers dict would keep ids after a failed encode;
    # a cyclic row ends in RecursionError, and json.dumps then words the error
    return make(None, _refuse, json.encoder.encode_basestring_ascii, None,  # type: ignore[no-any-return]
                key_separator, item_separator, False, False, True)


_encode = _make_encoder(": ", ", ")  # as json.dumps writes
_encode_compact = _make_encoder(":", ",")  # uploads: the same values in fewer bytes, and a tenth faster


def dumps_stdlib(rows: Iterable[Any], compact: bool = False) -> str:
    """NDJSON text exactly as `"\\n".join(json.dumps(row) for row in rows)` writes it (with
    `separators=(",", ":")` when `compact`)."""
    encode = _encode_compact if compact else _encode
    if encode is None:
        separators = (",", ":") if compact else None
        return "\n".join(json.dumps(row, separators=separators) for row in rows)
    join = "".join
    lines: list[str] = []
    append = lines.append
    for row in rows:
        try:
            append(join(encode(row, 0)))
        except RecursionError:
            json.dumps(row)  # raises json's own "Circular reference detected"
            raise
    return "\n".join(lines)


def _encode_rows_stdlib(rows: Iterable[Any]) -> bytes:
    """`dumps_stdlib(rows, compact=True)` as UTF-8, each line written to one buffer and dropped: as for
    orjson below, 100k lines alive until a join cost a sixth more, in fresh memory, than writing them."""
    encode = _encode_compact
    if encode is None:
        return dumps_stdlib(rows, compact=True).encode("utf-8")
    out = io.BytesIO()
    write, join = out.write, "".join
    separator = b""
    for row in rows:
        try:
            line = join(encode(row, 0))
        except RecursionError:
            json.dumps(row)  # raises json's own "Circular reference detected"
            raise
        write(separator)
        write(line.encode("ascii"))  # the encoder escapes every non-ASCII character
        separator = b"\n"
    return out.getvalue()


def encode_rows(rows: Iterable[Any], fast: bool | None = None) -> bytes:
    """NDJSON bytes for `rows`, one compact JSON object per line, no trailing newline.

    With orjson when it is installed (or when `fast` is True and it is), else with the reused stdlib
    encoder (`fast=False` asks for that). Both write the same values; orjson is the faster by
    an order of magnitude (docs/benchmarks.md, limits section).
    """
    orjson = orjson_module() if fast is not False else None
    if orjson is None:
        return _encode_rows_stdlib(rows)
    dumps, error = orjson.dumps, orjson.JSONEncodeError
    options = orjson.OPT_PASSTHROUGH_SUBCLASS | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME
    # one buffer, each line dropped once written: a list of 100k small bytes objects, all alive until a
    # join, costs more in fresh memory than orjson spends encoding them
    out = io.BytesIO()
    write = out.write
    separator = b""
    for row in rows:
        try:
            line = dumps(row, default=_refuse, option=options)
        except (error, TypeError):
            line = None
        if line is None or b"null" in line:  # null may stand for NaN or an infinity json writes as such
            line = dumps_stdlib((row,), compact=True).encode("utf-8")
        write(separator)
        write(line)
        separator = b"\n"
    return out.getvalue()


# -- parsing -------------------------------------------------------------------------------------------

# Digits -> "0"; a byte a JSON number may follow (line start aside) -> "s"; anything else -> "x".
# A number follows ":", ",", "[" or whitespace, and its digits may follow "-"; "{" is added for safety.
_NUMBER_STARTS = frozenset(b":,[{- \t\r\n")
_DIGIT_MARKS = bytes(0x30 if 0x30 <= byte <= 0x39 else 0x73 if byte in _NUMBER_STARTS else 0x78 for byte in range(256))
_LONG_RUN = b"0" * 19  # orjson reads integers up to 2**64-1 (20 digits) exactly; 19 keeps well inside
_LONG_NUMBER = b"s" + _LONG_RUN


def has_long_digit_run(data: bytes) -> bool:
    """Whether `data` may hold an integer of 19 or more digits, which orjson might read as a float:
    a run of 19 digits at the start or after a byte a number may follow. Runs inside words, such
    as ids padded with zeros ("row0000000000000000042"), cannot be numbers and do not count."""
    marks = data.translate(_DIGIT_MARKS)
    return marks.startswith(_LONG_RUN) or marks.find(_LONG_NUMBER) != -1
