"""The speed issue 7 asks for, each target a ratio (or a rate) taken from this run's figures.

Ratios are of medians; each comes with its spread, the same arithmetic over the
figures' quartiles taken at their least and most favourable (for a/b:
Q1(a)/Q3(b) to Q3(a)/Q1(b)), so a target whose whole spread is on one side of
its limit is met or missed whatever the noise within the run. A target whose
figures were not measured in this run is "n/a", with the reason (a feature not
in this build, the reference SDK not installed, the suite not asked for).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable

from attrs import define, frozen

from .figures import Check, Figure, Outcome, quartiles

# Per-row cost at the largest size over per-row cost at the smallest: a linear
# operation stays near (or, with fixed costs amortised, below) 1; a quadratic one
# would be the size ratio (10 for 10k -> 100k).
SCALING_LIMIT = 2.0


class Unmeasured(Exception):
    """A target's figures are not in this run; the message says why."""


@frozen
class Estimate:
    """A median with the interval its quartiles allow; sums and quotients carry the interval along."""

    mid: float
    low: float
    high: float

    def __add__(self, other: Estimate) -> Estimate:
        return Estimate(self.mid + other.mid, self.low + other.low, self.high + other.high)

    def __truediv__(self, other: Estimate | float) -> Estimate:
        if not isinstance(other, Estimate):
            return Estimate(self.mid / other, self.low / other, self.high / other)
        return Estimate(self.mid / other.mid, self.low / other.high,
                        self.high / other.low if other.low > 0 else math.inf)


class FigureIndex:
    def __init__(self, figures: Iterable[Figure]) -> None:
        self.figures = list(figures)
        self._by_key = {figure.key: figure for figure in self.figures}

    def median(self, key: str) -> Estimate:
        """The figure's median, with its quartiles as the interval."""
        figure = self._by_key.get(key)
        if figure is not None and figure.measured:
            q1, median, q3 = quartiles(figure.samples)
            return Estimate(median, q1, q3)
        raise Unmeasured(self.why_not(key, figure))

    def why_not(self, key: str, figure: Figure | None) -> str:
        if figure is not None and figure.skipped:
            return figure.skipped
        # a whole group skipped under a shorter key: bulk.export, bulk.export.reference, suite.contract ...
        for other in self.figures:
            if other.skipped and (key.startswith(other.key + ".") or _same_group(key, other.key)):
                return other.skipped
        return "not measured in this run"

    def bulk_sizes(self, operation: str) -> list[int]:
        pattern = re.compile(rf"^bulk\.{re.escape(operation)}\.(\d+)\.lite\.")
        sizes = sorted({int(m.group(1)) for f in self.figures if f.measured and (m := pattern.match(f.key))})
        if len(sizes) < 1:
            raise Unmeasured(self.why_not(f"bulk.{operation}.0.lite.wall", None))
        return sizes


def _same_group(key: str, skipped_key: str) -> bool:
    """bulk.export.100000.reference.client_cpu belongs to the skipped group bulk.export.reference."""
    parts, group = key.split("."), skipped_key.split(".")
    return len(group) == 3 and parts[:2] == group[:2] and group[2] in parts[2:]


@define
class Target:
    name: str
    limit: float
    at_most: bool
    measure: Callable[[FigureIndex], Estimate]
    unit: str = "x"  # "x" for ratios
    if_missed: str = ""  # the profiled reason, when it is known and lies outside our code

    def evaluate(self, index: FigureIndex) -> Outcome:
        limit = f"{'≤' if self.at_most else '≥'} {_show(self.limit, self.unit)}"
        try:
            value = self.measure(index)
        except Unmeasured as reason:
            return Outcome(self.name, "—", limit, "n/a", str(reason))
        met = value.mid <= self.limit if self.at_most else value.mid >= self.limit
        spread = f"{_show(value.low, self.unit)} to {_show(value.high, self.unit)}"
        return Outcome(self.name, _show(value.mid, self.unit), limit, "pass" if met else "MISS",
                       "" if met else self.if_missed, spread)


def _show(value: float, unit: str) -> str:
    if unit == "x":
        return f"{value:.2f}x"
    if unit == "rows/s":
        return f"{value:,.0f} rows/s"
    return f"{value:.1f} {unit}"


def ratio(subject: str, against: str) -> Callable[[FigureIndex], Estimate]:
    return lambda index: index.median(subject) / index.median(against)


def at_largest(operation: str, metric: str, client: str = "lite",
               against: str | None = None) -> Callable[[FigureIndex], Estimate]:
    """A bulk figure at the largest size measured, or its ratio to another client's."""

    def measure(index: FigureIndex) -> Estimate:
        rows = index.bulk_sizes(operation)[-1]
        value = index.median(f"bulk.{operation}.{rows}.{client}.{metric}")
        if against is None:
            return value
        return value / index.median(f"bulk.{operation}.{rows}.{against}.{metric}")

    return measure


def per_row_growth(operation: str, metric: str) -> Callable[[FigureIndex], Estimate]:
    """labelbox_lite's cost per row at the largest size over the cost per row at the smallest."""

    def measure(index: FigureIndex) -> Estimate:
        sizes = index.bulk_sizes(operation)
        if len(sizes) < 2:
            raise Unmeasured("needs at least two sizes")
        small, large = sizes[0], sizes[-1]
        per_row_small = index.median(f"bulk.{operation}.{small}.lite.{metric}") / small
        per_row_large = index.median(f"bulk.{operation}.{large}.lite.{metric}") / large
        return per_row_large / per_row_small

    return measure


def suite_total(index: FigureIndex) -> Estimate:
    return index.median("suite.py") + index.median("suite.slow") + index.median("suite.contract")


def largest_over_smallest(prefix: str) -> Callable[[FigureIndex], Estimate]:
    """`prefix.<size>` figures: the largest size's median over the smallest's."""

    def measure(index: FigureIndex) -> Estimate:
        sizes = sorted(int(f.key.rsplit(".", 1)[1]) for f in index.figures if f.key.startswith(prefix + "."))
        if len(sizes) < 2:
            raise Unmeasured(index.why_not(f"{prefix}.0", None))
        return index.median(f"{prefix}.{sizes[-1]}") / index.median(f"{prefix}.{sizes[0]}")

    return measure


TARGETS = (
    Target("import: wall time vs floor (requests + attrs)", 1.3, True, ratio("import.lite.wall", "import.floor.wall")),
    Target("import: peak RSS vs floor", 1.1, True, ratio("import.lite.peak_rss", "import.floor.peak_rss")),
    Target("import: wall time vs reference SDK", 0.4, True, ratio("import.lite.wall", "import.reference.wall")),
    Target("in-process call: MockLabelbox vs static responses reply", 1.0, True,
           ratio("per_call.lite.mock", "per_call.lite.static"),
           if_missed="graphql-core's execution of the cached document is about 25 of the mock's 45 µs a call "
                     "(docs/benchmarks.md)"),
    Target("in-process call: MockLabelbox vs stub adapter returning the same bytes", 1.6, True,
           ratio("per_call.lite.mock", "per_call.lite.stub")),
    Target("cold start: import mockserver + MockLabelbox() vs requests + attrs + graphql", 1.5, True,
           ratio("import.mock.wall", "import.mock_floor.wall")),
    Target("standalone: mock requests/s vs static server", 0.5, False,
           ratio("standalone.mock.rps", "standalone.static.rps")),
    Target("export+stream: client CPU vs reference (largest size)", 0.4, True,
           at_largest("export", "client_cpu", against="reference")),
    Target("export+stream: client peak RSS vs reference (largest size)", 0.7, True,
           at_largest("export", "client_peak_rss", against="reference")),
    Target("add_predictions: mock validation rate (largest size)", 50_000, False,
           at_largest("predictions", "mock_rows_per_s"), unit="rows/s"),
    *(Target(f"{operation}: {what} per row, largest size vs smallest", SCALING_LIMIT, True,
             per_row_growth(operation, metric))
      for operation in ("upsert", "predictions", "export", "create_rows")
      for metric, what in (("client_cpu", "client CPU"), ("mock_cpu", "mock CPU"))),
    Target("test suite: py + slow + contract wall time", 180.0, True, suite_total, unit="s"),
    Target("test suite: tox -e py wall time (the inner loop)", 40.0, True, lambda index: index.median("suite.py"),
           unit="s"),
    # issue 17: each cost against its physical limit, both sides measured in this run (benchmarks/limits.py)
    Target("export rendering: mock CPU per row vs json.dumps of the same rows", 2.0, True,
           ratio("limits.export_render.mock", "limits.export_render.json_dumps")),
    # issue 26
    Target("export rendering (stdlib path): rendering CPU per row vs json.dumps", 1.3, True,
           ratio("limits.render_rows.stdlib", "limits.render_rows.json_dumps")),
    Target("export rendering (orjson path): rendering CPU per row vs orjson.dumps", 3.0, True,
           ratio("limits.render_rows.orjson", "limits.render_rows.orjson_dumps")),
    Target("export parsing per row, rows consumed one at a time: with orjson vs orjson.loads + the yielded object",
           1.15, True, ratio("limits.parse.orjson", "limits.parse.orjson_yielded")),
    Target("export on a worker, 200k rows: slowest status read", 50.0, True,
           lambda index: index.median("limits.export_worker.status_max"), unit="ms"),
    Target("export on a worker, 200k rows: another request of the organisation, p95", 50.0, True,
           lambda index: index.median("limits.export_worker.other_p95"), unit="ms"),
    *(Target(f"listing {what}: per-item cost at the largest size vs the smallest", 1.15, True,
             largest_over_smallest(f"limits.listing_{key}"))
      for key, what in (("labels", "Project.labels()"), ("datasets", "Client.get_datasets()"))),
    Target("export creation: mutation at the largest run vs the smallest", 2.0, True,
           largest_over_smallest("limits.export_create")),
    Target("export memory: mock RSS after 10 exports vs after 1", 1.2, True,
           ratio("limits.export_rss.after_10", "limits.export_rss.after_1")),
    Target("per call: 100k finished tasks vs none", 1.2, True,
           largest_over_smallest("limits.per_call_tasks")),
    Target("prediction encoding per row: labelbox_lite vs before (json.dumps per row)", 0.6, True,
           ratio("limits.encode.stdlib", "limits.encode.before")),
    Target("prediction encoding per row: with orjson vs before", 0.6, True,
           ratio("limits.encode.orjson", "limits.encode.before")),
    Target("export parsing per row: labelbox_lite vs json.loads", 1.3, True,
           ratio("limits.parse.stdlib", "limits.parse.json_loads")),
    Target("export parsing per row: with orjson (fast extra) vs orjson.loads", 1.3, True,
           ratio("limits.parse.orjson", "limits.parse.orjson_loads")),
    Target("mock validation per row vs json.loads of the same NDJSON", 1.5, True,
           ratio("limits.validate.mock", "limits.validate.parse")),
)


def evaluate(figures: Iterable[Figure], checks: Iterable[Check]) -> list[Outcome]:
    index = FigureIndex(figures)
    outcomes = [target.evaluate(index) for target in TARGETS]
    for check in checks:
        outcomes.append(Outcome(check.name, check.detail, "required", "pass" if check.ok else "MISS"))
    return outcomes
