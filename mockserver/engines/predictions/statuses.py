"""Row statuses: one per input row, SUCCESS or FAILURE with errors, kept as status-file lines."""

from __future__ import annotations

import json
import json.encoder
from typing import Any

ERROR_NAME = "ValidationError"
SUCCESS = "SUCCESS"
FAILURE = "FAILURE"

_quoted = json.encoder.encode_basestring_ascii  # how json.dumps writes a str (a public name of json.encoder)
_SUCCESS_KEYS = ("uuid", "dataRow", "status")


def failure(uuid: str | None, data_row: dict[str, Any] | None, problems: list[str]) -> dict[str, Any]:
    return {
        "uuid": uuid, "dataRow": data_row, "status": FAILURE,
        "errors": [{"name": ERROR_NAME, "message": message, "additionalInfo": None} for message in problems],
    }


def success_line(uuid: str, row_id: str, global_key: str | None = None) -> str:
    """A SUCCESS status's line, exactly as json.dumps writes {uuid, dataRow: {id[, globalKey]}, status}."""
    if global_key is None:
        return f'{{"uuid": {_quoted(uuid)}, "dataRow": {{"id": {_quoted(row_id)}}}, "status": "SUCCESS"}}'
    return (f'{{"uuid": {_quoted(uuid)}, "dataRow": {{"id": {_quoted(row_id)}, '
            f'"globalKey": {_quoted(global_key)}}}, "status": "SUCCESS"}}')


def status_line(status: dict[str, Any]) -> str:
    """A status as one line of the status file: exactly json.dumps(status), with SUCCESS, the bulk of
    any import, written directly (json.dumps builds an encoder per call, most of its cost here)."""
    if tuple(status) != _SUCCESS_KEYS or status["status"] != SUCCESS:
        return json.dumps(status)
    data_row = status["dataRow"]
    keys = tuple(data_row)
    if keys == ("id",):
        return success_line(status["uuid"], data_row["id"])
    if keys == ("id", "globalKey"):
        return success_line(status["uuid"], data_row["id"], data_row["globalKey"])
    return json.dumps(status)


class ValidationOutcome:
    """Every row's status, in input order, and the accepted rows normalised.

    A SUCCESS status is kept as its status-file line, written directly (no dict per row);
    a FAILURE one as its dict. `statuses` reads them all back as dicts.
    """

    __slots__ = ("_statuses", "entries", "predictions", "row_ids")

    def __init__(self, entries: list[str | dict[str, Any]], row_ids: list[str],
                 predictions: list[dict[str, Any]]) -> None:
        self.entries = entries  # per input row: a SUCCESS status line, or a FAILURE status
        self.row_ids = row_ids  # per accepted row, its data row id ...
        self.predictions = predictions  # ... and its normalised prediction (no tuple per row)
        self._statuses: list[dict[str, Any]] | None = None

    @property
    def accepted(self) -> list[tuple[str, dict[str, Any]]]:
        """(data row id, normalised prediction) per accepted row, in input order."""
        return list(zip(self.row_ids, self.predictions, strict=True))

    @property
    def rows(self) -> int:
        return len(self.entries)

    @property
    def statuses(self) -> list[dict[str, Any]]:
        """One status dict per input row, in input order."""
        if self._statuses is None:
            self._statuses = [json.loads(entry) if type(entry) is str else entry  # type: ignore[misc]
                              for entry in self.entries]
        return self._statuses

    @property
    def errors(self) -> list[dict[str, Any]]:
        return [status for status in self.statuses if status["status"] == FAILURE]

    def status_lines(self) -> tuple[list[str], list[str]]:
        """(every status line, the FAILURE ones among them)."""
        lines: list[str] = []
        failed: list[str] = []
        for entry in self.entries:
            if type(entry) is str:
                lines.append(entry)
            else:
                line = json.dumps(entry)
                lines.append(line)
                failed.append(line)
        return lines, failed

