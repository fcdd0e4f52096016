"""The client side of a bulk benchmark, run in a process of its own so its CPU time and memory are its own.

    python benchmarks/bulk_client.py OP CLIENT URL MODEL_RUN_ID ROWS

OP is upsert, predictions, export or create_rows; CLIENT is lite (labelbox_lite) or
reference (labelbox 7.17.0); for create_rows, MODEL_RUN_ID is the id of an empty
dataset. Both are driven through the reference SDK's API names, so the same code
measures both. The inputs are built before the clock starts; the child
prints one JSON line: wall and CPU seconds of the operation, RSS before it and
the process's peak RSS.

This module imports only the standard library and the client under test, and is
run as a script rather than with -m: the reference SDK walks the whole call stack
on every request (inspect.stack() in lbox/call_info.py), which costs far more when
the stack holds runpy's frozen frames.
"""

from __future__ import annotations

import gc
import json
import resource
import sys
import time
import uuid
from collections.abc import Callable
from typing import Any

API_KEY = "test-key"
TOOL_NAME = "car"
EXPORT_PARAMS = {"media_attributes": True, "predictions": True}
OPERATIONS = ("upsert", "predictions", "export", "create_rows")
CLIENTS = ("lite", "reference")


def bench_row_id(index: int) -> str:
    """Deterministic cuid-shaped data row ids: the server seeds them, a client names them without being told."""
    return f"cbench{index:019d}"


def bench_prediction(index: int) -> dict[str, Any]:
    """One box prediction on data row `index`, in the NDJSON shape the SDK uploads."""
    return {
        "uuid": str(uuid.UUID(int=index + 1)),
        "dataRow": {"id": bench_row_id(index)},
        "name": TOOL_NAME,
        "bbox": {"top": index % 480, "left": index % 640, "height": 32, "width": 48},
    }


def make_client(kind: str, url: str) -> Any:
    if kind == "lite":
        import labelbox_lite

        return labelbox_lite.Client(api_key=API_KEY, endpoint=url + "/graphql", enable_experimental=True)
    import labelbox

    return labelbox.Client(api_key=API_KEY, endpoint=url + "/graphql", rest_endpoint=url + "/api/v1",
                           enable_experimental=True)


def prepare(operation: str, run: Any, rows: int) -> Callable[[], dict[str, Any]]:
    """Builds the inputs (untimed) and answers the operation to time, which reports what it did.

    Anything that checks the outcome but is not part of the operation goes in the
    report's "verify" callable, run after CPU time and peak RSS have been read.
    """
    if operation == "upsert":
        ids = [bench_row_id(i) for i in range(rows)]

        def upsert() -> dict[str, Any]:
            return {"result": bool(run.upsert_data_rows(data_row_ids=ids))}

        return upsert
    if operation == "predictions":
        predictions = [bench_prediction(i) for i in range(rows)]

        def add_predictions() -> dict[str, Any]:
            upload = run.add_predictions(name=f"bench-{rows}", predictions=predictions)
            upload.wait_till_done()

            def verify() -> dict[str, Any]:
                return {"state": str(upload.state), "errors": len(upload.errors or [])}

            return {"verify": verify}

        return add_predictions
    if operation == "export":

        def export_and_stream() -> dict[str, Any]:
            task = run.export(params=EXPORT_PARAMS)
            task.wait_till_done()
            streamed = 0

            def count(_output: Any) -> None:
                nonlocal streamed
                streamed += 1

            task.get_buffered_stream().start(stream_handler=count)
            return {"streamed": streamed}

        return export_and_stream
    if operation == "create_rows":  # `run` is a dataset here
        items = [{"row_data": f"https://example.com/bench/{i}.jpg", "global_key": f"{run.uid}-{i}",
                  "external_id": f"row-{i}"} for i in range(rows)]

        def create_rows() -> dict[str, Any]:
            task = run.create_data_rows(items)
            task.wait_till_done()

            def verify() -> dict[str, Any]:
                return {"created": len(task.result or []), "errors": len(task.errors or [])}

            return {"verify": verify}

        return create_rows
    raise ValueError(f"unknown operation {operation!r}; expected one of {OPERATIONS}")


def _status_mib(field: str) -> float:
    """VmRSS (now) or VmHWM (peak) of this process. VmHWM starts afresh at exec, unlike
    ru_maxrss, which carries over the spawning parent's RSS."""
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def measure(operation: str, kind: str, url: str, run_id: str, rows: int) -> dict[str, Any]:
    client = make_client(kind, url)
    run = client.get_dataset(run_id) if operation == "create_rows" else client.get_model_run(run_id)
    timed = prepare(operation, run, rows)
    gc.collect()
    rss_before = _status_mib("VmRSS")
    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    detail = timed()
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    peak_rss = _status_mib("VmHWM")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    verify = detail.pop("verify", None)
    if verify is not None:  # after the measurement: checking the outcome is not part of it
        detail.update(verify())
    return {"wall": wall, "cpu": cpu, "rss_before_mib": rss_before, "peak_rss_mib": peak_rss, "detail": detail}


def main(argv: list[str]) -> int:
    if len(argv) != 5 or argv[0] not in OPERATIONS or argv[1] not in CLIENTS:
        print(__doc__, file=sys.stderr)
        return 2
    operation, kind, url, run_id, rows = argv
    print(json.dumps(measure(operation, kind, url, run_id, int(rows))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
