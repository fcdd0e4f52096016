"""Wall time of the test suite: the unit and property tests (tox's py env) and the contract tests.

Each run is `python -m pytest` in a child process from the checkout, as tox runs
them (without tox's environment creation and package install, which a fresh
clone pays once).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Sequence

from .figures import SUBJECT, Figure, SectionResult, skipped_figure
from .processes import ROOT, child_env, has_module

SECTION = "test suite (pytest, wall time)"

SUITES = (
    ("py", "pytest -q -n auto --ignore=tests/contract -m 'not slow' (tox -e py)",
     ["-q", "-p", "no:cacheprovider", "-n", "auto", "--ignore=tests/contract", "--ignore=tests/browser",
      "-m", "not slow"]),
    ("slow", "pytest -q --ignore=tests/contract -m slow (tox -e slow)",
     ["-q", "-p", "no:cacheprovider", "--ignore=tests/contract", "--ignore=tests/browser", "-m", "slow"]),
    ("contract", "pytest -q tests/contract (tox -e contract)", ["-q", "-p", "no:cacheprovider", "tests/contract"]),
)


def _run_pytest(arguments: list[str], timeout: float) -> tuple[float, str]:
    env = child_env()
    # tox passes no PYTHONDONTWRITEBYTECODE to its envs: with it, every process (each xdist worker)
    # compiles, and assertion-rewrites, every imported module again (~24 s more CPU for tox -e py)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    # as tox sets it: the slow env fuzzes with the thorough profile
    env.setdefault("HYPOTHESIS_PROFILE", "thorough" if arguments[-1] == "slow" else "ci")
    started = time.perf_counter()
    completed = subprocess.run([sys.executable, "-m", "pytest", *arguments],  # noqa: S603 - our own test suite
                               cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    elapsed = time.perf_counter() - started
    summary = (completed.stdout.strip().splitlines() or ["(no output)"])[-1]
    if completed.returncode != 0:
        raise RuntimeError(f"pytest {' '.join(arguments)} exited {completed.returncode}: {summary}\n"
                           f"{completed.stdout[-3000:]}{completed.stderr[-2000:]}")
    return elapsed, summary


def run(repetitions: int = 1, suites: Sequence[tuple[str, str, list[str]]] = SUITES,
        timeout: float = 600.0) -> SectionResult:
    result = SectionResult()
    for key, label, arguments in suites:
        if key == "contract" and not has_module("labelbox"):
            result.figures.append(skipped_figure(f"suite.{key}", SECTION, label, "wall time", "s",
                                                 "labelbox is not installed (tox -e bench installs 7.17.0)"))
            continue
        if not (ROOT / "tests").is_dir():
            result.figures.append(skipped_figure(f"suite.{key}", SECTION, label, "wall time", "s",
                                                 f"no tests/ folder next to benchmarks/ in {ROOT}"))
            continue
        figure = Figure(f"suite.{key}", SECTION, label, "wall time", "s", SUBJECT)
        summary = ""
        for _ in range(repetitions):
            elapsed, summary = _run_pytest(arguments, timeout)
            figure.samples.append(elapsed)
        figure.note = f"{summary}; {os.cpu_count()} CPUs"
        result.figures.append(figure)
    return result
