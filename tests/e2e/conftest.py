"""Browser journeys: Python Playwright driving Debian's Chromium against pytest-django's live server.

Fixtures:
- ``browser`` (session): headless Chromium from ``/usr/bin/chromium``. When it is missing the
  journeys are skipped, or fail when ``GOVCUBE_REQUIRE_E2E=1`` (CI sets it, so a broken
  machine cannot turn the browser tests into silent skips).
- ``page``: a fresh browser context per test (no shared cookies) whose relative URLs resolve
  against the live server, asking for Simplified Chinese like a browser in Shanghai does.
- ``screenshot``: ``screenshot("label")`` saves ``test-results/e2e/<test name>/NN-label.png``;
  a failing test gets a ``failure.png`` there too.
- Any 5xx answer the browser receives fails the test (at teardown, naming the request).

Every test under tests/e2e/ is marked ``e2e`` (``make test-fast`` leaves them out).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import NoReturn

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
REPO_ROOT = Path(__file__).resolve().parents[2]
RESULTS_DIR = REPO_ROOT / "test-results" / "e2e"
E2E_DIR = Path(__file__).resolve().parent
# Generous for a loaded 2-core CI machine running the suite with xdist; a real hang still fails.
TIMEOUT_MS = 15_000


def pytest_collection_modifyitems(config, items):
    for item in items:
        if E2E_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    # Remember the outcome of each phase so the page fixture can photograph a failure.
    setattr(item, f"_e2e_report_{report.when}", report)
    return report


def _unavailable(reason: str) -> NoReturn:
    if os.environ.get("GOVCUBE_REQUIRE_E2E") == "1":
        pytest.fail(f"{reason} (GOVCUBE_REQUIRE_E2E=1, so the browser tests must run)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        _unavailable(f"{CHROMIUM} is missing: apt-get install chromium fonts-wqy-microhei")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        _unavailable(f"Python Playwright is not installed: {exc}")

    # Playwright's sync API runs an asyncio event loop in a greenlet on this very thread, so
    # for as long as Playwright is started the thread reports a running loop and Django's
    # ORM raises SynchronousOnlyOperation for every query the test (or its fixtures, such as
    # make_world() or transactional_db's flush) makes. Nothing here is really asynchronous:
    # the test thread and the live server's thread each use their own connection. The flag is
    # set only while Playwright runs, so tests run before the first journey keep the check.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    except Exception as exc:
        playwright.stop()
        _restore_env("DJANGO_ALLOW_ASYNC_UNSAFE", previous)
        _unavailable(f"Chromium did not start: {exc}")
    try:
        yield chromium
    finally:
        chromium.close()
        playwright.stop()
        _restore_env("DJANGO_ALLOW_ASYNC_UNSAFE", previous)


def _restore_env(name: str, previous: str | None) -> None:
    if previous is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = previous


@pytest.fixture(autouse=True)
def _e2e_language(_isolated_settings, settings):
    """The live server shares this process's settings: serve the default UI language, zh-Hans.

    (tests/conftest.py switches LANGUAGE_CODE to English for the Django test client; a real
    browser should see what users see.)
    """
    settings.LANGUAGE_CODE = "zh-hans"


def _safe(name: str) -> str:
    return re.sub(r"[^\w.-]+", "_", name).strip("_")


def _test_dir(item) -> Path:
    return RESULTS_DIR / _safe(item.name)


@pytest.fixture
def screenshot(request, page):
    directory = _test_dir(request.node)
    counter = iter(range(1, 100))

    def _take(label: str) -> Path:
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"{next(counter):02d}-{_safe(label)}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _take


@pytest.fixture
def page(request, browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",  # Accept-Language: zh-CN, which Django maps to zh-hans
        timezone_id="Asia/Shanghai",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    server_errors: list[str] = []
    tab.on(
        "response",
        lambda response: (
            server_errors.append(f"{response.status} {response.request.method} {response.url}")
            if response.status >= 500
            else None
        ),
    )
    try:
        yield tab
    finally:
        report = getattr(request.node, "_e2e_report_call", None)
        if report is not None and report.failed:
            directory = _test_dir(request.node)
            directory.mkdir(parents=True, exist_ok=True)
            try:
                tab.screenshot(path=str(directory / "failure.png"), full_page=True)
            except Exception:  # a failed photo must not hide the real failure
                pass
        context.close()
    # Never a 500, whatever the browser did: name the request (the traceback is in the captured log).
    if server_errors:
        pytest.fail("the server answered with an error: " + "; ".join(server_errors), pytrace=False)
