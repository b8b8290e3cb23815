"""Fixtures for the real-browser test: a private JupyterLab server and the system's Chromium.

* ``lab``: ``jupyter lab`` on 127.0.0.1, a free port and a random token, serving a temporary
  COPY of ``notebooks/`` and ``exercises/`` (so nothing the browser does, autosave included,
  can touch the committed notebooks), with the course's own server config
  (``jupyter/jupyter_server_config.py``: its save hook, file list and start page) plus the
  test's, and its own runtime, settings and workspace folders. Stopped at the end of the
  session, also when a test failed.
* ``browser``: headless Chromium from the system (``chromium``), launched by Playwright with
  ``executable_path``; Playwright never downloads a browser here.
* ``screenshot_dir``: ``$BROWSER_SCREENSHOTS``, by default ``screenshots/`` at the repository
  root (git-ignored).

Every fixture skips with a reason when its tool is missing (Playwright, Chromium, JupyterLab),
so the test is harmless on a machine without them.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from support.course import ROOT

# Flags that headless Chromium needs on a server as root, without a GPU or outside access.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

SERVER_START_TIMEOUT = 60.0  # seconds until /api/status answers
SERVER_STOP_TIMEOUT = 15.0

# JupyterLab user settings: every cell stays in the page (no virtual scrolling), no autosave,
# the notebook's kernel starts without a "Select Kernel" dialog, no news or update pop-up.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {
        "windowingMode": "none",
        "autoStartDefaultKernel": True,
        "kernelShutdown": True,
        # Not maxNumberOutputs: 0 ("show all" per its description): JupyterLab 4.6 then
        # renders no output at all, only a "Show more outputs" button. The default 50 is fine.
    },
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {
        "autosave": False,
        "confirmClosingDocument": False,
    },
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}

SERVER_CONFIG = {
    "LabApp": {
        # window.jupyterapp: the test runs commands and reads the notebook model through it.
        "expose_app_in_browser": True,
        "news_url": None,
        "check_for_updates_class": "jupyterlab.handlers.announcements.NeverCheckForUpdate",
    },
    "ServerApp": {"open_browser": False, "port_retries": 0},
}

PAGE_CONFIG = {"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives JupyterLab in a real Chromium (slow)")


def notebooks_source() -> Path:
    """The lessons to serve: $BROWSER_NOTEBOOKS_DIR if set, else the repository's notebooks/."""
    return Path(os.environ.get("BROWSER_NOTEBOOKS_DIR") or ROOT / "notebooks")


def chromium_path() -> str | None:
    """The system's Chromium: $CHROMIUM if set, else `chromium` on PATH, else /usr/bin/chromium."""
    for candidate in (os.environ.get("CHROMIUM"), shutil.which("chromium"), "/usr/bin/chromium"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


@dataclass
class Lab:
    """A running JupyterLab server."""

    base_url: str  # http://127.0.0.1:<port>
    token: str
    root_dir: Path  # what the server serves: a copy of the repository's notebooks/
    log_path: Path

    def url(self, path: str) -> str:
        """A /lab/tree URL for a file under root_dir, logged in with the token."""
        sep = "&" if "?" in path else "?"
        return f"{self.base_url}/lab/tree/{path}{sep}token={self.token}&reset"

    def shutdown_kernels(self) -> None:
        """End every session (and so its kernel) the browser started; best effort."""
        try:
            for session in _api(self.base_url, self.token, "/api/sessions") or []:
                _api(self.base_url, self.token, f"/api/sessions/{session['id']}",
                     method="DELETE", timeout=10.0)
        except (OSError, urllib.error.URLError, ValueError, KeyError):
            pass

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no server log)"
        return "\n".join(text.splitlines()[-lines:])


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _api(base_url: str, token: str, path: str, method: str = "GET", timeout: float = 2.0):
    request = urllib.request.Request(
        f"{base_url}{path}", method=method, headers={"Authorization": f"token {token}"},
        data=b"" if method == "POST" else None)
    with urllib.request.urlopen(request, timeout=timeout) as response:
        body = response.read()
    return json.loads(body) if body else None


def _write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2))


def _stop(process: subprocess.Popen, base_url: str, token: str) -> None:
    """Shut the server down (it stops its kernels first), then make sure it is gone."""
    if process.poll() is None:
        try:
            _api(base_url, token, "/api/shutdown", method="POST", timeout=5.0)
        except (OSError, urllib.error.URLError):
            pass
        try:
            process.wait(timeout=SERVER_STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            pass
    # The server runs in its own process group (start_new_session): end that group only.
    for sig in (signal.SIGTERM, signal.SIGKILL):
        if process.poll() is not None:
            break
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=5.0)
        except subprocess.TimeoutExpired:
            continue


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    try:
        import jupyterlab  # noqa: F401
    except ImportError:
        pytest.skip("JupyterLab is not installed in this Python (pip install -r requirements.txt)")

    base = tmp_path_factory.mktemp("lab")
    root_dir = base / "root"
    source = notebooks_source()
    # A copy: JupyterLab may save outputs into the notebooks it opens.
    shutil.copytree(source, root_dir / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    shutil.copytree(ROOT / "exercises", root_dir / "exercises",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))

    config_dir = base / "config"
    # The course's own config (what `make lab` uses); the JSON below adds the test's settings.
    config_dir.mkdir(parents=True)
    shutil.copy(ROOT / "jupyter" / "jupyter_server_config.py", config_dir)
    settings_dir = base / "settings"
    _write_json(config_dir / "jupyter_server_config.json", SERVER_CONFIG)
    _write_json(config_dir / "labconfig" / "page_config.json", PAGE_CONFIG)
    for relative, values in LAB_SETTINGS.items():
        _write_json(settings_dir / relative, values)

    venv_bin = str(Path(sys.executable).parent)
    env = dict(os.environ)
    env.update({
        "JUPYTER_PREFER_ENV_PATH": "1",
        "JUPYTER_CONFIG_DIR": str(config_dir),
        "JUPYTER_RUNTIME_DIR": str(base / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(settings_dir),
        "JUPYTERLAB_WORKSPACES_DIR": str(base / "workspaces"),
        "PATH": venv_bin + os.pathsep + env.get("PATH", ""),
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    })
    env.pop("JUPYTER_PATH", None)
    # `make lab` trusts the course's notebooks, so the test does too, in a trust database of its
    # own (the learner's, in ~/.local/share/jupyter, is left alone): a trusted notebook renders
    # saved outputs that an untrusted one shows as text (a saved widget view, say).
    env["JUPYTER_DATA_DIR"] = str(base / "data")
    subprocess.run([sys.executable, "-m", "jupyter", "trust",
                    *map(str, sorted(root_dir.glob("*/*.ipynb")))],
                   env=env, check=True, capture_output=True, timeout=120)

    port = _free_port()
    token = secrets.token_hex(24)
    base_url = f"http://127.0.0.1:{port}"
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser",
        f"--port={port}", "--ServerApp.ip=127.0.0.1", f"--ServerApp.token={token}",
        f"--ServerApp.root_dir={root_dir}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")

    log_path = base / "jupyter-lab.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, cwd=root_dir, env=env, stdout=log,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   start_new_session=True)
    server = Lab(base_url=base_url, token=token, root_dir=root_dir, log_path=log_path)
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(f"jupyter lab exited with status {process.returncode}:\n"
                            f"{server.log_tail()}")
            try:
                _api(base_url, token, "/api/status")
                break
            except (OSError, urllib.error.URLError, ValueError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"jupyter lab did not answer /api/status within "
                            f"{SERVER_START_TIMEOUT:.0f} s:\n{server.log_tail()}")
            time.sleep(0.25)
        yield server
    finally:
        _stop(process, base_url, token)


@pytest.fixture(scope="session")
def browser():
    sync_api = pytest.importorskip(
        "playwright.sync_api", exc_type=ImportError,
        reason="Playwright is not installed: pip install -r requirements-browser.txt")
    executable = chromium_path()
    if executable is None:
        pytest.skip("Chromium is not installed: apt-get install chromium (or set $CHROMIUM)")
    playwright = sync_api.sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS,
                                             headless=True, timeout=60_000)
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    folder = Path(os.environ.get("BROWSER_SCREENSHOTS") or ROOT / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder
