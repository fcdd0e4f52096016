"""The prediction validator: checks NDJSON prediction rows one by one, as Labelbox does.

Every input row gets exactly one status, in input order: SUCCESS, or FAILURE
with `errors` [{name, message, additionalInfo}] whose messages start with the
field at fault (`uuid: ...`, `dataRow.globalKey: ...`, `bbox.width: ...`).
Accepted rows come back normalised (data row id, feature name and schemaId
filled in) for the caller to store.

Speed matters (imports run to hundreds of thousands of rows), so each check is
a few dict lookups against indexes built once per import: no scans per row.
"""

from __future__ import annotations

import base64
import binascii
import json
import json.encoder
import json.scanner
import math
from collections.abc import Callable, Container, Iterable, Mapping
from typing import Any, TypeGuard

from attrs import define, field, frozen

from ..state.ontologies import RELATIONSHIP
from ..state.records import TOOL_GEOMETRY, Classification, DataRow, Ontology, Tool
from . import media_placement as media

# json.loads' own scanner, called directly: per line, json.loads adds two Python calls
# and two regex matches, a third of the cost of reading a typical prediction.
# (typeshed types the scanner's argument as a scanner; it takes the decoder whose settings it uses)
_scan_json: Callable[[str, int], tuple[Any, int]] = json.scanner.make_scanner(json.JSONDecoder())  # type: ignore[arg-type]
_quoted = json.encoder.encode_basestring_ascii  # how json.dumps writes a str

ERROR_NAME = "ValidationError"
SUCCESS = "SUCCESS"
FAILURE = "FAILURE"

GEOMETRY_KEYS = tuple(TOOL_GEOMETRY.values())
ANSWER_KEYS = ("answer", "answers")
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@frozen
class Feature:
    schema_id: str
    name: str
    kind: str  # a tool kind, or radio | checklist | text
    is_tool: bool
    geometry_key: str | None = None  # where a tool's geometry goes
    forbidden: frozenset[str] = frozenset()  # keys a row of this feature must not carry
    option_ids: Mapping[str, str] = field(factory=dict)  # option value -> schema id
    option_values: Mapping[str, str] = field(factory=dict)  # option schema id -> value
    nested: FeatureIndex | None = None  # a tool's nested classifications
    option_nested: Mapping[str, FeatureIndex] = field(factory=dict)  # option schema id -> its nested classifications
    # a relationship tool's allowed (source, target) feature schema ids; None: any two objects
    constraints: frozenset[tuple[str, str]] | None = None


class FeatureIndex:
    """Features by name and by schema id: an ontology's top level, or the classifications nested in one node."""

    def __init__(self, ontology: Ontology | None = None, *, nodes: Iterable[Tool | Classification] = (),
                 scope: str = "") -> None:
        self.scope = f"in ontology {ontology.name!r}" if ontology is not None else scope
        self.what = "feature" if ontology is not None else "nested classification"
        self.by_name: dict[str, Feature] = {}
        self.by_id: dict[str, Feature] = {}
        for item in ontology.features() if ontology is not None else nodes:
            feature = _feature(item)
            self.by_name[feature.name] = feature
            self.by_id[feature.schema_id] = feature

    def resolve(self, name: Any, schema_id: Any) -> Feature | str:
        """The feature a row names, or a message saying why there is none."""
        if name is None and schema_id is None:
            return f"name: a prediction needs a {self.what} name or a schemaId"
        by_name = by_id = None
        if name is not None:
            by_name = self.by_name.get(name) if isinstance(name, str) else None
            if by_name is None:
                return f"name: no {self.what} named {_short(name)} {self.scope}"
        if schema_id is not None:
            by_id = self.by_id.get(schema_id) if isinstance(schema_id, str) else None
            if by_id is None:
                return f"schemaId: no {self.what} with schemaId {_short(schema_id)} {self.scope}"
        if by_name is not None and by_id is not None and by_name is not by_id:
            return f"schemaId: {schema_id!r} is feature {by_id.name!r}, but name says {name!r}"
        return by_name or by_id  # type: ignore[return-value]


def _feature(item: Tool | Classification) -> Feature:
    if isinstance(item, Tool):
        expected = TOOL_GEOMETRY.get(item.tool)  # None: a tool without geometry (a relationship, a chat tool)
        nested = (FeatureIndex(nodes=item.classifications, scope=f"under tool {item.name!r}")
                  if item.classifications else None)
        constraints = (item.definition or {}).get("constraints") if item.tool == RELATIONSHIP else None
        return Feature(schema_id=item.feature_schema_id, name=item.name, kind=item.tool, is_tool=True,
                       geometry_key=expected, forbidden=frozenset(GEOMETRY_KEYS + ANSWER_KEYS) - {expected},
                       nested=nested,
                       constraints=frozenset((start, end) for start, end in constraints) if constraints else None)
    return Feature(
        schema_id=item.feature_schema_id, name=item.name, kind=item.type, is_tool=False,
        forbidden=frozenset(GEOMETRY_KEYS),
        option_ids={option.value: option.feature_schema_id for option in item.options},
        option_values={option.feature_schema_id: option.value for option in item.options},
        option_nested={option.feature_schema_id: FeatureIndex(nodes=option.options,
                                                              scope=f"under option {option.value!r} of {item.name!r}")
                       for option in item.options if option.options},
    )


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


class PredictionValidator:
    """Validates one import's rows; uuids must be unique across everything it checks."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self._seen_uuids: set[str] = set()
        # accepted relationship rows, whose ends are checked once every row is read (an end may come later)
        self._relationships: list[tuple[Feature, dict[str, Any]]] = []
        # per tool name, once per import: the feature, where its geometry goes, and that geometry's check
        self._tools = {name: (feature.geometry_key, _GEOMETRY_CHECKS[feature.geometry_key], feature.schema_id)
                       for name, feature in scope.features.by_name.items()
                       if feature.is_tool and feature.geometry_key is not None}

    def check_text(self, text: str) -> ValidationOutcome:
        """One status per non-blank line; a line that is not a JSON object fails on its own.

        Rows are parsed and checked one at a time, so an import is never held whole as parsed
        rows beside its text: what stays is each row's status and its normalised prediction.
        The rows are the validator's own, so accepted ones are normalised in place.
        """
        entries: list[str | dict[str, Any]] = []
        row_ids: list[str] = []
        predictions: list[dict[str, Any]] = []
        scan, check, tools, seen, quoted = _scan_json, self._check, self._tools, self._seen_uuids, _quoted
        data_rows, members = self.scope.data_rows, self.scope.members
        seen_add, entries_append = seen.add, entries.append
        row_ids_append, predictions_append = row_ids.append, predictions.append
        start = number = 0
        size = len(text)
        find = text.find
        while start < size:  # one line a turn, split at "\n" only (not splitlines: U+2028 may sit in a string)
            number += 1
            row: Any
            # the C scanner straight on the text (no copy of the line), taken when the value is the whole line
            try:
                row, end = scan(text, start)
            except (StopIteration, ValueError):
                end = -1
            if end >= 0 and (end == size or text[end] == "\n") and find("\n", start, end) < 0:
                start = end + 1
            else:  # anything else line by line: blank, whitespace around the value, or the error to report
                end = find("\n", start)
                if end < 0:
                    end = size
                line = text[start:end]
                start = end + 1
                if not line or line.isspace():
                    continue
                row = _parse_slowly(line, number)
            if type(row) is dict and len(row) == _FAST_KEYS:
                # `_fast` inlined for the commonest row of all, {"id": ...} (it takes the globalKey form too)
                name = row.get("name")
                tool = tools.get(name) if type(name) is str else None
                uuid = row.get("uuid")
                ref = row.get("dataRow")
                if (tool is not None and type(uuid) is str and uuid and uuid not in seen
                        and type(ref) is dict and len(ref) == 1):
                    row_id = ref.get("id")
                    geometry_key, check_geometry, schema_id = tool
                    geometry = row.get(geometry_key)
                    if (type(row_id) is str and row_id in data_rows and row_id in members
                            and geometry is not None and check_geometry(geometry) is None):
                        seen_add(uuid)
                        row["schemaId"] = schema_id
                        entries_append(f'{{"uuid": {quoted(uuid)}, "dataRow": {{"id": {quoted(row_id)}}}, '
                                       '"status": "SUCCESS"}')
                        row_ids_append(row_id)
                        predictions_append(row)
                        continue
                done = self._fast(row, True)
                if done is not None:
                    entries.append(done[0])
                    row_ids.append(done[1])
                    predictions.append(done[2])
                    continue
            status, prediction = check(row)
            entries.append(status_line(status) if status["status"] == SUCCESS else status)
            if prediction is not None:
                row_ids.append(prediction[0])
                predictions.append(prediction[1])
        return self._link(ValidationOutcome(entries, row_ids, predictions))

    def check_rows(self, rows: Iterable[Any]) -> ValidationOutcome:
        """The same checks over rows given as values (left as they are: accepted ones are copied)."""
        entries: list[str | dict[str, Any]] = []
        row_ids: list[str] = []
        predictions: list[dict[str, Any]] = []
        for row in rows:
            done = self._fast(row, False) if type(row) is dict and len(row) == _FAST_KEYS else None
            if done is not None:
                entries.append(done[0])
                row_ids.append(done[1])
                predictions.append(done[2])
                continue
            status, prediction = self._check(row)
            entries.append(status_line(status) if status["status"] == SUCCESS else status)
            if prediction is not None:
                row_ids.append(prediction[0])
                predictions.append(prediction[1])
        return self._link(ValidationOutcome(entries, row_ids, predictions))

    def _link(self, outcome: ValidationOutcome) -> ValidationOutcome:
        """Checks each accepted relationship's ends: objects accepted in this import on the same data
        row (the same label), of features the relationship tool's constraints allow. A relationship
        whose ends do not hold fails; everything else stands."""
        if not self._relationships:
            return outcome
        objects = {prediction["uuid"]: (row_id, prediction) for row_id, prediction
                   in zip(outcome.row_ids, outcome.predictions, strict=True)
                   if "relationship" not in prediction and type(prediction.get("uuid")) is str}
        failed: dict[int, list[str]] = {}
        for feature, prediction in self._relationships:
            problems = _relationship_ends(feature, prediction, objects, self.scope.features)
            if problems:
                failed[id(prediction)] = problems
        if not failed:
            return outcome
        entries: list[str | dict[str, Any]] = []
        row_ids: list[str] = []
        predictions: list[dict[str, Any]] = []
        accepted = iter(zip(outcome.row_ids, outcome.predictions, strict=True))
        for entry in outcome.entries:
            if type(entry) is not str:
                entries.append(entry)
                continue
            row_id, prediction = next(accepted)
            refusal = failed.get(id(prediction))
            if refusal is None:
                entries.append(entry)
                row_ids.append(row_id)
                predictions.append(prediction)
            else:
                entries.append(_failure(prediction["uuid"], prediction["dataRow"], refusal))
        return ValidationOutcome(entries, row_ids, predictions)

    def _fast(self, row: dict[str, Any], owned: bool) -> tuple[str, str, dict[str, Any]] | None:
        """The bulk of any import, checked with the tool's own geometry check found once per import:
        a valid tool row of exactly uuid, dataRow ({"id"} or {"globalKey"}), name and its geometry.
        Answers its status line and its accepted prediction; None sends the row through `_check`,
        which then reaches the same verdict with its messages (so anything unusual goes there)."""
        name = row.get("name")
        tool = self._tools.get(name) if type(name) is str else None
        if tool is None:
            return None
        uuid = row.get("uuid")
        if type(uuid) is not str or not uuid or uuid in self._seen_uuids:
            return None
        geometry_key, geometry_check, schema_id = tool
        geometry = row.get(geometry_key)
        ref = row.get("dataRow")
        if geometry is None or type(ref) is not dict or len(ref) != 1 or geometry_check(geometry) is not None:
            return None
        scope = self.scope
        row_id = ref.get("id")
        if row_id is not None:
            if type(row_id) is not str or row_id not in scope.data_rows or row_id not in scope.members:
                return None
            line = f'{{"uuid": {_quoted(uuid)}, "dataRow": {{"id": {_quoted(row_id)}}}, "status": "SUCCESS"}}'
            echo = ref if owned else {"id": row_id}
        else:
            key = ref.get("globalKey")
            if type(key) is not str:
                return None
            row_id = scope.global_keys.get(key)
            if row_id is None or row_id not in scope.members:
                return None
            line = (f'{{"uuid": {_quoted(uuid)}, "dataRow": {{"id": {_quoted(row_id)}, '
                    f'"globalKey": {_quoted(key)}}}, "status": "SUCCESS"}}')
            echo = {"id": row_id, "globalKey": key}
        self._seen_uuids.add(uuid)
        prediction = row if owned else dict(row)
        prediction["dataRow"] = echo
        prediction["schemaId"] = schema_id
        return line, row_id, prediction

    def _check(self, row: Any) -> tuple[dict[str, Any], tuple[str, dict[str, Any]] | None]:
        if type(row) is not dict:
            message = (f"line {row.number}: not valid JSON ({row.error})" if isinstance(row, _Unparsable)
                       else f"a prediction must be a JSON object, got {type(row).__name__}")
            return _failure(None, None, [message]), None
        if "metricValue" in row:
            return self._check_metric(row)
        problems: list[str] = []
        named_by_import = media.uuid_is_given_by_import(row)
        uuid = None if named_by_import else self._check_uuid(row.get("uuid"), problems)
        row_id, data_row_echo = self._check_data_row(row.get("dataRow"), problems)
        media.check_placement(row, problems)
        if "customMetrics" in row:
            _check_custom_metrics(row["customMetrics"], "customMetrics", problems)
        confidence = row.get("confidence")
        if confidence is not None:
            _check_confidence(confidence, "confidence", problems)
        feature = self.scope.features.resolve(row.get("name"), row.get("schemaId"))
        normalised_answer: Any = None
        nested: list[dict[str, Any]] | None = None
        if isinstance(feature, str):
            problems.append(feature)
        elif feature.kind == RELATIONSHIP:
            _check_relationship(feature, row, problems)
        elif feature.is_tool:
            nested = _check_tool(feature, row, problems)
        else:
            normalised_answer = _check_classification(feature, row, problems)
        if problems or row_id is None or isinstance(feature, str):
            return _failure(uuid if isinstance(uuid, str) else None, data_row_echo, problems), None
        prediction = dict(row)
        if named_by_import:
            prediction["uuid"] = uuid = media.generated_uuid(row_id, row)
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
            _check_metric_value(row, problems)
            feature_name = row.get("featureName")
            if feature_name is not None and feature_name not in self.scope.features.by_name:
                problems.append(f"featureName: no feature named {_short(feature_name)} {self.scope.features.scope}")
            subclass = row.get("subclassName")
            if subclass is not None and not isinstance(subclass, str):
                problems.append(f"subclassName: must be a string, got {_short(subclass)}")
        if problems or row_id is None:
            return _failure(uuid if isinstance(uuid, str) else None, data_row_echo, problems), None
        metric = dict(row)
        metric["dataRow"] = data_row_echo
        if uuid is None:  # the SDK sends metrics without one; stored predictions are keyed by uuid
            metric["uuid"] = uuid = media.generated_uuid(row_id, row)
        return {"uuid": uuid, "dataRow": data_row_echo, "status": SUCCESS}, (row_id, metric)

    def _check_uuid(self, uuid: Any, problems: list[str]) -> Any:
        if not isinstance(uuid, str) or not uuid:
            problems.append("uuid: is required (a non-empty string unique within the import)"
                            if uuid is None else f"uuid: must be a non-empty string, got {_short(uuid)}")
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
            problems.append(f"dataRow: must be an object with id or globalKey, got {_short(ref)}")
            return None, None
        scope = self.scope
        if len(ref) == 1:  # the common {"id": ...}, checked inline
            row_id = ref.get("id")
            if type(row_id) is str and row_id in scope.data_rows and row_id in scope.members:
                return row_id, {"id": row_id}
        row_id, key = ref.get("id"), ref.get("globalKey")
        if (row_id is None) == (key is None):
            problems.append(f"dataRow: give exactly one of id or globalKey, got {_short(ref)}")
            return None, dict(ref)
        scope = self.scope
        if row_id is not None:
            if not isinstance(row_id, str) or row_id not in scope.data_rows:
                problems.append(f"dataRow.id: no data row with id {_short(row_id)}")
                return None, dict(ref)
            echo: dict[str, Any] = {"id": row_id}
        else:
            found = scope.global_keys.get(key) if isinstance(key, str) else None
            if found is None:
                problems.append(f"dataRow.globalKey: no data row with global key {_short(key)}")
                return None, dict(ref)
            row_id, echo = found, {"id": found, "globalKey": key}
        if row_id not in scope.members:
            problems.append(f"dataRow: data row {row_id} is not in {scope.container}{scope.admission_hint}")
            return None, echo
        return row_id, echo


class _Unparsable:
    __slots__ = ("error", "number")

    def __init__(self, number: int, error: str) -> None:
        self.number = number
        self.error = error


def _parse_slowly(line: str, number: int) -> Any:
    """A line the C scanner did not take whole: whitespace around the value, or the error to report."""
    try:
        return json.loads(line)
    except ValueError as error:
        return _Unparsable(number, str(error))


_FAST_KEYS = 4  # uuid, dataRow, name and a geometry: the rows `PredictionValidator._fast` takes


def _failure(uuid: str | None, data_row: dict[str, Any] | None, problems: list[str]) -> dict[str, Any]:
    return {
        "uuid": uuid, "dataRow": data_row, "status": FAILURE,
        "errors": [{"name": ERROR_NAME, "message": message, "additionalInfo": None} for message in problems],
    }


def status_line(status: dict[str, Any]) -> str:
    """A status as one line of the status file: exactly json.dumps(status), with SUCCESS, the bulk of
    any import, written directly (json.dumps builds an encoder per call, most of its cost here)."""
    if tuple(status) != _SUCCESS_KEYS or status["status"] != SUCCESS:
        return json.dumps(status)
    data_row = status["dataRow"]
    keys = tuple(data_row)
    if keys == ("id",):
        ref = f'"id": {_quoted(data_row["id"])}'
    elif keys == ("id", "globalKey"):
        ref = f'"id": {_quoted(data_row["id"])}, "globalKey": {_quoted(data_row["globalKey"])}'
    else:
        return json.dumps(status)
    return f'{{"uuid": {_quoted(status["uuid"])}, "dataRow": {{{ref}}}, "status": "SUCCESS"}}'


_SUCCESS_KEYS = ("uuid", "dataRow", "status")


def _short(value: Any, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _number(value: Any) -> TypeGuard[int | float]:
    kind = type(value)
    return kind is int or (kind is float and math.isfinite(value))


def _check_confidence(value: Any, path: str, problems: list[str]) -> None:
    if not _number(value) or not 0 <= value <= 1:
        problems.append(f"{path}: must be a number within [0, 1], got {_short(value)}")


# -- metrics ---------------------------------------------------------------------------------------

SCALAR_AGGREGATIONS = ("ARITHMETIC_MEAN", "GEOMETRIC_MEAN", "HARMONIC_MEAN", "SUM")
CONFUSION_MATRIX = "CONFUSION_MATRIX"
SCALAR_MAX = 100_000_000
# names Labelbox computes itself; a ScalarMetric may not take them
RESERVED_METRIC_NAMES = ("true_positive_count", "false_positive_count", "true_negative_count",
                         "false_negative_count", "precision", "recall", "f1", "iou")


def _check_metric_value(row: dict[str, Any], problems: list[str]) -> None:
    aggregation = row.get("aggregation", "ARITHMETIC_MEAN")
    name = row.get("metricName")
    if name is not None and not isinstance(name, str):
        problems.append(f"metricName: must be a string, got {_short(name)}")
        name = None
    value = row.get("metricValue")
    if aggregation == CONFUSION_MATRIX:
        if name is None:
            problems.append("metricName: a confusion matrix metric needs a name")
        check: Callable[[Any], str | None] = _confusion_message
    elif aggregation in SCALAR_AGGREGATIONS:
        if name is not None and name.strip().lower() in RESERVED_METRIC_NAMES:
            problems.append(f"metricName: {name!r} is a reserved metric name")
        check = _scalar_message
    else:
        problems.append(f"aggregation: must be one of {', '.join((*SCALAR_AGGREGATIONS, CONFUSION_MATRIX))}, "
                        f"got {_short(aggregation)}")
        return
    if type(value) is dict:
        if not value:
            problems.append("metricValue: a value by confidence needs at least one confidence")
        for confidence, each in value.items():
            try:
                level = float(confidence)
            except (TypeError, ValueError):
                level = -1.0
            if not 0 <= level <= 1:
                problems.append(f"metricValue: confidence keys are numbers within [0, 1], got {_short(confidence)}")
                return
            message = check(each)
            if message is not None:
                problems.append(f"metricValue[{confidence}]{message}")
                return
    else:
        message = check(value)
        if message is not None:
            problems.append(f"metricValue{message}")


def _scalar_message(value: Any) -> str | None:
    if not _number(value) or not 0 <= value <= SCALAR_MAX:
        return f": a scalar metric is a number within [0, {SCALAR_MAX}], got {_short(value)}"
    return None


def _confusion_message(value: Any) -> str | None:
    if (type(value) is not list or len(value) != 4
            or not all(type(count) is int and count >= 0 for count in value)):
        return f": a confusion matrix is four non-negative counts (tp, fp, tn, fn), got {_short(value)}"
    return None


def _check_custom_metrics(value: Any, path: str, problems: list[str]) -> None:
    """customMetrics on an annotation or an answer: [{name, value}]."""
    if type(value) is not list:
        problems.append(f"{path}: must be a list of {{name, value}}, got {_short(value)}")
        return
    for index, metric in enumerate(value):
        if type(metric) is not dict or not isinstance(metric.get("name"), str) or not _number(metric.get("value")):
            problems.append(f"{path}[{index}]: a custom metric is {{name: string, value: number}}, got {_short(metric)}")
            return


# -- tools ---------------------------------------------------------------------------------------

RELATIONSHIP_TYPES = ("unidirectional", "bidirectional")
_RELATIONSHIP_KEYS = frozenset(("source", "target", "type", "readonly", "sourceOntologyName"))


def _check_relationship(feature: Feature, row: dict[str, Any], problems: list[str]) -> None:
    """The shape of a relationship row: {source or sourceOntologyName, target, type[, readonly]}.
    Its ends are checked once the whole import is read (PredictionValidator._link)."""
    others = [key for key in GEOMETRY_KEYS + ANSWER_KEYS if key in row]
    if others:
        problems.append(f"{others[0]}: feature {feature.name!r} is a relationship, which takes relationship")
    value = row.get("relationship")
    if type(value) is not dict:
        problems.append(f"relationship: feature {feature.name!r} is a relationship and needs "
                        f"{{source, target, type}}, got {_short(value)}")
        return
    unknown = sorted(set(value) - _RELATIONSHIP_KEYS)
    if unknown:
        problems.append(f"relationship.{unknown[0]}: not a relationship key")
    source, named = value.get("source"), value.get("sourceOntologyName")
    if (source is None) == (named is None):
        problems.append("relationship: give exactly one of source (an annotation's uuid) and sourceOntologyName")
    for key, given in (("source", source), ("sourceOntologyName", named), ("target", value.get("target"))):
        if (given is not None or key == "target") and (type(given) is not str or not given):
            problems.append(f"relationship.{key}: must be a non-empty string, got {_short(given)}")
    if value.get("type") not in RELATIONSHIP_TYPES:
        problems.append(f"relationship.type: must be one of {', '.join(RELATIONSHIP_TYPES)}, "
                        f"got {_short(value.get('type'))}")
    readonly = value.get("readonly")
    if readonly is not None and type(readonly) is not bool:
        problems.append(f"relationship.readonly: must be true or false, got {_short(readonly)}")


def _relationship_ends(feature: Feature, prediction: dict[str, Any],
                       objects: Mapping[str, tuple[str, dict[str, Any]]], features: FeatureIndex) -> list[str]:
    """Why a relationship's ends do not hold, if they do not."""
    value = prediction["relationship"]
    row_id = prediction["dataRow"]["id"]
    problems: list[str] = []
    ends: dict[str, str | None] = {}
    for key in ("source", "target"):
        uuid = value.get(key)
        if uuid is None:
            continue
        found = objects.get(uuid)
        if found is None:
            problems.append(f"relationship.{key}: no annotation with uuid {_short(uuid)} in this import")
        elif found[0] != row_id:
            problems.append(f"relationship.{key}: annotation {uuid} is on data row {found[0]}, not {row_id}: "
                            f"both ends must be in the same label")
        elif uuid == prediction["uuid"]:
            problems.append(f"relationship.{key}: a relationship cannot end at itself")
        else:
            ends[key] = found[1].get("schemaId")
    named = value.get("sourceOntologyName")
    if named is not None:
        source = features.by_name.get(named)
        if source is None:
            problems.append(f"relationship.sourceOntologyName: no feature named {_short(named)} in the ontology")
        else:
            ends["source"] = source.schema_id
    pair = (ends.get("source"), ends.get("target"))
    if not problems and feature.constraints is not None and pair not in feature.constraints:
        problems.append(f"relationship: {feature.name!r} does not allow a relationship from feature "
                        f"{pair[0]} to feature {pair[1]} (its constraints)")
    return problems


def _check_tool(feature: Feature, row: dict[str, Any], problems: list[str]) -> list[dict[str, Any]] | None:
    """Checks the geometry and the nested answers; returns the nested answers normalised, if any."""
    expected = feature.geometry_key
    if expected is None:
        problems.append(f"name: feature {feature.name!r} is a {feature.kind} tool, whose annotations the mock's "
                        f"imports do not take")
        return None
    others = [] if feature.forbidden.isdisjoint(row) else [
        key for key in GEOMETRY_KEYS + ANSWER_KEYS if key in feature.forbidden and key in row]
    if others:
        problems.append(f"{others[0]}: feature {feature.name!r} is a {feature.kind} tool, which takes {expected}")
    value = row.get(expected)
    placed = media.placed_geometry(feature.kind, row) if value is None else None
    if placed is not None:
        media.check_placed_geometry(placed, feature.kind, row[placed], _GEOMETRY_CHECKS, problems)
    elif value is None:
        if not others:
            problems.append(f"{expected}: feature {feature.name!r} is a {feature.kind} tool and needs {expected}")
    else:
        message = _GEOMETRY_CHECKS[expected](value)
        if message is not None:
            problems.append(f"{expected}{message}")
    nested = row.get("classifications")
    if not nested:
        return None
    return _check_nested(feature.nested, f"tool {feature.name!r}", nested, "classifications", problems)


def _check_nested(index: FeatureIndex | None, owner: str, nested: Any, path: str,
                  problems: list[str]) -> list[dict[str, Any]] | None:
    """Answers to the classifications nested under a tool object or a chosen option, at any depth.

    Each problem names its full path (`answer.classifications[0].answer.name: ...`);
    valid answers come back with their name and schemaId filled in.
    """
    if type(nested) is not list:
        problems.append(f"{path}: must be a list of nested classification answers, got {_short(nested)}")
        return None
    out: list[dict[str, Any]] = []
    for position, item in enumerate(nested):
        item_path = f"{path}[{position}]"
        if type(item) is not dict:
            problems.append(f"{item_path}: a nested classification answer is an object, got {_short(item)}")
            continue
        if index is None:
            label = item.get("name") or item.get("schemaId")
            problems.append(f"{item_path}: {owner} has no nested classification {_short(label)}")
            continue
        feature = index.resolve(item.get("name"), item.get("schemaId"))
        if isinstance(feature, str):
            problems.append(f"{item_path}.{feature}")
            continue
        found: list[str] = []
        answer = _check_classification(feature, item, found)
        problems.extend(f"{item_path}.{message}" for message in found)
        if answer is not None and not found:
            normalised = {key: value for key, value in item.items() if key != "answers"}
            out.append({**normalised, "name": feature.name, "schemaId": feature.schema_id, "answer": answer})
    return out


def _point_message(value: Any) -> str | None:
    if type(value) is not dict:
        return f": must be an object with numeric x and y, got {_short(value)}"
    if not (_number(value.get("x")) and _number(value.get("y"))):
        return f": x and y must be finite numbers, got {_short(value)}"
    return None


def _points_message(value: Any, minimum: int, what: str) -> str | None:
    if type(value) is not list:
        return f": a {what} is a list of points, got {_short(value)}"
    if len(value) < minimum:
        return f": a {what} needs at least {minimum} points, got {len(value)}"
    for index, point in enumerate(value):
        message = _point_message(point)
        if message is not None:
            return f"[{index}]{message}"
    return None


def _bbox_message(value: Any) -> str | None:
    # the common case first, inline: four finite numbers (x - x == 0 only for finite floats), sizes not negative
    if type(value) is dict:
        top, left, height, width = value.get("top"), value.get("left"), value.get("height"), value.get("width")
        if ((type(top) is int or (type(top) is float and top - top == 0))
                and (type(left) is int or (type(left) is float and left - left == 0))
                and (type(height) is int or (type(height) is float and height - height == 0))
                and (type(width) is int or (type(width) is float and width - width == 0))
                and height >= 0 and width >= 0):
            return None
    return _bbox_problem(value)


def _bbox_problem(value: Any) -> str | None:
    if type(value) is not dict:
        return f": must be an object with top, left, height and width, got {_short(value)}"
    for key in ("top", "left", "height", "width"):
        number = value.get(key)
        if not _number(number):
            return f".{key}: must be a finite number, got {_short(number)}"
        if key in ("height", "width") and number < 0:
            return f".{key}: must not be negative, got {number!r}"
    return None


def _mask_message(value: Any) -> str | None:
    if type(value) is not dict:
        return f": must be an object with instanceURI and colorRGB, or png, got {_short(value)}"
    uri, png = value.get("instanceURI"), value.get("png")
    if (uri is None) == (png is None):
        return ": give exactly one of instanceURI (with colorRGB) or png"
    if png is not None:
        try:
            decoded = base64.b64decode(png, validate=True) if isinstance(png, str) else b""
        except (binascii.Error, ValueError):
            decoded = b""
        return None if decoded.startswith(_PNG_SIGNATURE) else ".png: must be a base64-encoded PNG image"
    if not isinstance(uri, str) or not uri:
        return f".instanceURI: must be a URL, got {_short(uri)}"
    color = value.get("colorRGB")
    if (type(color) is not list or len(color) != 3
            or not all(type(c) is int and 0 <= c <= 255 for c in color)):
        return f".colorRGB: must be three integers within [0, 255], got {_short(color)}"
    return None


def _location_message(value: Any) -> str | None:
    if type(value) is not dict:
        return f": must be an object with start and end, got {_short(value)}"
    start, end = value.get("start"), value.get("end")
    if type(start) is not int or type(end) is not int or start < 0:
        return f": start and end must be non-negative integers, got {_short(value)}"
    if end < start:
        return f".end: must not be before start, got start {start} and end {end}"
    return None


_GEOMETRY_CHECKS = {
    "bbox": _bbox_message,
    "polygon": lambda value: _points_message(value, 3, "polygon"),
    "point": _point_message,
    "line": lambda value: _points_message(value, 2, "line"),
    "mask": _mask_message,
    "location": _location_message,
}


# -- classifications -------------------------------------------------------------------------------

def _check_classification(feature: Feature, row: dict[str, Any], problems: list[str]) -> Any:
    """Checks the answer; returns it normalised (options with name and schemaId) when it is valid."""
    geometry = [] if feature.forbidden.isdisjoint(row) else [key for key in GEOMETRY_KEYS if key in row]
    if geometry:
        problems.append(f"{geometry[0]}: feature {feature.name!r} is a {feature.kind} classification, "
                        "which takes an answer, not a geometry")
    if row.get("classifications"):  # nested answers belong under a chosen option, not the question
        problems.append(f"classifications: classification {feature.name!r} nests its questions under its options "
                        "(answer.classifications)")
    if "answer" in row and "answers" in row:
        problems.append("answers: give answer or answers, not both")
        return None
    key = "answers" if "answers" in row else "answer"
    answer = row.get(key)
    if answer is None:
        problems.append(f"answer: feature {feature.name!r} is a {feature.kind} classification and needs an answer")
        return None
    if feature.kind == "text":
        if key != "answer" or not isinstance(answer, str):
            problems.append(f"{key}: a text classification's answer is a string, got {_short(answer)}")
            return None
        return answer
    if feature.kind == "radio":
        if key != "answer" or type(answer) is not dict:
            problems.append(f"{key}: a radio classification's answer is one option "
                            f"{{name or schemaId}}, got {_short(answer)}")
            return None
        return _option(feature, answer, "answer", problems)
    # checklist
    if type(answer) is not list or not answer:
        problems.append(f"{key}: a checklist classification's answer is a non-empty list of options, "
                        f"got {_short(answer)}")
        return None
    chosen = [_option(feature, option, f"{key}[{index}]", problems) for index, option in enumerate(answer)]
    ids = [option["schemaId"] for option in chosen if option is not None]
    if len(ids) != len(set(ids)):
        problems.append(f"{key}: an option is chosen twice in checklist {feature.name!r}")
    return None if None in chosen else chosen


def _option(feature: Feature, option: Any, path: str, problems: list[str]) -> dict[str, Any] | None:
    if type(option) is not dict:
        problems.append(f"{path}: an option is an object with name or schemaId, got {_short(option)}")
        return None
    name, schema_id = option.get("name"), option.get("schemaId")
    found_id = None
    if name is None and schema_id is None:
        problems.append(f"{path}: an option needs a name or a schemaId")
        return None
    if name is not None:
        found_id = feature.option_ids.get(name) if isinstance(name, str) else None
        if found_id is None:
            problems.append(f"{path}.name: {_short(name)} is not an option of {feature.name!r} "
                            f"(options: {', '.join(feature.option_ids)})")
            return None
    if schema_id is not None:
        if not isinstance(schema_id, str) or schema_id not in feature.option_values:
            problems.append(f"{path}.schemaId: {_short(schema_id)} is not an option of {feature.name!r}")
            return None
        if found_id is not None and found_id != schema_id:
            problems.append(f"{path}.schemaId: {schema_id!r} is option {feature.option_values[schema_id]!r}, "
                            f"but name says {name!r}")
            return None
        found_id = schema_id
    assert found_id is not None  # a name or a schemaId resolved it, or we returned above
    confidence = option.get("confidence")
    if confidence is not None:
        _check_confidence(confidence, f"{path}.confidence", problems)
    if "customMetrics" in option:
        _check_custom_metrics(option["customMetrics"], f"{path}.customMetrics", problems)
    normalised = dict(option)
    if option.get("classifications"):
        nested = _check_nested(feature.option_nested.get(found_id), f"option {feature.option_values[found_id]!r}",
                               option["classifications"], f"{path}.classifications", problems)
        if nested is not None:
            normalised["classifications"] = nested
    normalised["name"] = feature.option_values[found_id]
    normalised["schemaId"] = found_id
    return normalised
