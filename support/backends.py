"""Cache backends for the lessons: configs, real-or-embedded servers, key prefixes.

Every key the course writes starts with ``fcc:<run id>:<lesson>:``. The run id is new in each
Python process, so nothing the course deletes can be a key that someone else wrote, even on a
learner's own Redis that already holds keys named like the course's.

* ``REDIS_URL`` (``redis://127.0.0.1:6379/0``) selects a real Redis; without it an in-process
  fakeredis server, shared by every app of the process, stands in.
* ``MEMCACHED_SERVERS`` (``host:port[,host:port]``) selects a real memcached; without it
  :func:`memcached_config` raises :class:`BackendUnavailable` with a message to show.
"""

from __future__ import annotations

import atexit
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

COURSE_NAMESPACE = "fcc"
RUN_ID = secrets.token_hex(3)
_SOCKET_TIMEOUT = 2.0


class BackendUnavailable(RuntimeError):
    """A backend cannot be used on this machine; the message says why and how to enable it."""


class BackendConfigError(ValueError):
    """An environment variable that selects a server holds a value we cannot use."""


def course_prefix(lesson: str) -> str:
    """The key prefix for one lesson in this run, e.g. ``fcc:3fa2c1:views:``."""
    if not lesson or ":" in lesson:
        raise ValueError(f"lesson name must be a non-empty word without ':', got {lesson!r}")
    _register_cleanup()
    return f"{COURSE_NAMESPACE}:{RUN_ID}:{lesson}:"


def run_prefix() -> str:
    """The prefix shared by every key this run writes, whatever the lesson."""
    return f"{COURSE_NAMESPACE}:{RUN_ID}:"


# --- which servers -------------------------------------------------------------------------


def redis_url() -> str | None:
    """The real Redis selected by ``REDIS_URL``, or ``None`` for the embedded fakeredis."""
    url = os.environ.get("REDIS_URL", "").strip()
    if not url:
        return None
    try:
        parsed = urlparse(url)
    except ValueError as exc:
        raise BackendConfigError(f"REDIS_URL={redacted(url)!r} cannot be parsed: {exc}") from None
    if parsed.scheme not in {"redis", "rediss", "unix"}:
        raise BackendConfigError(
            f"REDIS_URL={redacted(url)!r} is not a Redis URL: use e.g. redis://127.0.0.1:6379/0"
        )
    try:
        parsed.port  # noqa: B018  (raises on a port that is not a number)
    except ValueError as exc:
        raise BackendConfigError(f"REDIS_URL={redacted(url)!r} has a bad port: {exc}") from None
    return url


def redacted(text: str, url: str | None = None) -> str:
    """``text`` with the password of ``url`` (default: ``text`` is the URL) shown as ``***``."""
    try:
        password = urlparse(url if url is not None else text).password
    except ValueError:
        password = None
    return text.replace(password, "***") if password else text


def memcached_servers() -> list[str] | None:
    """The memcached servers selected by ``MEMCACHED_SERVERS``, or ``None`` when unset."""
    raw = os.environ.get("MEMCACHED_SERVERS", "").strip()
    if not raw:
        return None
    servers = [part.strip() for part in raw.split(",") if part.strip()]
    for server in servers:
        host, sep, port = server.rpartition(":")
        if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise BackendConfigError(
                f"MEMCACHED_SERVERS entry {server!r} is not host:port, e.g. 127.0.0.1:11211"
            )
    return servers


def using_real_redis() -> bool:
    """True when ``REDIS_URL`` points the course at a real Redis server."""
    return redis_url() is not None


_fake_server: Any = None


def shared_fake_server() -> Any:
    """The embedded fakeredis server that every app of this process shares."""
    global _fake_server
    if _fake_server is None:
        import fakeredis

        _fake_server = fakeredis.FakeServer()
    return _fake_server


def redis_client() -> Any:
    """A new client for the course's Redis: the real one, or the shared embedded fake."""
    url = redis_url()
    if url is not None:
        import redis

        return redis.Redis.from_url(
            url, socket_timeout=_SOCKET_TIMEOUT, socket_connect_timeout=_SOCKET_TIMEOUT
        )
    import fakeredis

    return fakeredis.FakeRedis(server=shared_fake_server())


def describe() -> str:
    """One line per backend saying what this run uses (for a lesson's header cell)."""
    url = redis_url()
    redis_line = (
        f"Redis: real server at {redacted(url)}"
        if url
        else "Redis: embedded fakeredis in this kernel (set REDIS_URL to use a real server)"
    )
    servers = memcached_servers()
    memcached_line = (
        f"memcached: real server(s) at {', '.join(servers)}"
        if servers
        else "memcached: not available here (set MEMCACHED_SERVERS=127.0.0.1:11211 to use one)"
    )
    return "\n".join(
        [
            "SimpleCache: in this kernel's memory",
            "FileSystemCache: a private temporary folder",
            redis_line,
            memcached_line,
        ]
    )


# --- Flask-Caching configs -----------------------------------------------------------------


def ensure_course_prefix(config: dict[str, Any]) -> dict[str, Any]:
    """``config`` itself; a ValueError unless a shared backend's keys carry this run's prefix."""
    if config.get("CACHE_TYPE") in {"RedisCache", "MemcachedCache"}:
        prefix = config.get("CACHE_KEY_PREFIX") or ""
        if not prefix:
            raise ValueError(
                "the course never uses an empty CACHE_KEY_PREFIX: on Redis, cache.clear() would "
                "run FLUSHDB and delete keys the course did not write"
            )
        if not prefix.startswith(run_prefix()):
            raise ValueError(
                f"CACHE_KEY_PREFIX={prefix!r} must start with this run's prefix "
                f"{run_prefix()!r} (use course_prefix(lesson)): the course writes and deletes "
                "only keys under it"
            )
    return config


def simple_config(**overrides: Any) -> dict[str, Any]:
    """SimpleCache: a dict in this process's memory."""
    return {"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": 300, **overrides}


def private_cache_dir(lesson: str) -> str:
    """A new empty folder that only this cache uses (FileSystemCache.clear() empties it).

    It is removed when the process ends."""
    return temporary_folder(f"fcc-{lesson}-")


_folders: list[str] = []


def temporary_folder(prefix: str) -> str:
    """A new temporary folder, removed when this Python process ends."""
    folder = tempfile.mkdtemp(prefix=prefix)
    if not _folders:
        atexit.register(_remove_folders)
    _folders.append(folder)
    return folder


def _remove_folders() -> None:
    for folder in _folders:
        shutil.rmtree(folder, ignore_errors=True)


def filesystem_config(lesson: str, directory: str | None = None, **overrides: Any) -> dict[str, Any]:
    """FileSystemCache in ``directory`` (default: a new private temporary folder)."""
    return {
        "CACHE_TYPE": "FileSystemCache",
        "CACHE_DIR": directory or private_cache_dir(lesson),
        "CACHE_DEFAULT_TIMEOUT": 300,
        **overrides,
    }


def redis_config(lesson: str, **overrides: Any) -> dict[str, Any]:
    """RedisCache on the real server (``REDIS_URL``) or on the embedded fake, prefixed."""
    config: dict[str, Any] = {
        "CACHE_TYPE": "RedisCache",
        "CACHE_KEY_PREFIX": course_prefix(lesson),
        "CACHE_DEFAULT_TIMEOUT": 300,
    }
    url = redis_url()
    if url is not None:
        config["CACHE_REDIS_URL"] = url
        config["CACHE_OPTIONS"] = {
            "socket_timeout": _SOCKET_TIMEOUT,
            "socket_connect_timeout": _SOCKET_TIMEOUT,
        }
    else:
        config["CACHE_REDIS_HOST"] = redis_client()
    config.update(overrides)
    return ensure_course_prefix(config)


def memcached_config(lesson: str, **overrides: Any) -> dict[str, Any]:
    """MemcachedCache on ``MEMCACHED_SERVERS``; raises :class:`BackendUnavailable` without it.

    Never call ``clear()`` on this cache: memcached cannot delete by prefix, so Flask-Caching
    flushes the whole server.
    """
    servers = memcached_servers()
    if servers is None:
        raise BackendUnavailable(
            "memcached is not available here: start one and set "
            "MEMCACHED_SERVERS=127.0.0.1:11211 before opening the course"
        )
    config = {
        "CACHE_TYPE": "MemcachedCache",
        "CACHE_MEMCACHED_SERVERS": servers,
        "CACHE_KEY_PREFIX": course_prefix(lesson),
        "CACHE_DEFAULT_TIMEOUT": 300,
        **overrides,
    }
    return ensure_course_prefix(config)


def config_for(backend: str, lesson: str, **overrides: Any) -> dict[str, Any]:
    """The config of a backend by its ``CACHE_TYPE`` name (``SimpleCache``, ``RedisCache``...)."""
    makers = {
        "SimpleCache": lambda: simple_config(**overrides),
        "FileSystemCache": lambda: filesystem_config(lesson, **overrides),
        "RedisCache": lambda: redis_config(lesson, **overrides),
        "MemcachedCache": lambda: memcached_config(lesson, **overrides),
    }
    if backend not in makers:
        raise ValueError(f"unknown backend {backend!r}; choose one of {', '.join(makers)}")
    return makers[backend]()


# --- looking at keys -----------------------------------------------------------------------


def glob_escape(text: str) -> str:
    """``text`` with the glob characters of a SCAN pattern (``* ? [ ] \\``) escaped."""
    return "".join("\\" + ch if ch in "*?[]\\" else ch for ch in text)


def scan_prefix(client: Any, prefix: str, count: int | None = 500) -> Iterator[bytes]:
    """Every key of ``client`` that starts with ``prefix`` (SCAN, never KEYS; the prefix's glob
    characters are escaped, so it matches literally); ``count`` is SCAN's batch size hint."""
    return client.scan_iter(match=glob_escape(prefix) + "*", count=count)


def _scan(client: Any, prefix: str) -> list[bytes]:
    return list(scan_prefix(client, prefix))


def cache_keys(cache: Any) -> list[str]:
    """The keys a Flask-Caching ``Cache`` holds, without its prefix, sorted.

    Works for SimpleCache and RedisCache; other backends cannot list their keys.
    """
    backend = cache.cache
    if hasattr(backend, "_cache") and isinstance(backend._cache, dict):  # SimpleCache
        return sorted(str(k) for k in backend._cache)
    client = getattr(backend, "_read_client", None)
    if client is not None:  # RedisCache
        prefix = backend.key_prefix or ""
        if not prefix:
            raise ValueError("refusing to list an unprefixed Redis: give the cache a key prefix")
        return sorted(k.decode()[len(prefix) :] for k in _scan(client, prefix))
    raise TypeError(f"{type(backend).__name__} cannot list its keys")


def delete_run_keys(client: Any | None = None) -> int:
    """Delete the keys this run wrote (and nothing else); returns how many."""
    client = client or redis_client()
    keys = _scan(client, run_prefix())
    return client.delete(*keys) if keys else 0


def _cleanup_real_redis() -> None:
    try:
        if redis_url() is not None:
            delete_run_keys()
    except Exception:  # a bad URL or a server gone: our keys then expire by themselves
        pass


_cleanup_registered = False


def _register_cleanup() -> None:
    """At exit, delete this run's keys from a real Redis (once something may have written)."""
    global _cleanup_registered
    if not _cleanup_registered:
        _cleanup_registered = True
        atexit.register(_cleanup_real_redis)
