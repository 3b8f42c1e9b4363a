"""Browser tests: the real app served like production, driven by Debian's Chromium.

One server per pytest process (so per xdist worker): its own temporary SQLite database
filled by `manage.py demo --size small`, gunicorn with two sync workers and the
django-tasks database worker beside it. Each test gets a fresh browser context; a test
whose page logs a JavaScript error or a Content-Security-Policy violation fails.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.e2e.helpers import DEMO_PASSWORD, login_through_form

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
CHROMIUM = Path("/usr/bin/chromium")
CI = os.environ.get("CI") == "true"
DEFAULT_TIMEOUT_MS = 15_000
START_TIMEOUT_S = 60
RESULTS_DIR = ROOT / "test-results"
# Assertions wait this long for the page to get there (a loaded CI machine is slow).
expect.set_options(timeout=10_000)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test under tests/e2e is a browser test (so `-m "not browser"` leaves them out)."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)


def cannot_run(reason: str) -> None:
    """Skip locally when the environment cannot run browser tests; fail under CI=true."""
    if CI:
        pytest.fail(f"CI=true: browser tests cannot be skipped. {reason}", pytrace=False)
    pytest.skip(reason)


# --- Build steps the served app needs -----------------------------------------------------------


@contextlib.contextmanager
def _build_lock() -> Iterator[None]:
    # xdist workers start their servers at the same time; one builds, the others wait.
    lock_dir = ROOT / "var"
    lock_dir.mkdir(exist_ok=True)
    with open(lock_dir / ".e2e-build.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _newest_mtime(directory: Path, pattern: str = "*") -> float:
    return max((p.stat().st_mtime for p in directory.rglob(pattern) if p.is_file()), default=0.0)


# How long each start-up step took, shown with the server logs when a test fails.
STEP_SECONDS: dict[str, float] = {}


def _run(args: list[str], env: dict[str, str], what: str, timeout: int = 300) -> None:
    """Run a manage.py step; a failure stops the e2e run with the step's output."""
    started = time.monotonic()
    try:
        done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        cannot_run(f"{what} took more than {timeout}s: {exc.stderr}")
        return
    STEP_SECONDS[what] = round(time.monotonic() - started, 1)
    if done.returncode != 0:
        cannot_run(f"{what} failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-6000:]}")


def _prepare_build(env: dict[str, str]) -> None:
    """Collected static files and compiled messages, when missing or older than their sources."""
    manage = [str(BIN / "python"), "manage.py"]
    with _build_lock():
        manifest = ROOT / "staticfiles" / "staticfiles.json"
        sources = ROOT / "src" / "sameboat" / "static"
        if not manifest.exists() or _newest_mtime(sources) > manifest.stat().st_mtime:
            _run([*manage, "collectstatic", "--noinput", "-v0"], env, "collectstatic")
        locale = ROOT / "src" / "sameboat" / "locale"
        stale = [
            po
            for po in locale.rglob("*.po")
            if not po.with_suffix(".mo").exists() or po.stat().st_mtime > po.with_suffix(".mo").stat().st_mtime
        ]
        if stale and shutil.which("msgfmt"):
            _run(
                [*manage, "compilemessages", "--ignore=.venv", "--ignore=node_modules", "-v0"],
                env,
                "compilemessages",
            )


# --- The server ----------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SAMEBOAT_", "PYTEST_"))}
    for name in ("DATABASE_URL", "LOG_LEVEL", "ALLOWED_HOSTS", "AXES_FAILURE_LIMIT"):
        env.pop(name, None)
    env.update(
        {
            "SAMEBOAT_ENV": "development",
            "SAMEBOAT_DEBUG": "false",
            "SAMEBOAT_VAR_DIR": str(tmp),
            "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
            "MEDIA_ROOT": str(tmp / "media"),
            "SECRET_KEY": "e2e-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            "DJANGO_SETTINGS_MODULE": "sameboat.settings",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def _die_with_parent() -> None:
    # Linux: the server goes when pytest goes, even if pytest is killed before its teardown.
    with contextlib.suppress(Exception):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _stop(proc: subprocess.Popen | None) -> None:
    """Stop a process we started (gunicorn's master stops its own workers)."""
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)


def _tail(path: Path, size: int = 6000) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")[-size:]
    except OSError:
        return ""


def _control_socket_args(tmp: Path) -> list[str]:
    # gunicorn 24+ opens a control socket in ~/.gunicorn; parallel servers must not share it.
    done = subprocess.run([str(BIN / "gunicorn"), "--help"], capture_output=True, text=True, check=False)
    return ["--control-socket", str(tmp / "gunicorn.ctl")] if "--control-socket" in done.stdout else []


@dataclass
class Server:
    """The running app: where it answers and where its logs go."""

    url: str
    tmp: Path
    env: dict[str, str] = field(repr=False)

    def logs(self) -> str:
        """The tail of the web server's and the worker's stderr."""
        return (
            f"--- start-up steps (seconds): {STEP_SECONDS}\n"
            f"--- gunicorn stderr ---\n{_tail(self.tmp / 'gunicorn.err')}\n"
            f"--- db_worker stderr ---\n{_tail(self.tmp / 'worker.err')}"
        )


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    """Migrate, build the small demo world and serve it with gunicorn and a task worker."""
    for tool in (BIN / "python", BIN / "gunicorn"):
        if not tool.exists():
            cannot_run(f"{tool} is missing: run `make install`.")
    tmp = Path(tempfile.mkdtemp(prefix="sameboat-e2e-"))
    env = _server_env(tmp)
    manage = [str(BIN / "python"), "manage.py"]
    web = worker = None
    try:
        _prepare_build(env)
        _run([*manage, "migrate", "--noinput", "-v0"], env, "migrate")
        _run([*manage, "demo", "--size", "small"], env, "demo --size small")
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        with open(tmp / "gunicorn.out", "w") as out, open(tmp / "gunicorn.err", "w") as err:
            web = subprocess.Popen(
                [
                    str(BIN / "gunicorn"),
                    "sameboat.wsgi:application",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "2",
                    "--worker-class",
                    "sync",
                    "--timeout",
                    "60",
                    "--graceful-timeout",
                    "5",
                    *_control_socket_args(tmp),
                ],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=err,
                preexec_fn=_die_with_parent,
            )
        with open(tmp / "worker.out", "w") as out, open(tmp / "worker.err", "w") as err:
            worker = subprocess.Popen(
                [*manage, "db_worker", "--queue-name", "*", "--interval", "0.2"],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=err,
                preexec_fn=_die_with_parent,
            )
        running = Server(url=url, tmp=tmp, env=env)
        _wait_healthy(running, web, worker)
        yield running
    finally:
        _stop(web)
        _stop(worker)
        if not os.environ.get("SAMEBOAT_E2E_KEEP"):
            shutil.rmtree(tmp, ignore_errors=True)


def _wait_healthy(running: Server, web: subprocess.Popen, worker: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    last = ""
    while time.monotonic() < deadline:
        for name, proc in (("gunicorn", web), ("db_worker", worker)):
            if proc.poll() is not None:
                cannot_run(f"{name} exited with {proc.returncode} at start.\n{running.logs()}")
        try:
            with urllib.request.urlopen(f"{running.url}/healthz", timeout=5) as response:
                if response.status == 200:
                    return
                last = f"HTTP {response.status}"
        except urllib.error.HTTPError as exc:
            last = f"HTTP {exc.code}"
        except OSError as exc:
            last = str(exc)
        time.sleep(0.25)
    cannot_run(f"{running.url}/healthz did not answer 200 in {START_TIMEOUT_S}s ({last}).\n" + running.logs())


# --- The browser ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium, headless, launched once per pytest process."""
    if not CHROMIUM.exists():
        cannot_run(f"{CHROMIUM} is missing (apt-get install chromium).")
    pw = sync_playwright().start()
    try:
        try:
            chromium = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        except Exception as exc:  # the launcher's errors are not one class
            cannot_run(f"{CHROMIUM} did not start: {exc}")
        yield chromium
        chromium.close()
    finally:
        pw.stop()


# Console messages that are the browser's own noise, not the app's fault.
_IGNORED_CONSOLE = [re.compile(r"favicon\.ico")]


@dataclass
class PageProblems:
    """JavaScript errors and CSP violations seen by a test's pages."""

    messages: list[str] = field(default_factory=list)
    allowed: list[re.Pattern[str]] = field(default_factory=list)

    def allow(self, pattern: str) -> None:
        """Accept console errors that match (for example the 403 of an expected lockout)."""
        self.allowed.append(re.compile(pattern))

    def add(self, kind: str, text: str) -> None:
        """Remember a problem unless it is expected."""
        if any(p.search(text) for p in [*_IGNORED_CONSOLE, *self.allowed]):
            return
        self.messages.append(f"{kind}: {text}")

    def unexpected(self) -> list[str]:
        """The problems left after the test's allowances (which may come late in the test)."""
        return [m for m in self.messages if not any(p.search(m) for p in self.allowed)]


@pytest.fixture
def page_problems() -> PageProblems:
    """What went wrong inside the browser during a test; `.allow(regex)` to expect some."""
    return PageProblems()


def watch(page: object, problems: PageProblems) -> None:
    """Record console errors (CSP violations are logged there) and uncaught exceptions."""

    def on_console(message: object) -> None:
        if message.type == "error":
            location = message.location or {}
            problems.add("console error", f"{message.text} ({location.get('url', '')})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.add("page error", str(error)))


@pytest.fixture
def new_page(browser: object, server: Server, page_problems: PageProblems, request) -> Iterator:
    """A factory of pages, each in its own fresh context (`new_page(viewport=..., locale=...)`)."""
    contexts = []
    pages = []

    def make(**options: object) -> object:
        options.setdefault("locale", "en-US")
        options.setdefault("base_url", server.url)
        context = browser.new_context(**options)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        context.set_default_navigation_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        watch(page, page_problems)
        pages.append(page)
        return page

    request.node.e2e_problems = page_problems
    yield make
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        RESULTS_DIR.mkdir(exist_ok=True)
        stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)[-150:]
        for index, page in enumerate(pages):
            with contextlib.suppress(Exception):
                page.screenshot(path=str(RESULTS_DIR / f"{stem}-{index}.png"), full_page=True)
        seen = "\n  ".join(page_problems.messages) or "none"
        sys.stderr.write(
            f"\n[e2e] screenshots in {RESULTS_DIR}; browser console errors:\n  {seen}\nserver logs:\n{server.logs()}\n"
        )
    for context in contexts:
        with contextlib.suppress(Exception):
            context.close()


@pytest.fixture
def page(new_page) -> object:
    """A page in a fresh browser context (en-US, desktop size)."""
    return new_page()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """Turn JavaScript errors and CSP violations seen during the test into a failure."""
    result = yield
    problems = getattr(item, "e2e_problems", None)
    if problems is not None and problems.unexpected():
        listing = "\n  ".join(problems.unexpected())
        raise AssertionError(f"The page logged errors (JS or Content-Security-Policy):\n  {listing}")
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator:
    """Keep each phase's report on the item so fixtures can tell a failed test."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


# --- Logging in ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def _sessions() -> dict[str, list[dict]]:
    return {}


@pytest.fixture
def login(server: Server, _sessions: dict[str, list[dict]]):
    """`login(page, "hq")`: sign the page's context in (through the form once, then reused)."""

    def sign_in(page: object, username: str, password: str = DEMO_PASSWORD) -> object:
        cached = _sessions.get(username)
        if cached is not None:
            page.context.add_cookies(cached)
            page.goto("/")
            if "/accounts/login" not in page.url:
                return page
        login_through_form(page, username, password)
        # Only the session cookie is shared: the language cookie stays the context's own.
        _sessions[username] = [c for c in page.context.cookies() if c["name"] == "sessionid"]
        return page

    return sign_in
