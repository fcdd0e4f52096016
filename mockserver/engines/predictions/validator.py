"""The prediction validator: checks NDJSON prediction rows one by one, as Labelbox does.

Every input row gets exactly one status, in input order: SUCCESS, or FAILURE
with `errors` [{name, message, additionalInfo}] whose messages start with the
field at fault (`uuid: ...`, `dataRow.globalKey: ...`, `bbox.width: ...`).
Accepted rows come back normalised (data row id, feature name and schemaId
filled in) for the caller to store.

A row's verdict comes from one place: `check`, the full check. The fast path
(`fast_path.FastPath`) only shortcuts rows that check would accept, to the same
status and prediction. Each check is a few dict lookups against indexes built
once per import: no scans per row.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Mapping
from typing import Any

from attrs import define

from ...state.ontologies import RELATIONSHIP
from ...state.records import DataRow
from . import placement
from .answers import check_classification
from .fast_path import FastPath
from .features import Feature, FeatureIndex
from .lines import Unparsable, feed_rows
from .masks import check_video_masks
from .metrics import check_metric_value
from .relationships import check_relationship, link
from .statuses import SUCCESS, ValidationOutcome, failure, status_line
from .temporal import check_temporal
from .tools import check_tool
from .values import check_confidence, check_custom_metrics, short


@define
class Scope:
    """Where predictions may land: the rows they may name and the features they may use."""

    features: FeatureIndex
    data_rows: Mapping[str, DataRow]
    global_keys: Mapping[str, str]
    members: Container[str]  # ids of the data rows predictions may attach to
    container: str  # e.g. "model run <id>", for messages
    admission_hint: str = ""  # how a user gets a row into the container
    metrics: bool = True  # ScalarMetric / ConfusionMatrixMetric rows: model-run predictions take them, labels not


class PredictionValidator:
    """Validates one import's rows; uuids must be unique across everything it checks."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self._seen_uuids: set[str] = set()
        # accepted relationship rows, whose ends are checked once every row is read (an end may come later)
        self._relationships: list[tuple[Feature, dict[str, Any]]] = []
        self.fast_path = FastPath(scope.features, scope.data_rows, scope.global_keys, scope.members,
                                  self._seen_uuids)

    def check_text(self, text: str) -> ValidationOutcome:
        """One status per non-blank line; a line that is not a JSON object fails on its own.

        Rows are parsed and checked one at a time, so an import is never held whole as parsed
        rows beside its text: what stays is each row's status and its normalised prediction.
        The rows are the validator's own, so accepted ones are normalised in place.
        """
        outcome = ValidationOutcome([], [], [])
        feed_rows(text, self.fast_path.taker(outcome.entries, outcome.row_ids, outcome.predictions, owned=True),
                  self._full_check_into(outcome))
        return link(outcome, self._relationships, self.scope.features)

    def check_rows(self, rows: Iterable[Any]) -> ValidationOutcome:
        """The same checks over rows given as values (left as they are: accepted ones are copied)."""
        outcome = ValidationOutcome([], [], [])
        fast = self.fast_path.taker(outcome.entries, outcome.row_ids, outcome.predictions, owned=False)
        full = self._full_check_into(outcome)
        for row in rows:
            if not fast(row):
                full(row)
        return link(outcome, self._relationships, self.scope.features)

    def _full_check_into(self, outcome: ValidationOutcome) -> Callable[[Any], None]:
        """The full check of a row the fast path left, its status and prediction added to `outcome`."""
        check = self.check
        add_entry, add_row_id, add_prediction = (outcome.entries.append, outcome.row_ids.append,
                                                 outcome.predictions.append)

        def full(row: Any) -> None:
            status, prediction = check(row)
            add_entry(status_line(status) if status["status"] == SUCCESS else status)
            if prediction is not None:
                add_row_id(prediction[0])
                add_prediction(prediction[1])

        return full

    def check(self, row: Any) -> tuple[dict[str, Any], tuple[str, dict[str, Any]] | None]:
        """The full check of one row: its status, and (data row id, normalised prediction) when accepted."""
        if type(row) is not dict:
            message = (f"line {row.number}: not valid JSON ({row.error})" if isinstance(row, Unparsable)
                       else f"a prediction must be a JSON object, got {type(row).__name__}")
            return failure(None, None, [message]), None
        if "metricValue" in row:
            return self._check_metric(row)
        problems: list[str] = []
        named_by_import = placement.uuid_is_given_by_import(row)
        uuid = None if named_by_import else self._check_uuid(row.get("uuid"), problems)
        row_id, data_row_echo = self._check_data_row(row.get("dataRow"), problems)
        media_type = None if row_id is None else self.scope.data_rows[row_id].media_type
        placement.check_placement(row, media_type, problems)
        if "customMetrics" in row:
            check_custom_metrics(row["customMetrics"], "customMetrics", problems)
        confidence = row.get("confidence")
        if confidence is not None:
            check_confidence(confidence, "confidence", problems)
        if placement.VIDEO_MASKS in row:  # its instances name its features; the row names none
            masks = check_video_masks(self.scope.features, row, problems)
            if problems or row_id is None or masks is None:
                return failure(uuid if isinstance(uuid, str) else None, data_row_echo, problems), None
            return self._accepted(row, row_id, data_row_echo, uuid, named_by_import, {placement.VIDEO_MASKS: masks})
        feature = self.scope.features.resolve(row.get("name"), row.get("schemaId"))
        normalised_answer: Any = None
        nested: list[dict[str, Any]] | None = None
        if isinstance(feature, str):
            problems.append(feature)
        elif feature.kind == RELATIONSHIP:
            check_relationship(feature, row, problems)
        elif feature.is_tool:
            nested = check_tool(feature, row, problems)
        elif placement.is_temporal(row):
            normalised_answer = check_temporal(feature, row, placement.first_frame(media_type), problems)
        else:
            normalised_answer = check_classification(feature, row, problems)
        if problems or row_id is None or isinstance(feature, str):
            return failure(uuid if isinstance(uuid, str) else None, data_row_echo, problems), None
        prediction = dict(row)
        if named_by_import:
            prediction["uuid"] = uuid = placement.generated_uuid(row_id, row)
        prediction["dataRow"] = data_row_echo
        prediction["name"] = feature.name
        prediction["schemaId"] = feature.schema_id
        if normalised_answer is not None:
            prediction.pop("answers", None)
            prediction["answer"] = normalised_answer
        if nested is not None:
            prediction["classifications"] = nested
        if feature.kind == RELATIONSHIP:
            self._relationships.append((feature, prediction))
        return {"uuid": uuid, "dataRow": data_row_echo, "status": SUCCESS}, (row_id, prediction)

    def _accepted(self, row: dict[str, Any], row_id: str, data_row_echo: dict[str, Any] | None, uuid: Any,
                  named_by_import: bool, normalised: dict[str, Any]) -> tuple[dict[str, Any], tuple[str, dict[str, Any]]]:
        """A row with no feature of its own (video masks), accepted with its normalised parts."""
        prediction = {**row, **normalised, "dataRow": data_row_echo}
        if named_by_import:
            prediction["uuid"] = uuid = placement.generated_uuid(row_id, row)
        return {"uuid": uuid, "dataRow": data_row_echo, "status": SUCCESS}, (row_id, prediction)

    def _check_metric(self, row: dict[str, Any]) -> tuple[dict[str, Any], tuple[str, dict[str, Any]] | None]:
        """A ScalarMetric or ConfusionMatrixMetric row: a value per data row (and feature), no geometry."""
        problems: list[str] = []
        uuid = row.get("uuid")
        if uuid is not None:
            self._check_uuid(uuid, problems)
        row_id, data_row_echo = self._check_data_row(row.get("dataRow"), problems)
        if not self.scope.metrics:
            problems.append(f"metricValue: metrics are model-run predictions; {self.scope.container} takes annotations")
        else:
            check_metric_value(row, problems)
            feature_name = row.get("featureName")
            if feature_name is not None and feature_name not in self.scope.features.by_name:
                problems.append(f"featureName: no feature named {short(feature_name)} {self.scope.features.scope}")
            subclass = row.get("subclassName")
            if subclass is not None and not isinstance(subclass, str):
                problems.append(f"subclassName: must be a string, got {short(subclass)}")
        if problems or row_id is None:
            return failure(uuid if isinstance(uuid, str) else None, data_row_echo, problems), None
        metric = dict(row)
        metric["dataRow"] = data_row_echo
        if uuid is None:  # the SDK sends metrics without one; stored predictions are keyed by uuid
            metric["uuid"] = uuid = placement.generated_uuid(row_id, row)
        return {"uuid": uuid, "dataRow": data_row_echo, "status": SUCCESS}, (row_id, metric)

    def _check_uuid(self, uuid: Any, problems: list[str]) -> Any:
        if not isinstance(uuid, str) or not uuid:
            problems.append("uuid: is required (a non-empty string unique within the import)"
                            if uuid is None else f"uuid: must be a non-empty string, got {short(uuid)}")
        elif uuid in self._seen_uuids:
            problems.append(f"uuid: {uuid!r} is used by an earlier row of this import; uuids must be unique")
        else:
            self._seen_uuids.add(uuid)
        return uuid

    def _check_data_row(self, ref: Any, problems: list[str]) -> tuple[str | None, dict[str, Any] | None]:
        """(the data row id, the dataRow object to echo in the status)."""
        if ref is None:
            problems.append("dataRow: is required, as {\"id\": ...} or {\"globalKey\": ...}")
            return None, None
        if type(ref) is not dict:
            problems.append(f"dataRow: must be an object with id or globalKey, got {short(ref)}")
            return None, None
        scope = self.scope
        if len(ref) == 1:  # the common {"id": ...}, checked inline
            row_id = ref.get("id")
            if type(row_id) is str and row_id in scope.data_rows and row_id in scope.members:
                return row_id, {"id": row_id}
        row_id, key = ref.get("id"), ref.get("globalKey")
        if (row_id is None) == (key is None):
            problems.append(f"dataRow: give exactly one of id or globalKey, got {short(ref)}")
            return None, dict(ref)
        scope = self.scope
        if row_id is not None:
            if not isinstance(row_id, str) or row_id not in scope.data_rows:
                problems.append(f"dataRow.id: no data row with id {short(row_id)}")
                return None, dict(ref)
            echo: dict[str, Any] = {"id": row_id}
        else:
            found = scope.global_keys.get(key) if isinstance(key, str) else None
            if found is None:
                problems.append(f"dataRow.globalKey: no data row with global key {short(key)}")
                return None, dict(ref)
            row_id, echo = found, {"id": found, "globalKey": key}
        if row_id not in scope.members:
            problems.append(f"dataRow: data row {row_id} is not in {scope.container}{scope.admission_hint}")
            return None, echo
        return row_id, echo
