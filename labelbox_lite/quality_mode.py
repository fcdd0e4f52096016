"""QualityMode: how a project's labels are checked (benchmark, consensus), with the SDK's names and values."""

from __future__ import annotations

from enum import Enum


class QualityMode(str, Enum):
    Benchmark = "BENCHMARK"
    Consensus = "CONSENSUS"


# (auto-audit number of labels, auto-audit percentage) each mode sets on a new project, as the SDK sends them
BENCHMARK_AUTO_AUDIT_NUMBER_OF_LABELS = 1
BENCHMARK_AUTO_AUDIT_PERCENTAGE = 1
CONSENSUS_AUTO_AUDIT_NUMBER_OF_LABELS = 3
CONSENSUS_AUTO_AUDIT_PERCENTAGE = 0

DEFAULT_QUALITY_MODES = frozenset({QualityMode.Benchmark, QualityMode.Consensus})


def project_quality(quality_modes: object, is_benchmark_enabled: bool | None,
                    is_consensus_enabled: bool | None) -> dict[str, object]:
    """The createProject variables a set of quality modes gives. Both modes, or one, decide the flags and the
    auto-audit settings; an empty set (or None) leaves them to `is_benchmark_enabled`/`is_consensus_enabled`."""
    modes = set(quality_modes or ())  # type: ignore[call-overload]
    unknown = [mode for mode in modes if not isinstance(mode, QualityMode)]
    if unknown:
        raise TypeError(f"quality_modes holds QualityMode members, got {unknown!r}")
    if modes == DEFAULT_QUALITY_MODES:
        return _quality(CONSENSUS_AUTO_AUDIT_NUMBER_OF_LABELS, CONSENSUS_AUTO_AUDIT_PERCENTAGE, True, True)
    if modes == {QualityMode.Benchmark}:
        return _quality(BENCHMARK_AUTO_AUDIT_NUMBER_OF_LABELS, BENCHMARK_AUTO_AUDIT_PERCENTAGE, True, False)
    if modes == {QualityMode.Consensus}:
        return _quality(CONSENSUS_AUTO_AUDIT_NUMBER_OF_LABELS, CONSENSUS_AUTO_AUDIT_PERCENTAGE, False, True)
    return {"autoAuditNumberOfLabels": None, "autoAuditPercentage": None,
            "isBenchmarkEnabled": is_benchmark_enabled, "isConsensusEnabled": is_consensus_enabled}


def _quality(labels: int, percentage: int, benchmark: bool, consensus: bool) -> dict[str, object]:
    return {"autoAuditNumberOfLabels": labels, "autoAuditPercentage": percentage,
            "isBenchmarkEnabled": benchmark, "isConsensusEnabled": consensus}
