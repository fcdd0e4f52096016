"""The validator's fast path (plain tool rows, checked with code chosen once per import) reaches
exactly the verdicts, statuses and stored predictions of the full check it shortcuts, over rows of
every media, temporal classifications and video masks among them (drawn by `predictions`)."""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from mockserver.backend import Backend
from mockserver.engines.prediction_imports import model_run_scope
from mockserver.engines.predictions import GEOMETRY_KEYS, PredictionValidator, status_line
from mockserver.state import model_run_rows, models
from mockserver.strategies import PredictionTarget, mixed_predictions, predictions

from ..support import ONTOLOGY, standard_seed

# a run over rows of every kind of media, two of each (and two rows outside it), with a target per media type
MEDIA = ("IMAGE", "VIDEO", "TEXT", "DOCUMENT", "CONVERSATIONAL", "GEOSPATIAL_TILE", "AUDIO", "HTML")
ROW_MEDIA = {f"gk-{i}": MEDIA[i // 2] for i in range(2 * len(MEDIA))}


def _setup() -> tuple[Any, Any, dict[str, PredictionTarget]]:
    backend = Backend()
    org = backend.store.organizations()[0]
    created = backend.seed(standard_seed(len(ROW_MEDIA) + 2, media=ROW_MEDIA))
    run = models.create_model_run(org, backend.store.ids, backend.clock, created["models"][0], "run")
    model_run_rows.register_data_rows(org, backend.store.ids, backend.clock, run.id, [], list(ROW_MEDIA))
    ids = created["datasets"][0]["data_rows"]
    outside = [f"gk-{len(ROW_MEDIA)}", f"gk-{len(ROW_MEDIA) + 1}"]
    targets = {media: PredictionTarget.from_seed(
        ONTOLOGY, created["ontologies"][0], media_type=media, outside_global_keys=outside,
        global_keys=[key for key, of in ROW_MEDIA.items() if of == media],
        data_row_ids=[ids[i] for i, of in enumerate(ROW_MEDIA.values()) if of == media]) for media in MEDIA}
    return org, run, targets


ORG, RUN, TARGETS = _setup()
TARGET = TARGETS["IMAGE"]
_any_target = st.sampled_from(list(TARGETS.values()))


def _one_by_one(rows: list[Any]) -> tuple[list[dict[str, Any]], list[tuple[str, dict[str, Any]]]]:
    """What the general checks alone answer, row by row (no fast path)."""
    validator = PredictionValidator(model_run_scope(ORG, RUN))
    statuses, accepted = [], []
    for row in rows:
        status, prediction = validator.check(row)
        statuses.append(status)
        if prediction is not None:
            accepted.append(prediction)
    return statuses, accepted


def _variants(row: dict[str, Any]) -> list[dict[str, Any]]:
    """The row, and the fast path's shape of it (uuid, dataRow, name, geometry) where it has one."""
    plain: dict[str, Any] = {key: row[key] for key in ("uuid", "dataRow", "name", "bbox", "polygon", "point", "line",
                                                       "mask", "location") if key in row}
    if len(plain) != 4:
        return [row]
    if isinstance(plain["uuid"], str):  # its own uuid, so it is not refused as a repeat of the row
        plain["uuid"] += "-plain"
    return [row, plain]


_json: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.floats(allow_nan=False) | st.text(max_size=4),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=6)
_FEATURE_NAMES = [feature.name for feature in TARGET.features]
_CANDIDATES: dict[str, st.SearchStrategy[Any]] = {
    "uuid": st.sampled_from(["u-1", "u-2", "u-3", ""]),  # few, so rows repeat each other's
    "dataRow": st.sampled_from([*(ref for target in TARGETS.values() for ref in target.row_refs()),
                                {"id": "no-such-row"}, {"globalKey": "no-such-key"},
                                *({"globalKey": key} for key in TARGET.outside_global_keys),
                                {"id": TARGET.data_row_ids[0], "globalKey": TARGET.global_keys[0]}]),
    "name": st.sampled_from([*_FEATURE_NAMES, "no-such-feature"]),
}


@st.composite
def _rows_near_the_fast_path(draw: st.DrawFn) -> dict[str, Any]:
    """Rows of about the fast path's shape, each key valid, borrowed from another valid row, or anything."""
    sources = [draw(predictions(draw(_any_target))) for _ in range(2)]  # often of two media
    plain_keys = ["uuid", "dataRow", "name", *(key for key in GEOMETRY_KEYS if key in sources[0])]
    keys = draw(st.just(plain_keys) | st.lists(
        st.sampled_from(["uuid", "dataRow", "name", *GEOMETRY_KEYS, "schemaId", "confidence", "answer",
                         "classifications", "frames", "metricValue", "segments", "textSelections", "page", "unit",
                         "messageId", "masks"]), min_size=3, max_size=5, unique=True))
    row: dict[str, Any] = {}
    for key in keys:
        borrowed = [st.just(source[key]) for source in sources if key in source]
        if borrowed and draw(st.integers(0, 3)) != 0:  # mostly valid, so the fast path has rows to take
            row[key] = draw(borrowed[0])
        else:
            row[key] = draw(st.one_of(*borrowed[1:], _CANDIDATES.get(key, _json), _json))
    return row


def _plain(row: dict[str, Any]) -> bool:
    """A row the fast path exists for: uuid, a one-key dataRow, a tool's name and that tool's geometry."""
    extra = set(row) - {"uuid", "dataRow", "name"}
    return (len(row) == 4 and len(extra) == 1 and extra <= set(GEOMETRY_KEYS)
            and isinstance(row.get("dataRow"), dict) and len(row["dataRow"]) == 1)


@settings(max_examples=300, deadline=None)
@given(st.lists(_rows_near_the_fast_path(), min_size=1, max_size=8))
def test_the_fast_paths_verdict_is_the_full_checks_on_any_row(rows: list[dict[str, Any]]) -> None:
    """Row by row: where the fast path answers, the full check answers the same status and prediction;
    where it does not, the validator's own full check runs; and no plain row it could take escapes it."""
    taking_fast = PredictionValidator(model_run_scope(ORG, RUN))
    full_only = PredictionValidator(model_run_scope(ORG, RUN))
    lines: list[Any] = []
    row_ids: list[str] = []
    predictions: list[dict[str, Any]] = []
    take = taking_fast.fast_path.taker(lines, row_ids, predictions, owned=True)
    for row in rows:
        taken = take(copy.deepcopy(row))
        status, prediction = full_only.check(copy.deepcopy(row))
        if not taken:
            assert taking_fast.check(copy.deepcopy(row)) == (status, prediction)
            assert not (status["status"] == "SUCCESS" and _plain(row)), row
        else:
            assert status["status"] == "SUCCESS"
            assert lines.pop() == status_line(status) == json.dumps(status)
            assert (row_ids.pop(), predictions.pop()) == prediction
        assert not lines and not row_ids and not predictions  # a row it leaves adds nothing


@settings(max_examples=150, deadline=None)
@given(_any_target.flatmap(mixed_predictions), st.booleans())
def test_the_fast_path_agrees_with_the_general_checks(cases: list[tuple[dict[str, Any], Any]], repeat: bool) -> None:
    rows = [variant for row, _ in cases for variant in _variants(row)]
    if repeat and rows:  # a uuid used twice fails the second time, on either path
        rows.append(copy.deepcopy(rows[0]))
    expected_statuses, expected_accepted = _one_by_one(copy.deepcopy(rows))
    text = "\n".join(json.dumps(row) for row in rows)
    for outcome in (PredictionValidator(model_run_scope(ORG, RUN)).check_text(text),
                    PredictionValidator(model_run_scope(ORG, RUN)).check_rows(copy.deepcopy(rows))):
        assert outcome.statuses == expected_statuses
        assert outcome.accepted == expected_accepted
        assert [json.dumps(status) for status in outcome.statuses] == outcome.status_lines()[0]
        assert outcome.status_lines()[0] == [status_line(status) for status in expected_statuses]


def test_plain_rows_in_both_data_row_forms_are_accepted() -> None:
    rows = [{"uuid": "a", "dataRow": {"id": TARGET.data_row_ids[0]}, "name": "box",
             "bbox": {"top": 1, "left": 2, "height": 3, "width": 4}},
            {"uuid": "b", "dataRow": {"globalKey": "gk-1"}, "name": "dot", "point": {"x": 1.5, "y": 2}}]
    outcome = PredictionValidator(model_run_scope(ORG, RUN)).check_text("\n".join(json.dumps(row) for row in rows))
    assert outcome.status_lines() == ([json.dumps(status) for status in _one_by_one(copy.deepcopy(rows))[0]], [])
    assert [prediction["dataRow"] for prediction in outcome.predictions] == [
        {"id": TARGET.data_row_ids[0]}, {"id": TARGET.data_row_ids[1], "globalKey": "gk-1"}]


@settings(max_examples=50, deadline=None)
@given(st.lists(_any_target.flatmap(predictions), min_size=1, max_size=10,
                unique_by=lambda row: row.get("uuid") or json.dumps(row, sort_keys=True)))
def test_check_rows_leaves_the_callers_rows_as_they_were(rows: list[dict[str, Any]]) -> None:
    given_rows = [variant for row in rows for variant in _variants(row)][:1] + rows[1:]
    before = copy.deepcopy(given_rows)
    PredictionValidator(model_run_scope(ORG, RUN)).check_rows(given_rows)
    assert given_rows == before


def test_a_value_spread_over_lines_is_one_failure_per_line() -> None:
    """The scanner reads straight from the text, but a value must still end on its own line."""
    row = {"uuid": "spread", "dataRow": {"id": TARGET.data_row_ids[0]}, "name": "dot", "point": {"x": 1, "y": 2}}
    text = json.dumps(row, indent=1) + "\n\n" + json.dumps({**row, "uuid": "whole"}) + "\n"
    outcome = PredictionValidator(model_run_scope(ORG, RUN)).check_text(text)
    lines = [line for line in text.split("\n") if line.strip()]
    assert [status["status"] for status in outcome.statuses] == ["FAILURE"] * (len(lines) - 1) + ["SUCCESS"]
    assert outcome.statuses[0]["errors"][0]["message"].startswith("line 1: not valid JSON")
    assert [prediction["uuid"] for prediction in outcome.predictions] == ["whole"]


def test_an_import_leaves_the_collector_on_and_what_others_froze_frozen() -> None:
    import gc

    from mockserver.engines.prediction_imports import run_mea_import
    from mockserver.state.records import AnnotationImport

    from .test_prediction_validation import BACKEND

    row = {"uuid": "frozen-1", "dataRow": {"id": TARGET.data_row_ids[0]}, "name": "dot", "point": {"x": 1, "y": 2}}
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        record = AnnotationImport(id="f", name="f", kind="mea", model_run_id=RUN.id, created_at=0.0,
                                  input_text=json.dumps(row))
        assert run_mea_import(ORG, BACKEND.files, BACKEND.clock, record) == {"rows": 1, "accepted": 1}
        assert gc.get_freeze_count() > frozen // 2 and gc.isenabled()  # still frozen (a few may be freed)
    finally:
        gc.unfreeze()
    record = AnnotationImport(id="g", name="g", kind="mea", model_run_id=RUN.id, created_at=0.0,
                              input_text=json.dumps({**row, "uuid": "frozen-2"}))
    run_mea_import(ORG, BACKEND.files, BACKEND.clock, record)
    assert gc.get_freeze_count() == 0 and gc.isenabled()
