"""The steering methods, written once for every way of reaching a mock.

`MockLabelbox` (in-process) and `MockServerClient` (a standalone mock's admin API)
both inherit `SteeringMethods`: each method names its command in the table
(commands.py) and hands its arguments to `_steer`, which the two implement, one by
running the command, the other by sending it to the command's route. So the two have
the same names, parameters and results, and one test body drives either.
"""

from __future__ import annotations

from typing import Any

from .commands import MAX_JOURNAL_PAGE
from .journal import RecordedRequest


class SteeringMethods:
    """Seeds, reset, state, transitions, faults, the clock, hosted files, recording and replay, the journal,
    and the dashboard's read-only views."""

    def _steer(self, name: str, args: dict[str, Any] | None = None, api_key: str | None = None) -> Any:
        """Runs the command `name` with `args`; `api_key` names the organisation a seed goes to."""
        raise NotImplementedError

    # -- state
    def seed(self, doc: dict[str, Any], api_key: str | None = None) -> dict[str, Any]:
        """Loads a seed document into the organisation of `api_key` (by default this mock's or this
        client's key); returns the ids created."""
        return self._steer("seed", {"doc": doc}, api_key)  # type: ignore[no-any-return]

    def reset(self) -> None:
        """Empties state, transitions, faults, files, the journal and the clock offset; keys stay valid."""
        self._steer("reset")

    def state(self) -> dict[str, Any]:
        """State as plain data (API keys are never part of it)."""
        return self._steer("state")  # type: ignore[no-any-return]

    # -- tasks
    def set_transition(self, kind: str = "*", progression: str = "immediate", times: int = 1,
                       duration: float = 0.0, outcome: str = "COMPLETE", error: str | None = None) -> None:
        """How tasks of `kind` progress from now on; see README for the kinds."""
        self._steer("set_transition", {"kind": kind, "progression": progression, "times": times,
                                       "duration": duration, "outcome": outcome, "error": error})

    def clear_transitions(self) -> None:
        """Every kind back to the default: immediate, COMPLETE."""
        self._steer("clear_transitions")

    def transitions(self) -> dict[str, dict[str, Any]]:
        """The transitions in force, by kind."""
        return self._steer("transitions")  # type: ignore[no-any-return]

    def tasks(self) -> list[dict[str, Any]]:
        """Tasks with kind, status and progression (reading them here counts no status read)."""
        return self._steer("tasks")  # type: ignore[no-any-return]

    def imports(self) -> list[dict[str, Any]]:
        """Imports (into model runs, and label and MAL prediction imports into projects) with each row's
        outcome and its cause."""
        return self._steer("imports")  # type: ignore[no-any-return]

    # -- data
    def datasets(self) -> list[dict[str, Any]]:
        """Datasets, each with its first rows (row data, attachments, metadata) and how many are left out."""
        return self._steer("datasets")  # type: ignore[no-any-return]

    def organization(self) -> list[dict[str, Any]]:
        """The organisation's {id, name}; every organisation's for the whole mock (in-process, the admin token)."""
        return self._steer("organization")  # type: ignore[no-any-return]

    def models(self) -> dict[str, Any]:
        """{"models", "models_left_out"}: models with their first runs, each run with its row count, splits,
        config and first rows (labels and predictions counted)."""
        return self._steer("models")  # type: ignore[no-any-return]

    def projects(self) -> dict[str, Any]:
        """{"projects", "projects_left_out"}: projects with their workflow steps, first batches, ontology, label
        count and resource tags."""
        return self._steer("projects")  # type: ignore[no-any-return]

    def ontologies(self) -> dict[str, Any]:
        """{"ontologies", "ontologies_left_out", "unplaced_feature_schemas"}: ontologies with their top-level
        features, and per organisation the root feature schemas no ontology places."""
        return self._steer("ontologies")  # type: ignore[no-any-return]

    # -- faults
    def inject_fault(self, operation: str = "*", times: int = 1, **kind: Any) -> str:
        """Makes the next `times` requests for `operation` fail; see Fault for the kinds. Answers its id."""
        return self._steer("inject_fault", {"operation": operation, "times": times, **kind})  # type: ignore[no-any-return]

    def faults(self) -> list[dict[str, Any]]:
        """The faults still pending, each with its id."""
        return self._steer("faults")  # type: ignore[no-any-return]

    def remove_fault(self, fault_id: str) -> None:
        self._steer("remove_fault", {"fault_id": fault_id})

    def clear_faults(self) -> None:
        self._steer("clear_faults")

    # -- time
    def advance_clock(self, seconds: float) -> None:
        """Moves the mock clock forward, for `time` transitions and expiring file URLs."""
        self._steer("advance_clock", {"seconds": seconds})

    def clock(self) -> float:
        """The mock clock's time (seconds since the epoch)."""
        return self._steer("clock")  # type: ignore[no-any-return]

    # -- files and exports
    def host_file(self, url: str, content: bytes | str, content_type: str = "application/octet-stream") -> None:
        """Serves `content` at `url` to imports that name it (the mock never fetches from outside)."""
        self._steer("host_file", {"url": url, "content": content, "content_type": content_type})

    def set_export_chunking(self, chunk_bytes: int, align_to_lines: bool = True) -> None:
        """How export streams are cut into files from now on: `chunk_bytes` per file, stretched to whole
        lines unless `align_to_lines` is False (then lines straddle files)."""
        self._steer("set_export_chunking", {"chunk_bytes": chunk_bytes, "align_to_lines": align_to_lines})

    # -- recording
    def start_recording(self, id_seed: int | None = None) -> int | None:
        """Records every state-changing request from now on; answers the id seed the replay will reuse
        (None for one organisation's own recording, which keeps each call's ids instead)."""
        return self._steer("start_recording", {"id_seed": id_seed})  # type: ignore[no-any-return]

    def stop_recording(self) -> None:
        self._steer("stop_recording")

    def recording(self) -> dict[str, Any]:
        """The recording so far, as a JSON-able document (no API keys in it)."""
        return self._steer("recording")  # type: ignore[no-any-return]

    def replay(self, recording: dict[str, Any]) -> dict[str, int]:
        """Empties the mock (or the organisation) and rebuilds the recorded state, same ids included."""
        return self._steer("replay", {"recording": recording})  # type: ignore[no-any-return]

    # -- the journal
    @property
    def requests(self) -> list[RecordedRequest]:
        """The request journal, oldest first."""
        return [RecordedRequest(**entry) for entry in self._steer("requests")]

    def requests_page(self, after: int = 0, limit: int = MAX_JOURNAL_PAGE) -> dict[str, Any]:
        """One page of the journal after the entry numbered `after`: {"entries", "last_seq" (the next
        `after`), "more", "reset"}."""
        return self._steer("requests", {"after": after, "limit": limit})  # type: ignore[no-any-return]
