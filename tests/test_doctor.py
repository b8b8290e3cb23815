"""Tests of ``python -m support doctor``: each check, the exit code, --json, and no tracebacks."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from support.tools import doctor
from support.course import ROOT
from support.tools.doctor import Check

REAL_REDIS_URL = os.environ.get("REDIS_URL", "").strip()


@pytest.fixture(autouse=True)
def no_servers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts with no real server selected; a test sets what it needs."""
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("MEMCACHED_SERVERS", raising=False)


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def by_name(checks: list[Check], name: str) -> Check:
    matches = [check for check in checks if check.name == name]
    assert len(matches) == 1, f"expected one {name!r} check in {[c.name for c in checks]}"
    return matches[0]


class FakeMemcached:
    """A listening socket on 127.0.0.1 that answers every connection with ``reply``."""

    def __init__(self, reply: bytes | None) -> None:
        self.reply = reply
        self.received: list[bytes] = []
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.sock.settimeout(0.2)
        self.address = f"127.0.0.1:{self.sock.getsockname()[1]}"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(2)
                try:
                    self.received.append(conn.recv(1024))
                    if self.reply is None:  # a server that never answers
                        self._stop.wait(3)
                    else:
                        conn.sendall(self.reply)
                except OSError:
                    pass

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.sock.close()


@pytest.fixture
def fake_memcached() -> Iterator[Callable[[bytes | None], FakeMemcached]]:
    servers: list[FakeMemcached] = []

    def start(reply: bytes | None) -> FakeMemcached:
        server = FakeMemcached(reply)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


# --- Redis -----------------------------------------------------------------------------------


def test_redis_unset_uses_fakeredis_and_exit_code_follows_the_checks(
    capsys: pytest.CaptureFixture[str],
) -> None:
    checks = doctor.run_checks()
    redis_check = by_name(checks, "Redis")
    assert redis_check.status == "ok"
    assert "fakeredis" in redis_check.detail
    assert by_name(checks, "memcached").status == "ok"

    code = doctor.main([])
    out = capsys.readouterr().out
    expected = 1 if any(c.status == "error" for c in doctor.run_checks()) else 0
    assert code == expected
    assert "fakeredis" in out


@pytest.mark.parametrize(
    ("statuses", "code"),
    [(["ok", "ok"], 0), (["ok", "warning"], 0), (["warning", "error"], 1), (["error"], 1)],
)
def test_exit_code_is_1_exactly_when_a_check_is_an_error(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    statuses: list[str],
    code: int,
) -> None:
    checks = [Check(f"c{i}", status, "detail", "fix it") for i, status in enumerate(statuses)]  # type: ignore[arg-type]
    monkeypatch.setattr(doctor, "run_checks", lambda: checks)
    assert doctor.main([]) == code
    out = capsys.readouterr().out
    assert ("fix: fix it" in out) == any(s != "ok" for s in statuses)


def test_redis_on_a_closed_port_is_an_error_with_a_fix(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    port = closed_port()
    monkeypatch.setenv("REDIS_URL", f"redis://127.0.0.1:{port}/0")
    check = doctor.check_redis()
    assert check.status == "error"
    assert str(port) in check.detail
    assert check.fix and "redis-server --port" in check.fix and "unset REDIS_URL" in check.fix


def test_redis_password_is_never_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDIS_URL", f"redis://:s3cret-pw@127.0.0.1:{closed_port()}/0")
    check = doctor.check_redis()
    assert check.status == "error"
    assert "s3cret-pw" not in check.detail + (check.fix or "")
    assert "***" in check.detail


def test_malformed_redis_url_is_an_error_that_explains(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("REDIS_URL", "http://x")
    check = doctor.check_redis()
    assert check.status == "error"
    assert "http://x" in check.detail and "not a Redis URL" in check.detail
    assert check.fix and "REDIS_URL" in check.fix

    assert doctor.main([]) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    assert "not a Redis URL" in captured.out


@pytest.mark.skipif(not REAL_REDIS_URL, reason="REDIS_URL is not set: no real Redis to ping")
def test_real_redis_from_the_environment_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDIS_URL", REAL_REDIS_URL)
    check = doctor.check_redis()
    assert check.status == "ok", check
    assert "real Redis" in check.detail and "answers PING" in check.detail


# --- memcached -------------------------------------------------------------------------------


def test_memcached_on_a_closed_port_is_an_error_with_a_fix(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    port = closed_port()
    monkeypatch.setenv("MEMCACHED_SERVERS", f"127.0.0.1:{port}")
    [check] = doctor.check_memcached()
    assert check.status == "error"
    assert f"127.0.0.1:{port}" in check.detail
    assert check.fix and f"memcached -l 127.0.0.1 -p {port}" in check.fix


def test_malformed_memcached_servers_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MEMCACHED_SERVERS", "nohostport")
    [check] = doctor.check_memcached()
    assert check.status == "error"
    assert "nohostport" in check.detail and "host:port" in check.detail
    assert check.fix


def test_fake_memcached_answers_with_its_version(
    monkeypatch: pytest.MonkeyPatch, fake_memcached
) -> None:
    server = fake_memcached(b"VERSION 1.6.0\r\n")
    monkeypatch.setenv("MEMCACHED_SERVERS", server.address)
    [check] = doctor.check_memcached()
    assert check == Check(
        f"memcached {server.address}", "ok", f"memcached 1.6.0 answers at {server.address}"
    )
    assert server.received == [b"version\r\n"]  # the only command sent: nothing written


def test_each_memcached_server_gets_its_own_line(
    monkeypatch: pytest.MonkeyPatch, fake_memcached
) -> None:
    good = fake_memcached(b"VERSION 1.6.0\r\n")
    port = closed_port()
    monkeypatch.setenv("MEMCACHED_SERVERS", f"{good.address}, 127.0.0.1:{port}")
    checks = doctor.check_memcached()
    assert [c.status for c in checks] == ["ok", "error"]


def test_a_server_that_is_not_memcached_is_an_error(
    monkeypatch: pytest.MonkeyPatch, fake_memcached
) -> None:
    server = fake_memcached(b"HTTP/1.1 400 Bad Request\r\n\r\n")
    monkeypatch.setenv("MEMCACHED_SERVERS", server.address)
    [check] = doctor.check_memcached()
    assert check.status == "error"
    assert "not answering like memcached" in check.detail


def test_a_silent_memcached_times_out(monkeypatch: pytest.MonkeyPatch, fake_memcached) -> None:
    server = fake_memcached(None)
    monkeypatch.setattr(doctor, "SERVER_TIMEOUT", 0.3)
    monkeypatch.setenv("MEMCACHED_SERVERS", server.address)
    [check] = doctor.check_memcached()  # the server never answers: the timeout ends the wait
    assert check.status == "error" and check.fix


# --- packages ---------------------------------------------------------------------------------


def test_requirements_are_read_without_options_and_comments(tmp_path: Path) -> None:
    path = tmp_path / "requirements.txt"
    path.write_text(
        "# a comment\n\nFlask==3.1.3\nflask_caching == 2.5.1  # inline\n"
        "redis[hiredis]==8.1.0\nsomething>=1.0\n-e .\n--index-url https://example.org\n",
        encoding="utf-8",
    )
    assert doctor.read_requirements(path) == [
        ("Flask", "3.1.3"),
        ("flask_caching", "2.5.1"),
        ("redis", "8.1.0"),
        ("something", None),
    ]


def test_the_real_requirements_file_is_found_and_read() -> None:
    path = doctor.requirements_file()
    assert path == ROOT / "requirements.txt"
    names = [doctor.canonical_name(name) for name, _ in doctor.read_requirements(path)]
    assert "flask-caching" in names


def test_version_mismatch_is_a_warning_and_missing_is_an_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "requirements.txt"
    path.write_text("Flask_Caching==2.5.1\nflask==3.1.3\nnot-there==1.0\n-e .\n", encoding="utf-8")
    monkeypatch.setattr(doctor, "requirements_file", lambda: path)
    monkeypatch.setattr(
        doctor, "installed_versions", lambda: {"flask-caching": "2.4.0", "flask": "3.1.3"}
    )
    checks = doctor.check_packages()
    assert [(c.name, c.status) for c in checks] == [
        ("package Flask_Caching", "warning"),
        ("package flask", "ok"),
        ("package not-there", "error"),
    ]
    assert "2.4.0 installed, 2.5.1 pinned" in checks[0].detail
    assert checks[0].fix == checks[2].fix == "pip install -r requirements.txt"


def test_installed_versions_use_canonical_names() -> None:
    versions = doctor.installed_versions()
    assert "flask-caching" in versions  # installed as Flask-Caching / Flask_Caching
    assert doctor.canonical_name("Flask_Caching") == doctor.canonical_name("flask.caching")


def test_missing_requirements_file_is_said_and_skipped(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(doctor, "requirements_file", lambda: tmp_path / "absent.txt")
    [check] = doctor.check_packages()
    assert check.status == "warning" and "not found" in check.detail


# --- Python, support, kernel -------------------------------------------------------------------


def test_python_and_support_are_ok_here() -> None:
    assert doctor.check_python().status == "ok"
    assert doctor.check_support().status == "ok"


def test_kernel_python_is_judged_against_this_environment(tmp_path: Path) -> None:
    assert doctor.describe_kernel_python("python").status == "ok"
    assert doctor.describe_kernel_python(sys.executable).status == "ok"
    assert doctor.describe_kernel_python(str(tmp_path / "no-such-python")).status == "error"
    other = tmp_path / "python3"
    other.write_text("#!/bin/sh\n", encoding="utf-8")
    check = doctor.describe_kernel_python(str(other))
    assert check.status == "warning"
    assert check.fix and "ipykernel install --user" in check.fix


def test_kernel_check_runs() -> None:
    check = doctor.check_kernel()
    assert check.name == "Jupyter kernel"
    assert check.status in {"ok", "warning", "error"}
    assert check.status == "ok" or check.fix


# --- robustness and output ---------------------------------------------------------------------


def test_an_unexpected_exception_becomes_an_error_line(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> Check:
        raise RuntimeError("boom")

    monkeypatch.setattr(doctor, "check_kernel", broken)
    checks = doctor.run_checks()
    kernel = by_name(checks, "Jupyter kernel")
    assert kernel.status == "error" and "RuntimeError: boom" in kernel.detail and kernel.fix
    assert by_name(checks, "Redis").status == "ok"  # the others still ran


def test_json_output_parses_and_has_the_keys(capsys: pytest.CaptureFixture[str]) -> None:
    code = doctor.main(["--json"])
    items = json.loads(capsys.readouterr().out)
    assert isinstance(items, list) and items
    for item in items:
        assert set(item) == {"check", "status", "detail", "fix"}
        assert item["status"] in {"ok", "warning", "error"}
    assert code == (1 if any(i["status"] == "error" for i in items) else 0)
    assert any(i["check"] == "Redis" and "fakeredis" in i["detail"] for i in items)


def test_unknown_argument_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert doctor.main(["--bogus"]) == 2
    assert "usage" in capsys.readouterr().err


def test_command_line_reports_problems_without_a_traceback() -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "MEMCACHED_SERVERS"}}
    env.update(
        REDIS_URL="http://x",
        MEMCACHED_SERVERS=f"127.0.0.1:{closed_port()}",
        PYTHONIOENCODING="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "support", "doctor"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode == 1
    assert "❌ FAIL Redis" in result.stdout and "❌ FAIL memcached" in result.stdout
    assert "fix:" in result.stdout


def test_every_status_has_a_word_beside_its_symbol() -> None:
    from support.tools import doctor

    checks = [doctor.Check("one", "ok", "fine"), doctor.Check("two", "warning", "hm", "do x"),
              doctor.Check("three", "error", "bad", "do y")]
    text = doctor.render_text(checks)
    for word in ("ok", "warn", "FAIL"):
        assert any(f" {word}" in line or line.startswith(f"[{word}") for line in text.splitlines())
    assert all(word in "".join(doctor._ASCII_SYMBOLS.values()) for word in ("ok", "warn", "FAIL"))
