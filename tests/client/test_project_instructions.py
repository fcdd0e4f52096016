"""Project.upsert_instructions: a PDF or HTML file uploaded and kept with the project's ontology."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import labelbox_lite as lb
from labelbox_lite.exceptions import InvalidQueryError
from mockserver import MockLabelbox

from ..support import World


def _instructions_url(client: lb.Client, project: lb.Project) -> str | None:
    ontology = project.ontology()
    assert ontology is not None
    return client.get_ontology(ontology.uid).normalized.get("projectInstructions")


def test_instructions_are_answered_with_the_ontology(client: lb.Client, world: World, tmp_path: Path) -> None:
    project = client.get_project(world.project_id)
    before = project.ontology().normalized  # type: ignore[union-attr]
    assert "projectInstructions" not in before
    pdf = tmp_path / "guide.pdf"
    pdf.write_bytes(b"%PDF-1.4 draw boxes tightly")
    project.upsert_instructions(str(pdf))
    url = _instructions_url(client, project)
    assert url is not None and client.download(url) == pdf.read_bytes()
    after = project.ontology().normalized  # type: ignore[union-attr]
    after.pop("projectInstructions")
    assert after == before  # nothing else of the ontology changed


@given(texts=st.lists(st.text(max_size=40), min_size=1, max_size=3))
def test_the_last_upload_is_the_instructions(client: lb.Client, world: World, tmp_path_factory: pytest.TempPathFactory,
                                             texts: list[str]) -> None:
    project = client.get_project(world.project_id)
    folder = tmp_path_factory.mktemp("instructions")
    for index, text in enumerate(texts):
        page = folder / f"page-{index}.html"
        page.write_text(f"<html>{text}</html>", encoding="utf-8")
        project.upsert_instructions(str(page))
    url = _instructions_url(client, project)
    assert url is not None and client.download(url).decode("utf-8") == f"<html>{texts[-1]}</html>"


def test_another_file_type_is_refused_before_anything_is_sent(client: lb.Client, world: World, mock: MockLabelbox,
                                                              tmp_path: Path) -> None:
    project = client.get_project(world.project_id)
    sheet = tmp_path / "guide.docx"
    sheet.write_bytes(b"not a pdf")
    with pytest.raises(ValueError, match="instructions_file must be a pdf or html file. Found"):
        project.upsert_instructions(str(sheet))
    assert _instructions_url(client, project) is None


def test_a_project_without_an_ontology_has_nowhere_to_keep_them(client: lb.Client, mock: MockLabelbox,
                                                                tmp_path: Path) -> None:
    project = client.create_project("bare", media_type=lb.MediaType.Image)
    page = tmp_path / "guide.html"
    page.write_text("<html></html>", encoding="utf-8")
    with pytest.raises(InvalidQueryError, match="has no ontology to keep its instructions in"):
        project.upsert_instructions(str(page))
