"""Browser tests: Debian's Chromium, driven by pytest-playwright, against pytest-django's
live server.

Run with `pytest -m browser` (or `make test`, which installs Chromium). The browser is never
downloaded: Playwright launches `/usr/bin/chromium`, and a missing binary fails the run.
"""

import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.db import connections

from tests.conftest import PASSWORD

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
# Everything but the live server: base-map tiles and any other outside host.
OUTSIDE_URL = re.compile(r"^(?!https?://(localhost|127\.0\.0\.1|\[::1\])(:\d+)?/)")
CSP_MARKERS = ("Content Security Policy", "Content-Security-Policy", "Refused to")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run the browser tests after every other test (and after pytest-django's ordering).

    Playwright's loop, once started, runs in the test thread until the session ends; no other
    test should run beside it (see `_database_under_playwright`).
    """
    here = Path(__file__).parent
    in_browser = {id(item) for item in items if here in Path(item.path).parents}
    items[:] = [item for item in items if id(item) not in in_browser] + [
        item for item in items if id(item) in in_browser
    ]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's chromium package (`make test` does); "
            "the browser tests never download a browser.",
            pytrace=False,
        )
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def base_url(live_server):
    """Pages are opened by path (`page.goto("/en/")`) on pytest-django's live server."""
    return live_server.url


@pytest.fixture(scope="session", autouse=True)
def _database_under_playwright(request, django_db_setup, django_db_blocker):
    """Let the tests use the ORM, on pytest-django's connections, beside Playwright's loop.

    Playwright's sync API keeps an asyncio loop running in the test thread. Django then refuses
    ORM calls (allowed here: test set-up is plain synchronous code) and keeps connections per
    asyncio context, so the tests would get new ones, without the serialized copy of the
    migrations' rows that `serialized_rollback` restores: the original connections are put
    back. The variable is set only while the loop runs, so subprocesses started by other tests
    (`manage.py check --deploy` rejects it) never see it. After the last test, which empties
    every table, the migrations' rows are restored for the next `--reuse-db` run.
    """
    wrappers = {alias: connections[alias] for alias in connections}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        request.getfixturevalue("playwright")  # starts the loop
        for alias, wrapper in wrappers.items():
            connections[alias] = wrapper
        yield
        with django_db_blocker.unblock():
            for wrapper in wrappers.values():
                contents = getattr(wrapper, "_test_serialized_contents", None)
                if contents:
                    wrapper.creation.deserialize_db_from_string(contents)


@pytest.fixture
def page(page):
    """A page that never waits on outside hosts (the base map's tiles cannot load here)."""
    page.route(OUTSIDE_URL, lambda route: route.abort())
    page.set_default_timeout(10_000)
    return page


@pytest.fixture
def csp_reports(page):
    """Console messages and page errors that report a Content-Security-Policy violation."""
    reports = []

    def collect(text):
        if any(marker in text for marker in CSP_MARKERS):
            reports.append(text)

    page.on("console", lambda message: collect(message.text))
    page.on("pageerror", lambda error: collect(str(error)))
    return reports


@pytest.fixture
def log_in(page):
    """Sign a user in through the real login form; returns the page, signed in."""

    def log_in(user, next_url="/en/"):
        page.goto(f"/en/accounts/login/?next={next_url}")
        page.get_by_label("Username").fill(user.get_username())
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"**{next_url}")
        return page

    return log_in


def _describe(violation):
    nodes = "\n".join(
        f"    {', '.join(map(str, node['target']))}: {node['html'][:200]}"
        for node in violation["nodes"]
    )
    return f"- {violation['id']} ({violation['impact']}): {violation['help']}\n{nodes}"


@pytest.fixture
def assert_accessible():
    """Run axe-core on the current page and fail with every violation it reports.

    `exclude` takes CSS selectors of third-party markup we cannot change, each with a reason
    at the call site; no rule is ever switched off.
    """
    axe = Axe()

    def check(page, exclude=()):
        context = {"include": [["html"]], "exclude": [[selector] for selector in exclude]}
        results = axe.run(page, context=context if exclude else None)
        violations = results.response["violations"]
        assert not violations, f"axe-core violations on {page.url}:\n" + "\n".join(
            _describe(violation) for violation in violations
        )

    return check
