"""Child processes for the benchmarks: one-shot children with their own rusage, and servers on loopback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from attrs import define

ROOT = Path(__file__).resolve().parent.parent  # the checkout: children import its packages
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def has_module(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


def child_env() -> dict[str, str]:
    """The environment children run with: the checkout first on the path, output unbuffered."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    env["PYTHONUNBUFFERED"] = "1"
    return env


@define
class ChildRun:
    """A finished child: wall time seen from the parent, its own CPU time (wait4), its stdout.

    No peak RSS here: Linux carries the spawning parent's RSS into an exec'd child's
    ru_maxrss (a 300 MiB parent gives a 13 MiB child a ru_maxrss of 313 MiB), so a
    child reports its own high-water mark, VmHWM, which exec resets (see peak_rss_snippet).
    """

    wall: float
    cpu: float
    stdout: str
    returncode: int

    def json(self) -> Any:
        return json.loads(self.stdout.strip().splitlines()[-1])


def run_child(args: Sequence[str], timeout: float = 300.0) -> ChildRun:
    """Runs `python args...` and reads the child's own rusage with wait4 (not RUSAGE_CHILDREN,
    which mixes in every earlier child). A child still running after `timeout` is killed."""
    import tempfile
    import threading

    with tempfile.TemporaryFile(mode="w+") as errors:
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, *args], cwd=ROOT, env=child_env(),  # noqa: S603 - our own children
                                   stdout=subprocess.PIPE, stderr=errors, text=True)
        timer = threading.Timer(timeout, process.kill)
        timer.start()
        try:
            assert process.stdout is not None
            out = process.stdout.read()  # until the child exits; Popen.wait would reap it before wait4
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
            if process.stdout is not None:
                process.stdout.close()
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            raise RuntimeError(f"benchmark child {' '.join(args)[:200]} exited {process.returncode}:\n"
                               f"{errors.read()[-4000:]}")
    return ChildRun(wall=wall, cpu=usage.ru_utime + usage.ru_stime, stdout=out, returncode=process.returncode)


def process_cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a live process so far, from /proc."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS  # utime, stime (fields 14 and 15)


# For children started with -c: their own peak resident memory (VmHWM) in MiB, without importing anything.
PEAK_RSS_SNIPPET = (
    "[int(_l.split()[1]) / 1024 for _l in open('/proc/self/status', encoding='ascii') if _l.startswith('VmHWM:')][0]"
)


class ServerProcess:
    """A server in its own process, so it never competes with the measured client for the GIL.

    The child prints one JSON line (at least {"url": ...}) once it listens, and
    exits when its stdin closes.
    """

    def __init__(self, args: Sequence[str], startup_timeout: float = 60.0) -> None:
        self.process = subprocess.Popen([sys.executable, *args], cwd=ROOT, env=child_env(),  # noqa: S603 - ours
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        try:
            self.info = _read_ready_line(self.process.stdout, self.process, startup_timeout, args)
        except BaseException:
            self.stop()
            raise
        self.url: str = self.info["url"]

    @property
    def pid(self) -> int:
        return self.process.pid

    def cpu_seconds(self) -> float:
        return process_cpu_seconds(self.pid)

    def stop(self) -> None:
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.close()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()


def _read_ready_line(stream: IO[str], process: subprocess.Popen[str], timeout: float,
                     args: Sequence[str]) -> dict[str, Any]:
    import threading

    timer = threading.Timer(timeout, process.kill)  # a child that never gets ready is killed, ending readline
    timer.start()
    try:
        for line in stream:
            try:
                info = json.loads(line)
            except json.JSONDecodeError:
                continue  # not the ready line
            if isinstance(info, dict) and "url" in info:
                return info
    finally:
        timer.cancel()
    raise RuntimeError(f"server child {' '.join(args)} exited or did not report ready within {timeout:g}s")


def serve_until_stdin_closes(info: dict[str, Any]) -> None:
    """For server children: announce readiness, then block until the parent closes stdin."""
    sys.stdout.write(json.dumps(info) + "\n")
    sys.stdout.flush()
    sys.stdin.read()
