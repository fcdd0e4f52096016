"""`labelbox-mock serve --export-seconds`: an export stays IN_PROGRESS that long on its organisation's clock.

In-process mocks keep exports done at their first read; the standalone server's default is a second,
as Labelbox's exports take seconds. A transition set for exports (or `*`) takes the default's place.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import labelbox_lite as lb
from mockserver import MockLabelbox, MockServerClient, RunningServer
from mockserver.backend import Backend
from mockserver.cli import EXPORT_SECONDS, build_parser, serve_backend

from ..support.exports import RowSpec, build_run

ROWS = [RowSpec(global_key=f"gk-{i}", labels=1) for i in range(3)]


def _status(client: lb.Client, task_id: str) -> str:
    return client.get_task_by_id(task_id).status


def _exporter(mock: MockLabelbox, client: lb.Client) -> Callable[[], str]:
    """Starts an export of one run built in the mock, each call a new export task; returns its id."""
    run = client.get_model_run(build_run(mock.backend, ROWS).run_id)
    return lambda: run.export().uid


@settings(max_examples=15, deadline=None)
@given(seconds=st.floats(min_value=0.5, max_value=3600, allow_nan=False),
       early=st.floats(min_value=0.0, max_value=0.9))
def test_an_export_runs_for_the_configured_time_on_the_mock_clock(seconds: float, early: float) -> None:
    with MockLabelbox(backend=Backend(export_seconds=seconds)) as mock:
        client = lb.Client(api_key=mock.api_key)
        task_id = _exporter(mock, client)()
        mock.advance_clock(seconds * early)
        assert _status(client, task_id) == "IN_PROGRESS"
        mock.advance_clock(seconds)
        assert _status(client, task_id) == "COMPLETE"


def test_in_process_exports_are_done_at_their_first_read(mock: MockLabelbox, client: lb.Client) -> None:
    assert _status(client, _exporter(mock, client)()) == "COMPLETE"


def test_a_transition_for_exports_takes_the_defaults_place() -> None:
    with MockLabelbox(backend=Backend(export_seconds=60)) as mock:
        client = lb.Client(api_key=mock.api_key)
        export = _exporter(mock, client)
        mock.set_transition("export", progression="immediate")
        assert _status(client, export()) == "COMPLETE"
        mock.clear_transitions()  # clearing what a test set brings the default back
        assert _status(client, export()) == "IN_PROGRESS"
        mock.set_transition("*", progression="time", duration=30)  # `*` over the 60 s default
        task_id = export()
        mock.advance_clock(30)
        assert _status(client, task_id) == "COMPLETE"


def test_the_default_survives_a_reset_and_shows_in_the_transitions_view() -> None:
    with MockLabelbox(backend=Backend(export_seconds=5)) as mock:
        mock.reset()
        assert mock.transitions()["export"]["progression"] == "time"
        assert mock.transitions()["export"]["duration"] == 5
        client = lb.Client(api_key=mock.api_key)
        assert _status(client, _exporter(mock, client)()) == "IN_PROGRESS"


def test_serve_defaults_to_a_one_second_export_and_takes_the_option() -> None:
    assert EXPORT_SECONDS == 1.0
    default = serve_backend(build_parser().parse_args(["serve"]))
    assert default.tasks.transitions()["export"].duration == EXPORT_SECONDS
    assert "export" not in serve_backend(build_parser().parse_args(["serve", "--export-seconds", "0"])).tasks.transitions()


@pytest.mark.parametrize("bad", ["-1", "inf", "nan", "soon", "1e9"])
def test_serve_refuses_an_export_time_it_cannot_keep(bad: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["serve", "--export-seconds", bad])
    assert "--export-seconds" in capsys.readouterr().err


def test_a_standalone_export_is_running_until_its_organisations_clock_passes() -> None:
    with RunningServer(Backend(["test-key", "k2"], export_seconds=2)) as server:
        first, second = (lb.Client(api_key=key, endpoint=server.graphql_url) for key in ("test-key", "k2"))
        steer_first = MockServerClient(server.url, "test-key")
        run_id = build_run(server.backend, ROWS).run_id  # in the first key's organisation
        task_id = first.get_model_run(run_id).export().uid
        MockServerClient(server.url, "k2").advance_clock(10)  # another organisation's clock: no effect here
        assert _status(first, task_id) == "IN_PROGRESS"
        steer_first.advance_clock(2)
        assert _status(first, task_id) == "COMPLETE"
        assert second.get_user().uid  # the second organisation is served throughout
