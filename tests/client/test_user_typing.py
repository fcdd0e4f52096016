"""A user's script type-checks under mypy --strict as it reads (issue 25): where-clause fields and the
annotation types' list arguments. mypy runs outside the checkout, with no config of ours, so it reads the
labelbox_lite this interpreter imports (under tox, the installed wheel and its py.typed) as a user's would."""

from __future__ import annotations

import re
import textwrap

import pytest

api = pytest.importorskip("mypy.api")  # tox's slow env installs mypy; collection elsewhere skips

pytestmark = pytest.mark.slow  # a cold mypy run over the package: about 10 s

USER_SCRIPT = '''
from datetime import datetime

from typing_extensions import assert_type

import labelbox_lite as lb
from labelbox_lite import types as lt
from labelbox_lite.comparison import Field
from mockserver.strategies import PredictionTarget


def filters(client: lb.Client, dataset: lb.Dataset, project: lb.Project) -> None:
    assert_type(lb.Dataset.name, Field[str])
    assert_type(dataset.name, str)
    assert_type(dataset.description, str | None)
    assert_type(lb.Label.created_at.desc, tuple[Field[datetime | None], Field.Order])
    list(client.get_datasets(where=(lb.Dataset.name == "a") & (lb.Dataset.description != "b")))
    list(client.get_models(where=lb.Model.name == "m"))
    list(client.get_projects(where=lb.Project.uid != "p"))
    list(dataset.data_rows(where=lb.DataRow.external_id == "x"))
    list(project.labels(order_by=lb.Label.created_at.asc))
    dataset.name = "renamed"


line = lt.Line(points=[lt.Point(x=0, y=0), lt.Point(x=1, y=1)])
label = lt.Label(data={"global_key": "k"}, annotations=[lt.ObjectAnnotation(name="edge", value=line)])
masks = lt.VideoMaskAnnotation(frames=[lt.MaskFrame(index=1, im_bytes=b"png")],
                               instances=[lt.MaskInstance(color_rgb=(1, 2, 3), name="m")])
lt.Label(data={"uid": "u"}, annotations=(a for a in [masks]))
lt.DocumentTextSelection(token_ids=("t1", "t2"), group_id="g", page=1)
lt.TiledImageData(tile_layer=lt.TileLayer(url="https://t/{z}/{x}/{y}.png"), zoom_levels=[1, 5],
                  tile_bounds=lt.TiledBounds(epsg=lt.EPSG.SIMPLEPIXEL, bounds=[lt.Point(x=0, y=0), lt.Point(x=9, y=9)]))
PredictionTarget(ontology={}, global_keys=["k"], data_row_ids={"d"})
'''

# what the fixes keep a type checker finding: each line's error, by code
MISTAKES = '''
import labelbox_lite as lb
from labelbox_lite import types as lt


def mistakes(dataset: lb.Dataset) -> None:
    dataset.name = 3  # E: assignment
    lt.Line(points=[(0, 0), (1, 1)])  # E: list-item
    lt.Label(data={"uid": "u"}, annotations=["a box"])  # E: list-item
    lb.Dataset.name.ascending  # E: attr-defined
'''


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One mypy run over both scripts (a cold run over the package costs the time)."""
    where = tmp_path_factory.mktemp("typing")
    (where / "user_script.py").write_text(textwrap.dedent(USER_SCRIPT))
    (where / "mistakes.py").write_text(textwrap.dedent(MISTAKES))
    config = where / "mypy.ini"  # a user's: not this repository's setup.cfg
    config.write_text("[mypy]\n")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(where)  # mypy searches its working directory first: not the checkout, the imported package
        out, err, _status = api.run(["--strict", "--config-file", "mypy.ini", "--cache-dir", "cache",
                                     "--show-error-codes", "--no-pretty", "user_script.py", "mistakes.py"])
    return str(out) + str(err)


def _errors(report: str, script: str) -> set[tuple[int, str]]:
    return {(int(m.group(1)), m.group(2))
            for m in re.finditer(rf"{script}\.py:(\d+): error: .*\[([\w-]+)\]$", report, re.MULTILINE)}


def test_a_users_where_clauses_and_annotation_types_type_check(report: str) -> None:
    assert "user_script.py" not in report, report
    assert "mistakes.py" in report, report  # mypy ran


def test_a_users_mistakes_are_still_caught(report: str) -> None:
    lines = textwrap.dedent(MISTAKES).splitlines()
    expected = {(number, match.group(1)) for number, text in enumerate(lines, 1)
                if (match := re.search(r"# E: ([\w-]+)", text))}
    assert _errors(report, "mistakes") == expected, report
