"""Browser journeys: when one fails, keep what the browser showed in test-artifacts/.

A screenshot and the page's HTML say more than a stack trace about a journey that went wrong,
and CI keeps the folder. Taken while the test's fixtures are still alive (at report time),
before the `page` fixture closes its browser context.

Assert what a click or a navigation shows with `expect(...)`, which waits for it; reading
`is_visible()` or `page.url` once races the browser (it failed at random on a slow CI).

A journey types one address: the home page, or the link an e-mail gives. Everything else is
reached by clicking what the page shows (issue 13: journeys that opened pages by URL missed that
nothing linked to them). The `page` fixture enforces it: `page.goto` to any other address fails.
"""

import re
from pathlib import Path

import pytest
from django.db import connections

from tests.journeys.rules import mail_bodies, may_type

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    tab = item.funcargs.get("page") if report.failed else None
    if tab is not None and report.when in ("setup", "call"):
        report.sections.append(("browser artifacts", _save(tab, item.nodeid)))
    return report


def _save(tab, nodeid):
    stem = ARTIFACTS / re.sub(r"[^\w.-]+", "_", nodeid).strip("_")
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        tab.screenshot(path=f"{stem}.png", full_page=True)
        Path(f"{stem}.html").write_text(tab.content(), encoding="utf-8")
    except Exception as exc:  # A crashed page must not hide the test's own failure.
        return f"could not save the page at {tab.url}: {exc}"
    return f"page at {tab.url} saved to {stem}.png and {stem}.html"


@pytest.fixture(scope="session", autouse=True)
def _close_connections_opened_under_playwright(django_db_setup, browser):
    """While Playwright's sync API runs, its event loop counts as running in the main thread,
    so Django keeps the ORM calls of the tests that follow in a separate (async-context)
    connection. Close it before Playwright stops, or pytest-django cannot drop the PostgreSQL
    test database ("being accessed by other users")."""
    yield
    connections.close_all()


def _guard(tab):
    goto = tab.goto

    def guarded_goto(url, **kwargs):
        if not may_type(url, mail_bodies()):
            pytest.fail(
                f"a journey typed {url}: start from the home page (or an e-mail's link) and "
                "click what the pages show"
            )
        return goto(url, **kwargs)

    tab.goto = guarded_goto
    return tab


@pytest.fixture
def page(page):
    """The browser tab of tests/conftest.py, whose `goto` opens only what `may_type` allows,
    as do the tabs opened next to it."""
    page.context.on("page", _guard)
    return _guard(page)
