"""Browser tests: the real app in headless Chromium, as a user sees it.

One `streamlit run` server and one Chromium for the whole session. Every browser context routes all
requests through a guard: a request to any host but the loopback is aborted (nothing leaves the
machine) and recorded, and a test fails when a page tried one: the dashboard must work offline, so a
tile server, CDN, web font or telemetry call is a bug. Console errors fail a test too.

Chromium is Debian's (/usr/bin/chromium; `playwright install` is not used). Without it the tests skip
with the reason, except in CI (CI=true), where they fail: CI installs Chromium first (.ci/run).
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from analysis.core.paths import ROOT, SHARED_DIR
from tests.e2e.browser import CHROMIUM, CHROMIUM_ARGS, SERVER_START_TIMEOUT, Guard, new_context

NETWATCH = ROOT / "tests" / "e2e" / "netwatch"
NETLOGS: dict[str, Path] = {}  # server URL -> the file its process records outside connections in


def _require_browser() -> None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as error:  # pragma: no cover - requirements-dev.txt pins playwright
        _missing(f"playwright tidak terpasang ({error}): python -m pip install -r requirements-dev.txt")
    if not CHROMIUM.exists():
        _missing(f"Chromium tidak ditemukan di {CHROMIUM}: apt-get install chromium")


def _missing(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: the browser tests must run in CI)", pytrace=False)
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(tmp_path_factory, env: dict[str, str] | None = None, as_the_readme_says: bool = False):
    """`streamlit run app.py` on a free port; yields the base URL once /_stcore/health answers. The servers
    listen on the loopback only, except ``as_the_readme_says``: started with the README's command and no
    address (all interfaces, as an office PC runs it; headless, as on a machine without a screen)."""
    _require_browser()
    port = _free_port()
    work = tmp_path_factory.mktemp("streamlit")
    log_path = work / "server.log"
    # Never the checkout's accounts and uploads: without accounts the app opens on the demo data.
    env = {"UMKM_USERS_FILE": str(work / "users.json"), "UMKM_STORE_DIR": str(work / "kelola"), **(env or {})}
    # The server's own connections are watched too (netwatch/sitecustomize.py): the offline promise covers
    # what the server process does, not only what the browser asks for.
    netlog = work / "koneksi_keluar.log"
    netlog.touch()
    env["UMKM_NETLOG"] = str(netlog)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(NETWATCH), str(ROOT), os.environ.get("PYTHONPATH", "")]))
    log = log_path.open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless=true", f"--server.port={port}"]
        + ([] if as_the_readme_says else ["--server.address=127.0.0.1", "--browser.gatherUsageStats=false"]),
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env={**os.environ, **env},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(f"streamlit run stopped with {process.returncode}:\n{log_path.read_text()}", pytrace=False)
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit run not healthy after {SERVER_START_TIMEOUT} s:\n{log_path.read_text()}",
                            pytrace=False)
            time.sleep(0.25)
        NETLOGS[url] = netlog
        yield url
        reached = netlog.read_text(encoding="utf-8").strip()
        assert not reached, f"the server tried to reach hosts off this machine:\n{reached}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="session")
def app_url(tmp_path_factory) -> str:
    """The app on the bundled demo data, with the boundaries of data/work (none on a fresh clone)."""
    yield from _serve(tmp_path_factory)


@pytest.fixture(scope="session")
def readme_app_url(tmp_path_factory) -> str:
    """The app started with nothing but the README's command (headless, as on a machine without a screen)."""
    yield from _serve(tmp_path_factory, as_the_readme_says=True)


@pytest.fixture(scope="session")
def official_app_url(tmp_path_factory) -> str:
    """A second server whose maps use official boundaries: the RBI file of ../shared imported into a
    temporary file (never into data/work). Skipped where ../shared is absent."""
    source = SHARED_DIR / "data" / "boundaries" / "lampung_selatan_kecamatan_rbi_simplified.geojson"
    if not source.is_file():
        pytest.skip(f"{source} tidak ada: batas resmi hanya ada di ../shared (mesin pengembang/CI)")
    from analysis import boundaries

    target = tmp_path_factory.mktemp("batas") / "batas_kecamatan.geojson"
    boundaries.save_boundaries(boundaries.import_boundaries(source), target)
    yield from _serve(tmp_path_factory, {"UMKM_BATAS_FILE": str(target)})


ADMIN_NAME, ADMIN_PASSWORD = "admin-uji", "sandi-admin-uji-123"


@pytest.fixture(scope="session")
def admin_app_url(tmp_path_factory) -> str:
    """A server with one admin data account (in a temporary accounts file) and an empty upload store."""
    from analysis.office import users

    folder = tmp_path_factory.mktemp("akun")
    users.add(ADMIN_NAME, users.ROLE_ADMIN, ADMIN_PASSWORD, folder / "users.json")
    yield from _serve(tmp_path_factory, {"UMKM_USERS_FILE": str(folder / "users.json"),
                                         "UMKM_STORE_DIR": str(folder / "kelola")})


@pytest.fixture(scope="session")
def browser():
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def guard() -> Guard:
    return Guard()


@pytest.fixture
def page(browser, guard):
    """A fresh guarded context and page per test (contexts are cheap; the browser and server are shared)."""
    context = new_context(browser, guard)
    try:
        yield context.new_page()
    finally:
        context.close()
