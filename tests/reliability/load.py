"""A bounded load on one mock: threads x calls of writes and reads, then an exact check of the state.

Used by test_concurrency.py, and runnable for the README's figures:

    python3 -m tests.reliability.load --threads 8 --calls 50

Each thread has its own Client (its own keep-alive connections) unless
`shared_client` is set. Every call writes something checkable: a model run
named after (thread, call), and a key merged into one shared run's config, so
a lost or doubled write shows in the final state. Threads are joined with a
timeout: the run stops by itself.
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from attrs import define, field

import labelbox_lite as lb
from mockserver import RunningServer
from mockserver.backend import Backend

from ..support import standard_seed, world_from

JOIN_TIMEOUT_SECONDS = 120.0


@define
class LoadResult:
    threads: int
    calls: int
    tenants: int
    seconds: float
    latencies: list[float] = field(repr=False)
    errors: list[str]
    missing_runs: list[str]
    duplicate_runs: list[str]
    missing_config_keys: list[str]
    foreign_runs: list[str]

    @property
    def held(self) -> bool:
        return not (self.errors or self.missing_runs or self.duplicate_runs or self.missing_config_keys
                    or self.foreign_runs)

    def summary(self) -> str:
        ordered = sorted(self.latencies)
        p95 = ordered[int(len(ordered) * 0.95) - 1] if ordered else 0.0
        return (f"{self.threads} threads x {self.calls} calls ({self.tenants} tenant(s)): "
                f"{len(self.latencies)} calls in {self.seconds:.2f} s, {len(self.latencies) / self.seconds:.0f} calls/s, "
                f"median {statistics.median(ordered) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms; "
                f"errors {len(self.errors)}, runs missing {len(self.missing_runs)}, duplicated "
                f"{len(self.duplicate_runs)}, config keys lost {len(self.missing_config_keys)}, seen by the other "
                f"tenant {len(self.foreign_runs)}")


def run_load(backend: Backend, endpoint: str, *, threads: int = 8, calls: int = 50,
             api_keys: Sequence[str] = ("test-key",), shared_client: bool = False) -> LoadResult:
    """Runs the load; each thread works for tenant `api_keys[thread % len(api_keys)]`."""
    targets = []
    for key in api_keys:
        backend.add_api_key(key)
        world = world_from(backend.seed(standard_seed(2), api_key=key), 2)
        client = _client(key, endpoint)
        shared_run = client.get_model(world.model_id).create_model_run("shared", {})
        targets.append((key, world.model_id, shared_run.uid, client))

    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def worker(number: int) -> None:
        key, model_id, shared_run_id, shared = targets[number % len(targets)]
        client = shared if shared_client else _client(key, endpoint)
        model = client.get_model(model_id)
        shared_run = client.get_model_run(shared_run_id)
        for call in range(calls):
            started = time.perf_counter()
            try:
                if call % 2 == 0:
                    model.create_model_run(f"t{number}-c{call}")
                else:
                    shared_run.update_config({f"t{number}-c{call}": call})
            except (lb.exceptions.LabelboxError, OSError) as error:  # counted, not fatal: the run goes on
                with lock:
                    errors.append(f"thread {number} call {call}: {type(error).__name__}: {error}")
            with lock:
                latencies.append(time.perf_counter() - started)

    workers = [threading.Thread(target=worker, args=(n,), name=f"load-{n}", daemon=True) for n in range(threads)]
    started = time.perf_counter()
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(timeout=JOIN_TIMEOUT_SECONDS)
    seconds = time.perf_counter() - started
    if any(thread.is_alive() for thread in workers):
        errors.append(f"threads still running after {JOIN_TIMEOUT_SECONDS:g} s")
    return _check(backend, targets, threads, calls, seconds, latencies, errors)


def _client(key: str, endpoint: str) -> lb.Client:
    return lb.Client(api_key=key, endpoint=endpoint, retry=lb.RetryPolicy(attempts=2, backoff_factor=0),
                     timeout=30)


def _check(backend: Backend, targets: list[tuple[str, str, str, lb.Client]], threads: int, calls: int,
           seconds: float, latencies: list[float], errors: list[str]) -> LoadResult:
    missing_runs: list[str] = []
    duplicate_runs: list[str] = []
    missing_keys: list[str] = []
    foreign_runs: list[str] = []
    for index, (key, model_id, shared_run_id, _client_) in enumerate(targets):
        mine = [n for n in range(threads) if n % len(targets) == index]
        org = backend.store.org_for_key(key)
        assert org is not None
        names = Counter(run.name for run in org.model_runs.values() if run.model_id == model_id)
        expected_runs = {f"t{n}-c{c}" for n in mine for c in range(0, calls, 2)}
        missing_runs += sorted(expected_runs - set(names))
        duplicate_runs += sorted(name for name, count in names.items() if count > 1)
        foreign_runs += sorted(set(names) - expected_runs - {"shared"})
        config = org.model_runs[shared_run_id].training_metadata or {}
        missing_keys += sorted({f"t{n}-c{c}" for n in mine for c in range(1, calls, 2)} - set(config))
    return LoadResult(threads=threads, calls=calls, tenants=len(targets), seconds=seconds, latencies=latencies,
                      errors=errors, missing_runs=missing_runs, duplicate_runs=duplicate_runs,
                      missing_config_keys=missing_keys, foreign_runs=foreign_runs)


def main(argv: Sequence[str] | None = None, out: Callable[[str], Any] = print) -> int:
    parser = argparse.ArgumentParser(description="A bounded load on a standalone mock on loopback.")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--calls", type=int, default=50)
    parser.add_argument("--tenants", type=int, default=2)
    args = parser.parse_args(argv)
    keys = [f"load-key-{n}" for n in range(args.tenants)]
    with RunningServer(Backend(keys)) as server:
        result = run_load(server.backend, server.graphql_url, threads=args.threads, calls=args.calls, api_keys=keys)
    out(result.summary())
    for error in result.errors[:10]:
        out(f"  {error}")
    return 0 if result.held else 1


if __name__ == "__main__":
    raise SystemExit(main())
