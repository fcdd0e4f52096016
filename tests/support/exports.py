"""Building model runs for export tests straight into the mock's state, and reading exports back raw.

Going through state (not the API) keeps property tests fast; the API paths for
registration have their own tests.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from attrs import define, field

import labelbox_lite as lb
from labelbox_lite import documents as docs
from mockserver.backend import Backend
from mockserver.engines import export_rows
from mockserver.state import model_run_rows
from mockserver.state.models import create_model_run
from mockserver.state.organization import Organization
from mockserver.state.records import ModelRun

from .world import ONTOLOGY

# One NDJSON prediction per feature kind the exports render differently.
PREDICTION_SHAPES: dict[str, dict[str, Any]] = {
    "box": {"name": "box", "bbox": {"top": 1, "left": 2, "height": 3, "width": 4}},
    "area": {"name": "area", "polygon": [{"x": 1, "y": 1}, {"x": 5, "y": 1}, {"x": 3, "y": 4}]},
    "dot": {"name": "dot", "point": {"x": 7, "y": 8}},
    "quality": {"name": "quality", "answer": {"name": "good"}},
    "tags": {"name": "tags", "answer": [{"name": "a"}, {"name": "c"}]},
    "note": {"name": "note", "answer": "looks fine"},
}


@define
class RowSpec:
    """One data row of a generated run: what the export must show for it."""

    global_key: str | None = None
    external_id: str | None = None
    labels: int = 0
    predictions: list[str] = field(factory=list)  # keys of PREDICTION_SHAPES
    split: str | None = None
    in_run: bool = True


@define
class BuiltRun:
    run_id: str
    model_id: str
    data_row_ids: list[str]  # one per RowSpec, in order
    label_ids: list[list[str]]  # per RowSpec
    prediction_uuids: list[list[str]]  # per RowSpec


def org_of(backend: Backend, api_key: str = "test-key") -> Organization:
    org = backend.store.org_for_key(api_key)
    assert org is not None
    return org


def build_run(backend: Backend, rows: list[RowSpec], run_name: str = "run") -> BuiltRun:
    """Seeds an ontology, a dataset with `rows`, their labels and a model, then a run holding them."""
    data_rows = []
    for index, spec in enumerate(rows):
        row: dict[str, Any] = {"row_data": f"https://example.com/{index}.jpg"}
        if spec.global_key is not None:
            row["global_key"] = spec.global_key
        if spec.external_id is not None:
            row["external_id"] = spec.external_id
        data_rows.append(row)
    labels: list[dict[str, Any]] = [
        {"data_row": f"#{index}", "annotations": [{"name": "box", "bbox": {"top": n, "left": 0, "height": 1, "width": 1}}]}
        for index, spec in enumerate(rows) for n in range(spec.labels)
    ]
    org, store = org_of(backend), backend.store
    ontologies = [ONTOLOGY] if not any(o.name == ONTOLOGY["name"] for o in org.ontologies.values()) else []
    created = backend.seed({"ontologies": ontologies, "datasets": [{"name": run_name, "data_rows": data_rows}]})
    row_ids = created["datasets"][0]["data_rows"]
    for label in labels:
        label["data_row"] = row_ids[int(label["data_row"][1:])]
    created = backend.seed({"projects": [{"name": run_name, "ontology": ONTOLOGY["name"], "labels": labels}],
                            "models": [{"name": run_name, "ontology": ONTOLOGY["name"]}]})
    label_ids = iter(created["projects"][0]["labels"])
    model_id = created["models"][0]
    run = create_model_run(org, store.ids, store.clock, model_id, run_name)
    built = BuiltRun(run.id, model_id, list(row_ids), [], [])
    for index, spec in enumerate(rows):
        ids = [next(label_ids) for _ in range(spec.labels)]
        built.label_ids.append(ids if spec.in_run else [])
        built.prediction_uuids.append([])
        if not spec.in_run:
            continue
        model_run_rows.register_data_rows(org, store.ids, store.clock, run.id, [row_ids[index]], [])
        if ids:
            model_run_rows.register_labels(org, store.ids, store.clock, run.id, ids)
        entry = run.rows[row_ids[index]]
        for number, kind in enumerate(spec.predictions):
            uuid = f"pred-{index}-{number}"
            entry.predictions.append({"uuid": uuid, "dataRow": {"id": row_ids[index]}, **PREDICTION_SHAPES[kind]})
            built.prediction_uuids[index].append(uuid)
        if spec.split is not None:
            model_run_rows.assign_splits(org, store.clock, run.id, [(spec.split, [row_ids[index]], [])])
    return built


def model_run(backend: Backend, run_id: str) -> ModelRun:
    return org_of(backend).model_run(run_id)


def raw_chunk(client: lb.Client, task_id: str, offset: int, stream: str = "RESULT") -> dict[str, Any]:
    """exportFileFromOffset as the server answers it."""
    data = client.execute(docs.GET_EXPORT_FILE_FROM_OFFSET,
                          {"where": {"id": task_id}, "streamType": stream, "offset": str(offset)})
    chunk: dict[str, Any] = data["task"]["exportFileFromOffset"]
    return chunk


def raw_chunks(client: lb.Client, task_id: str, total_size: int, stream: str = "RESULT") -> list[tuple[dict[str, Any], bytes]]:
    """Every chunk of a stream, walked as a client walks it, with its downloaded bytes."""
    out, offset = [], 0
    while offset < total_size:
        chunk = raw_chunk(client, task_id, offset, stream)
        out.append((chunk, client.download(chunk["file"])))
        offset = int(chunk["offsets"]["end"]) + 1
    return out


def watch_rows(monkeypatch: pytest.MonkeyPatch, before: Callable[[Any, int], object]) -> None:
    """Calls `before(run, index)` as the export engine is about to render row `index` of a model run's
    snapshot `run` (it finds `export_rows.v2_run_rows` when it renders)."""
    original = export_rows.v2_run_rows

    def watched(run: Any) -> Callable[[int], dict[str, Any]]:
        row = original(run)

        def each(index: int) -> dict[str, Any]:
            before(run, index)
            return row(index)

        return each

    monkeypatch.setattr(export_rows, "v2_run_rows", watched)
