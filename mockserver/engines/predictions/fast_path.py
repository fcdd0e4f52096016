"""The fast path: the verdict on the commonest row of any import, reached with lookups chosen once per import.

It takes only a row of exactly four keys, `uuid`, `dataRow` ({"id"} or {"globalKey"}), `name` (a tool)
and that tool's geometry, on a data row whose media type takes that geometry alone
(`placement.STANDALONE_GEOMETRY`: a box on an image, not on a video or a document page), and answers
only SUCCESS; anything else it leaves to the full check (`validator.PredictionValidator`). Why the two
agree: with no other key, none of the full check's other rules has anything to look at (no schemaId,
confidence, customMetrics, placement, nested answers, metric value or foreign geometry), and what is
left, the uuid, the data row, its media type, the feature by name and the geometry, is checked here by
the same indexes, the same media table and the same geometry function, so the full check would accept
the row and write the same status and prediction.
tests/mock/test_prediction_fast_path.py holds that as a property over arbitrary rows.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Mapping
from typing import Any

from ...state.records import DataRow
from .features import FeatureIndex
from .geometry import GEOMETRY_CHECKS
from .placement import STANDALONE_GEOMETRY
from .statuses import success_line

ROW_KEYS = 4  # uuid, dataRow, name and a geometry


class FastPath:
    """Takes plain tool rows: `taker(...)` answers a function that adds an accepted row's status line, data
    row id and prediction to an import's lists and answers True, or answers False for the full check."""

    __slots__ = ("_data_rows", "_features", "_global_keys", "_members", "_seen")

    def __init__(self, features: FeatureIndex, data_rows: Mapping[str, DataRow], global_keys: Mapping[str, str],
                 members: Container[str], seen_uuids: set[str]) -> None:
        self._features, self._data_rows, self._global_keys = features, data_rows, global_keys
        self._members = members
        self._seen = seen_uuids  # shared with the full check: a uuid is taken once per import, by either

    def taker(self, entries: list[Any], row_ids: list[str], predictions: list[dict[str, Any]],
              owned: bool) -> Callable[[Any], bool]:
        """The fast path over one run of rows into these lists. `owned`: the rows are the validator's own
        (parsed from text), so accepted ones are normalised in place.

        A closure over what it reads, appending itself (no tuple per row for the caller to take apart:
        a quarter of its cost): it runs once per row of every import."""
        # per tool name: where its geometry goes, that geometry's check, and its schema id
        tools: dict[str, tuple[str, Callable[[Any], str | None], str]] = {
            name: (feature.geometry_key, GEOMETRY_CHECKS[feature.geometry_key], feature.schema_id)
            for name, feature in self._features.by_name.items() if feature.is_tool and feature.geometry_key is not None}
        data_rows, global_keys, members, seen = self._data_rows, self._global_keys, self._members, self._seen
        line_of, take_uuid = success_line, seen.add
        add_entry, add_row_id, add_prediction = entries.append, row_ids.append, predictions.append
        standalone = STANDALONE_GEOMETRY
        anywhere = frozenset(GEOMETRY_CHECKS)  # a media type the table does not rule on takes any geometry

        def take(row: Any) -> bool:
            if type(row) is not dict or len(row) != ROW_KEYS:
                return False
            get = row.get
            name = get("name")
            tool = tools.get(name) if type(name) is str else None
            if tool is None:
                return False
            uuid = get("uuid")
            if type(uuid) is not str or not uuid or uuid in seen:
                return False
            geometry_key, check_geometry, schema_id = tool
            geometry = get(geometry_key)
            ref = get("dataRow")
            if geometry is None or type(ref) is not dict or len(ref) != 1 or check_geometry(geometry) is not None:
                return False
            row_id = ref.get("id")
            if row_id is not None:
                if type(row_id) is not str or row_id not in data_rows or row_id not in members:
                    return False
                line = line_of(uuid, row_id)
                echo = ref if owned else {"id": row_id}
            else:
                key = ref.get("globalKey")
                if type(key) is not str:
                    return False
                row_id = global_keys.get(key)
                if row_id is None or row_id not in members:
                    return False
                line = line_of(uuid, row_id, key)
                echo = {"id": row_id, "globalKey": key}
            if geometry_key not in standalone.get(data_rows[row_id].media_type, anywhere):
                return False
            take_uuid(uuid)
            prediction = row if owned else dict(row)
            prediction["dataRow"] = echo
            prediction["schemaId"] = schema_id
            add_entry(line)
            add_row_id(row_id)
            add_prediction(prediction)
            return True

        return take
