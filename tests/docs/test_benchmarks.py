"""Each benchmark runs, at tiny sizes, and reports what it measured. No test here asserts a time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks import bulk, imports, keepalive, limits, per_call, report, standalone, suite, targets
from benchmarks.__main__ import build_parser
from benchmarks.bulk_client import OPERATIONS
from benchmarks.figures import Figure, SectionResult

pytestmark = [pytest.mark.bench_smoke, pytest.mark.slow]


def assert_reported(result: SectionResult) -> None:
    assert result.figures
    for figure in result.figures:
        assert figure.measured or figure.skipped, figure.key
        if figure.measured:
            summary = figure.summary()
            assert summary["min"] <= summary["q1"] <= summary["median"] <= summary["q3"] <= summary["max"]


def test_imports_measures_three_interpreters_and_the_clients_isolation() -> None:
    result = imports.run(repetitions=1)
    assert_reported(result)
    assert {f.key for f in result.figures if f.measured} >= {"import.lite.wall", "import.floor.peak_rss"}
    assert [check.ok for check in result.checks] == [True]


def test_per_call_measures_the_mock_and_its_static_floor() -> None:
    result = per_call.run(batches=1, calls=3, warmup=1)
    assert_reported(result)
    measured = {f.key for f in result.figures if f.measured}
    assert {"per_call.lite.mock", "per_call.lite.static"} <= measured


def test_standalone_measures_the_mock_server_and_the_static_server_over_keep_alive() -> None:
    result = standalone.run(batches=1, requests_per_batch=3, warmup=1)
    assert_reported(result)
    assert {"standalone.mock.rps", "standalone.static.rps"} <= {f.key for f in result.figures if f.measured}
    assert all(check.ok for check in result.checks), result.checks


def test_keepalive_measures_both_servers_at_each_client_count() -> None:
    result = keepalive.run(seconds=0.05, rounds=1, clients=(1, 4))
    assert_reported(result)
    measured = {f.key for f in result.figures if f.measured}
    for count in (1, 4):
        assert {f"keepalive.{name}.c{count}.{metric}" for name in ("mock", "static")
                for metric in ("rps", "p50", "p99")} <= measured
    assert len(result.checks) == 3  # the ratio at each count, the p99 at the largest; reported, not asserted


def test_bulk_runs_every_operation_this_build_has_and_names_the_others() -> None:
    result = bulk.run(sizes=(5, 10), repetitions=1)
    assert_reported(result)
    for operation in OPERATIONS:
        reason = bulk.unavailable(operation)
        keys = {f.key for f in result.figures if f.measured}
        if reason is None:
            assert f"bulk.{operation}.10.lite.client_cpu" in keys
        else:
            assert "not available in this build" in reason
            assert any(f.key == f"bulk.{operation}" and f.skipped == reason for f in result.figures)


def test_limits_measures_each_cost_beside_its_floor() -> None:
    result = limits.run(quick=True, scale=0.001)
    assert_reported(result)
    measured = {f.key for f in result.figures if f.measured}
    assert {"limits.export_render.mock", "limits.export_render.json_dumps", "limits.export_rss.after_10",
            "limits.per_call_tasks.0", "limits.encode.stdlib", "limits.parse.stdlib", "limits.validate.mock"} <= measured
    outcomes = {outcome.name: outcome for outcome in targets.evaluate(result.figures, [])}
    assert outcomes["export creation: mutation at the largest run vs the smallest"].status in ("pass", "MISS")


def test_suite_times_a_pytest_run() -> None:
    tiny = [("tiny", "one small test file", ["-q", "-p", "no:cacheprovider", "tests/mock/test_server_sockets.py"])]
    result = suite.run(repetitions=1, suites=tiny)
    assert_reported(result)
    assert "1 passed" in result.figures[0].note


def test_targets_and_report_cover_every_target_whatever_was_measured(tmp_path: Path) -> None:
    figures = [
        Figure("import.lite.wall", "import", "lite", "wall", "ms", samples=[12.0, 10.0]),
        Figure("import.floor.wall", "import", "floor", "wall", "ms", role="floor", samples=[10.0, 10.0]),
    ]
    outcomes = targets.evaluate(figures, [])
    assert len(outcomes) == len(targets.TARGETS)
    assert outcomes[0].measured == "1.10x" and outcomes[0].status == "pass"
    assert outcomes[0].spread == "1.05x to 1.15x"  # Q1 over the floor's Q3 to Q3 over its Q1
    assert {o.status for o in outcomes[1:]} == {"n/a"}
    context = {"command": "python -m benchmarks", "duration_s": 1.0, "machine": report.machine()}
    text = report.render(figures, outcomes, context)
    assert "| import: wall time vs floor (requests + attrs) | 1.10x | 1.05x to 1.15x | ≤ 1.30x | pass |" in text
    report.write_json(tmp_path / "latest.json", figures, outcomes, context)
    written = json.loads((tmp_path / "latest.json").read_text())
    assert written["figures"][0]["median"] == 11.0 and written["machine"]["nproc"] >= 1


def test_the_command_line_offers_quick_suite_and_sections() -> None:
    args = build_parser().parse_args(["--quick", "--suite", "--only", "import,bulk", "--sizes", "100,10"])
    assert args.quick and args.suite and args.only == ("import", "bulk") and args.sizes == (10, 100)
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--only", "nothing"])


def test_a_bulk_operation_that_fails_is_reported_and_the_run_goes_on(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(operation: str, rows: int, client: str, detail: dict[str, object]) -> None:
        raise RuntimeError(f"{client} did not do its work")

    monkeypatch.setattr(bulk, "_check_detail", refuse)
    result = bulk.run(sizes=(5,), repetitions=1, operations=("upsert",))
    [failed] = [f for f in result.figures if f.key == "bulk.upsert"]
    assert failed.skipped and "did not do its work" in failed.skipped
    assert [(check.ok, check.error) for check in result.checks] == [(False, True)]
