"""Fixtures for the dashboard's browser tests: one headless Chromium per session, a fresh mock per test.

Chromium is Debian's (`apt-get install chromium`); Playwright's own browser download
is not used. `.ci/run` installs it; `LABELBOX_MOCK_CHROMIUM` names another binary.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

pytest.importorskip("playwright", reason="the browser tests need the `browser` extra (tox -e browser)")

from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect, sync_playwright

from mockserver import Backend, RunningServer

from .scenario import KEY_A, KEY_B

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")

expect.set_options(timeout=10_000)  # a shared 2-core machine: generous, and only ever reached on failure


def _chromium() -> str:
    named = os.environ.get("LABELBOX_MOCK_CHROMIUM")
    if named:
        return named
    for path in CHROMIUM_CANDIDATES:
        if os.path.exists(path):
            return path
    found = shutil.which("chromium")
    if found is None:
        pytest.fail("no Chromium found: `apt-get install chromium` (as .ci/run does) or set LABELBOX_MOCK_CHROMIUM")
    return found


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as running:
        yield running


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    launched = playwright.chromium.launch(executable_path=_chromium(), headless=True)
    yield launched
    launched.close()


@pytest.fixture
def server() -> Iterator[RunningServer]:
    with RunningServer(Backend([KEY_A, KEY_B]), "127.0.0.1", 0) as running:
        yield running


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh tab's storage: each context is a user who has entered no key yet."""
    opened = browser.new_context(viewport={"width": 1280, "height": 900})
    yield opened
    opened.close()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    assert errors == [], f"the page raised: {errors}"
