"""Costs against their physical limits (issue 17), each a ratio of two figures measured in this run.

- export rendering: the mock's CPU for a whole export (mutation, status reads,
  header, every chunk asked for and downloaded, through its handler) against
  `json.dumps` of the rows it served;
- export creation: the mutation alone on a run of the largest size against the
  smallest (it does nothing per row);
- export memory: the mock's resident memory after 10 exports of a 100k-row run
  against after 1 (older exports are released past the per-organisation cap),
  in a fresh child process;
- per call with finished tasks: `Client.get_model` through MockLabelbox in
  organisations holding 0, 10k and 100k finished tasks;
- prediction encoding: labelbox_lite's NDJSON encoding of prediction rows,
  without and with orjson, against the encoding before this work
  (`json.dumps` per row);
- export parsing: labelbox_lite reading an export's bytes into values, without
  and with orjson, against `json.loads` / `orjson.loads` of the same lines;
- mock validation: the mock's whole prediction import (parse, validate,
  statuses, store) against parsing the same NDJSON alone.

CPU is process time (`time.process_time`) of the benchmark process, which runs
nothing else meanwhile; subjects and floors alternate repetition by repetition.
"""

from __future__ import annotations

import gc
import json
import time
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from .figures import FLOOR, SUBJECT, Figure, SectionResult, skipped_figure
from .processes import has_module, run_child

SECTION = "limits: costs against their floors"
API_KEY = "test-key"
EXPORT_INPUT_PARAMS = {"includeAttachments": True, "includeEmbeddings": True, "includeMetadata": True,
                       "includeDataRowDetails": True, "includePredictions": True, "includeModelRunDetails": True}


class Driver:
    """The mock's handler, called directly: every CPU second spent is the mock's."""

    def __init__(self, mock: Any) -> None:
        from labelbox_lite import documents as docs

        self.mock = mock
        self.docs = docs
        org = mock.backend.store.org_for_key(mock.api_key)
        self.user_id = org.user.id

    def gql(self, query: str, variables: dict[str, Any]) -> Any:
        from mockserver.http.messages import HttpRequest

        body = json.dumps({"query": query, "variables": variables}).encode("utf-8")
        request = HttpRequest(method="POST", url="https://api.labelbox.com/graphql", body=body,
                              headers={"Authorization": f"Bearer {self.mock.api_key}",
                                       "Content-Type": "application/json"})
        answer = json.loads(self.mock.handler(request).body_bytes())
        if answer.get("errors"):
            raise RuntimeError(f"the mock refused a benchmark request: {answer['errors']}")
        return answer["data"]

    def download(self, url: str) -> bytes:
        from mockserver.http.messages import HttpRequest

        response = self.mock.handler(HttpRequest(method="GET", url=url))
        if response.status != 200:
            raise RuntimeError(f"download of {url} answered {response.status}")
        return bytes(response.body_bytes())

    def create_export(self, run_id: str, params: dict[str, bool] | None = None) -> str:
        params = EXPORT_INPUT_PARAMS if params is None else params
        data = self.gql(self.docs.EXPORT_MODEL_RUN, {"input": {"filters": {"modelRunId": run_id}, "params": params}})
        return str(data["exportDataRowsInModelRun"]["taskId"])

    def wait(self, task_id: str) -> None:
        for _ in range(10_000):
            tasks = self.gql(self.docs.GET_TASK, {"userId": self.user_id, "taskId": task_id})["user"]["createdTasks"]
            if tasks[0]["status"] != "IN_PROGRESS":
                return
        raise RuntimeError(f"export task {task_id} did not finish")

    def export(self, run_id: str) -> bytes:
        """A whole export as a client makes it: create, wait, header, every chunk downloaded."""
        task_id = self.create_export(run_id)
        self.wait(task_id)
        where = {"where": {"id": task_id}, "streamType": "RESULT"}
        header = self.gql(self.docs.GET_EXPORT_METADATA_HEADER, where)["task"]["exportMetadataHeader"]
        pieces, offset = [], 0
        while header and offset < header["totalSize"]:
            chunk = self.gql(self.docs.GET_EXPORT_FILE_FROM_OFFSET, {**where, "offset": str(offset)})
            chunk = chunk["task"]["exportFileFromOffset"]
            pieces.append(self.download(chunk["file"]))
            offset = int(chunk["offsets"]["end"]) + 1
        return b"".join(pieces)


def _rich_run(mock: Any, rows: int, name: str) -> str:
    """benchmarks.export_stream's run: every row predicted, every other one labelled, all in splits."""
    from .export_stream import build_run

    build_run(mock, 0, "0")  # seeds the ontology the runs use
    return build_run(mock, rows, name)


def _cpu(work: Callable[[], Any]) -> tuple[float, Any]:
    started = time.process_time()
    result = work()
    return time.process_time() - started, result


def _figure(key: str, subject: str, metric: str, unit: str, role: str = SUBJECT, note: str = "") -> Figure:
    return Figure(f"limits.{key}", SECTION, subject, metric, unit, role, note=note)


# -- export rendering ---------------------------------------------------------------------------

def export_rendering(rows: int, repetitions: int) -> list[Figure]:
    from mockserver import MockLabelbox

    mock = MockLabelbox(api_key=API_KEY)
    driver = Driver(mock)
    run_id = _rich_run(mock, rows, "render")
    note = f"{rows:,} rows, every export param on; {repetitions} runs"
    subject = _figure("export_render.mock", "mock: export, every chunk served", "CPU per row", "µs", note=note)
    floor = _figure("export_render.json_dumps", "json.dumps of the same rows (floor)", "CPU per row", "µs", FLOOR,
                    note)
    for _ in range(repetitions):
        gc.collect()
        seconds, data = _cpu(lambda: driver.export(run_id))
        served = [json.loads(line) for line in data.splitlines()]
        if len(served) != rows:
            raise RuntimeError(f"the export served {len(served)} rows, expected {rows}")
        subject.samples.append(seconds / rows * 1e6)
        gc.collect()
        def dump_each(documents: list[Any] = served) -> list[str]:
            return [json.dumps(document) for document in documents]

        seconds, _ = _cpu(dump_each)
        floor.samples.append(seconds / rows * 1e6)
    return [subject, floor]


# -- export creation ------------------------------------------------------------------------------

def _lean_run(mock: Any, rows: int, name: str) -> str:
    """A run of `rows` data rows, built straight into state (the creation cost does not depend on their content)."""
    from mockserver.state.models import create_model_run
    from mockserver.state.records import DataRow, ModelRunDataRow

    org = mock.backend.store.org_for_key(mock.api_key)
    store = mock.backend.store
    model_id = mock.seed({"ontologies": [{"name": f"o-{name}"}],
                          "datasets": [{"name": f"d-{name}", "data_rows": [{"row_data": "https://example.com/0.jpg"}]}],
                          "models": [{"name": f"m-{name}", "ontology": f"o-{name}"}]})["models"][0]
    template = next(row for row in org.data_rows.values() if row.row_data == "https://example.com/0.jpg")
    run = create_model_run(org, store.ids, store.clock, model_id, name)
    now = store.clock.now()
    for index in range(rows):
        row_id = f"c{name}{index:020d}"
        org.data_rows[row_id] = DataRow(id=row_id, dataset_id=template.dataset_id, row_data=f"https://example.com/{index}",
                                        created_at=now, updated_at=now)
        run.rows[row_id] = ModelRunDataRow(id=f"r{name}{index:020d}", data_row_id=row_id, model_run_id=run.id,
                                           created_at=now, updated_at=now)
    run.rows_version += 1
    return run.id


def export_creation(sizes: tuple[int, int], repetitions: int) -> list[Figure]:
    from mockserver import MockLabelbox
    from mockserver.engines.tasks import MAX_TRANSITION_TIMES

    mock = MockLabelbox(api_key=API_KEY)
    # never completes within the run's reads: the creation alone is measured
    mock.set_transition("export", progression="reads", times=MAX_TRANSITION_TIMES)
    driver = Driver(mock)
    runs = {size: _lean_run(mock, size, f"x{size}") for size in sizes}
    batch = 100
    figures = {size: _figure(f"export_create.{size}", f"export mutation, run of {size:,} rows", "CPU per request",
                             "µs", note=f"{repetitions} batches of {batch} requests") for size in sizes}
    for _ in range(repetitions):
        for size in sizes:
            def create_batch(run: str = runs[size]) -> list[str]:
                return [driver.create_export(run) for _ in range(batch)]

            seconds, _ = _cpu(create_batch)
            figures[size].samples.append(seconds / batch * 1e6)
    return list(figures.values())


# -- export memory (child process) ------------------------------------------------------------------

def export_memory_child(rows: int) -> dict[str, float]:
    """Run in a fresh process: resident memory after 1 export of a `rows` run, and after 10.

    Each export is created, waited for (which renders it) and its header read;
    the default params (the rows without labels or predictions) keep the run short.
    """
    from mockserver import MockLabelbox

    def resident_mib() -> float:
        gc.collect()
        with open("/proc/self/status", encoding="ascii") as status:
            line = next(line for line in status if line.startswith("VmRSS:"))
        return int(line.split()[1]) / 1024

    mock = MockLabelbox(api_key=API_KEY)
    driver = Driver(mock)
    run_id = _lean_run(mock, rows, "memory")

    def export() -> None:
        task_id = driver.create_export(run_id, params={})
        driver.wait(task_id)
        header = driver.gql(driver.docs.GET_EXPORT_METADATA_HEADER, {"where": {"id": task_id}, "streamType": "RESULT"})
        if header["task"]["exportMetadataHeader"]["totalLines"] != rows:
            raise RuntimeError(f"the export has {header} lines, expected {rows}")

    export()
    after_one = resident_mib()
    for _ in range(9):
        export()
    return {"after_1": after_one, "after_10": resident_mib()}


def export_memory(rows: int, repetitions: int) -> list[Figure]:
    note = f"{rows:,} rows, default params; {repetitions} fresh processes"
    one = _figure("export_rss.after_1", "mock after 1 export", "resident memory", "MiB", note=note)
    ten = _figure("export_rss.after_10", "mock after 10 exports", "resident memory", "MiB", note=note)
    for _ in range(repetitions):
        measured = run_child(["-c", f"import json, benchmarks.limits as l; "
                                    f"print(json.dumps(l.export_memory_child({rows})))"], timeout=900).json()
        one.samples.append(measured["after_1"])
        ten.samples.append(measured["after_10"])
    return [one, ten]


# -- per call with finished tasks -----------------------------------------------------------------

def per_call_with_tasks(task_counts: tuple[int, ...], batches: int, calls: int) -> list[Figure]:
    import labelbox_lite as lb
    from mockserver import MockLabelbox
    from mockserver.engines.tasks import Transition

    from .per_call import on_own_thread

    subjects = []
    for count in task_counts:
        mock = MockLabelbox(api_key=API_KEY)
        model_id = mock.seed({"ontologies": [{"name": "o"}], "models": [{"name": "m", "ontology": "o"}]})["models"][0]
        backend = mock.backend
        backend.tasks.max_finished = max(count, backend.tasks.max_finished)  # hold them all (the default cap is 5,000)
        org = backend.store.org_for_key(API_KEY)
        assert org is not None
        # half finished at once, half on the clock and settled by a tick
        for index in range(count):
            kind = Transition() if index % 2 else Transition(progression="time", duration=1.0)
            backend.tasks.set_transition("export", kind)
            backend.tasks.start(org, "export", f"t{index}")
        backend.tasks.clear_transitions()
        backend.clock.advance(2.0)
        backend.tasks.tick(org)
        client = lb.Client(api_key=API_KEY)
        figure = _figure(f"per_call_tasks.{count}", f"labelbox_lite → MockLabelbox, {count:,} finished tasks",
                         "CPU per call", "µs", note=f"{batches} batches of {calls} calls")
        subjects.append((figure, mock, client, model_id))

    def measure() -> None:
        for _, mock, client, model_id in subjects:
            with mock:
                for _ in range(50):
                    client.get_model(model_id)
        for _ in range(batches):
            for figure, mock, client, model_id in subjects:
                with mock:  # CPU of this thread, which runs client and mock alike: steadier on a shared machine
                    started = time.thread_time()
                    for _ in range(calls):
                        client.get_model(model_id)
                    figure.samples.append((time.thread_time() - started) / calls * 1e6)

    on_own_thread(measure)
    return [figure for figure, *_ in subjects]


# -- prediction encoding --------------------------------------------------------------------------

def _before(rows: list[dict[str, Any]]) -> bytes:
    """The encoding before this work: json.dumps per row."""
    return "\n".join(json.dumps(row) for row in rows).encode("utf-8")


def prediction_encoding(rows: int, repetitions: int) -> list[Figure]:
    from labelbox_lite.fast_json import encode_rows

    from .bulk_client import bench_prediction

    predictions = [bench_prediction(index) for index in range(rows)]
    note = f"{rows:,} box predictions; {repetitions} runs"
    subjects: list[tuple[Figure, Callable[[], Any]]] = [
        (_figure("encode.before", "json.dumps per row (before)", "CPU per row", "µs", FLOOR, note),
         lambda: _before(predictions)),
        (_figure("encode.stdlib", "labelbox_lite, without orjson", "CPU per row", "µs", note=note),
         lambda: encode_rows(predictions, fast=False)),
    ]
    if has_module("orjson"):
        subjects.append((_figure("encode.orjson", "labelbox_lite, with orjson (fast extra)", "CPU per row", "µs",
                                 note=note), lambda: encode_rows(predictions, fast=True)))
    for _ in range(repetitions):
        for figure, work in subjects:
            gc.collect()
            seconds, _ = _cpu(work)
            figure.samples.append(seconds / rows * 1e6)
    figures = [figure for figure, _ in subjects]
    if not has_module("orjson"):
        figures.append(skipped_figure("limits.encode.orjson", SECTION, "labelbox_lite, with orjson (fast extra)",
                                      "CPU per row", "µs", "orjson is not installed (tox -e bench installs it)"))
    return figures


# -- export parsing -------------------------------------------------------------------------------

def _export_bytes(rows: int) -> bytes:
    from mockserver import MockLabelbox

    mock = MockLabelbox(api_key=API_KEY)
    return Driver(mock).export(_rich_run(mock, rows, "parse"))


def _pieces(data: bytes, size: int = 64 * 1024) -> list[bytes]:
    """As labelbox_lite downloads a chunk: pieces of 64 KiB."""
    return [data[start : start + size] for start in range(0, len(data), size)]


PARSE_SLICE = 1000  # rows a side parses before the other takes its turn


def export_parsing(rows: int, repetitions: int) -> list[Figure]:
    """Each parser and its floor, timed slice by slice in turn over the same export bytes.

    Timed as whole passes one after the other, CPU time per row moved by up to a half between
    passes on this machine (two modes, 4.4 and 6.5 µs for the same orjson floor), so a ratio of
    medians taken in different passes swung 1.07x to 1.36x. Here each slice of PARSE_SLICE rows is
    parsed by every subject in turn (which goes first rotates), each side's CPU summed over the
    slices. The client reads a slice as it downloads it, in 64 KiB pieces; the floors split the
    slice's bytes at newlines, as any reader must. Rows are taken one at a time and dropped, as a
    script streaming an export does (a list of them all would mostly time the garbage collector).
    """
    from labelbox_lite.export_stream import BufferedJsonConverterOutput, BufferedStream, StreamType

    class Given(BufferedStream):
        def __init__(self, pieces: list[bytes]) -> None:
            super().__init__(None, "bench", StreamType.RESULT, 0)  # type: ignore[arg-type]
            self.given = pieces

        def _pieces(self) -> Iterator[bytes]:
            return iter(self.given)

    data = _export_bytes(rows)
    lines = data.split(b"\n")[:-1]
    blocks = [b"\n".join(lines[start:start + PARSE_SLICE]) + b"\n" for start in range(0, len(lines), PARSE_SLICE)]
    slices = [(block, _pieces(block)) for block in blocks]

    def consumed(values: Iterator[Any]) -> int:
        count = 0
        for _ in values:
            count += 1
        return count

    note = (f"{rows:,} export rows ({len(data) / 2**20:.1f} MiB) in 64 KiB pieces; {repetitions} runs, each "
            f"{PARSE_SLICE}-row slices of every subject in turn")
    subjects: list[tuple[Figure, Callable[[bytes, list[bytes]], int]]] = [
        (_figure("parse.json_loads", "json.loads per line (floor)", "CPU per row", "µs", FLOOR, note),
         lambda block, _pieces: consumed(json.loads(line) for line in block.split(b"\n")[:-1])),
        (_figure("parse.stdlib", "labelbox_lite, without orjson", "CPU per row", "µs", note=note),
         lambda _block, pieces: consumed(Given(pieces)._iter_stdlib())),
    ]
    if has_module("orjson"):
        import orjson

        subjects += [
            (_figure("parse.orjson_loads", "orjson.loads per line (floor)", "CPU per row", "µs", FLOOR, note),
             lambda block, _pieces: consumed(orjson.loads(line) for line in block.split(b"\n")[:-1])),
            # issue 26's floor for the streamed figure: the parse plus the object the client yields per row
            (_figure("parse.orjson_yielded", "orjson.loads per line, each wrapped as the client yields it (floor)",
                     "CPU per row", "µs", FLOOR, note),
             lambda block, _pieces: consumed(BufferedJsonConverterOutput(orjson.loads(line))
                                             for line in block.split(b"\n")[:-1])),
            (_figure("parse.orjson", "labelbox_lite, with orjson (fast extra)", "CPU per row", "µs", note=note),
             lambda _block, pieces: consumed(Given(pieces)._iter_orjson(orjson))),
        ]

    def interleaved() -> list[float]:
        spent = [0.0] * len(subjects)
        counted = [0] * len(subjects)
        order = list(range(len(subjects)))
        for block, pieces in slices:
            for index in order:
                started = time.process_time()
                counted[index] += subjects[index][1](block, pieces)
                spent[index] += time.process_time() - started
            order.append(order.pop(0))  # the next slice starts with the next subject
        for (figure, _work), parsed in zip(subjects, counted, strict=True):
            if parsed != rows:
                raise RuntimeError(f"{figure.subject} read {parsed} rows, expected {rows}")
        return spent

    interleaved()  # warm-up, untimed
    for _ in range(repetitions):
        gc.collect()
        for (figure, _work), seconds in zip(subjects, interleaved(), strict=True):
            figure.samples.append(seconds / rows * 1e6)
    figures = [figure for figure, _ in subjects]
    if not has_module("orjson"):
        for key, subject in (("orjson_loads", "orjson.loads per line (floor)"),
                             ("orjson_yielded", "orjson.loads per line, each wrapped as the client yields it (floor)"),
                             ("orjson", "labelbox_lite, with orjson (fast extra)")):
            figures.append(skipped_figure(f"limits.parse.{key}", SECTION, subject, "CPU per row", "µs",
                                          "orjson is not installed (tox -e bench installs it)"))
    return figures


# -- mock validation ------------------------------------------------------------------------------

def mock_validation(rows: int, repetitions: int) -> list[Figure]:
    from mockserver.backend import Backend
    from mockserver.engines.prediction_imports import run_mea_import
    from mockserver.state import model_run_rows, models
    from mockserver.state.records import AnnotationImport

    from .bulk_client import bench_prediction
    from .servers import bench_seed

    backend = Backend([API_KEY])
    created = backend.seed(bench_seed(rows))
    org = backend.store.org_for_key(API_KEY)
    assert org is not None
    text = "\n".join(json.dumps(bench_prediction(index)) for index in range(rows))
    note = f"{rows:,} box predictions, all valid; {repetitions} runs"
    subject = _figure("validate.mock", "mock: import (parse, validate, statuses, store)", "CPU per row", "µs",
                      note=note)
    floor = _figure("validate.parse", "json.loads per line (floor)", "CPU per row", "µs", FLOOR, note)
    row_ids = [f"cbench{index:019d}" for index in range(rows)]
    for repetition in range(repetitions):
        run = models.create_model_run(org, backend.store.ids, backend.clock, created["models"][0], f"v{repetition}")
        model_run_rows.register_data_rows(org, backend.store.ids, backend.clock, run.id, row_ids, [])
        record = AnnotationImport(id=f"bench-{repetition}", name=f"bench-{repetition}", kind="mea", model_run_id=run.id,
                                  created_at=0.0, input_text=text)
        gc.collect()
        seconds, counts = _cpu(partial(run_mea_import, org, backend.files, backend.clock, record))
        if counts["accepted"] != rows:
            raise RuntimeError(f"the mock accepted {counts['accepted']} of {rows} predictions")
        subject.samples.append(seconds / rows * 1e6)
        gc.collect()
        seconds, _ = _cpu(lambda: [json.loads(line) for line in text.split("\n")])
        floor.samples.append(seconds / rows * 1e6)
    return [subject, floor]


CREATION_SIZES = (10_000, 1_000_000)
TASK_COUNTS = (0, 10_000, 100_000)


def run(quick: bool = False, scale: float = 1.0) -> SectionResult:
    """Every figure of the section; `scale` shrinks the sizes (the smoke test runs them tiny)."""

    def sized(rows: int) -> int:
        return max(int(rows * scale), 10)

    repetitions = 3 if quick else 5
    figures: list[Figure] = []
    figures += export_rendering(sized(20_000), repetitions)
    figures += export_creation((sized(CREATION_SIZES[0]), sized(CREATION_SIZES[1])), repetitions)
    figures += export_memory(sized(100_000), 1 if quick else 2)
    figures += per_call_with_tasks(tuple(sized(n) if n else 0 for n in TASK_COUNTS), batches=repetitions * 2,
                                   calls=max(int(200 * scale), 5))
    figures += prediction_encoding(sized(100_000), repetitions)
    figures += export_parsing(sized(20_000), repetitions)
    figures += mock_validation(sized(50_000), repetitions)
    from .round_three import run_all

    figures += run_all(quick, scale)
    return SectionResult(figures)
