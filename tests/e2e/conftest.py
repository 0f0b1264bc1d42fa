"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Every page a test opens fails the test on a console error, an uncaught script error or a
Content Security Policy violation.
"""

import os

import pytest

# The live server runs in a thread beside Playwright's sync API (which runs an event loop).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
QUIET_CHROMIUM = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
        elif "browser_name" in getattr(getattr(item, "callspec", None), "params", {}):
            # A test parameter named like a Playwright fixture (`page`) makes pytest-playwright
            # run the test per browser and sort it among the live-server tests, whose table
            # flush then empties the data migrations' rows under the tests that follow it.
            raise pytest.UsageError(
                f"{item.nodeid} is parametrized by pytest-playwright: rename its `page` "
                "(or other Playwright-named) parameter"
            )


@pytest.fixture(scope="session")
def live_server():
    """pytest-django's live server, serving static files as production does.

    pytest-django puts staticfiles' finder handler in front, which knows no hashed manifest
    names; here the app's own whitenoise serves them, from the collected files.
    """
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer("localhost", start=False)
    server.thread.static_handler = lambda application: application
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": QUIET_CHROMIUM}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "en-US"}  # Dutch must win regardless


class BrowserProblems(list):
    """Console errors seen so far; a test may expect some (e.g. a 404 it asked for)."""

    def __init__(self):
        super().__init__()
        self.expected: list[str] = []

    def unexpected(self) -> list[str]:
        return [p for p in self if not any(e in p for e in self.expected)]


@pytest.fixture
def problems(page) -> BrowserProblems:
    found = BrowserProblems()
    page.on("console", lambda m: found.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: found.append(f"script error: {error}"))
    page.add_init_script(REPORT_CSP_VIOLATIONS)
    yield found
    assert found.unexpected() == []


@pytest.fixture
def axe_check(page):
    """Run axe on the current page; fail on serious or critical violations."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check():
        results = axe.run(page)
        bad = [
            f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert bad == [], f"{page.url}: {bad}"

    return check


@pytest.fixture(autouse=True)
def _shared_instruments(transactional_db):
    """The live server's tests flush every table, the rows of data migrations too: put the
    instruments every school shares back, as a fresh installation has them."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("pupils.migrations.0003_default_instruments")
    migration.add_defaults(apps, None)
