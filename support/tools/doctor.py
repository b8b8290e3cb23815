"""Check this machine before a workshop: ``python -m support doctor [--json]``.

One line per check (Python, pinned packages, the support package, the Jupyter kernel, Redis,
memcached) marked "✅ ok" / "⚠️ warn" / "❌ FAIL" (the word is there for terminals without an emoji
font), with the command that fixes each problem. Exit code 0 when nothing is FAIL, 1 otherwise,
2 for bad usage.

The doctor only looks: on a real Redis it sends PING and INFO, on memcached ``version``. It never
writes or deletes a key.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.metadata
import json
import os
import re
import shutil
import socket
import sys
import sysconfig
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

Status = Literal["ok", "warning", "error"]

MIN_PYTHON = (3, 11)
SERVER_TIMEOUT = 2.0  # seconds, for memcached (Redis clients get theirs from support.backends)
SUPPORT_DISTRIBUTION = "flask-caching-course-support"

PIP_FIX = "pip install -r requirements.txt"
KERNEL_FIX = "python -m ipykernel install --user (with this environment's python), or run: make lab"
BUG_FIX = (
    "reinstall with: pip install -r requirements.txt; if this line stays, "
    "report it to the course maintainers"
)
_LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "0.0.0.0", ""}
_SYMBOLS = {"ok": "✅ ok  ", "warning": "⚠️ warn", "error": "❌ FAIL"}
_ASCII_SYMBOLS = {"ok": "[ok]  ", "warning": "[warn]", "error": "[FAIL]"}


@dataclass(frozen=True)
class Check:
    """The result of one check: what was checked, how it went, and how to fix a problem."""

    name: str
    status: Status
    detail: str
    fix: str | None = None


# --- Python ----------------------------------------------------------------------------------


def check_python() -> Check:
    """Python 3.11 or newer."""
    version = ".".join(str(part) for part in sys.version_info[:3])
    detail = f"{version} at {sys.executable}"
    if sys.version_info[:2] >= MIN_PYTHON:
        return Check("Python", "ok", detail)
    return Check(
        "Python",
        "error",
        f"{detail}: the course needs Python {MIN_PYTHON[0]}.{MIN_PYTHON[1]} or newer",
        "install Python 3.11+ (python.org, conda or pyenv), then recreate the environment: "
        "rm -rf .venv && make lab",
    )


# --- pinned packages -------------------------------------------------------------------------

_REQUIREMENT = re.compile(
    r"^(?P<name>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[[^\]]*\])?\s*"
    r"(?:==\s*(?P<version>[^\s;,]+))?"
)


def canonical_name(name: str) -> str:
    """A distribution name compared the way pip does: case, ``-``, ``_`` and ``.`` ignored."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirements_file() -> Path:
    """The course's ``requirements.txt``, at the root of the repository holding ``support``."""
    from support.course import ROOT

    return ROOT / "requirements.txt"


def read_requirements(path: Path) -> list[tuple[str, str | None]]:
    """``(name, pinned version or None)`` for each requirement; options and comments skipped."""
    pins: list[tuple[str, str | None]] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith(("#", "-")):
            continue
        match = _REQUIREMENT.match(line)
        if match:
            pins.append((match["name"], match["version"]))
    return pins


def installed_versions() -> dict[str, str]:
    """Installed distributions by canonical name (the first one on ``sys.path`` wins)."""
    versions: dict[str, str] = {}
    for dist in importlib.metadata.distributions():
        name = dist.metadata["Name"] if dist.metadata else None
        if name:
            versions.setdefault(canonical_name(name), dist.version)
    return versions


def _same_version(installed: str, pinned: str) -> bool:
    try:
        from packaging.version import InvalidVersion, Version
    except ImportError:
        return installed == pinned
    try:
        return Version(installed) == Version(pinned)
    except InvalidVersion:
        return installed == pinned


def check_packages() -> list[Check]:
    """Each package pinned in requirements.txt: installed, at the pinned version."""
    path = requirements_file()
    if not path.is_file():
        return [
            Check(
                "packages",
                "warning",
                f"{path} not found: package versions not checked",
                "run the doctor from a clone of the course repository",
            )
        ]
    installed = installed_versions()
    checks = []
    for name, pinned in read_requirements(path):
        label = f"package {name}"
        version = installed.get(canonical_name(name))
        if version is None:
            wanted = f"{name}=={pinned}" if pinned else name
            checks.append(Check(label, "error", f"not installed ({wanted} required)", PIP_FIX))
        elif pinned is None or _same_version(version, pinned):
            checks.append(Check(label, "ok", version))
        else:
            checks.append(Check(label, "warning", f"{version} installed, {pinned} pinned", PIP_FIX))
    return checks


# --- the support package ---------------------------------------------------------------------


def check_support() -> Check:
    """The ``support`` package imports, and is installed (so notebooks find it from any folder)."""
    try:
        support = importlib.import_module("support")
        importlib.import_module("support.backends")
    except Exception as exc:  # an ImportError, or an error inside the package
        return Check(
            "support package",
            "error",
            f"cannot import it: {type(exc).__name__}: {exc}",
            "pip install -e . (in the course repository)",
        )
    location = Path(support.__file__).resolve().parent
    try:
        version = importlib.metadata.version(SUPPORT_DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        return Check(
            "support package",
            "warning",
            f"imported from {location} but not installed: notebooks in their own folder "
            "will not find it",
            "pip install -e . (in the course repository)",
        )
    return Check("support package", "ok", f"{version} from {location}")


# --- the Jupyter kernel ----------------------------------------------------------------------


def _bare_python_names() -> set[str]:
    """The names jupyter_client replaces with the interpreter that runs Jupyter."""
    major, minor = sys.version_info[:2]
    return {"python", f"python{major}", f"python{major}.{minor}"}


def _same_environment(python: str) -> bool:
    """True when ``python`` is this interpreter or sits in this environment's bin folder."""
    path = Path(os.path.abspath(python))
    here = Path(os.path.abspath(sys.executable))
    folders = {here.parent, Path(os.path.abspath(sysconfig.get_path("scripts")))}
    return os.path.normcase(path) == os.path.normcase(here) or path.parent in folders


def describe_kernel_python(argv0: str, where: str = "") -> Check:
    """Judge the interpreter a kernel spec starts (its ``argv[0]``)."""
    origin = f" ({where})" if where else ""
    if argv0 in _bare_python_names():
        return Check(
            "Jupyter kernel",
            "ok",
            f"python3{origin} runs {argv0!r}, i.e. the Python that starts Jupyter "
            f"(here: {sys.executable})",
        )
    resolved = argv0 if os.path.isabs(argv0) else (shutil.which(argv0) or argv0)
    if not os.path.exists(resolved):
        return Check(
            "Jupyter kernel",
            "error",
            f"python3{origin} runs {argv0}, which does not exist",
            KERNEL_FIX,
        )
    if _same_environment(resolved):
        return Check("Jupyter kernel", "ok", f"python3{origin} runs {resolved} (this environment)")
    return Check(
        "Jupyter kernel",
        "warning",
        f"python3{origin} runs {resolved}, not this environment's {sys.executable}: "
        "notebooks may miss the course's packages",
        KERNEL_FIX,
    )


def check_kernel() -> Check:
    """jupyter_client finds a ``python3`` kernel that runs this environment's Python."""
    try:
        from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
    except ImportError as exc:
        return Check("Jupyter kernel", "error", f"jupyter_client is missing: {exc}", PIP_FIX)
    manager = KernelSpecManager()
    try:
        spec = manager.get_kernel_spec("python3")
    except NoSuchKernel:
        found = ", ".join(sorted(manager.find_kernel_specs())) or "none"
        return Check(
            "Jupyter kernel", "error", f"no python3 kernel found (kernels: {found})", KERNEL_FIX
        )
    if not spec.argv:
        return Check("Jupyter kernel", "error", "the python3 kernel has no command", KERNEL_FIX)
    return describe_kernel_python(spec.argv[0], spec.resource_dir)


# --- Redis -----------------------------------------------------------------------------------


def _hide_password(text: str, url: str) -> str:
    """``text`` with the password of ``url`` (if any) replaced by ``***``."""
    from support.backends import redacted

    return redacted(text, url)


def _redis_fix(url: str) -> str:
    try:
        parts = urlsplit(url)
        scheme, host, port = parts.scheme, parts.hostname or "", parts.port or 6379
    except ValueError:
        scheme, host, port = "?", "?", 6379
    if scheme == "redis" and host in _LOCAL_HOSTS:
        start = f"start it: redis-server --port {port} --daemonize yes"
    else:
        start = f"check that the Redis server at {_hide_password(url, url)} is running"
    return f"{start}, or unset REDIS_URL to use the embedded fake"


def check_redis() -> Check:
    """The embedded fakeredis answers, or the real Redis of ``REDIS_URL`` does (PING, INFO)."""
    from support import backends

    raw = os.environ.get("REDIS_URL", "").strip()
    try:
        url = backends.redis_url()
    except backends.BackendConfigError as exc:
        return Check(
            "Redis",
            "error",
            _hide_password(str(exc), raw),
            "fix REDIS_URL (e.g. redis://127.0.0.1:6379/0) or unset it to use the embedded fake",
        )
    if url is None:
        try:
            client = backends.redis_client()
            client.ping()
        except Exception as exc:
            return Check("Redis", "error", f"embedded fakeredis does not work: {exc}", PIP_FIX)
        return Check(
            "Redis", "ok", "embedded fakeredis will be used (set REDIS_URL to try a real server)"
        )
    return _ping_real_redis(backends.redis_client(), url)


def _ping_real_redis(client: object, url: str) -> Check:
    """PING, then INFO server, on a real Redis. Nothing is written."""
    import redis

    shown = _hide_password(url, url)
    try:
        client.ping()  # type: ignore[attr-defined]
    except redis.AuthenticationError as exc:
        return Check(
            "Redis",
            "error",
            f"Redis at {shown} refused the credentials: {exc}",
            "put the password in REDIS_URL: redis://:PASSWORD@HOST:6379/0 "
            "(or redis://USER:PASSWORD@...)",
        )
    except (redis.ConnectionError, redis.TimeoutError, OSError) as exc:
        return Check(
            "Redis",
            "error",
            f"cannot reach Redis at {shown}: {_hide_password(str(exc), url)}",
            _redis_fix(url),
        )
    except redis.RedisError as exc:
        if "HELLO" in str(exc).upper() and "unknown command" in str(exc).lower():
            return Check(
                "Redis",
                "error",
                f"Redis at {shown} is older than 6: the redis client the course pins needs 6+",
                "upgrade Redis to 6 or newer, or unset REDIS_URL to use the embedded fake",
            )
        return Check(
            "Redis",
            "error",
            f"Redis at {shown} answered with an error: {_hide_password(str(exc), url)}",
            "check REDIS_URL (database number, TLS, is it really Redis?) or unset it",
        )
    try:
        version = client.info("server").get("redis_version", "of unknown version")  # type: ignore[attr-defined]
    except redis.RedisError:
        version = "(INFO not allowed, version unknown)"
    finally:
        try:
            client.close()  # type: ignore[attr-defined]
        except Exception:
            pass
    return Check("Redis", "ok", f"real Redis {version} at {shown} answers PING")


# --- memcached -------------------------------------------------------------------------------


def _split_server(server: str) -> tuple[str, int]:
    host, _, port = server.rpartition(":")
    return host.strip("[]"), int(port)


def memcached_version(server: str, timeout: float | None = None) -> str:
    """Ask a memcached ``host:port`` for its version (``version`` command, read-only)."""
    timeout = SERVER_TIMEOUT if timeout is None else timeout
    host, port = _split_server(server)
    deadline = time.monotonic() + timeout
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.sendall(b"version\r\n")
        reply = b""
        while b"\r\n" not in reply and len(reply) < 4096:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no answer within {timeout:g} s")
            sock.settimeout(remaining)
            chunk = sock.recv(1024)
            if not chunk:
                break
            reply += chunk
    line = reply.split(b"\r\n", 1)[0].decode("ascii", "replace").strip()
    if not line.startswith("VERSION "):
        raise ValueError(f"it answered {line!r}, not VERSION x.y.z: is this memcached's port?")
    return line[len("VERSION ") :].strip()


def _memcached_fix(server: str) -> str:
    host, port = _split_server(server)
    if host in _LOCAL_HOSTS:
        start = f"start it: memcached -l 127.0.0.1 -p {port} -d"
    else:
        start = f"check that memcached at {server} is running and reachable"
    return f"{start}, or unset MEMCACHED_SERVERS"


def check_memcached_server(server: str) -> Check:
    """One memcached server answers ``version``."""
    name = f"memcached {server}"
    try:
        version = memcached_version(server)
    except ValueError as exc:
        return Check(
            name,
            "error",
            f"{server} is not answering like memcached: {exc}",
            "point MEMCACHED_SERVERS at memcached (usually port 11211), or unset it",
        )
    except OSError as exc:
        reason = str(exc) or type(exc).__name__
        return Check(name, "error", f"cannot reach {server}: {reason}", _memcached_fix(server))
    return Check(name, "ok", f"memcached {version} answers at {server}")


def check_memcached() -> list[Check]:
    """Every server of ``MEMCACHED_SERVERS`` answers; unset is fine (the cells explain)."""
    from support import backends

    try:
        servers = backends.memcached_servers()
    except backends.BackendConfigError as exc:
        return [
            Check(
                "memcached",
                "error",
                str(exc),
                "set MEMCACHED_SERVERS=host:port[,host:port], e.g. 127.0.0.1:11211, or unset it",
            )
        ]
    if servers is None:
        return [
            Check(
                "memcached",
                "ok",
                "not set: memcached cells will explain and move on "
                "(set MEMCACHED_SERVERS=127.0.0.1:11211 to use a real server)",
            )
        ]
    return [check_memcached_server(server) for server in servers]


# --- running ---------------------------------------------------------------------------------


def _guarded(name: str, check: Callable[[], Check | list[Check]]) -> list[Check]:
    """Run one check; an unexpected exception becomes an error line instead of a traceback."""
    try:
        result = check()
    except Exception as exc:
        return [
            Check(name, "error", f"the check itself failed: {type(exc).__name__}: {exc}", BUG_FIX)
        ]
    return list(result) if isinstance(result, list) else [result]


def run_checks() -> list[Check]:
    """Every check, in the order they are reported."""
    checks: list[Check] = []
    for name, check in (
        ("Python", check_python),
        ("packages", check_packages),
        ("support package", check_support),
        ("Jupyter kernel", check_kernel),
        ("Redis", check_redis),
        ("memcached", check_memcached),
    ):
        checks.extend(_guarded(name, check))
    return checks


def exit_code(checks: list[Check]) -> int:
    """0 when no check is an error, 1 otherwise."""
    return 1 if any(check.status == "error" for check in checks) else 0


def _symbols() -> dict[str, str]:
    encoding = getattr(sys.stdout, "encoding", None) or "ascii"
    try:
        "".join(_SYMBOLS.values()).encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return _ASCII_SYMBOLS
    return _SYMBOLS


def render_text(checks: list[Check]) -> str:
    """The report for a terminal: one line per check, a fix under each problem, a summary."""
    symbols = _symbols()
    width = max((len(check.name) for check in checks), default=0)
    lines = ["Flask caching course: environment check", ""]
    for check in checks:
        lines.append(f"{symbols[check.status]} {check.name.ljust(width)}  {check.detail}")
        if check.fix and check.status != "ok":
            lines.append(f"   {''.ljust(width)}  fix: {check.fix}")
    errors = sum(check.status == "error" for check in checks)
    warnings = sum(check.status == "warning" for check in checks)
    lines.append("")
    if errors:
        lines.append(f"{errors} problem(s) to fix before the workshop, {warnings} warning(s).")
    elif warnings:
        lines.append(f"Ready, with {warnings} warning(s) worth a look.")
    else:
        lines.append("All good: ready for the course.")
    return "\n".join(lines)


def render_json(checks: list[Check]) -> str:
    """The report as a JSON list of ``{check, status, detail, fix}``."""
    return json.dumps(
        [{"check": c.name, "status": c.status, "detail": c.detail, "fix": c.fix} for c in checks],
        indent=2,
    )


def _print(text: str) -> None:
    try:
        print(text)
    except UnicodeEncodeError:
        encoding = getattr(sys.stdout, "encoding", None) or "ascii"
        print(text.encode(encoding, "replace").decode(encoding))


def main(argv: list[str] | None = None) -> int:
    """Run the checks, print the report, return the exit code (2 for bad usage)."""
    parser = argparse.ArgumentParser(
        prog="python -m support doctor",
        description="Check Python, packages, the Jupyter kernel, Redis and memcached "
        "before the Flask caching course.",
    )
    parser.add_argument("--json", action="store_true", help="print the checks as JSON")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help (0) or bad usage (2)
        return exc.code if isinstance(exc.code, int) else 2
    checks = run_checks()
    try:
        _print(render_json(checks) if args.json else render_text(checks))
        sys.stdout.flush()
    except BrokenPipeError:  # e.g. piped into `head`
        pass
    return exit_code(checks)


if __name__ == "__main__":
    try:
        code = main()
    except KeyboardInterrupt:
        code = 130
    sys.exit(code)
