"""How fast the mock validates prediction imports: rows per second, parse + validate + store.

    python -m benchmarks.prediction_validation [rows]

Builds a model run over 1,000 data rows and imports `rows` NDJSON predictions of
every kind (one in five invalid), each on a row of its media through the same code an import task runs.
"""

from __future__ import annotations

import json
import sys
import time
import uuid
from typing import Any

from mockserver.backend import Backend
from mockserver.engines.prediction_imports import run_mea_import
from mockserver.state import model_run_rows, models
from mockserver.state.records import AnnotationImport

ONTOLOGY = {
    "name": "everything",
    "tools": [{"tool": "rectangle", "name": "box"}, {"tool": "polygon", "name": "area"},
              {"tool": "point", "name": "dot"}, {"tool": "line", "name": "edge"},
              {"tool": "named-entity", "name": "entity"}],
    "classifications": [{"type": "radio", "name": "quality", "options": ["good", "bad"]},
                        {"type": "checklist", "name": "tags", "options": ["a", "b", "c"]},
                        {"type": "text", "name": "note"}],
}

SHAPES: list[dict[str, Any]] = [
    {"name": "box", "bbox": {"top": 1.0, "left": 2.0, "height": 30.0, "width": 40.0}, "confidence": 0.8},
    {"name": "area", "polygon": [{"x": 1.0, "y": 1.0}, {"x": 9.0, "y": 1.0}, {"x": 9.0, "y": 9.0}]},
    {"name": "dot", "point": {"x": 5.5, "y": 6.5}},
    {"name": "edge", "line": [{"x": 0.0, "y": 0.0}, {"x": 5.0, "y": 5.0}]},
    {"name": "entity", "location": {"start": 3, "end": 9}},
    {"name": "quality", "answer": {"name": "good", "confidence": 0.4}},
    {"name": "tags", "answer": [{"name": "a"}, {"name": "c"}]},
    {"name": "note", "answer": "looks fine"},
    {"name": "box", "bbox": {"top": 1.0, "left": 2.0, "height": -3.0, "width": 4.0}},  # invalid
    {"name": "quality", "answer": {"name": "meh"}},  # invalid
]


def main(rows: int = 200_000) -> None:
    backend = Backend()
    org = backend.store.organizations()[0]
    keys = [f"gk-{i}" for i in range(1000)]
    texts = keys[900:]  # text rows, for the entities: the rest are images
    created = backend.seed({"ontologies": [ONTOLOGY],
                            "datasets": [{"name": "d", "data_rows": [
                                {"row_data": "x", "global_key": k, "media_type": "TEXT" if k in texts else "IMAGE"}
                                for k in keys]}],
                            "models": [{"name": "m", "ontology": "everything"}]})
    run = models.create_model_run(org, backend.store.ids, backend.clock, created["models"][0], "bench")
    model_run_rows.register_data_rows(org, backend.store.ids, backend.clock, run.id, [], keys)
    text = "\n".join(
        json.dumps({"uuid": str(uuid.uuid4()), **SHAPES[i % len(SHAPES)], "dataRow": {
            "globalKey": texts[i % len(texts)] if "location" in SHAPES[i % len(SHAPES)] else keys[i % 900]}})
        for i in range(rows)
    )
    record = AnnotationImport(id="bench", name="bench", kind="mea", model_run_id=run.id, created_at=0.0,
                              input_text=text)
    started = time.perf_counter()
    counts = run_mea_import(org, backend.files, backend.clock, record)
    elapsed = time.perf_counter() - started
    print(f"{counts['rows']} rows ({counts['accepted']} accepted) in {elapsed:.2f} s: "
          f"{counts['rows'] / elapsed:,.0f} rows/s (parse, validate, statuses, store)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200_000)
