"""Streaming a large model-run export with labelbox_lite: wall time and peak memory.

Builds runs of each size in the in-process mock (every row predicted, every
other one labelled, all in splits), exports them with every part included, and
streams the result. "export s" is the time to create and wait for the export
(snapshot and rendering every line once, in the mock); "kept MiB" is what the
mock holds per export (its rendered bytes and line index). Memory is measured with tracemalloc over the streaming
alone (a separate pass from the timed one, as tracing slows Python down), so
it counts what reading the stream costs: the client's buffers and the mock's
rendering of one chunk. The empty run is the baseline. With the Labelbox SDK
(7.x) installed, its get_buffered_stream runs over the same exports for
comparison; it writes each chunk to a temporary file and reads it back.

    python -m benchmarks.export_stream                 # 0, 1,000 and 100,000 rows
    python -m benchmarks.export_stream --rows 0 100000 --chunk-bytes 4194304
"""

from __future__ import annotations

import argparse
import gc
import logging
import resource
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import labelbox_lite as lb
from mockserver import MockLabelbox
from mockserver.engines.export import DEFAULT_CHUNK_BYTES, Retention
from mockserver.state import model_run_rows
from mockserver.state.models import create_model_run

PARAMS: lb.ModelRunExportParams = {
    "data_row_details": True, "metadata_fields": True, "attachments": True, "embeddings": True,
    "predictions": True, "model_run_details": True, "media_attributes": True,
}
ONTOLOGY = {"name": "bench", "tools": [{"tool": "rectangle", "name": "box"}],
            "classifications": [{"type": "radio", "name": "quality", "options": ["good", "bad"]}]}
SPLITS = ("TRAINING", "VALIDATION", "TEST")


def build_run(mock: MockLabelbox, rows: int, name: str) -> str:
    """A run of `rows` data rows: even rows labelled, every row with one prediction, all in splits."""
    created = mock.seed({
        "ontologies": [ONTOLOGY] if name == "0" else [],
        "datasets": [{"name": name, "data_rows": [
            {"row_data": f"https://example.com/{name}/{i}.jpg", "global_key": f"{name}-{i}", "external_id": f"x-{i}"}
            for i in range(rows)
        ]}],
    })
    row_ids = created["datasets"][0]["data_rows"]
    created = mock.seed({
        "projects": [{"name": name, "ontology": "bench", "labels": [
            {"data_row": row_ids[i], "annotations": [{"name": "box", "bbox": {"top": i, "left": 1, "height": 2, "width": 3}}]}
            for i in range(0, rows, 2)
        ]}],
        "models": [{"name": name, "ontology": "bench"}],
    })
    org = mock.backend.store.org_for_key(mock.api_key)
    assert org is not None
    store = mock.backend.store
    run = create_model_run(org, store.ids, store.clock, created["models"][0], name)
    model_run_rows.register_data_rows(org, store.ids, store.clock, run.id, row_ids, [])
    model_run_rows.register_labels(org, store.ids, store.clock, run.id, created["projects"][0]["labels"])
    for index, row_id in enumerate(row_ids):
        run.rows[row_id].predictions.append({"uuid": f"p-{index}", "name": "quality", "answer": {"name": "good"}})
    model_run_rows.assign_splits(org, store.clock, run.id,
                                 [(split, row_ids[number::3], []) for number, split in enumerate(SPLITS)])
    return run.id


def lite_stream(task: lb.ExportTask) -> int:
    if not task.has_result():
        return 0
    return sum(1 for _ in task.get_buffered_stream())


def sdk_stream(client: Any, task_id: str) -> int:
    import labelbox

    task = labelbox.ExportTask.get_task(client, task_id)
    if not task.has_result():
        return 0
    count = 0

    def handle(_output: Any) -> None:
        nonlocal count
        count += 1

    task.get_buffered_stream().start(stream_handler=handle)
    return count


def measure(stream: Callable[[], int]) -> dict[str, float]:
    gc.collect()
    started = time.perf_counter()
    lines = stream()
    seconds = time.perf_counter() - started
    gc.collect()
    tracemalloc.start()
    stream()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"lines": lines, "seconds": seconds, "peak_mib": peak / 2**20}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[0, 1_000, 100_000])
    parser.add_argument("--chunk-bytes", type=int, default=DEFAULT_CHUNK_BYTES)
    parser.add_argument("--no-sdk", action="store_true", help="skip the Labelbox SDK even if it is installed")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)

    sdk_client = None
    if not args.no_sdk:
        try:
            import labelbox

            if labelbox.__version__.startswith("7."):
                sdk_client = labelbox.Client(api_key="test-key")
        except ImportError:
            pass

    results = []
    with MockLabelbox() as mock:
        mock.set_export_chunking(args.chunk_bytes, align_to_lines=True)
        # each export is streamed after a second one is made: keep both past the default cap
        mock.backend.exports.retention = Retention(bytes_per_org=2**40)
        org = mock.backend.store.org_for_key(mock.api_key)
        assert org is not None
        client = lb.Client(api_key=mock.api_key)
        for rows in args.rows:
            run = client.get_model_run(build_run(mock, rows, str(rows)))
            gc.collect()
            started = time.perf_counter()
            task = run.export(params=PARAMS)
            task.wait_till_done()
            export_seconds = time.perf_counter() - started
            # what the mock keeps per export (rendered bytes and line index), on a second export
            gc.collect()
            held = mock.backend.exports.held_bytes(org)
            tracemalloc.start()
            run.export(params=PARAMS).wait_till_done()
            retained, _peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            retained += mock.backend.exports.held_bytes(org) - held  # rendered bytes live in memory maps, untraced
            size = task.get_total_file_size(lb.StreamType.RESULT) if task.has_result() else 0
            lite = measure(lambda task=task: lite_stream(task))  # type: ignore[misc]
            sdk = measure(lambda task=task: sdk_stream(sdk_client, task.uid)) if sdk_client else None  # type: ignore[misc]
            results.append((rows, size, export_seconds, retained / 2**20, lite, sdk))

    print(f"chunk size {args.chunk_bytes:,} bytes (lines kept whole); peak = tracemalloc peak while streaming")
    print(f"maxrss of the whole run: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    header = f"{'rows':>8} {'export MiB':>10} {'export s':>8} {'kept MiB':>9} | {'lite s':>7} {'lite peak MiB':>13}"
    print(header + (f" | {'sdk s':>7} {'sdk peak MiB':>12}" if sdk_client else ""))
    for rows, size, export_seconds, kept, lite, sdk in results:
        line = (f"{rows:>8,} {(size or 0) / 2**20:>10.1f} {export_seconds:>8.2f} {kept:>9.1f} | "
                f"{lite['seconds']:>7.2f} {lite['peak_mib']:>13.2f}")
        assert lite["lines"] == rows, (lite["lines"], rows)
        if sdk is not None:
            line += f" | {sdk['seconds']:>7.2f} {sdk['peak_mib']:>12.2f}"
        print(line)


if __name__ == "__main__":
    main()
