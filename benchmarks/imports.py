"""Import cost: a fresh interpreter importing labelbox_lite, its floor (requests + attrs) and the reference SDK.

Each run is a new process; the parent times it from spawn to exit. The child
times the import statement itself (which leaves out interpreter start-up) and
reports its own peak RSS (VmHWM; processes.ChildRun says why not ru_maxrss).
The three are interleaved, round after round, so drift on the machine hits them
alike.
"""

from __future__ import annotations

import json

from .figures import FLOOR, REFERENCE, SUBJECT, Check, Figure, SectionResult, skipped_figure
from .processes import PEAK_RSS_SNIPPET, has_module, run_child

SECTION = "import (fresh interpreter)"

# (key, role, subject label, statement)
SUBJECTS = (
    ("floor", FLOOR, "import requests, attrs (floor)", "import requests, attrs"),
    ("lite", SUBJECT, "import labelbox_lite", "import labelbox_lite"),
    # the names past the client load on first use; this is the cost once a script has touched them all
    ("lite_all", SUBJECT, "import labelbox_lite, then every public name", "import labelbox_lite as lb\n"
     "for name in lb.__all__:\n    getattr(lb, name)"),
    ("reference", REFERENCE, "import labelbox (7.17.0, reference)", "import labelbox"),
    # the mock's cold start: what every pytest process using it pays, against what it cannot do without
    ("mock_floor", FLOOR, "import requests, attrs, graphql (mock floor)", "import requests, attrs, graphql"),
    ("mock", SUBJECT, "import mockserver, then MockLabelbox()", "from mockserver import MockLabelbox\nMockLabelbox()"),
)

# Modules the client must never pull in: the mock and its dependencies.
FORBIDDEN = ("graphql", "responses", "mockserver")

# The child times its import statement, then reports its own peak RSS (VmHWM, read after the clock stops).
_TIMED = ("import time\n_t = time.perf_counter()\n{statement}\n_t = time.perf_counter() - _t\n"
          "print(_t, " + PEAK_RSS_SNIPPET + ")\n")
_ISOLATION = (
    "import json, sys\nimport labelbox_lite\n"
    "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {forbidden!r})))\n"
)


def compile_client_bytecode() -> str:
    """Writes labelbox_lite's and mockserver's .pyc files, as `pip install` does, and the mock's cached
    SDL document, as its first run does (both where bytecode may be written); answers where the children
    import labelbox_lite from.

    Installed packages (requests, attrs, graphql-core, labelbox) carry bytecode; a checkout may not
    (PYTHONDONTWRITEBYTECODE, a fresh clone), and compiling ~15 client modules or ~110 mock modules
    from source on every import would be charged to them alone.
    """
    import compileall

    child = run_child(["-c", "import labelbox_lite, mockserver, os; print(os.path.dirname(labelbox_lite.__file__)); "
                             "print(os.path.dirname(mockserver.__file__))"], timeout=60)
    package, mock_package = child.stdout.strip().splitlines()[-2:]
    compileall.compile_dir(package, quiet=1)
    compileall.compile_dir(mock_package, quiet=1)
    run_child(["-c", "import sys; sys.dont_write_bytecode = False\n"
                     "from mockserver.api.service import build_mock_schema; build_mock_schema()"], timeout=60)
    return package


def forbidden_modules_loaded_by_client() -> list[str]:
    """Which of FORBIDDEN's modules a fresh `import labelbox_lite` loads (should be none)."""
    child = run_child(["-c", _ISOLATION.format(forbidden=set(FORBIDDEN))], timeout=60)
    return list(json.loads(child.stdout.strip().splitlines()[-1]))


def _figures(key: str, role: str, label: str, skipped: str | None) -> tuple[Figure, Figure, Figure]:
    metrics = (("wall", "process wall time", "ms"), ("import_only", "import statement only", "ms"),
               ("peak_rss", "peak RSS", "MiB"))
    return tuple(  # type: ignore[return-value]
        skipped_figure(f"import.{key}.{name}", SECTION, label, metric, unit, skipped, role) if skipped
        else Figure(f"import.{key}.{name}", SECTION, label, metric, unit, role)
        for name, metric, unit in metrics
    )


def run(repetitions: int = 15) -> SectionResult:
    no_reference = None if has_module("labelbox") else "labelbox is not installed (tox -e bench installs 7.17.0)"
    figures = {key: _figures(key, role, label, no_reference if key == "reference" else None)
               for key, role, label, _ in SUBJECTS}
    available = [(key, statement) for key, _, _, statement in SUBJECTS if figures[key][0].skipped is None]
    package = compile_client_bytecode()
    for _, statement in available:  # warm the page cache and .pyc files; not counted
        run_child(["-c", _TIMED.format(statement=statement)])
    for _ in range(repetitions):
        for key, statement in available:
            child = run_child(["-c", _TIMED.format(statement=statement)])
            seconds, peak_rss = (float(part) for part in child.stdout.split()[-2:])
            wall, import_only, rss = figures[key]
            wall.samples.append(child.wall * 1000)
            import_only.samples.append(seconds * 1000)
            rss.samples.append(peak_rss)

    for figure in figures["lite"]:
        figure.note = f"labelbox_lite imported from {package}, bytecode compiled as pip install does"
    result = SectionResult([figure for trio in figures.values() for figure in trio])
    loaded = forbidden_modules_loaded_by_client()
    result.checks.append(Check(
        "import labelbox_lite loads no graphql, responses or mockserver module",
        ok=not loaded,
        detail="none loaded" if not loaded else f"loaded: {', '.join(loaded[:10])}",
    ))
    return result
