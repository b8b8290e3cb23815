"""Plumbing every checker shares: a guarded Redis, scratch prefixes, log capture, grading apps.

* :class:`CommandProxy` sends every command of a redis client (methods, pipelines, ``lock()``)
  through one hook; :class:`GuardedRedis` is a proxy that lets through only an allow-list of plain
  string commands on keys inside a prefix (KEYS, FLUSHDB, scripts, keys outside the prefix are
  refused before they reach the server, and the check fails with a hint naming the command);
  ``scripts=True`` also lets a compare-and-delete lock release through (WATCH, EVAL, ...).
* :func:`scratch_prefix` gives a check a fresh key prefix under ``course_prefix("grading")``
  and deletes that prefix's keys in ``finally``, whatever happens.
* :func:`cache_errors` collects what Flask-Caching logs when the cache itself fails (it then
  serves uncached), and :func:`raised_inside_flask_caching` tells an exception raised by
  Flask-Caching from one raised by the learner's code.
* :func:`grading_app` builds a bare Flask app cheaply, and :func:`simple_app` and
  :func:`redis_app` the small apps with a cache that a checker grades with.
"""

from __future__ import annotations

import logging
import os
import re
import secrets
import traceback
import types
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from flask_caching import Cache

from support.backends import course_prefix, glob_escape, redis_client, scan_prefix, simple_config
from support.checks.core import Fail
from support.logs import only_handler

# --- keys and prefixes --------------------------------------------------------------------------


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def new_prefix(tag: str) -> str:
    """A prefix no other check (or earlier run of this one) uses, inside the grading prefix."""
    return f"{course_prefix('grading')}{tag}-{secrets.token_hex(3)}:"


def delete_prefix(client: Any, prefix: str) -> int:
    """Delete every key that starts with ``prefix`` (SCAN, never KEYS); how many there were."""
    keys = list(scan_prefix(client, prefix))
    if keys:
        client.delete(*keys)
    return len(keys)


@contextmanager
def scratch_prefix(tag: str, client: Any | None = None) -> Iterator[str]:
    """A fresh prefix for one check; its keys are deleted when the block ends, even on failure."""
    raw = client if client is not None else redis_client()
    prefix = new_prefix(tag)
    try:
        yield prefix
    finally:
        delete_prefix(raw, prefix)


# --- grading apps -------------------------------------------------------------------------------


def grading_app(name: str) -> Flask:
    """``Flask(name)`` without a static route and without a search for a package called
    ``name``: a check builds hundreds of apps, and each static route costs a compiled URL
    builder (the folder is the same: the working directory, Flask's answer for no package)."""
    return Flask(name, static_folder=None, root_path=os.getcwd())


def simple_app(name: str, **config: Any) -> tuple[Flask, Cache]:
    """A fresh app in testing mode with a SimpleCache of its own."""
    app = grading_app(name)
    app.config.update(simple_config(**config))
    app.config["SECRET_KEY"] = "grading-only"
    app.testing = True  # the learner's exceptions reach the checker instead of a 500 page
    cache = Cache()
    cache.init_app(app)
    return app, cache


def redis_app(client: Any, prefix: str, name: str, timeout: int = 300) -> tuple[Flask, Cache]:
    """A fresh app whose RedisCache talks through ``client`` (e.g. a guard) under ``prefix``."""
    app = grading_app(name)
    app.testing = True
    cache = Cache()
    cache.init_app(app, config={"CACHE_TYPE": "RedisCache", "CACHE_REDIS_HOST": client,
                                "CACHE_KEY_PREFIX": prefix, "CACHE_DEFAULT_TIMEOUT": timeout})
    return app, cache


# --- logs and where an exception came from ------------------------------------------------------


@contextmanager
def cache_errors(*names: str) -> Iterator[list[str]]:
    """Collect (quietly) the errors Flask-Caching logs when the cache fails and it serves uncached.

    Also collects the loggers in ``names`` (e.g. ``app.logger.name``). Nothing reaches stderr.
    """
    seen: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            error = record.exc_info[1] if record.exc_info else None
            seen.append(f"{type(error).__name__}: {error}" if error else record.getMessage())

    with only_handler(("flask_caching", *names), Collect(logging.ERROR)):
        yield seen


def flask_caching_frame(exc: BaseException) -> str | None:
    """The Flask-Caching function in which ``exc`` was raised (innermost), or None."""
    found = None
    for frame, _ in traceback.walk_tb(exc.__traceback__):
        filename = frame.f_code.co_filename.replace("\\", "/")
        if "/flask_caching/" in filename:
            found = frame.f_code.co_name
    return found


def raised_inside_flask_caching(exc: BaseException) -> bool:
    """True when ``exc`` was raised by Flask-Caching's own code (its last frame is there)."""
    frames = traceback.extract_tb(exc.__traceback__)
    return bool(frames) and "/flask_caching/" in frames[-1].filename.replace("\\", "/")


# --- Redis command proxies and the guard --------------------------------------------------------


def _command_name(args: tuple[Any, ...]) -> str:
    return _text(args[0]).upper() if args else ""


# client methods that are not commands but send them through ``self`` (``self.pipeline()``,
# ``self.set(...)``): bound to the proxy too, so what they send goes through its hook
_CLIENT_METHODS = {"lock", "transaction"}


def _unwrapped(owner: Any) -> Any:
    """The redis-py client or pipeline under any number of proxies."""
    while isinstance(owner, (CommandProxy, ProxyPipeline)):
        owner = owner._client if isinstance(owner, CommandProxy) else owner._pipe
    return owner


def _is_command_method(owner: Any, name: str) -> Any:
    """The redis-py command function ``name`` of ``owner``'s class, or None for anything else.

    ``owner`` may itself be a proxy: the function is looked up on the redis-py class under it,
    so a proxy of a proxy still sends every command through its own hook first.
    """
    function = getattr(type(_unwrapped(owner)), name, None)
    module = getattr(function, "__module__", "") or ""
    if module.startswith("redis.commands") or (name in _CLIENT_METHODS
                                               and module.startswith("redis.")):
        return function if callable(function) else None
    return None


class CommandProxy:
    """A redis client whose every command goes through :meth:`execute_command` (and its hook).

    redis-py's command methods (``get``, ``delete``, ``scan_iter``, ...) are looked up on the
    wrapped client's class and bound to the proxy, so they call the proxy's ``execute_command``;
    ``pipeline()`` returns a pipeline that sends its commands through the same hook, and so do
    ``lock()`` and ``transaction()``. Anything else (``connection_pool``, ...) is the wrapped
    client's. The wrapped client may itself be a proxy: each one's hook runs, outermost first.
    """

    def __init__(self, client: Any) -> None:
        self._client = client

    def __getattr__(self, name: str) -> Any:
        function = _is_command_method(self._client, name)
        if function is not None:
            return types.MethodType(function, self)
        return getattr(self._client, name)

    def _before(self, args: tuple[Any, ...]) -> None:
        """Called with every command before it is sent (or queued); may raise."""

    def _after(self, args: tuple[Any, ...], result: Any) -> Any:
        """Called with every command's result; returns what the caller gets."""
        return result

    def execute_command(self, *args: Any, **options: Any) -> Any:
        self._before(args)
        return self._after(args, self._client.execute_command(*args, **options))

    def pipeline(self, transaction: bool = True, shard_hint: Any = None) -> ProxyPipeline:
        return ProxyPipeline(self, self._client.pipeline(transaction, shard_hint))


class ProxyPipeline:
    """A pipeline of a :class:`CommandProxy`: every queued command goes through its hook."""

    def __init__(self, owner: CommandProxy, pipe: Any) -> None:
        self._owner = owner
        self._pipe = pipe

    def __getattr__(self, name: str) -> Any:
        function = _is_command_method(self._pipe, name)
        if function is not None:
            return types.MethodType(function, self)
        return getattr(self._pipe, name)

    def __enter__(self) -> ProxyPipeline:
        return self

    def __exit__(self, *exc: Any) -> None:
        self._pipe.reset()

    def __len__(self) -> int:
        return len(self._pipe)

    def execute_command(self, *args: Any, **options: Any) -> Any:
        self._owner._before(args)
        result = self._pipe.execute_command(*args, **options)
        return self if result is self._pipe else result


def _first_key(args: tuple[Any, ...]) -> list[Any]:
    return list(args[1:2])


def _every_argument(args: tuple[Any, ...]) -> list[Any]:
    return list(args[1:])


def _every_other_argument(args: tuple[Any, ...]) -> list[Any]:
    return list(args[1::2])


# The only commands the learner's code may send, with where their keys are. They are what
# cachelib's RedisCache sends (GET, MGET, SET, SETNX + EXPIRE, pipelined SETs, DEL, UNLINK,
# EXISTS, INCRBY; clear() sends KEYS, which is refused) plus their plain string relatives and a
# SCAN whose MATCH starts with the prefix (checked apart). Every key must start with the prefix.
_ALLOWED: dict[str, Callable[[tuple[Any, ...]], list[Any]]] = {
    **dict.fromkeys(["GET", "SET", "SETNX", "SETEX", "PSETEX", "GETSET", "GETDEL", "GETEX",
                     "APPEND", "STRLEN", "INCR", "INCRBY", "INCRBYFLOAT", "DECR", "DECRBY",
                     "EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT", "PERSIST", "TTL", "PTTL",
                     "TYPE"], _first_key),
    **dict.fromkeys(["MGET", "DEL", "UNLINK", "EXISTS"], _every_argument),
    **dict.fromkeys(["MSET", "MSETNX"], _every_other_argument),
    "SCAN": lambda args: [],
    "PING": lambda args: [],
}


class GuardedRedis(CommandProxy):
    """A redis client that sends only an allow-list of commands on keys inside ``prefix``.

    Every command, whether it comes from a method (``redis.delete``), ``execute_command``, a
    pipeline, ``lock()`` or ``transaction()``, is checked before it is sent or queued: its name
    must be in the allow-list, every key it names must start with ``prefix``, and a SCAN needs a
    MATCH pattern that starts with the prefix. Refused commands are not sent to the server: the
    guard records the reason and raises :class:`Fail` (if the learner's code swallows it, the
    checker still finds ``violation``). ``advice`` ends every refusal: what the exercise needs.

    With ``scripts=True`` it also lets through what a compare-and-delete lock release sends
    (WATCH / UNWATCH, EVAL / EVALSHA with every declared key inside the prefix, SCRIPT LOAD /
    EXISTS; a script that flushes or lists the database is refused). It records the keys inside
    the prefix that commands named (``touched``), the keys deleted (``deleted``), and the cursor
    each SCAN asked for (``scans_sent``) and returned (``scans``). A SCAN pattern that starts with
    a prefix holding glob characters without escaping them is refused with a hint to escape it.
    """

    def __init__(self, client: Any, prefix: str, advice: str = "", scripts: bool = False) -> None:
        super().__init__(client)
        self._prefix = prefix
        self._advice = advice
        self._scripts = scripts
        self.violation: str | None = None
        self.deleted: list[str] = []
        self.touched: set[str] = set()    # every key inside the prefix a command named
        self.scans: list[int] = []        # the cursor each SCAN returned
        self.scans_sent: list[int] = []   # the cursor each SCAN asked for

    def _refuse(self, message: str) -> None:
        if self._advice:
            message = f"{message} {self._advice}"
        self.violation = self.violation or message
        raise Fail(message)

    def _before(self, args: tuple[Any, ...]) -> None:
        name = _command_name(args)
        if name == "KEYS":
            pattern = _text(args[1]) if len(args) > 1 else "*"
            self._refuse(f"your code ran KEYS {pattern!r} (cache.clear() runs it too): KEYS "
                         "walks the whole database in one command and blocks every other client "
                         "of the Redis until it finishes. Do not clear the cache: delete exact "
                         "keys, and find keys with redis.scan_iter(match=..., count=...).")
        elif name == "FLUSHDB":
            self._refuse("your code ran FLUSHDB, which deletes every key of the database, "
                         "including other apps' keys.")
        elif name == "FLUSHALL":
            self._refuse("your code ran FLUSHALL, which deletes every key of every database, "
                         "including other apps' keys.")
        elif self._scripts and name in _LOCK_RELEASE_COMMANDS:
            self._check_lock_release(name, args)
        elif name not in _ALLOWED:
            self._refuse(f"your code ran {name or 'an empty command'}, which the check's Redis "
                         "client refuses: it lets through only the plain string commands a "
                         "cache needs (GET, SET, SETNX, MGET, DEL, UNLINK, EXISTS, INCR, EXPIRE, "
                         "TTL, a SCAN with the prefix, ...), each on keys that start with the "
                         f"cache's prefix ({self._prefix!r}), so that an answer cannot change "
                         "keys other apps keep on the same Redis.")
        elif name == "SCAN":
            self._check_pattern(_scan_match(args))
            try:
                self.scans_sent.append(int(args[1]))
            except (IndexError, ValueError, TypeError):
                pass
        else:
            self._check_keys(name, _ALLOWED[name](args))

    def _after(self, args: tuple[Any, ...], result: Any) -> Any:
        if _command_name(args) == "SCAN" and isinstance(result, (list, tuple)) and result:
            try:
                self.scans.append(int(result[0]))
            except (ValueError, TypeError):
                pass
        return result

    def _check_lock_release(self, name: str, args: tuple[Any, ...]) -> None:
        """WATCH, EVAL / EVALSHA and SCRIPT LOAD, for a compare-and-delete lock release: every
        key declared (and watched) must be inside the prefix, and a script may not flush or
        list the database."""
        if name in {"EVAL", "SCRIPT"}:
            script = _text(args[2] if name == "SCRIPT" and len(args) > 2 else
                           args[1] if len(args) > 1 else "").lower()
            if any(word in script for word in ("flushdb", "flushall", "'keys'", '"keys"')):
                self._refuse("your Lua script flushes or lists the database: a lock release "
                             "only compares the lock's value and deletes that one key.")
        if name in {"EVAL", "EVALSHA"}:
            keys = _keys_of_script(args)
            if not keys:
                self._refuse(f"your {name} declares no key: pass the lock's full name (prefix "
                             "included) as KEYS[1] (numkeys 1), so that the script touches only "
                             "that key.")
            self._check_keys(name, keys)
        elif name == "WATCH":
            self._check_keys(name, list(args[1:]))
        elif name == "SCRIPT" and (len(args) < 2 or _text(args[1]).upper() not in {"LOAD", "EXISTS"}):
            self._refuse("your code ran SCRIPT " + " ".join(_text(a) for a in args[1:2]) + ": a "
                         "lock release needs at most SCRIPT LOAD.")

    def _check_pattern(self, match: Any) -> None:
        if match is None:
            self._refuse("your SCAN has no match= pattern, so it walks and returns every key of "
                         "the database, other apps' keys included. Scan for the cache's key "
                         "prefix (cache.cache.key_prefix) + the keys you need.")
        pattern = _text(match)
        escaped = glob_escape(self._prefix)
        unescaped = re.sub(r"\\(.)", r"\1", pattern)
        if not pattern.startswith(escaped) and unescaped.startswith(self._prefix):
            self._refuse(f"your SCAN pattern {pattern!r} starts with the cache's key prefix "
                         f"not (fully) escaped, but this prefix ({self._prefix!r}) contains glob "
                         "characters ([, ], *, ?), and MATCH reads them as a pattern: '[' opens "
                         "a character class, '*' and '?' are wildcards. Such a pattern misses "
                         "the cache's own keys (and may match other apps' keys). Escape the prefix first: "
                         "re.sub(r'([*?\\[\\]\\\\])', r'\\\\\\1', prefix) puts a backslash "
                         "before each glob character (the lesson's glob_escape).")
        if not pattern.startswith(escaped):
            self._refuse(f"your SCAN pattern {pattern!r} does not start with the cache's key "
                         f"prefix ({self._prefix!r}, in cache.cache.key_prefix). Flask-Caching "
                         "stores every key as prefix + key, so a pattern without the prefix misses "
                         "the cache's keys, and one that starts with a wildcard can match keys "
                         "other apps wrote on the same Redis.")

    def _check_keys(self, command: str, names: Iterable[Any]) -> None:
        deleting = command in {"DEL", "UNLINK"}
        for name in names:
            key = _text(name)
            if key.startswith(self._prefix):
                self.touched.add(key)
                if deleting:
                    self.deleted.append(key)
            elif deleting:
                self._refuse(f"your code deleted {key!r}, a key outside the cache's prefix "
                             f"({self._prefix!r}): on a shared Redis that is another app's key. "
                             "Delete only keys that start with the prefix.")
            else:
                self._refuse(f"your code ran {command} on {key!r}, a key outside the cache's "
                             f"prefix ({self._prefix!r}): on a shared Redis that is another app's "
                             "key. Touch only keys that start with the prefix (cache.get, "
                             "cache.set, ... add it for you).")


# what a lock release may send besides the allow-list (checked by _check_lock_release)
_LOCK_RELEASE_COMMANDS = {"WATCH", "UNWATCH", "EVAL", "EVALSHA", "SCRIPT"}


def _keys_of_script(args: tuple[Any, ...]) -> list[Any]:
    try:
        count = int(args[2])
    except (IndexError, ValueError, TypeError):
        return []
    return list(args[3:3 + count])


def report_violation(guard: GuardedRedis) -> None:
    """Raise the guard's refusal, if it refused a command, as the check's failure.

    Called when a check ends, and when it fails: the learner's code may have caught the guard's
    :class:`Fail` (``except Exception``) and gone on, and a refused command usually makes a later
    judgement fail too, but the refusal names the real mistake.
    """
    if guard.violation:
        raise Fail(guard.violation) from None


def _scan_match(args: tuple[Any, ...]) -> Any:
    """The MATCH argument of a SCAN command, or None."""
    for i, arg in enumerate(args[:-1]):
        if isinstance(arg, (str, bytes)) and _text(arg).upper() == "MATCH":
            return args[i + 1]
    return None


# --- public names for checkers: commands, keys, text ---


def as_text(value: Any) -> str:
    """A key, command name or reply as text (redis-py gives bytes)."""
    return _text(value)


def command_name(args: tuple[Any, ...]) -> str:
    """The upper-case name of a command given as ``execute_command`` arguments (``"GET"``)."""
    return _command_name(args)


def command_keys(args: tuple[Any, ...]) -> list[str]:
    """The keys a command names: those of the guard's allow-list, WATCH's, and the keys a
    script (EVAL / EVALSHA) declares; ``[]`` for anything else."""
    name = _command_name(args)
    if name in {"EVAL", "EVALSHA"}:
        keys = _keys_of_script(args)
    elif name == "WATCH":
        keys = list(args[1:])
    else:
        pick = _ALLOWED.get(name)
        keys = pick(args) if pick else []
    return [_text(key) for key in keys]
