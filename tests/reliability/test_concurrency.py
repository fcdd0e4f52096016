"""Concurrent clients: no write lost or doubled, tenants kept apart, in-process and over loopback."""

from __future__ import annotations

import threading

from mockserver import MockLabelbox, RunningServer
from mockserver.backend import Backend

from .load import run_load


def test_concurrent_clients_on_one_server_lose_and_double_nothing() -> None:
    keys = ["tenant-a", "tenant-b"]
    with RunningServer(Backend(keys)) as server:
        result = run_load(server.backend, server.graphql_url, threads=8, calls=50, api_keys=keys)
    assert result.held, result.summary() + "\n" + "\n".join(result.errors[:5])
    assert len(result.latencies) == 400


def test_the_in_process_mock_is_safe_from_several_threads_sharing_a_client() -> None:
    with MockLabelbox() as mock:
        result = run_load(mock.backend, "https://api.labelbox.com/graphql", threads=6, calls=30,
                          shared_client=True)
    assert result.held, result.summary() + "\n" + "\n".join(result.errors[:5])


def test_faults_and_journal_count_exactly_under_concurrency() -> None:
    with MockLabelbox() as mock:
        mock.inject_fault("GetUserPyApi", times=40, status=503)
        import requests

        answers: list[int] = []
        lock = threading.Lock()

        def ask() -> None:
            for _ in range(20):
                status = requests.post("https://api.labelbox.com/graphql", timeout=5,
                                       json={"query": "query GetUserPyApi { user { id } }"},
                                       headers={"Authorization": "Bearer test-key"}).status_code
                with lock:
                    answers.append(status)

        threads = [threading.Thread(target=ask) for _ in range(5)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert sorted(answers).count(503) == 40 and answers.count(200) == 60
        assert len(mock.requests) == 100
        assert mock.backend.faults.pending() == []
