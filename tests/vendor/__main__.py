"""Run Labelbox's own SDK tests, unmodified, against the mock: `python -m tests.vendor [--jobs N] [pytest args]`.

The labelbox 7.17.0 sdist is fetched once with pip into a cache (LABELBOX_VENDOR_CACHE, default
.tox/vendor-cache) and checked against its sha256. Each file of files.txt runs in its own pytest
process against its own fresh, empty `labelbox-mock serve`, configured only through the environment
variables the SDK's conftest reads. Files run side by side (the SDK's tests mostly wait on the
server), and the run closes with one line of totals.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import secrets
import shutil
import subprocess
import sys
import tarfile
import tempfile
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import attrs

HERE = Path(__file__).resolve().parent
SDK = "labelbox==7.17.0"
SDIST = "labelbox-7.17.0.tar.gz"
SDIST_SHA256 = "0714b355a4398d4d2fc6be54e9989331c3cedf0dc79ddd378514ecfd72894752"
# Each file gets this long; the slowest of them takes well under a minute.
FILE_TIMEOUT_SECONDS = 600
SERVER_START_SECONDS = 60


def _lines(name: str) -> list[str]:
    text = (HERE / name).read_text()
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def selection() -> tuple[list[str], dict[str, str]]:
    """The files to run, and the deselected node ids with their reasons."""
    deselected = {}
    for line in _lines("deselected.txt"):
        node, sep, reason = line.partition(" -- ")
        if not sep or not reason.strip():
            raise SystemExit(f"deselected.txt: {line!r} has no reason (write `node id -- reason`)")
        deselected[node.strip()] = reason.strip()
    return _lines("files.txt"), deselected


def sdist_tree(cache: Path) -> Path:
    """The unpacked sdist, fetched and verified on first use."""
    root = cache / SDIST.removesuffix(".tar.gz")
    if (root / "tests" / "conftest.py").is_file():
        return root
    cache.mkdir(parents=True, exist_ok=True)
    archive = cache / SDIST
    if not archive.is_file():
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:",
                        "-d", str(cache), SDK], check=True)
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    if digest != SDIST_SHA256:
        archive.unlink()
        raise SystemExit(f"{SDIST}: sha256 {digest}, expected {SDIST_SHA256}; removed, run again to re-fetch")
    with tempfile.TemporaryDirectory(dir=cache) as tmp:
        with tarfile.open(archive) as tar:
            tar.extractall(tmp, filter="data")
        shutil.rmtree(root, ignore_errors=True)
        (Path(tmp) / root.name).rename(root)
    return root


@attrs.frozen
class Outcome:
    target: str
    counts: dict[str, int]
    log: str
    returncode: int

    @property
    def ok(self) -> bool:
        return self.returncode in (0, 5) and not (self.counts["failed"] or self.counts["errors"])


class Server:
    """A fresh `labelbox-mock serve` on a free loopback port, with one key of its own."""

    def __init__(self, workdir: Path) -> None:
        self.key = "vendor-" + secrets.token_hex(8)
        self._log = open(workdir / "server.log", "w+")  # noqa: SIM115 - closed in stop()
        self._proc = subprocess.Popen([sys.executable, "-m", "mockserver", "serve", "--port", "0",
                                       "--api-key", self.key], stdout=self._log, stderr=subprocess.STDOUT)
        self.url = self._wait_for_url()

    def _wait_for_url(self) -> str:
        import time  # the wait for a child process to print its address is real time by nature

        deadline = time.monotonic() + SERVER_START_SECONDS
        while time.monotonic() < deadline:
            self._log.seek(0)
            found = re.search(r"listening on (http://127\.0\.0\.1:\d+)", self._log.read())
            if found:
                return found.group(1)
            if self._proc.poll() is not None:
                break
            time.sleep(0.05)
        self.stop()
        self._log.seek(0)
        raise RuntimeError(f"labelbox-mock serve did not start:\n{self._log.read()}")

    def stop(self) -> None:
        self._proc.terminate()
        try:
            self._proc.wait(10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        self._log.close()


def _counts(report: Path) -> dict[str, int]:
    counts = {"passed": 0, "failed": 0, "errors": 0, "skipped": 0}
    if not report.is_file():
        return counts
    for suite in ET.parse(report).getroot().iter("testsuite"):
        tests = int(suite.get("tests", 0))
        failed, errors, skipped = (int(suite.get(k, 0)) for k in ("failures", "errors", "skipped"))
        counts["failed"] += failed
        counts["errors"] += errors
        counts["skipped"] += skipped
        counts["passed"] += tests - failed - errors - skipped
    return counts


def run_file(root: Path, target: str, deselected: dict[str, str], extra: list[str], workdir: Path) -> Outcome:
    path = target.split("::", 1)[0]
    workdir.mkdir(parents=True, exist_ok=True)
    server = Server(workdir)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LABELBOX_", "PYTEST_"))}
    env.update({
        "LABELBOX_TEST_ENVIRON": "custom",
        "LABELBOX_TEST_GRAPHQL_API_ENDPOINT": f"{server.url}/graphql",
        "LABELBOX_TEST_REST_API_ENDPOINT": f"{server.url}/api/v1",
        "LABELBOX_TEST_API_KEY_CUSTOM": server.key,
        "PYTHONPATH": str(HERE),  # for `-p loopback_guard`
    })
    report = workdir / "report.xml"
    command = [sys.executable, "-m", "pytest", target, "-q", "-rfE", "-p", "no:cacheprovider",
               "-p", "loopback_guard", "--import-mode=importlib",
               # the sdist's own pyproject as the config: never a pytest config found above it (ours)
               "-c", str(root / "pyproject.toml"), "--rootdir", str(root), f"--junitxml={report}",
               "-o", "junit_family=xunit1"]
    command += [f"--deselect={node}" for node in deselected if node.split("::", 1)[0] == path]
    try:
        done = subprocess.run(command + extra, cwd=root, env=env, capture_output=True, text=True,
                              timeout=FILE_TIMEOUT_SECONDS)
        log, returncode = done.stdout + done.stderr, done.returncode
    except subprocess.TimeoutExpired as exc:
        # a timeout's captured output is bytes whatever text= says (subprocess documents it)
        partial = exc.stdout.decode(errors="replace") if exc.stdout else ""
        log, returncode = f"{target}: timed out after {FILE_TIMEOUT_SECONDS} s\n{partial}", 1
    finally:
        server.stop()
    return Outcome(target, _counts(report), log, returncode)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.vendor", description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=max(2, 2 * (os.cpu_count() or 1)),
                        help="files run at once (default: twice the cores; the tests mostly wait)")
    parser.add_argument("--only", action="append", default=[],
                        help="run only the listed files whose path contains this text (repeatable)")
    args, extra = parser.parse_known_args(argv)
    files, deselected = selection()
    if args.only:
        files = [f for f in files if any(text in f for text in args.only)]
    root = sdist_tree(Path(os.environ.get("LABELBOX_VENDOR_CACHE", ".tox/vendor-cache")).resolve())
    work = Path(tempfile.mkdtemp(prefix="labelbox-vendor-"))
    with ThreadPoolExecutor(args.jobs) as pool:
        outcomes = list(pool.map(
            lambda item: run_file(root, item[1], deselected, extra, work / str(item[0])), enumerate(files)))
    totals = {"passed": 0, "failed": 0, "errors": 0, "skipped": 0}
    for outcome in outcomes:
        if not outcome.ok:
            print(outcome.log)
        summary = ", ".join(f"{n} {k}" for k, n in outcome.counts.items() if n)
        print(f"{'ok  ' if outcome.ok else 'FAIL'} {outcome.target}: {summary or 'no test ran'}")
        for key in totals:
            totals[key] += outcome.counts[key]
    shutil.rmtree(work, ignore_errors=True)
    ran = [node for node in deselected if any(node.split("::", 1)[0] == f.split("::", 1)[0] for f in files)]
    print(f"{len(ran)} SDK tests deselected as needing the internet (tests/vendor/deselected.txt)")
    print(f"{totals['passed']} passed, {totals['failed'] + totals['errors']} failed, {totals['skipped']} skipped")
    return 0 if all(outcome.ok for outcome in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
