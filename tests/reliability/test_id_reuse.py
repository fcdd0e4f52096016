"""Issue 24, finding 11: a restarted id sequence (id_seed) never gives again an id that is live, whether
a store table holds it or not (a fault's id, an ontology's schema nodes)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from mockserver.backend import Backend
from mockserver.control.faults import Fault
from mockserver.ids import IdFactory


def test_a_fault_id_is_not_reissued_after_the_sequence_restarts() -> None:
    backend = Backend()
    seed = backend.start_recording(7)
    fault_id = backend.add_fault(Fault(operation="GetModel", status=500))
    backend.start_recording(seed)  # the same seed: the same sequence from its start
    assert backend.add_fault(Fault(operation="GetModel", status=500)) != fault_id
    assert len({armed.id for armed in backend.faults.armed()}) == 2


def test_ontology_node_ids_are_not_reissued_after_the_sequence_restarts() -> None:
    backend = Backend()
    backend.start_recording(11)
    backend.seed({"ontologies": [{"name": "o", "tools": [{"tool": "rectangle", "name": "box"}]}]})
    state = str(backend.dump())
    backend.start_recording(11)
    fresh = [backend.store.ids.new() for _ in range(50)]
    assert not any(issued in state for issued in fresh)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32), issued=st.integers(1, 40))
def test_a_restarted_sequence_skips_every_id_issued_before(seed: int, issued: int) -> None:
    ids = IdFactory(seed)
    first = [ids.new() for _ in range(issued)]
    ids.reseed(seed)
    again = [ids.new() for _ in range(issued)]
    assert not set(first) & set(again)
