"""The report: Markdown tables on stdout (pasteable into the README) and the same data as JSON."""

from __future__ import annotations

import json
import os
import platform
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .figures import Figure, Outcome

RESULTS = Path(__file__).resolve().parent / "results"


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    cpu_model = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu_model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory_gib = None
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            memory_gib = round(int(handle.readline().split()[1]) / 1024 / 1024, 1)
    except (OSError, ValueError, IndexError):
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "nproc": usable,
        "cpu_model": cpu_model,
        "memory_gib": memory_gib,
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "platform": platform.platform(),
        "packages": _versions(("requests", "urllib3", "attrs", "graphql-core", "responses", "labelbox")),
    }


def _versions(names: Iterable[str]) -> dict[str, str | None]:
    from importlib import metadata

    versions: dict[str, str | None] = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def _number(value: float, unit: str) -> str:
    if unit in ("req/s", "rows/s"):
        return f"{value:,.0f}"
    if unit == "µs":  # per-row costs are a few microseconds: keep a decimal there
        return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"
    if unit == "x":
        return f"{value:.2f}"
    if unit == "s":
        return f"{value:.3f}" if value < 10 else f"{value:.1f}"
    return f"{value:.1f}"


def figure_row(figure: Figure) -> list[str]:
    if not figure.measured:
        return [figure.subject, figure.metric, f"skipped: {figure.skipped or 'no samples'}", "", "", ""]
    s = figure.summary()
    unit = figure.unit
    return [
        figure.subject,
        f"{figure.metric} ({unit})",
        _number(s["median"], unit),
        f"{_number(s['q1'], unit)}-{_number(s['q3'], unit)}",
        f"{_number(s['min'], unit)}-{_number(s['max'], unit)}",
        str(s["n"]),
    ]


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines.extend("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows)
    return "\n".join(lines)


def render(figures: list[Figure], outcomes: list[Outcome], context: dict[str, Any]) -> str:
    host = context["machine"]
    out = [
        f"- Machine: {host['nproc']} CPUs ({host['cpu_model']}), {host['memory_gib']} GiB, {host['python']}, "
        f"{host['platform']}",
        "- Packages: " + ", ".join(f"{name} {version}" for name, version in host["packages"].items() if version),
        f"- Command: `{context['command']}` ({context['duration_s']:.0f} s)",
        *_load_line(context),
        "",
    ]
    sections: dict[str, list[Figure]] = {}
    for figure in figures:
        sections.setdefault(figure.section, []).append(figure)
    for name, members in sections.items():
        out.append(f"### {name}")
        out.append("")
        out.append(_table(["subject", "metric", "median", "IQR", "min-max", "n"], [figure_row(f) for f in members]))
        notes = sorted({f.note for f in members if f.note and f.measured})
        if notes:
            out.append("")
            out.extend(f"_{note}_" for note in notes)
        out.append("")
    out.append("### Targets")
    out.append("")
    out.append(_table(["target", "measured", "spread (quartiles)", "limit", "result", "note"],
                      [[o.name, o.measured, o.spread, o.limit, o.status, o.note] for o in outcomes]))
    return "\n".join(out) + "\n"


def _load_line(context: dict[str, Any]) -> list[str]:
    load = context.get("load_average_1_5_15")
    if not load:
        return []
    start, end = (", ".join(f"{value:.2f}" for value in load[when]) for when in ("start", "end"))
    return [f"- Load average (1, 5, 15 min): {start} at start, {end} at end"]


def write_json(path: Path, figures: list[Figure], outcomes: list[Outcome], context: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {**context, "figures": [f.to_json() for f in figures], "targets": [o.to_json() for o in outcomes]}
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)


def command_line() -> str:
    return " ".join(["python -m benchmarks", *sys.argv[1:]])
