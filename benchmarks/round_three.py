"""Issue 26's figures: export rendering per row against the encoders alone, an export rendered on a
worker while its organisation is used, and full listings at two sizes (per item, flat in size).

- render_rows: the mock's rendering of a run's rows to NDJSON (documents built from the
  snapshot, then encoded), without and with orjson, against json.dumps / orjson.dumps of
  the same documents; CPU per row, subjects and floors alternating.
- export_worker: a 200k-row run exported with rendering on a worker (as the standalone
  server renders): every status read and a small query of the same organisation timed
  (wall) until the task completes; the export's rows checked against the run's.
- listings: Project.labels() and Client.get_datasets() through labelbox_lite and
  MockLabelbox, every page read, CPU per item, at 500 and 50,000 items.
"""

from __future__ import annotations

import gc
import json
import time
from collections.abc import Callable
from typing import Any

from .figures import FLOOR, Figure
from .limits import API_KEY, Driver, _figure, _lean_run, _rich_run
from .processes import has_module

# Rows a slice of the interleaved rendering figure holds: about 10 ms of either side's CPU, so both
# see the same machine (docs/benchmarks.md, "the rendering swing").
RENDER_SLICE = 500


def render_rows(rows: int, repetitions: int) -> list[Figure]:
    """Each path's rendering and its floor, timed slice by slice in turn over the same rows.

    Timed in separate blocks of half a second, CPU time per row moved by up to a third from one
    block to the next on this shared machine, and the floor kept every line it made (so page faults
    of memory glibc had or had not returned landed in it), which made the ratio swing (1.04x to
    1.95x). Here the stream renders RENDER_SLICE lines, then the floor encodes the same rows (which
    goes first alternates), and each side's CPU is summed over the slices. The floor is json.dumps
    (or orjson.dumps) of the documents the export renders, each line dropped once made; the subject
    keeps its lines, as an export does. Both sides are warmed up once (the derived-id and timestamp
    caches, the allocator) and run with the collector in the same state, which collects during
    neither: each row's containers are freed as it is encoded, so its young count does not grow.
    """
    from mockserver import MockLabelbox
    from mockserver.engines import ndjson_stream
    from mockserver.engines.export import _model_run_rows
    from mockserver.engines.export_snapshot import ExportParams, take_snapshot

    mock = MockLabelbox(api_key=API_KEY)
    run_id = _rich_run(mock, rows, "rows")
    org = mock.backend.store.org_for_key(API_KEY)
    assert org is not None
    run = org.model_run(run_id)
    count, row = _model_run_rows(take_snapshot(org, run, ExportParams.everything()))["RESULT"]
    documents = [row(index) for index in range(count)]
    slices = [documents[start:start + RENDER_SLICE] for start in range(0, count, RENDER_SLICE)]
    note = (f"{rows:,} rows, every export param on; {repetitions} runs, each {RENDER_SLICE}-row slices of "
            "rendering and floor in turn")

    paths: list[tuple[bool, Figure, Figure, Callable[[Any], Any]]] = [
        (False, _figure("render_rows.stdlib", "mock rendering, stdlib encoder", "CPU per row", "µs", note=note),
         _figure("render_rows.json_dumps", "json.dumps of the same rows (floor)", "CPU per row", "µs", FLOOR, note),
         json.dumps)]
    if has_module("orjson"):
        import orjson

        paths.append((True, _figure("render_rows.orjson", "mock rendering, orjson", "CPU per row", "µs", note=note),
                      _figure("render_rows.orjson_dumps", "orjson.dumps of the same rows (floor)", "CPU per row",
                              "µs", FLOOR, note), orjson.dumps))

    def interleaved(fast: bool, dumps: Callable[[Any], Any]) -> tuple[float, float]:
        ndjson_stream.use_orjson(fast)
        stream = ndjson_stream.NdjsonStream(count, row)
        clock = time.process_time
        rendering = floor = 0.0
        for number, documents_slice in enumerate(slices):
            for side in ((0, 1) if number % 2 == 0 else (1, 0)):
                started = clock()
                if side == 0:
                    stream.render(RENDER_SLICE)
                    rendering += clock() - started
                else:
                    for document in documents_slice:
                        dumps(document)
                    floor += clock() - started
        if not stream.complete:
            raise RuntimeError("the stream was not rendered whole")
        return rendering, floor

    try:
        for fast, _subject, _floor, dumps in paths:  # warm-up, untimed
            interleaved(fast, dumps)
        for _ in range(repetitions):
            for fast, subject, floor, dumps in paths:
                gc.collect()
                rendering, dumping = interleaved(fast, dumps)
                subject.samples.append(rendering / count * 1e6)
                floor.samples.append(dumping / count * 1e6)
    finally:
        ndjson_stream.use_orjson(True)
    return [figure for _fast, subject, floor, _dumps in paths for figure in (subject, floor)]


def export_worker(rows: int, repetitions: int) -> list[Figure]:
    from mockserver import MockLabelbox

    note = f"{rows:,}-row run, rendering on the worker; {repetitions} exports"
    status_max = _figure("export_worker.status_max", "slowest status read while it renders", "wall", "ms", note=note)
    status_p95 = _figure("export_worker.status_p95", "status reads while it renders, p95", "wall", "ms", note=note)
    other_p95 = _figure("export_worker.other_p95", "another query of the organisation meanwhile, p95", "wall", "ms",
                        note=note)
    renders = _figure("export_worker.render", "export created to COMPLETE", "wall", "s", note=note)
    mock = MockLabelbox(api_key=API_KEY)
    mock.backend.exports.render_in_background()
    driver = Driver(mock)
    run_id = _lean_run(mock, rows, "w")
    gc.collect()  # as `seed` does after a large seed (Backend.seed): the new heap's first full collection
    org = mock.backend.store.org_for_key(API_KEY)
    assert org is not None
    expected = {entry.data_row_id for entry in org.model_run(run_id).rows.values()}
    try:
        for _ in range(repetitions):
            started = time.perf_counter()
            task_id = driver.create_export(run_id, params={})
            reads: list[float] = []
            others: list[float] = []
            while True:
                began = time.perf_counter()
                tasks = driver.gql(driver.docs.GET_TASK, {"userId": driver.user_id, "taskId": task_id})
                reads.append(time.perf_counter() - began)
                if tasks["user"]["createdTasks"][0]["status"] != "IN_PROGRESS":
                    break
                began = time.perf_counter()
                driver.gql("query { user { id } }", {})
                others.append(time.perf_counter() - began)
            renders.samples.append(time.perf_counter() - started)
            status_max.samples.append(max(reads) * 1000)
            reads.sort()
            status_p95.samples.append(reads[int(len(reads) * 0.95)] * 1000)
            others.sort()
            other_p95.samples.append(others[int(len(others) * 0.95)] * 1000 if others else 0.0)
        data = _download(driver, task_id)
        served = {json.loads(line)["data_row"]["id"] for line in data.splitlines()}
        if served != expected or len(data.splitlines()) != rows:
            raise RuntimeError("the export's rows differ from the run's")
    finally:
        mock.backend.exports.close()
    return [status_max, status_p95, other_p95, renders]


def _download(driver: Driver, task_id: str) -> bytes:
    where = {"where": {"id": task_id}, "streamType": "RESULT"}
    header = driver.gql(driver.docs.GET_EXPORT_METADATA_HEADER, where)["task"]["exportMetadataHeader"]
    pieces, offset = [], 0
    while header and offset < header["totalSize"]:
        chunk = driver.gql(driver.docs.GET_EXPORT_FILE_FROM_OFFSET, {**where, "offset": str(offset)})
        chunk = chunk["task"]["exportFileFromOffset"]
        pieces.append(driver.download(chunk["file"]))
        offset = int(chunk["offsets"]["end"]) + 1
    return b"".join(pieces)


def _labels_project(mock: Any, items: int) -> Any:
    from mockserver.state.records import DataRow, Label

    org = mock.backend.store.org_for_key(API_KEY)
    created = mock.seed({"ontologies": [{"name": "o"}], "datasets": [{"name": "d"}],
                         "projects": [{"name": "p", "ontology": "o"}]})
    project, dataset = org.project(created["projects"][0]["id"]), org.dataset(created["datasets"][0]["id"])
    now = mock.backend.clock.now()
    for index in range(items):
        row_id, label_id = f"crow{index:021d}", f"clab{index:021d}"
        org.data_rows[row_id] = DataRow(id=row_id, dataset_id=dataset.id, row_data=f"https://example.com/{index}",
                                        created_at=now, updated_at=now)
        dataset.data_row_ids.append(row_id)
        org.labels[label_id] = Label(id=label_id, project_id=project.id, data_row_id=row_id, created_at=now,
                                     updated_at=now, created_by_id=org.user.id)
        project.label_ids.append(label_id)
    return lambda client: client.get_project(project.id).labels()


def _datasets(mock: Any, items: int) -> Any:
    from mockserver.state.records import Dataset

    org = mock.backend.store.org_for_key(API_KEY)
    now = mock.backend.clock.now()
    for index in range(items):
        org.datasets[f"cset{index:021d}"] = Dataset(id=f"cset{index:021d}", name=f"d{index}", created_at=now)
    return lambda client: client.get_datasets()


def listings(sizes: tuple[int, int], repetitions: int) -> list[Figure]:
    """A full listing at each size, the sizes in turn over the same stretch of the machine's time:
    each round reads the small collection as many times as it takes to read as many items as one
    read of the large one, then the large one (which goes first alternates). Timed in separate
    blocks, 500 items read twice swung 28-50 µs an item."""
    import labelbox_lite as lb
    from mockserver import MockLabelbox

    small, large = sizes
    figures: list[Figure] = []
    for key, build in (("labels", _labels_project), ("datasets", _datasets)):
        subjects: list[tuple[int, Figure, Any, Any]] = []
        for items in sizes:
            figure = _figure(f"listing_{key}.{items}", f"{key}: a full listing of {items:,}", "CPU per item", "µs",
                             note=f"{repetitions} rounds, every page read; the sizes in turn, "
                                  f"{max(1, large // small)} reads of {small:,} against one of {large:,}")
            mock = MockLabelbox(api_key=API_KEY)  # each size its own backend, started while it is read
            subjects.append((items, figure, mock, build(mock, items)))
        client = lb.Client(api_key=API_KEY)
        for _items, _figure_of, mock, listing in subjects:
            with mock:
                sum(1 for _ in listing(client))  # warms the document cache and the ordered index
        for repetition in range(repetitions):
            for items, figure, mock, listing in (subjects if repetition % 2 == 0 else subjects[::-1]):
                times = max(1, large // items)
                with mock:
                    gc.collect()
                    started = time.process_time()
                    for _ in range(times):
                        read = sum(1 for _ in listing(client))
                        if read != items:
                            raise RuntimeError(f"the {key} listing read {read} of {items}")
                    seconds = time.process_time() - started
                figure.samples.append(seconds / (items * times) * 1e6)
        client.close()
        figures += [figure for _items, figure, _mock, _listing in subjects]
    return figures


def run_all(quick: bool, scale: float) -> list[Figure]:
    def sized(rows: int) -> int:
        return max(int(rows * scale), 10)

    repetitions = 3 if quick else 5
    figures = render_rows(sized(20_000), repetitions)
    figures += export_worker(sized(200_000), 3 if quick else 5)  # the slowest read over several exports
    figures += listings((sized(500), sized(50_000)), 2 if quick else 3)
    return figures
