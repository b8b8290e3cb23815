"""Private real servers for the lessons that need one: a ``redis-server`` or ``memcached`` started
on a free loopback port, configured for one demonstration, and always stopped afterwards.

Some truths need a real server (eviction under ``maxmemory``, ACLs, memcached's non-atomic
``inc``). :func:`real_server_demo` runs such a demonstration when the binary is installed and
otherwise prints what a real server printed when the lesson was written (``support/recorded/``),
so a notebook cell gives the same output on both paths::

    def demo() -> list[str]:
        with private_redis("--maxmemory", "2mb") as server:
            ...
            return [f"version key survived: {survived}"]

    real_server_demo("invalidation-eviction", demo)

The private servers are the course's own: nothing else is on them, so a demonstration may do
anything there (FLUSHALL included) without touching a learner's data.
"""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

RECORDED_DIR = Path(__file__).resolve().parent / "recorded"
RECORD_ENV = "FCC_RECORD_DEMOS"
_STARTUP_SECONDS = 10.0
_running: set[subprocess.Popen[bytes]] = set()

Kind = Literal["redis", "memcached"]
_BINARIES = {"redis": "redis-server", "memcached": "memcached"}
_INSTALL = {
    "redis": "install Redis to run it here (Debian/Ubuntu: sudo apt-get install redis-server; "
             "macOS: brew install redis)",
    "memcached": "install memcached to run it here (Debian/Ubuntu: sudo apt-get install "
                 "memcached; macOS: brew install memcached)",
}


class ServerMissing(RuntimeError):
    """The server binary is not installed; the message says how to install it."""


@dataclass(frozen=True)
class PrivateRedis:
    """A running private ``redis-server``."""

    port: int
    version: str

    @property
    def url(self) -> str:
        """The server's URL, database 0."""
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self, **options: Any) -> Any:
        """A new ``redis.Redis`` client for this server."""
        import redis

        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=5, **options)


@dataclass(frozen=True)
class PrivateMemcached:
    """A running private ``memcached``."""

    port: int
    version: str

    @property
    def servers(self) -> list[str]:
        """The value for ``CACHE_MEMCACHED_SERVERS``."""
        return [f"127.0.0.1:{self.port}"]


def binary(kind: Kind) -> str | None:
    """The path of the server binary for ``kind``, or ``None`` when it is not installed."""
    name = _BINARIES[kind]
    return shutil.which(name) or next(
        (str(p) for p in (Path("/usr/sbin") / name, Path("/usr/bin") / name) if p.exists()), None)


def installed_version(kind: Kind) -> str | None:
    """The version of the installed server binary (``"7.0.15"``), or ``None``."""
    path = binary(kind)
    if path is None:
        return None
    out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=10).stdout
    for word in out.replace("v=", " ").split():
        if word[:1].isdigit() and "." in word:
            return word.strip(",")
    return "unknown"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_listening(process: subprocess.Popen[bytes], port: int, name: str) -> None:
    deadline = time.monotonic() + _STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            err = process.stderr.read().decode(errors="replace") if process.stderr else ""
            raise RuntimeError(f"{name} exited at start-up: {err.strip() or process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{name} did not listen on 127.0.0.1:{port} within {_STARTUP_SECONDS} s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
    _running.discard(process)


@atexit.register
def _stop_all() -> None:
    for process in list(_running):
        _stop(process)


@contextmanager
def _server(kind: Kind, argv: list[str], port: int) -> Iterator[None]:
    name = _BINARIES[kind]
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _running.add(process)
    try:
        _wait_until_listening(process, port, name)
        yield
    finally:
        _stop(process)


@contextmanager
def private_redis(*config: str) -> Iterator[PrivateRedis]:
    """A private ``redis-server`` on a free loopback port, with extra config arguments
    (``"--maxmemory", "2mb"``); stopped when the block ends, also on an error."""
    path = binary("redis")
    if path is None:
        raise ServerMissing(f"redis-server is not installed: {_INSTALL['redis']}")
    port = _free_port()
    folder = tempfile.mkdtemp(prefix="fcc-redis-")
    argv = [path, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--dir", folder, *config]
    try:
        with _server("redis", argv, port):
            yield PrivateRedis(port, installed_version("redis") or "unknown")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def private_memcached(*options: str) -> Iterator[PrivateMemcached]:
    """A private ``memcached`` on a free loopback port, with extra options (``"-m", "1"``);
    stopped when the block ends, also on an error."""
    path = binary("memcached")
    if path is None:
        raise ServerMissing(f"memcached is not installed: {_INSTALL['memcached']}")
    port = _free_port()
    argv = [path, "-l", "127.0.0.1", "-p", str(port), "-U", "0", *options]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        argv += ["-u", "root"]
    with _server("memcached", argv, port):
        yield PrivateMemcached(port, installed_version("memcached") or "unknown")


# --- a demonstration that needs a real server ----------------------------------------------


def recorded_path(name: str) -> Path:
    """The file holding the lines a real server printed for demonstration ``name``."""
    if not name or "/" in name or name.startswith("."):
        raise ValueError(f"a demonstration name is a plain word like 'invalidation-eviction', got {name!r}")
    return RECORDED_DIR / f"{name}.txt"


def recorded_lines(name: str) -> list[str]:
    """The lines recorded for ``name`` (the first is the server it was recorded on)."""
    path = recorded_path(name)
    if not path.exists():
        raise FileNotFoundError(
            f"no recording for {name!r}: run the notebook once with {RECORD_ENV}=1 and a server")
    return path.read_text(encoding="utf-8").splitlines()


def real_server_demo(name: str, demo: Callable[[], Iterable[str]],
                     server: Kind = "redis") -> None:
    """Print ``demo()``'s lines, run on a real server; without the binary, print the lines a
    real server gave when the lesson was recorded. The first line says which happened."""
    version = installed_version(server)
    binary_name = _BINARIES[server]
    if version is None:
        lines = recorded_lines(name)
        recorded_on = lines[0] if lines else binary_name
        print(f"[recorded on {recorded_on}; {_INSTALL[server]}]")
        print("\n".join(lines[1:]))
        return
    lines = [str(line) for line in demo()]
    print(f"[live: {binary_name} {version} on a private port]")
    print("\n".join(lines))
    if os.environ.get(RECORD_ENV) == "1":
        path = recorded_path(name)
        path.parent.mkdir(exist_ok=True)
        path.write_text("\n".join([f"{binary_name} {version}", *lines]) + "\n", encoding="utf-8")
