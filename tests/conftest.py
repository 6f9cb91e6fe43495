"""Shared fixtures. Factories live in tests/<app>/factories.py, mirroring the apps."""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by tests
# around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def browser_tests_enabled():
    flag = os.environ.get("BROWSER_TESTS")
    if flag is not None:
        return flag == "1"
    return shutil.which(CHROMIUM) is not None


def pytest_collection_modifyitems(config, items):
    """Browser journeys run whenever Chromium is present, and must run when BROWSER_TESTS=1."""
    if browser_tests_enabled():
        if not shutil.which(CHROMIUM):
            raise pytest.UsageError(f"BROWSER_TESTS=1 but no Chromium at {CHROMIUM}")
        return
    kept = [item for item in items if "browser" not in item.keywords]
    deselected = [item for item in items if "browser" in item.keywords]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: what an earlier test cached (and rolled back in the
    database) must not leak into the next one."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab on the live server; JavaScript errors fail the test."""
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    context.set_default_timeout(10_000)
    tab = context.new_page()
    errors = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.on(
        "console",
        lambda msg: (
            errors.append(msg.text)
            if msg.type == "error" and "Content Security Policy" in msg.text
            else None
        ),
    )
    yield tab
    context.close()
    assert not errors, f"JavaScript or CSP errors in the page: {errors}"


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def assert_accessible(axe):
    """Run axe on the current page and fail with a readable report on any violation."""
    from playwright.sync_api import Error as PlaywrightError

    def check(tab):
        # A click that navigates may still be unloading the page when axe starts: the document
        # is then null for a moment. Wait for the page that is loading, and run axe again once.
        tab.wait_for_load_state()
        try:
            results = axe.run(tab)
        except PlaywrightError as error:
            if "documentElement" not in str(error) and "context was destroyed" not in str(error):
                raise
            tab.wait_for_load_state()
            results = axe.run(tab)
        assert results.violations_count == 0, (
            f"axe violations on {tab.url}:\n{results.generate_report()}"
        )

    return check


@pytest.fixture
def login(live_server):
    """Log `user` in from the home page through the real login form (password
    "motdepasse-demo-2026"); the dashboard opens."""

    def do_login(tab, user, password="motdepasse-demo-2026"):
        tab.goto("/")
        tab.get_by_role("link", name="Se connecter").first.click()
        tab.get_by_label("Adresse électronique").fill(user.email)
        tab.get_by_label("Mot de passe").fill(password)
        # Wait for the answer to the form (the next page, or the form again with its error):
        # wait_for_load_state() right after a click may return before the navigation starts.
        with tab.expect_navigation():
            tab.get_by_role("button", name="Se connecter").last.click()

    return do_login


# Here rather than in tests/security/conftest.py: under xdist, only the root conftest's hooks run
# in the controller, which writes the summary.
def pytest_terminal_summary(terminalreporter):
    """The permission matrix's counts (gathered from the reports, so also under xdist)."""
    totals = {}
    for report in terminalreporter.stats.get("passed", []) + terminalreporter.stats.get(
        "failed", []
    ):
        for name, value in getattr(report, "user_properties", []):
            if name == "security_matrix" and report.when == "call":
                for key, number in value.items():
                    totals[key] = totals.get(key, 0) + number
    if totals:
        terminalreporter.write_line(
            "Permission matrix: {patterns} URL patterns, {instances} instantiated URLs, "
            "{requests} (URL × role) requests checked, {markers} marker checks.".format(**totals)
        )
