"""One steering API: the same test body drives MockLabelbox in-process and a standalone mock through
MockServerClient, and the two share the command table's names, parameters and checks."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import labelbox_lite as lb
from labelbox_lite.exceptions import ResourceNotFoundError
from mockserver import CommandError, MockLabelbox, MockServerClient, RunningServer
from mockserver.backend import Backend
from mockserver.control.commands import COMMANDS, Inputs
from mockserver.control.steering import SteeringMethods
from mockserver.engines.tasks import PROGRESSIONS, TASK_KINDS
from mockserver.state.seed import SeedError

from ..support import ADMIN_TOKEN, FakeTime

Steered = MockLabelbox | MockServerClient
ONTOLOGY = {"ontologies": [{"name": "o", "tools": [{"tool": "point", "name": "p"}]}]}


@pytest.fixture(params=["in-process", "standalone"])
def steered(request: pytest.FixtureRequest) -> Iterator[tuple[Steered, lb.Client]]:
    fake = FakeTime()
    retry = lb.RetryPolicy(sleep=fake.sleep, clock=fake.clock)
    if request.param == "in-process":
        with MockLabelbox() as mock:
            yield mock, lb.Client(api_key=mock.api_key, retry=retry)
    else:
        with RunningServer(Backend(admin_token=ADMIN_TOKEN)) as server, \
                MockServerClient(server.url, "test-key") as remote:
            yield remote, lb.Client(api_key="test-key", endpoint=server.graphql_url, retry=retry)


def test_one_body_drives_either_mock(steered: tuple[Steered, lb.Client]) -> None:
    mock, client = steered
    # seeds and state
    ontology_id = mock.seed(ONTOLOGY)["ontologies"][0]["id"]
    assert client.get_ontology(ontology_id).name == "o"
    assert any(ontology["id"] == ontology_id for org in mock.state()["organizations"]
               for ontology in org["ontologies"].values())
    with pytest.raises(SeedError, match="ontologies: must be a list") as refused:
        mock.seed({"ontologies": "not a list"})
    assert refused.value.problems == [("ontologies", "must be a list, got str")]

    # faults, and the journal seeing them
    fault_id = mock.inject_fault("Probe", times=3, status=500)
    assert [fault["id"] for fault in mock.faults()] == [fault_id]
    mock.remove_fault(fault_id)
    assert mock.faults() == []
    with pytest.raises(CommandError) as missing:
        mock.remove_fault(fault_id)
    assert missing.value.status == 404
    mock.inject_fault("Probe", times=1, status=503)
    client.execute("query Probe { user { id } }")  # retried past the fault
    assert [entry.status for entry in mock.requests if entry.operation == "Probe"] == [503, 200]
    page = mock.requests_page(after=0, limit=1)
    assert len(page["entries"]) == 1 and page["more"]
    mock.clear_faults()

    # transitions and the clock
    mock.set_transition("*", "reads", times=2)
    assert mock.transitions()["*"]["progression"] == "reads"
    mock.clear_transitions()
    assert mock.transitions() == {}
    with pytest.raises(ValueError, match="progression"):
        mock.set_transition("*", "sometime")
    before = mock.clock()
    mock.advance_clock(60)
    assert mock.clock() >= before + 60
    with pytest.raises(ValueError, match="only moves forward"):  # the clock's own check, both ways
        mock.advance_clock(-1)
    mock.host_file("https://files.example.com/a.txt", "hello")

    # recording and replay rebuild the same ids
    mock.reset()
    mock.start_recording()
    ontology_id = mock.seed(ONTOLOGY)["ontologies"][0]["id"]
    recording = mock.recording()
    mock.stop_recording()
    mock.reset()
    with pytest.raises(ResourceNotFoundError):
        client.get_ontology(ontology_id)
    assert mock.replay(recording)["failed"] == 0
    assert client.get_ontology(ontology_id).name == "o"
    assert mock.tasks() == [] and mock.imports() == []


def test_both_have_every_command_with_the_same_parameters() -> None:
    methods = {name for name, _ in inspect.getmembers(SteeringMethods) if not name.startswith("_")}
    assert set(COMMANDS) - {"requests"} <= methods  # "requests" is the journal property and requests_page
    for name in methods:
        assert getattr(MockLabelbox, name) is getattr(SteeringMethods, name) or name in ("host_file", "requests")
        assert getattr(MockServerClient, name) is getattr(SteeringMethods, name)
    assert inspect.signature(MockLabelbox.host_file) == inspect.signature(SteeringMethods.host_file)


@given(seconds=st.floats(allow_nan=True, allow_infinity=True) | st.integers(-10, 10**12) | st.booleans()
       | st.text(max_size=3))
def test_a_clock_step_is_checked_in_one_place(seconds: Any) -> None:  # anything: the clock judges it
    """The route's parse and MockLabelbox take any step as it is; the clock alone judges it, so a step
    is refused (or taken) alike however it arrives."""
    command = COMMANDS["advance_clock"]
    assert command.validated({"seconds": seconds}) == command.parse(Inputs(body={"advance": seconds})) == {
        "seconds": seconds}
    outcomes = []
    ways: list[Callable[[MockLabelbox], object]] = [lambda mock: mock.advance_clock(seconds),
                                                    lambda mock: mock.backend.clock.advance(seconds)]
    for advance in ways:
        try:
            advance(MockLabelbox())
            outcomes.append("moved")
        except ValueError as error:
            outcomes.append(str(error))
    assert outcomes[0] == outcomes[1]


@given(kind=st.sampled_from(["*", *TASK_KINDS, "no-such-kind"]), times=st.integers(0, 5),
       progression=st.sampled_from(PROGRESSIONS), duration=st.floats(0, 1e6), error=st.none() | st.text(max_size=5))
def test_a_transition_survives_the_body_round_trip(kind: str, times: int, progression: str, duration: float,
                                                   error: str | None) -> None:
    """What MockLabelbox checks is what the route checks: a valid transition comes back as it went in."""
    command = COMMANDS["set_transition"]
    args = {"kind": kind, "progression": progression, "times": times, "duration": duration,
            "outcome": "COMPLETE", "error": error}
    if kind == "no-such-kind":
        with pytest.raises(ValueError, match="unknown task kind 'no-such-kind'"):
            command.validated(args)
    else:
        assert command.validated(args) == args
        assert command.parse(Inputs(body=command.to_body(args))) == args


def test_the_client_acts_for_its_key_and_is_refused_without_a_valid_one() -> None:
    with RunningServer(Backend(["alpha", "beta"], admin_token=ADMIN_TOKEN)) as server:
        alpha, beta = MockServerClient(server.url, "alpha"), MockServerClient(server.url, "beta")
        alpha.seed(ONTOLOGY)
        alpha.inject_fault("Probe", status=500)
        assert beta.faults() == [] and len(alpha.faults()) == 1  # each organisation steers its own
        [beta_org] = beta.state()["organizations"]
        assert beta_org["ontologies"] == {}
        assert len(MockServerClient(server.url, ADMIN_TOKEN).state()["organizations"]) == 2
        with pytest.raises(CommandError, match="API key is not valid") as refused:
            MockServerClient(server.url, "gamma").state()
        assert refused.value.status == 401
        assert "gamma" not in repr(MockServerClient(server.url, "gamma"))
