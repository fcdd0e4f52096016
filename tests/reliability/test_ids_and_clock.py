"""Ids are never reissued while live, and the clock cannot be moved where timestamps break (issue 15)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import labelbox_lite as lb
from mockserver import CommandError, MockLabelbox
from mockserver.clock import MAX_ADVANCE_SECONDS, MockClock
from mockserver.ids import IdFactory

from ..support import World, standard_seed, world_from
from .conftest import Target


def _run_ids(mock: MockLabelbox) -> set[str]:
    return {run["id"] for org in mock.state()["organizations"] for run in org["model_runs"].values()}


def test_restarting_ids_with_the_seed_in_use_skips_live_ids() -> None:
    with MockLabelbox(id_seed=7) as mock:
        world = world_from(mock.seed(standard_seed(2)), 2)
        client = lb.Client(api_key=mock.api_key)
        model = client.get_model(world.model_id)
        first = model.create_model_run("first", {"lr": 1})
        mock.start_recording(id_seed=7)  # the same sequence again, while its ids are live
        second = model.create_model_run("second", {"lr": 2})
        assert first.uid != second.uid
        assert _run_ids(mock) == {first.uid, second.uid}
        assert client.get_model_run(first.uid).name == "first"
        assert client.get_model_run(first.uid).get_config() == {"lr": 1}


def test_a_replay_into_an_empty_mock_still_rebuilds_the_same_ids() -> None:
    with MockLabelbox() as recorded:
        recorded.start_recording(id_seed=11)
        world = world_from(recorded.seed(standard_seed(2)), 2)
        lb.Client(api_key=recorded.api_key).get_model(world.model_id).create_model_run("run")
        recording, ids = recorded.recording(), _run_ids(recorded)
    with MockLabelbox() as fresh:
        fresh.replay(recording)
        assert _run_ids(fresh) == ids


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**31), live=st.integers(0, 20), extra=st.integers(1, 20))
def test_a_reseeded_factory_never_gives_a_live_id(seed: int, live: int, extra: int) -> None:
    in_use: set[str] = set()
    factory = IdFactory(seed, in_use=in_use.__contains__)
    for _ in range(live):
        in_use.add(factory.new())
    factory.reseed(seed)  # the same sequence: its first `live` ids are all in use
    fresh = [factory.new() for _ in range(extra)]
    assert not in_use & set(fresh)
    assert len(set(fresh)) == extra


@pytest.mark.parametrize("seconds", [1e17, 10 ** 300, -1, "soon", True, None])
def test_the_clock_refuses_a_step_it_cannot_take(target: Target, seconds: object) -> None:
    before = target.backend.clock.now()
    response = target.admin("POST", "/_mock/clock", {"advance": seconds})
    assert response.status_code == 400
    assert target.backend.clock.now() - before < 60  # unmoved (allowing for wall time passing)


def test_the_clock_refuses_infinity_sent_as_1e400(standalone: Target) -> None:
    response = standalone.http.post(standalone.origin + "/_mock/clock", data=b'{"advance": 1e400}',
                                     headers={"Content-Type": "application/json", "Authorization": "Bearer test-key"},
                                     timeout=10)
    assert response.status_code == 400


def test_model_runs_work_after_the_largest_step(target: Target, seeded: World) -> None:
    target.steer.advance_clock(MAX_ADVANCE_SECONDS)
    client = target.client()
    model = client.get_model(seeded.model_id)
    run = model.create_model_run("late")
    assert run.uid in {r.uid for r in model.model_runs()}
    with pytest.raises(CommandError, match="at most") as refused:
        target.steer.advance_clock(1)
    assert refused.value.status == 400


@settings(max_examples=50, deadline=None)
@given(steps=st.lists(st.floats(allow_nan=True, allow_infinity=True, width=64), max_size=8))
def test_the_clock_only_takes_finite_forward_steps_within_its_bound(steps: list[float]) -> None:
    clock, moved = MockClock(), 0.0
    for step in steps:
        ok = math.isfinite(step) and step >= 0 and moved + step <= MAX_ADVANCE_SECONDS
        if ok:
            clock.advance(step)
            moved += step
        else:
            with pytest.raises(ValueError):
                clock.advance(step)
    assert clock._offset == moved
