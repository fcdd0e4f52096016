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
    """Accepts a plain tool row: (its status line, its data row id, its prediction), or None for the full check."""

    __slots__ = ("accept",)

    def __init__(self, features: FeatureIndex, data_rows: Mapping[str, DataRow], global_keys: Mapping[str, str],
                 members: Container[str], seen_uuids: set[str]) -> None:
        # per tool name: where its geometry goes, that geometry's check, and its schema id
        tools: dict[str, tuple[str, Callable[[Any], str | None], str]] = {
            name: (feature.geometry_key, GEOMETRY_CHECKS[feature.geometry_key], feature.schema_id)
            for name, feature in features.by_name.items() if feature.is_tool and feature.geometry_key is not None}
        seen = seen_uuids  # shared with the full check: a uuid is taken once per import, by either
        standalone = STANDALONE_GEOMETRY
        anywhere = frozenset(GEOMETRY_CHECKS)  # a media type the table does not rule on takes any geometry
        line_of = success_line

        # a closure over what it reads (not attributes): it runs once per row of every import
        def accept(row: Any, owned: bool) -> tuple[str, str, dict[str, Any]] | None:
            """`owned`: the row is the validator's own (parsed from text), so it is normalised in place."""
            if type(row) is not dict or len(row) != ROW_KEYS:
                return None
            name = row.get("name")
            tool = tools.get(name) if type(name) is str else None
            if tool is None:
                return None
            uuid = row.get("uuid")
            if type(uuid) is not str or not uuid or uuid in seen:
                return None
            geometry_key, check_geometry, schema_id = tool
            geometry = row.get(geometry_key)
            ref = row.get("dataRow")
            if geometry is None or type(ref) is not dict or len(ref) != 1 or check_geometry(geometry) is not None:
                return None
            row_id = ref.get("id")
            if row_id is not None:
                if type(row_id) is not str or row_id not in data_rows or row_id not in members:
                    return None
                line = line_of(uuid, row_id)
                echo = ref if owned else {"id": row_id}
            else:
                key = ref.get("globalKey")
                if type(key) is not str:
                    return None
                row_id = global_keys.get(key)
                if row_id is None or row_id not in members:
                    return None
                line = line_of(uuid, row_id, key)
                echo = {"id": row_id, "globalKey": key}
            if geometry_key not in standalone.get(data_rows[row_id].media_type, anywhere):
                return None
            seen.add(uuid)
            prediction = row if owned else dict(row)
            prediction["dataRow"] = echo
            prediction["schemaId"] = schema_id
            return line, row_id, prediction

        self.accept = accept
