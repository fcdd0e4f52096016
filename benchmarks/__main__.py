"""python -m benchmarks: run the suite, print the tables, write benchmarks/results/latest.json.

    python -m benchmarks              moderate repetitions (a few minutes on 2 cores)
    python -m benchmarks --quick      fewer repetitions, same sizes
    python -m benchmarks --suite      also time the test suite
    python -m benchmarks --only import,per_call

Benchmarks are not tests: a missed target is reported, and the exit status is 0
unless a benchmark failed to run (or --strict is given and a target is missed).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from . import bulk, imports, keepalive, limits, per_call, report, standalone, suite, targets
from .figures import Check, SectionResult, skipped_figure

SECTIONS = ("import", "per_call", "standalone", "keepalive", "bulk", "limits", "suite")


def _sizes(text: str) -> tuple[int, ...]:
    sizes = tuple(sorted(int(part) for part in text.split(",") if part.strip()))
    if not sizes or min(sizes) <= 0:
        raise argparse.ArgumentTypeError("sizes are positive integers, comma-separated")
    return sizes


def _sections(text: str) -> tuple[str, ...]:
    chosen = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [name for name in chosen if name not in SECTIONS]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown section(s) {unknown}; choose from {', '.join(SECTIONS)}")
    return chosen


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (same sizes)")
    parser.add_argument("--suite", action="store_true", help="also time the test suite (py and contract)")
    parser.add_argument("--only", type=_sections, default=None, metavar="SECTIONS",
                        help=f"comma-separated subset of {','.join(SECTIONS)}")
    parser.add_argument("--sizes", type=_sizes, default=bulk.DEFAULT_SIZES, metavar="N,N,N",
                        help="row counts for the bulk benchmarks (default 10000,30000,100000)")
    parser.add_argument("--output", type=Path, default=report.RESULTS / "latest.json", help="where the JSON goes")
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    return parser


def plan(args: argparse.Namespace) -> list[tuple[str, Callable[[], SectionResult]]]:
    quick = args.quick
    steps: list[tuple[str, Callable[[], SectionResult]]] = [
        ("import", lambda: imports.run(repetitions=5 if quick else 15)),
        ("per_call", lambda: per_call.run(batches=5 if quick else 15, calls=200 if quick else 300)),
        ("standalone", lambda: standalone.run(batches=5 if quick else 10, requests_per_batch=200 if quick else 300)),
        # many short rounds settle the per-round ratio better than a few long ones (docs/benchmarks.md)
        ("keepalive", lambda: keepalive.run(seconds=0.5 if quick else 1.0, rounds=8 if quick else 12)),
        ("bulk", lambda: bulk.run(sizes=args.sizes, repetitions=1 if quick else 3)),
        ("limits", lambda: limits.run(quick=quick)),
        ("suite", lambda: suite.run(repetitions=1 if quick else 3)),
    ]
    chosen = args.only or tuple(name for name in SECTIONS if name != "suite" or args.suite)
    return [(name, step) for name, step in steps if name in chosen]


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    started = time.perf_counter()
    load_at_start = os.getloadavg()
    collected = SectionResult()
    failed = False
    for name, step in plan(args):
        print(f"[benchmarks] {name} ...", file=sys.stderr, flush=True)
        section_started = time.perf_counter()
        try:
            collected.extend(step())
        except Exception as error:  # report the rest of the run, then fail
            failed = True
            traceback.print_exc()
            collected.checks.append(Check(f"benchmark section {name} ran", False, f"{type(error).__name__}: {error}",
                                          error=True))
        print(f"[benchmarks] {name} done in {time.perf_counter() - section_started:.1f} s", file=sys.stderr, flush=True)
    if not args.suite and (args.only is None or "suite" not in args.only):
        for key, label, _ in suite.SUITES:
            collected.figures.append(skipped_figure(f"suite.{key}", suite.SECTION, label, "wall time", "s",
                                                    "not run: pass --suite"))

    outcomes = targets.evaluate(collected.figures, collected.checks)
    context = {
        "command": report.command_line(),
        "finished": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "duration_s": time.perf_counter() - started,
        "options": {"quick": args.quick, "suite": args.suite, "sizes": list(args.sizes)},
        "machine": report.machine(),
        # the machine may be shared: other work running alongside shows here
        "load_average_1_5_15": {"start": load_at_start, "end": os.getloadavg()},
    }
    sys.stdout.write(report.render(collected.figures, outcomes, context))
    report.write_json(args.output, collected.figures, outcomes, context)
    print(f"[benchmarks] wrote {args.output}", file=sys.stderr)
    if failed or any(check.error for check in collected.checks):
        return 1
    if args.strict and any(outcome.status == "MISS" for outcome in outcomes):
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
