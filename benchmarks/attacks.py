"""Issue 24's attacks against one `labelbox-mock serve` (127.0.0.1 only), each bounded in count and time:
the server's peak RSS during each, and another organisation's trivial query latency (p95) meanwhile.

    python -m benchmarks.attacks

Attacks: 16 keyless connections announcing 64 MiB bodies and sending 4 MiB each; 128 idle keyless
sockets; 40 MiB and 7 MiB fault names, hosted files and transition errors, 1,200 faults (past the
quota); one tenant flooding the journal; documents of 999 aliased pages (over the query cost limit,
and within it by field count); 64 concurrent connections of one organisation reading pages of
projects (the fair queue); one organisation recording 2 MiB calls past its recording quota.
Not a test: it prints what it measured.

    python -m benchmarks.attacks [NAME_PART ...]   # only the attacks whose names contain one of them
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

HOST = "127.0.0.1"
KEYS = ("victim-key", "attacker-key")


def _start() -> tuple[subprocess.Popen[str], int]:
    from .processes import ROOT, child_env

    arguments = ["-m", "mockserver", "serve", "--port", "0", *[arg for key in KEYS for arg in ("--api-key", key)]]
    process = subprocess.Popen([sys.executable, *arguments], cwd=ROOT, env=child_env(),  # noqa: S603 - ours
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert process.stdout is not None
    line = process.stdout.readline()
    port = int(line.split("http://127.0.0.1:")[1].split()[0].rstrip(")"))
    return process, port


def _rss(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _post(port: int, path: str, body: bytes, key: str, timeout: float = 10.0) -> int:
    import http.client

    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("POST", path, body, {"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
        return connection.getresponse().status
    except OSError:  # refused by its length and closed before the body was sent whole
        return 0
    finally:
        connection.close()


def _victim(port: int, stop: threading.Event, latencies: list[float], refused: list[int]) -> None:
    body = json.dumps({"query": "query Me { user { id } }"}).encode()
    while not stop.is_set():
        started = time.perf_counter()
        status = _post(port, "/graphql", body, KEYS[0])
        latencies.append((time.perf_counter() - started) * 1000)
        if status != 200:
            refused.append(status)
        time.sleep(0.01)


def _keyless_bodies(port: int) -> None:
    sockets = []
    for _ in range(16):
        connection = socket.create_connection((HOST, port), timeout=10)
        connection.sendall(b"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Type: application/json\r\n"
                           b"Content-Length: %d\r\n\r\n" % (port, 64 * 1024 * 1024))
        sockets.append(connection)
    chunk = b"x" * (1024 * 1024)
    for connection in sockets:
        try:
            for _ in range(4):
                connection.sendall(chunk)
        except OSError:
            pass  # answered 401 and closed: the point
    time.sleep(1)  # the victim keeps asking meanwhile
    for connection in sockets:
        connection.close()


def _idle_sockets(port: int) -> None:
    held = [socket.create_connection((HOST, port), timeout=10) for _ in range(128)]
    time.sleep(3)
    for connection in held:
        connection.close()


def _admin_flood(port: int) -> None:
    huge = "x" * (40 * 1024 * 1024)  # past the admin body limit: refused by its length, unread
    _post(port, "/_mock/faults", json.dumps({"operation": huge, "status": 500}).encode(), KEYS[1], 60)
    big = "x" * (7 * 1024 * 1024)  # within it: refused by the quotas and checks instead
    _post(port, "/_mock/faults", json.dumps({"operation": big, "status": 500}).encode(), KEYS[1], 60)
    _post(port, "/_mock/transitions", json.dumps({"kind": "export", "outcome": "FAILED", "error": big}).encode(),
          KEYS[1], 60)
    for number in range(6):
        _post(port, "/_mock/files", json.dumps({"url": f"https://e.example/{number}", "content": big}).encode(),
              KEYS[1], 60)
    for number in range(1200):
        _post(port, "/_mock/faults", json.dumps({"operation": f"Op{number}", "status": 500}).encode(), KEYS[1])


def _journal_flood(port: int) -> None:
    body = json.dumps({"query": "query Flood { user { id } }", "variables": {"pad": "y" * 60_000}}).encode()
    for _ in range(600):
        _post(port, "/graphql", body, KEYS[1])


def _costly_documents(port: int) -> None:
    """Issue 24, finding 6: 999 aliases each reading a page of 100 projects (3.5 MB of answer, seconds of CPU
    each before the cost limit), from 4 connections at once."""
    _post(port, "/_mock/seed", json.dumps({"ontologies": [{"name": "o"}], "projects": [
        {"name": f"p{number}", "ontology": "o"} for number in range(100)]}).encode(), KEYS[1], 60)
    body = json.dumps({"query": "{ " + " ".join(f"a{i}: projects(first: 100) {{ id }}" for i in range(999))
                       + " }"}).encode()
    _in_parallel(4, lambda: [_post(port, "/graphql", body, KEYS[1], 60) for _ in range(10)])


def _flood(port: int) -> None:
    """One organisation's 64 connections reading 100 projects each, as fast as answered, for 5 s: the queue
    in front of the pool takes the other organisation's requests in turn."""
    _post(port, "/_mock/seed", json.dumps({"ontologies": [{"name": "o"}], "projects": [
        {"name": f"p{number}", "ontology": "o"} for number in range(100)]}).encode(), KEYS[1], 60)
    body = json.dumps({"query": "query Page { projects(first: 100) { id name description createdAt } }"}).encode()
    deadline = time.monotonic() + 5

    def keep_asking() -> None:
        import http.client

        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        headers = {"Authorization": f"Bearer {KEYS[1]}", "Content-Type": "application/json"}
        try:
            while time.monotonic() < deadline:
                connection.request("POST", "/graphql", body, headers)
                connection.getresponse().read()
        except OSError:
            pass
        finally:
            connection.close()

    _in_parallel(64, keep_asking)


def _recording_flood(port: int) -> None:
    """An organisation records its own calls and sends 2 MiB bodies until its recording quota refuses them
    (was: the whole mock's recording grew to 256 MiB, the organisation's own to 64 MiB)."""
    _post(port, "/_mock/recording", b"{}", KEYS[1])
    body = json.dumps({"query": "query Me { user { id } }", "variables": {"pad": "z" * (2 * 1024 * 1024)}}).encode()
    for _ in range(40):
        if _post(port, "/graphql", body, KEYS[1], 60) == 409:
            break


def _in_parallel(count: int, work: Callable[[], Any]) -> None:
    threads = [threading.Thread(target=work, daemon=True) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)


ATTACKS: dict[str, Callable[[int], None]] = {
    "16 keyless 64 MiB bodies": _keyless_bodies,
    "128 idle keyless sockets": _idle_sockets,
    "admin stores: 40 MiB and 7 MiB names, files, errors; 1,200 faults": _admin_flood,
    "journal flood (600 x 60 KiB)": _journal_flood,
    "999 aliased pages of 100 projects (40 documents, 4 at once)": _costly_documents,
    "one organisation's 64 connections reading pages (5 s)": _flood,
    "recording 2 MiB calls past the quota": _recording_flood,
}


def run(only: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    results = []
    for name, attack in ATTACKS.items():
        if only and not any(part in name for part in only):
            continue
        process, port = _start()
        try:
            warm = json.dumps({"query": "query Me { user { id } }"}).encode()
            for _ in range(20):  # the victim's document parsed and cached, the pool's threads made
                _post(port, "/graphql", warm, KEYS[0])
            base = _rss(process.pid)
            stop = threading.Event()
            latencies: list[float] = []
            refused: list[int] = []
            victim = threading.Thread(target=_victim, args=(port, stop, latencies, refused), daemon=True)
            victim.start()
            peak = base
            attacker = threading.Thread(target=attack, args=(port,), daemon=True)
            attacker.start()
            deadline = time.monotonic() + 120
            while attacker.is_alive() and time.monotonic() < deadline:
                peak = max(peak, _rss(process.pid))
                time.sleep(0.05)
            peak = max(peak, _rss(process.pid))
            stop.set()
            victim.join(15)
            ordered = sorted(latencies)
            p95 = ordered[int(0.95 * (len(ordered) - 1))] if ordered else float("nan")
            results.append({"attack": name, "rss_start_mib": round(base), "rss_peak_mib": round(peak),
                            "victim_requests": len(latencies), "victim_p95_ms": round(p95, 1),
                            "victim_refused": len(refused)})
        finally:
            process.terminate()
            process.wait(10)
    return results


def main() -> None:
    for row in run(tuple(sys.argv[1:])):
        print(json.dumps(row))


if __name__ == "__main__":
    main()
