"""
Playwright driving the system Chromium (never a downloaded browser).

Without Chromium these tests skip with the reason shown; with REQUIRE_BROWSER set
(as .ci/run does) a missing browser is an error instead.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    if path is None:
        reason = "Chromium is not installed (apt-get install -y chromium); browser tests not run"
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(reason)
        pytest.skip(reason)
    return path


@pytest.fixture(scope="session")
def browser(chromium_path, django_db_setup, django_db_blocker):
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Django keeps the seed data (migrations' content) on the connection object to
    # restore it for serialized_rollback tests. Playwright's sync API runs an event
    # loop in this thread, after which Django hands out connection objects of a new
    # context, without that copy: give it to them, or tests after any transactional
    # test would find the seeded services and FAQ gone.
    with django_db_blocker.unblock():
        seeds = {
            alias: getattr(connections[alias], "_test_serialized_contents", None)
            for alias in connections
        }
    with sync_playwright() as playwright:
        with django_db_blocker.unblock():
            for alias, contents in seeds.items():
                if contents is not None:
                    connections[alias]._test_serialized_contents = contents
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh page at 1280 px that records console errors (CSP violations among them)."""
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.console_errors = []
    page.on(
        "console",
        lambda message: message.type == "error" and page.console_errors.append(message.text),
    )
    page.other_hosts = []

    def note_request(request):
        if not request.url.startswith(live_server.url) and not request.url.startswith("data:"):
            page.other_hosts.append(request.url)

    page.on("request", note_request)
    yield page
    context.close()


def axe_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes: {v['nodes'][0]['target']})"
        for v in results.response["violations"]
    ]


def screenshot(page, name: str) -> None:
    """Full-page PNGs at phone and desktop widths, for people to look at."""
    SCREENSHOTS.mkdir(exist_ok=True)
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
