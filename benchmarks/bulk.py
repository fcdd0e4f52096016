"""Bulk operations against the standalone mock: labelbox_lite and the reference SDK side by side.

- upsert_data_rows with N data row ids;
- add_predictions with N prediction rows (and the mock's validation rate);
- export of a run with N data rows, streamed with get_buffered_stream();
- create_data_rows of N rows into an empty dataset (chunks, manifest, upsert task), waited for.

One mock server process is seeded with the largest N. For every repetition each
client gets a fresh model run (prepared by the parent, untimed), and runs the
operation in a child process of its own (benchmarks.bulk_client), so the CPU time
and peak RSS reported are the client's alone; the mock's CPU time is read from
/proc for the same span. N runs over several sizes (10k, 30k, 100k by default) so
the curve shows whether cost per row stays flat.

Prediction import and export are measured only when labelbox_lite.ModelRun has
add_predictions / export; otherwise their rows say the feature is not in this build.
"""

from __future__ import annotations

import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .bulk_client import API_KEY, CLIENTS, OPERATIONS, bench_row_id
from .figures import REFERENCE, SUBJECT, Check, Figure, SectionResult, skipped_figure
from .processes import ServerProcess, has_module, run_child

DEFAULT_SIZES = (10_000, 30_000, 100_000)
CLIENT_SCRIPT = str(Path(__file__).resolve().parent / "bulk_client.py")
LABELS = {
    "upsert": "upsert_data_rows",
    "predictions": "add_predictions + wait_till_done",
    "export": "export + wait_till_done + buffered stream",
    "create_rows": "Dataset.create_data_rows + wait_till_done",
}
FEATURES = {"upsert": "upsert_data_rows", "predictions": "add_predictions", "export": "export",
            "create_rows": "create_data_rows"}
CLIENT_LABELS = {"lite": "labelbox_lite", "reference": "labelbox 7.17.0 (reference)"}
METRICS = (  # (name, metric, unit)
    ("wall", "wall time", "s"),
    ("client_cpu", "client CPU time", "s"),
    ("client_peak_rss", "client peak RSS", "MiB"),
    ("mock_cpu", "mock CPU time", "s"),
)


def section(operation: str) -> str:
    return f"bulk: {LABELS[operation]} (standalone mock)"


def size_label(rows: int) -> str:
    return f"{rows // 1000}k" if rows % 1000 == 0 and rows >= 1000 else str(rows)


def figure_key(operation: str, rows: int, client: str, metric: str) -> str:
    return f"bulk.{operation}.{rows}.{client}.{metric}"


def unavailable(operation: str) -> str | None:
    """Why an operation cannot be measured in this build, or None if it can."""
    import labelbox_lite

    feature = FEATURES[operation]
    owner = "Dataset" if operation == "create_rows" else "ModelRun"
    if not hasattr(getattr(labelbox_lite, owner, None), feature):
        return f"not available in this build: labelbox_lite.{owner} has no {feature}"
    return None


def _prepare_run(model: Any, operation: str, rows: int, name: str) -> Any:
    """A fresh model run; for predictions and export, already holding the N data rows; for
    create_rows, an empty dataset instead. Either has delete()."""
    if operation == "create_rows":
        return model.client.create_dataset(name=name)
    run = model.create_model_run(name)
    if operation in ("predictions", "export"):
        run.upsert_data_rows(data_row_ids=[bench_row_id(i) for i in range(rows)])
    return run


def _figures_for(operation: str, rows: int, client: str) -> dict[str, Figure]:
    role = SUBJECT if client == "lite" else REFERENCE
    subject = f"{CLIENT_LABELS[client]}, {size_label(rows)} rows"
    figures = {name: Figure(figure_key(operation, rows, client, name), section(operation), subject, metric, unit, role)
               for name, metric, unit in METRICS}
    if operation == "create_rows":  # cost per row, which should stay flat as N grows
        for name, metric in (("client_us_per_row", "client CPU per row"), ("mock_us_per_row", "mock CPU per row")):
            figures[name] = Figure(figure_key(operation, rows, client, name), section(operation), subject, metric,
                                   "µs", role)
    if operation == "predictions":
        figures["mock_rows_per_s"] = Figure(figure_key(operation, rows, client, "mock_rows_per_s"), section(operation),
                                            subject, "mock validation rate (rows / mock CPU s)", "rows/s", SUBJECT,
                                            better="higher")
    return figures


def run(sizes: Sequence[int] = DEFAULT_SIZES, repetitions: int = 3,
        operations: Sequence[str] = OPERATIONS) -> SectionResult:
    import labelbox_lite as lb

    result = SectionResult()
    clients = [c for c in CLIENTS if c == "lite" or has_module("labelbox")]
    runnable = []
    for operation in operations:
        reason = unavailable(operation)
        if reason is None:
            runnable.append(operation)
        else:
            result.figures.append(skipped_figure(f"bulk.{operation}", section(operation), "labelbox_lite and "
                                                 "labelbox 7.17.0", "all figures", "", reason))
    if "reference" not in clients:
        for operation in runnable:
            result.figures.append(skipped_figure(f"bulk.{operation}.reference", section(operation),
                                                 CLIENT_LABELS["reference"], "all figures", "",
                                                 "labelbox is not installed (tox -e bench installs 7.17.0)",
                                                 REFERENCE))
    if not runnable:
        return result

    with ServerProcess(["-m", "benchmarks.servers", "mock", "--rows", str(max(sizes))], startup_timeout=300) as server:
        setup = lb.Client(api_key=API_KEY, endpoint=server.url + "/graphql", enable_experimental=True)
        model = setup.get_model(server.info["model_id"])
        for operation in runnable:
            try:  # one operation failing (a client or the mock refusing it) leaves the others' figures
                result.figures.extend(_measure(server, model, operation, sizes, repetitions, clients))
            except Exception as error:
                traceback.print_exc()
                reason = f"failed: {type(error).__name__}: {str(error)[:300]}"
                result.figures.append(skipped_figure(f"bulk.{operation}", section(operation),
                                                     "labelbox_lite and labelbox 7.17.0", "all figures", "", reason))
                result.checks.append(Check(f"bulk benchmark {LABELS[operation]} ran", False, reason, error=True))
        setup.close()
    return result


def _measure(server: ServerProcess, model: Any, operation: str, sizes: Sequence[int], repetitions: int,
             clients: Sequence[str]) -> list[Figure]:
    from mockserver import MockServerClient
    from mockserver.engines.files import DEFAULT_TTL_SECONDS

    steering = MockServerClient(server.url, API_KEY)
    measured_figures: list[Figure] = []
    for rows in sizes:
        figures = {client: _figures_for(operation, rows, client) for client in clients}
        for repetition in range(repetitions):
            # alternate who goes first, so neither always meets a warmer or fuller mock
            order = list(clients) if repetition % 2 == 0 else list(reversed(clients))
            for client in order:
                model_run = _prepare_run(model, operation, rows, f"{operation}-{rows}-{client}-{repetition}")
                mock_cpu_before = server.cpu_seconds()
                child = run_child([CLIENT_SCRIPT, operation, client, server.url, model_run.uid, str(rows)],
                                  timeout=900)
                mock_cpu = server.cpu_seconds() - mock_cpu_before
                measured = child.json()
                _check_detail(operation, rows, client, measured["detail"])
                row = figures[client]
                row["wall"].samples.append(measured["wall"])
                row["client_cpu"].samples.append(measured["cpu"])
                row["client_peak_rss"].samples.append(measured["peak_rss_mib"])
                row["mock_cpu"].samples.append(mock_cpu)
                if "client_us_per_row" in row:
                    row["client_us_per_row"].samples.append(measured["cpu"] * 1e6 / rows)
                    row["mock_us_per_row"].samples.append(mock_cpu * 1e6 / rows)
                if "mock_rows_per_s" in row:
                    if mock_cpu > 0:
                        row["mock_rows_per_s"].samples.append(rows / mock_cpu)
                    elif not row["mock_rows_per_s"].samples:
                        # tiny runs can finish inside one tick of the process CPU clock
                        row["mock_rows_per_s"].skipped = "mock CPU time below the clock's resolution"
                model_run.delete()
                # the run's uploaded files count against the organisation's 64 MiB until they expire: move
                # its clock past their lifetime, so the next run starts with the quota free, as on a new day
                steering.advance_clock(DEFAULT_TTL_SECONDS + 1)
        for client in clients:
            for figure in figures[client].values():
                figure.note = f"{repetitions} runs, client in its own process"
            measured_figures.extend(figures[client].values())
    return measured_figures


def _check_detail(operation: str, rows: int, client: str, detail: dict[str, Any]) -> None:
    """A benchmark that did not do its work measures nothing; say so rather than report it."""
    if operation == "upsert" and detail.get("result") is not True:
        raise RuntimeError(f"{client} upsert_data_rows of {rows} rows did not report success: {detail}")
    if operation == "predictions" and ("FINISHED" not in str(detail.get("state")) or detail.get("errors")):
        raise RuntimeError(f"{client} add_predictions of {rows} rows did not finish cleanly: {detail}")
    if operation == "export" and detail.get("streamed") != rows:
        raise RuntimeError(f"{client} export streamed {detail.get('streamed')} rows, expected {rows}")
    if operation == "create_rows" and (detail.get("created") != rows or detail.get("errors")):
        raise RuntimeError(f"{client} create_data_rows of {rows} rows did not create them all cleanly: {detail}")
