"""Headless Chromium (Debian's, at /usr/bin/chromium) driven by Playwright against the live server.

The live server (pytest-django's ``live_server``) serves the test database loaded with the
Panjshir fixture. Pages may fetch only from the live server: any request elsewhere is
aborted and fails the test, which is how "works with no internet access" is checked.
Screenshots of each step go to ``build/screenshots/<test>/``.
"""

import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.db import connection
from playwright.sync_api import expect

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
PASSWORD = "correct horse battery staple"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
# Optional decoration that a page fetches from outside and does without when offline: Redoc's
# "API docs by Redocly" logo hides itself when it fails to load. Still aborted, not counted.
OPTIONAL_OUTSIDE = {"https://cdn.redoc.ly/redoc/logo-mini.svg"}

# Redoc takes several seconds to lay out the whole schema on a small machine.
expect.set_options(timeout=20_000)


@pytest.fixture(scope="package")
def browser() -> Iterator:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}: the browser tests need it. "
            "Run `make browser-deps` (apt-get install chromium) or `make test`, which does."
        )
    from playwright.sync_api import sync_playwright

    # Playwright's synchronous API keeps an asyncio loop set on this thread, and Django refuses
    # ORM calls when it sees one. Nothing runs on that loop while a test touches the database
    # (the fixtures and assertions here), so the check is switched off for these tests only.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                yield chromium
            finally:
                chromium.close()


@pytest.fixture(autouse=True)
def one_sqlite_statement_at_a_time(monkeypatch):
    """The live server's request threads and the test share one in-memory SQLite connection.
    CPython's sqlite3 can deadlock on it: one thread binds a statement's parameters holding the
    interpreter lock and waiting for SQLite's, while another, inside a step, calls back into
    Python for one of Django's SQL functions holding SQLite's lock and waiting for the
    interpreter's (a CI run hung so, in test_workbench). One lock around each statement and
    each fetch keeps them apart; waiting for it lets the interpreter lock go."""
    if connection.vendor != "sqlite":
        return
    from django.db.backends.sqlite3.base import Database, SQLiteCursorWrapper

    lock = threading.RLock()

    def locked(method):
        def call(self, *args, **kwargs):
            with lock:
                return method(self, *args, **kwargs)

        return call

    for name in ("execute", "executemany"):
        monkeypatch.setattr(SQLiteCursorWrapper, name, locked(getattr(SQLiteCursorWrapper, name)))
    for name in ("fetchone", "fetchmany", "fetchall", "__next__"):
        monkeypatch.setattr(SQLiteCursorWrapper, name, locked(getattr(Database.Cursor, name)))


@pytest.fixture
def panjshir(live_server):
    """The test database as a new user sees it after `make run`."""
    call_command("loaddata", "fixtures/panjshir.json", verbosity=0)


@pytest.fixture
def outside_requests() -> list[str]:
    return []


@pytest.fixture
def page(browser, live_server, outside_requests, request) -> Iterator:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)

    def only_the_live_server(route):
        if urlsplit(route.request.url).hostname in LOCAL_HOSTS or route.request.url.startswith(
            ("data:", "blob:")
        ):
            route.continue_()
        else:
            if route.request.url not in OPTIONAL_OUTSIDE:
                outside_requests.append(route.request.url)
            route.abort()

    context.route("**/*", only_the_live_server)
    page = context.new_page()
    page.screenshots = Screenshots(page, SCREENSHOTS / re.sub(r"[^\w.-]", "_", request.node.name))
    try:
        yield page
    finally:
        context.close()
    assert outside_requests == [], f"The page reached outside the server: {outside_requests}"


class Screenshots:
    """Numbered screenshots of one test's steps: ``01-api-root.png``, ``02-...``."""

    def __init__(self, page, folder: Path):
        self.page = page
        self.folder = folder
        self.count = 0
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.png"):
            old.unlink()

    def take(self, step: str, full_page: bool = True) -> Path:
        """``full_page=False`` for very long pages (Redoc), whose full capture is slow."""
        self.count += 1
        path = self.folder / f"{self.count:02d}-{step}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path


def log_in_to_the_browsable_api(page, username: str) -> None:
    page.goto("/api/v1/")
    page.get_by_role("link", name="Log in").click()
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.screenshots.take("login-form")
    page.locator("form#login-form [type=submit], form [type=submit]").first.click()
    page.wait_for_url(re.compile(r"/api/v1/$"))
