"""Checkers for lesson 00 (setup and backends).

Each checker judges behaviour: it builds the learner's apps (or the learner's config) with
Flask-Caching itself and compares what they do with what the same config does in a reference
app: which backend, which timeouts, which server and database, where keys really land. No cached
view is judged here, so the transparency core does not apply; the generated configs use its
derandomised settings (:class:`~support.checks.transparency.Budget`), and the Redis trials its
grading apps and scratch prefixes (:mod:`~support.checks.plumbing`), deleted whatever happens.
"""

from __future__ import annotations

import warnings
from datetime import timedelta
from typing import Any, NoReturn
from urllib.parse import urlsplit

from flask import Flask
from flask_caching import Cache
from hypothesis import Phase, find, settings
from hypothesis.errors import NoSuchExample
from hypothesis import strategies as st

from support.backends import (filesystem_config, private_cache_dir, redis_client, redis_config,
                              simple_config)
from support.checks.plumbing import redis_app, scratch_prefix, simple_app
from support.checks.transparency import Budget
from support.checks.core import Fail, Namespace, exercise

TEAM_REDIS_URL = "redis://cache.internal:6379/0"


def _backend(app: Any, cache: Cache) -> Any:
    return app.extensions["cache"][cache]


def _reference_backend(config: dict[str, Any]) -> Any:
    """The backend Flask-Caching itself builds from ``config`` (a fresh app and Cache)."""
    reference, app = Cache(), Flask("reference")
    app.config.update(config)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference.init_app(app)
    return _backend(app, reference)


def _describe(backend: Any) -> dict[str, Any]:
    """What matters about a backend: its class, default timeout, prefix, threshold, folder."""
    return {
        "type": type(backend).__name__,
        "default timeout": backend.default_timeout,
        "key prefix": getattr(backend, "key_prefix", None),
        "threshold": getattr(backend, "_threshold", None),
        "folder": getattr(backend, "_path", None),
    }


# --- setup-create-app --------------------------------------------------------------------

#: Settings that are not CACHE_*: Flask's own (which Flask already sets, so `setdefault` keeps
#: Flask's value) and one of the app's own.
APP_SETTINGS = {"SECRET_KEY": "kettle-s3cret", "TESTING": True, "DEBUG": True, "SHOP_NAME": "Kettles"}


def _scenarios(prefix: str) -> list[tuple[str, dict[str, Any]]]:
    """Configs the checker builds apps from: the edges a factory gets wrong (Redis keys go under
    ``prefix``)."""
    return [
        ("files", filesystem_config("grading", CACHE_DEFAULT_TIMEOUT=222, CACHE_THRESHOLD=7)),
        ("with app settings", simple_config(CACHE_DEFAULT_TIMEOUT=111, **APP_SETTINGS)),
        ("no expiry", simple_config(CACHE_DEFAULT_TIMEOUT=0)),
        ("no expiry, again", simple_config(CACHE_DEFAULT_TIMEOUT=0)),  # an equal config
        ("from the environment", simple_config(CACHE_DEFAULT_TIMEOUT="600")),
        ("redis", redis_config("grading", CACHE_DEFAULT_TIMEOUT=333, CACHE_KEY_PREFIX=prefix)),
    ]


def _settings_fail(key: str, wanted: Any, got: Any, present: bool) -> NoReturn:
    """The Fail for an app whose app.config (or cache) does not hold ``key=wanted``."""
    if key == "CACHE_DEFAULT_TIMEOUT" and wanted == 0:
        raise Fail(f"a config with CACHE_DEFAULT_TIMEOUT=0 (no expiry) gave a timeout of {got!r}: "
                   "0 is a real value, not a missing one. A test like `config.get(...) or 300` "
                   "or `if value:` drops it; copy the config as it is (app.config.update(config)).")
    if not key.startswith("CACHE_") and not present:
        raise Fail(f"app.config lacks {key!r}: only the CACHE_* settings reached the app. Put "
                   "the whole config into app.config (app.config.update(config)): the rest of the "
                   "app reads its settings from there too.")
    if not key.startswith("CACHE_"):
        whose = "kept Flask's own" if key in Flask.default_config else "has"
        raise Fail(f"the config says {key}={wanted!r} but app.config {whose} {got!r}: the config "
                   "must win over Flask's defaults, and `setdefault` never overrides a setting "
                   "Flask already has (DEBUG, TESTING, SECRET_KEY...), nor does a filter that "
                   "skips some values. Copy it whole: app.config.update(config).")
    raise Fail("the cache works, but app.config does not hold the settings: put the config into "
               "the app's configuration (app.config.update(config)) so the rest of the app sees "
               f"them too, then call cache.init_app(app). ({key} is {got!r}, the config says "
               f"{wanted!r}.)")


@exercise("setup-create-app", hint=(
    "Inside create_app: build a new Flask(__name__), put the whole config in app.config, then "
    "call cache.init_app(app) with the notebook's `cache`, and return the app."))
def check_create_app(ns: Namespace) -> str:
    create_app = ns.function("create_app")
    cache = ns.get("cache")
    if not isinstance(cache, Cache):
        raise Fail("`cache` is not a flask_caching.Cache any more: run the cell that defines "
                   "`cache = Cache()` again.")
    with scratch_prefix("create-app") as prefix:
        return _judge_factory(ns, create_app, cache, _scenarios(prefix))


def _judge_factory(ns: Namespace, create_app: Any, cache: Cache,
                   scenarios: list[tuple[str, dict[str, Any]]]) -> str:
    apps = [_build(ns, create_app, config) for _, config in scenarios]
    for app in apps:
        if app is None:
            raise Fail("create_app returned None: end it with `return app`.")
        if not isinstance(app, Flask):
            raise Fail(f"create_app should return a Flask app, not a {type(app).__name__}.")
    first, again = apps[2], apps[3]  # built from equal configs
    if first is again:
        raise Fail("create_app returned the same app for two equal configs: a factory must build "
                   "a new Flask(...) on every call (two workers, or two tests, each need their "
                   "own app and their own cache), even when the configs are equal.")
    if len({id(app) for app in apps}) < len(apps):
        raise Fail("create_app returned the same app twice: build a new Flask(...) on each call.")
    for (_, config), app in zip(scenarios, apps, strict=True):
        _judge_app(cache, config, app)
    _sweep(ns, create_app, cache)
    _stores_where_configured(cache, dict(scenarios)["redis"], apps[-1])
    with first.app_context():
        cache.set("greeting", "hello from the first app")
    with again.app_context():
        if cache.get("greeting") is not None:
            raise Fail("two apps share one backend: each app should get its own from init_app.")
    return ("create_app builds a new app for each config, even for equal ones, copies the whole "
            "config into app.config and attaches the one shared `cache`: each app's cache is "
            "the backend, timeout and prefix its config asks for.")


def _judge_app(cache: Cache, config: dict[str, Any], app: Any) -> None:
    """A Fail unless ``app`` holds ``config`` and its cache is what the config asks for."""
    if not isinstance(app, Flask):
        raise Fail(f"create_app should return a Flask app, not a {type(app).__name__}.")
    attached = app.extensions.get("cache", {})
    if cache not in attached:
        if attached:
            raise Fail("a Cache is attached, but not the notebook's `cache`: you made a new "
                       "Cache() inside create_app. Attach the one shared `cache` with "
                       "cache.init_app(app), so views decorated with @cache find it.")
        raise Fail("the cache is not attached to the app: call cache.init_app(app) inside "
                   "create_app.")
    backend = _backend(app, cache)
    if type(backend).__name__ == "NullCache":
        raise Fail("the app got a NullCache: init_app ran before the config was in "
                   "app.config, so Flask-Caching saw no CACHE_TYPE. Update app.config "
                   "first, then call cache.init_app(app).")
    expected, seen = _describe(_reference_backend(config)), _describe(backend)
    if seen != expected:
        if config["CACHE_DEFAULT_TIMEOUT"] == 0 and seen["default timeout"] != 0:
            _settings_fail("CACHE_DEFAULT_TIMEOUT", 0, seen["default timeout"], True)
        differs = ", ".join(f"{k} {seen[k]!r} instead of {expected[k]!r}"
                            for k in expected if seen[k] != expected[k])
        raise Fail(f"create_app ignored the config it was given (at least part of it): its cache has "
                   f"{differs}. Put the config into app.config, then call "
                   "cache.init_app(app).")
    wrong = [key for key, wanted in config.items()
             if app.config.get(key) != wanted or type(app.config.get(key)) is not type(wanted)]
    wrong.sort(key=lambda k: k in app.config)  # a missing setting explains the most
    if wrong:
        key = wrong[0]
        _settings_fail(key, config[key], app.config.get(key), key in app.config)


#: Generated configs: the timeouts and settings a factory must pass through untouched.
_TIMEOUTS = st.one_of(st.just(0), st.integers(1, 10**6), st.integers(0, 10**6).map(str),
                      st.integers(0, 10**5).map(lambda seconds: timedelta(seconds=seconds)))
_APP_KEYS = st.sampled_from(["DEBUG", "TESTING", "SECRET_KEY", "PROPAGATE_EXCEPTIONS",
                             "SHOP_NAME", "FEATURE_NEW_CART", "PAGE_SIZE"])
_VALUES = st.one_of(st.booleans(), st.integers(-1, 1000), st.text("ab", max_size=2), st.none())
_CONFIGS = st.builds(
    lambda kind, timeout, threshold, extra: {
        **extra, "CACHE_TYPE": kind, "CACHE_DEFAULT_TIMEOUT": timeout,
        **({"CACHE_THRESHOLD": threshold} if threshold is not None else {})},
    st.sampled_from(["SimpleCache", "FileSystemCache"]), _TIMEOUTS,
    st.none() | st.integers(1, 1000), st.dictionaries(_APP_KEYS, _VALUES, max_size=3))

#: How many generated configs to build apps from (derandomised: the same verdict every run).
SWEEP = Budget(examples=20)

#: Simpler values to try, in order, when shortening a failing generated config.
_SIMPLER: dict[Any, list[Any]] = {
    "CACHE_TYPE": ["SimpleCache"], "CACHE_DIR": [], "CACHE_THRESHOLD": [1],
    "CACHE_DEFAULT_TIMEOUT": [0, 1, "0", timedelta(0)],
    None: [None, False, True, 0, 1, "", "a"],
}


def _sweep(ns: Namespace, create_app: Any, cache: Cache) -> None:
    """Build apps from generated configs; a failure names the shortest config that shows it."""
    folder = private_cache_dir("grading")

    def with_folder(config: dict[str, Any]) -> dict[str, Any]:
        return ({**config, "CACHE_DIR": folder} if config["CACHE_TYPE"] == "FileSystemCache"
                else config)

    # no shrink phase: each step builds an app, and hundreds of them took most of a minute on
    # a busy machine; the first failing config is shortened below, setting by setting
    try:
        config = find(_CONFIGS.map(with_folder), lambda c: bool(_fails(ns, create_app, cache, c)),
                      settings=settings(SWEEP.settings(), phases=(Phase.explicit, Phase.generate)))
    except NoSuchExample:
        return
    for key in list(config):  # shorten it: drop every setting the failure does not need
        if key in ("CACHE_TYPE", "CACHE_DEFAULT_TIMEOUT", "CACHE_DIR"):
            continue
        shorter = {k: v for k, v in config.items() if k != key}
        if _fails(ns, create_app, cache, shorter):
            config = shorter
    for key in list(config):  # then make each value that stays the simplest that still fails
        for simpler in _SIMPLER.get(key, _SIMPLER[None]):
            if simpler == config[key] and type(simpler) is type(config[key]):
                break
            trial = {**config, key: simpler}
            if _fails(ns, create_app, cache, trial):
                config = trial
                break
    message = _fails(ns, create_app, cache, config) or "it failed"
    raise Fail(f"{message} The shortest generated config that shows it: create_app({config!r}).")


def _build(ns: Namespace, create_app: Any, config: dict[str, Any]) -> Any:
    """The learner's app for (a copy of) ``config``; their exception becomes a Fail."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ns.call(create_app, dict(config))


def _fails(ns: Namespace, create_app: Any, cache: Cache, config: dict[str, Any]) -> str:
    """The Fail message that an app built from ``config`` earns, or '' when it is right."""
    try:
        _judge_app(cache, config, _build(ns, create_app, config))
    except Fail as exc:
        return str(exc)
    return ""


def _stores_where_configured(cache: Cache, config: dict[str, Any], app: Flask) -> None:
    """The Redis app's entries land on the course's Redis, under its prefix, with its timeout
    (the caller's scratch prefix deletes them)."""
    with app.app_context():
        cache.set("probe", "stored by create_app's app")
    ttl = redis_client().ttl(config["CACHE_KEY_PREFIX"] + "probe")
    if not config["CACHE_DEFAULT_TIMEOUT"] - 2 <= ttl <= config["CACHE_DEFAULT_TIMEOUT"]:
        raise Fail(f"an app built for RedisCache with CACHE_DEFAULT_TIMEOUT=333 did not store "
                   f"under its prefix with that timeout (TTL {ttl}).")


# --- setup-shared-config -------------------------------------------------------------------

_TYPE_HINTS = {
    "SimpleCache": "SimpleCache lives inside one worker process: each of the 8 workers would "
                   "keep its own copy, and an update seen by one stays stale in the others.",
    "FileSystemCache": "FileSystemCache is shared by the workers of one host only: the two "
                       "hosts would each have their own folder and disagree.",
    "NullCache": "NullCache caches nothing at all.",
    "MemcachedCache": f"memcached would be shared too, but the team runs Redis at "
                      f"{TEAM_REDIS_URL}: use RedisCache and that server.",
}


def _class_name(cache_type: object) -> object:
    """'flask_caching.backends.rediscache.RedisCache' -> 'RedisCache' (other values unchanged)."""
    if isinstance(cache_type, str) and cache_type.startswith("flask_caching.backends."):
        return cache_type.rsplit(".", 1)[-1]
    return cache_type


def _as_int(value: Any, default: int) -> Any:
    if value is None:
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def _built(config: dict[str, Any]) -> Any:
    """The backend Flask-Caching builds from the learner's config (no connection is made)."""
    trial = dict(config)
    options = trial.get("CACHE_OPTIONS")
    if isinstance(options, dict):  # never reach out to cache.internal from a check
        trial["CACHE_OPTIONS"] = {k: v for k, v in options.items() if k != "check_connection"}
    return _reference_backend(trial)


def _server_of(backend: Any) -> tuple[str, Any, Any, Any]:
    """(connection class, host, port, db) of the client a Redis backend really uses."""
    pool = backend._write_client.connection_pool
    kwargs = pool.connection_kwargs
    return (pool.connection_class.__name__, kwargs.get("host"), _as_int(kwargs.get("port"), 6379),
            _as_int(kwargs.get("db"), 0))


@exercise("setup-shared-config", hint=(
    "Workers on two hosts can only share a cache that lives on a server: RedisCache with "
    "CACHE_REDIS_URL, a default timeout in seconds, and a key prefix."))
def check_shared_config(ns: Namespace) -> str:
    config = ns.answer("production_config")
    if not isinstance(config, dict):
        raise Fail(f"production_config should be a dict of settings, not a {type(config).__name__}.")
    cache_type = _class_name(config.get("CACHE_TYPE"))
    if cache_type is None:
        raise Fail("CACHE_TYPE is missing: without it Flask-Caching falls back to NullCache, "
                   "which caches nothing.")
    if isinstance(cache_type, str) and cache_type.lower() in {"redis", "simple", "filesystem",
                                                               "memcached", "null"}:
        raise Fail(f"CACHE_TYPE={cache_type!r} is an old lowercase name: deprecated since "
                   "Flask-Caching 1.10 and removed in 2.5.0. Use the class name, 'RedisCache'.")
    if cache_type in _TYPE_HINTS:
        raise Fail(_TYPE_HINTS[cache_type])
    if isinstance(cache_type, str) and cache_type.startswith("cachelib"):
        raise Fail(f"CACHE_TYPE={cache_type!r} builds cachelib's class directly: Flask-Caching "
                   "then passes it neither CACHE_REDIS_URL nor CACHE_KEY_PREFIX, so it would talk "
                   "to localhost without a prefix. Use 'RedisCache'.")
    if cache_type != "RedisCache":
        raise Fail(f"CACHE_TYPE={cache_type!r} is not a backend that workers on two hosts can "
                   "share: use 'RedisCache'.")
    timeout = config.get("CACHE_DEFAULT_TIMEOUT")
    if isinstance(timeout, float):
        raise Fail(f"CACHE_DEFAULT_TIMEOUT={timeout!r} is a float: cachelib rounds it up with a "
                   "DeprecationWarning and will reject floats. Give whole seconds (600) or a "
                   "timedelta.")
    try:
        backend = _built(config)
    except Exception as exc:
        raise Fail(f"Flask-Caching cannot build a cache from this config: "
                   f"{type(exc).__name__}: {str(exc).splitlines()[0]}") from None
    _judge_server(config, backend)
    if backend.default_timeout == 10:
        raise Fail("CACHE_DEFAULT_TIMEOUT is in seconds: 10 minutes is 600, not 10.")
    if backend.default_timeout != 600:
        raise Fail(f"entries should last 10 minutes by default: CACHE_DEFAULT_TIMEOUT = 600 "
                   f"(your config gives {backend.default_timeout!r} s).")
    prefix = backend.key_prefix
    if "CACHE_KEY_PREFIX" not in config:
        raise Fail("CACHE_KEY_PREFIX is missing, so Flask-Caching uses its default "
                   "'flask_cache_', the same for every app that leaves it out: apps sharing this "
                   "Redis would read each other's entries, and one app's clear() would delete "
                   "the others'. The stated prefix is 'shop:'.")
    if not prefix:
        raise Fail("CACHE_KEY_PREFIX is empty: every app on this Redis could overwrite the "
                   "shop's keys, and cache.clear() would run FLUSHDB and delete everyone's keys. "
                   "Set CACHE_KEY_PREFIX = 'shop:'.")
    if prefix != "shop:":
        raise Fail(f"the stated prefix is 'shop:' (you have {prefix!r}).")
    return _two_hosts_share(config, backend.default_timeout)


def _judge_server(config: dict[str, Any], backend: Any) -> None:
    """Where would the keys land? Judge by the client Flask-Caching really builds."""
    kind, host, port, db = _server_of(backend)
    url = config.get("CACHE_REDIS_URL")
    path = urlsplit(url).path.strip("/") if isinstance(url, str) else ""
    if path and not path.isdigit():
        raise Fail(f"the database part of CACHE_REDIS_URL, {path!r}, is not a number: redis-py "
                   "silently ignores it and falls back to another setting or database 0, so a "
                   f"typo goes unnoticed. Write it as {TEAM_REDIS_URL!r}.")
    if (kind, host, port) != ("Connection", "cache.internal", 6379):
        where = url or config.get("CACHE_REDIS_HOST")
        raise Fail(f"point the cache at the team's Redis: CACHE_REDIS_URL = {TEAM_REDIS_URL!r} "
                   f"(your config connects to {host!r} port {port!r}"
                   f"{' over TLS' if 'SSL' in kind else ''}; you wrote {where!r}).")
    if db != 0:
        if url and "CACHE_REDIS_DB" in config:
            raise Fail(f"your URL names no database, so Flask-Caching takes CACHE_REDIS_DB={db!r}: "
                       "the keys would land in database "
                       f"{db}, not in the team's database 0. Use {TEAM_REDIS_URL!r} (a database "
                       "in the URL wins over CACHE_REDIS_DB).")
        raise Fail(f"point the cache at the team's Redis, database 0: CACHE_REDIS_URL = "
                   f"{TEAM_REDIS_URL!r} (your config uses database {db!r}).")


def _two_hosts_share(config: dict[str, Any], timeout: int) -> str:
    """Run the learner's config against the course's Redis (under a scratch prefix)."""
    trial = {k: v for k, v in config.items() if not k.startswith("CACHE_REDIS")
             and k != "CACHE_OPTIONS"}
    trial.update(redis_config("grading"))
    trial["CACHE_TYPE"] = "RedisCache"
    trial["CACHE_DEFAULT_TIMEOUT"] = config["CACHE_DEFAULT_TIMEOUT"]
    cache = Cache()
    host_a, host_b = Flask("host_a"), Flask("host_b")
    with scratch_prefix("shared-config") as prefix:
        trial["CACHE_KEY_PREFIX"] = prefix + config["CACHE_KEY_PREFIX"]
        cache.init_app(host_a, config=dict(trial))
        cache.init_app(host_b, config=dict(trial))
        with host_a.app_context():
            cache.set("stock:42", 7)
        with host_b.app_context():
            seen = cache.get("stock:42")
        ttl = redis_client().ttl(trial["CACHE_KEY_PREFIX"] + "stock:42")
    if seen != 7 or not timeout - 10 <= ttl <= timeout:
        raise Fail(f"the config did not behave as stated: host B read {seen!r}, TTL {ttl}.")
    return ("RedisCache on the team's server, database 0: a worker on host B reads what host A "
            "wrote, entries live 600 s, and every key starts with 'shop:'.")


# --- setup-timeouts ----------------------------------------------------------------------------

def _stored_expiry(backend: Any, key: str) -> Any:
    """SimpleCache's stored expiry for ``key`` (0: none), or None when nothing is stored."""
    entry = backend._cache.get(key)
    return None if entry is None else entry[0]


def _timeout_trial(name: str, value: Any, default: int, never: bool) -> None:
    """A Fail unless ``value`` (the learner's ``name``) behaves as asked on SimpleCache and Redis."""
    client = redis_client()
    on_simple, simple = simple_app("timeouts_simple", CACHE_DEFAULT_TIMEOUT=default)
    with scratch_prefix("timeouts", client) as prefix:
        on_redis, redis = redis_app(client, prefix, "timeouts_redis", timeout=default)
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                with on_simple.app_context():
                    simple.set("entry", 1, timeout=value)
                    hit = simple.get("entry") == 1
                    expiry = _stored_expiry(simple.cache, "entry")
                with on_redis.app_context():
                    redis.set("entry", 1, timeout=value)
            ttl = client.ttl(prefix + "entry")
        except Exception as exc:
            if isinstance(value, int) and value < 0:
                raise Fail(f"{name}: a negative timeout ({value}) is 'already expired' on "
                           "SimpleCache and FileSystemCache, and Redis refuses it "
                           f"({type(exc).__name__}: {str(exc).splitlines()[0]}). Only -1 "
                           "passes there, as the backend's own code for 'no expiry'.") from None
            raise Fail(f"{name}: cache.set(..., timeout={value!r}) raised {type(exc).__name__}: "
                       f"{str(exc).splitlines()[0]}. A timeout is a whole number of seconds "
                       "(or a timedelta), or None.") from None
    if any(issubclass(w.category, DeprecationWarning) for w in caught):
        raise Fail(f"{name}: timeout={value!r} works today but is deprecated: cachelib warns "
                   f"\"{caught[0].message}\"")
    if not hit:
        raise Fail(f"{name}: with timeout={value!r} SimpleCache stored an entry that was already "
                   "expired, and the next get missed. A negative timeout means 'already expired' "
                   "on SimpleCache and FileSystemCache; on Redis -1 happens to mean 'no expiry' "
                   "and other negative values raise an error.")
    if never and (expiry != 0 or ttl != -1):
        raise Fail(f"{name}: timeout={value!r} still expires (Redis gave it a TTL of {ttl} s): "
                   "any positive number, however large, is an expiry time. The value that means "
                   "'no expiry' is 0.")
    if not never and not default - 2 <= ttl <= default:
        raise Fail(f"{name}: with CACHE_DEFAULT_TIMEOUT={default}, timeout={value!r} gave a Redis "
                   f"TTL of {ttl} s, not the configured default: a fixed value is not 'the "
                   "default'. Which value makes Flask-Caching fall back to CACHE_DEFAULT_TIMEOUT?")


@exercise("setup-timeouts", hint=(
    "Read the lesson's section on timeouts: one special value means 'never expire', another "
    "means 'use CACHE_DEFAULT_TIMEOUT'. Both work in cache.set(..., timeout=...) on every "
    "backend (a datetime.timedelta is accepted too in Flask-Caching 2.5)."))
def check_timeouts(ns: Namespace) -> str:
    never = ns.answer("NEVER_EXPIRE")
    default = ns.answer("USE_DEFAULT")
    if never is None:
        raise Fail("NEVER_EXPIRE = None: None means 'use the default timeout', so the entry "
                   "would expire after CACHE_DEFAULT_TIMEOUT. 0 means no expiry.")
    if isinstance(never, bool) or isinstance(default, bool):
        raise Fail("a bool is not a timeout: False only works because Python counts it as 0. "
                   "Give a number of seconds (or a timedelta).")
    _timeout_trial("NEVER_EXPIRE", never, 123, never=True)
    if default == 0 or (isinstance(default, timedelta) and not default):
        raise Fail("USE_DEFAULT = 0: 0 means 'no expiry'. None means 'use "
                   "CACHE_DEFAULT_TIMEOUT'.")
    for configured in (123, 7, 86400):  # the default must follow the config, whatever it is
        _timeout_trial("USE_DEFAULT", default, configured, never=False)
    return ("0 means no expiry (on SimpleCache and Redis alike); None applies "
            "CACHE_DEFAULT_TIMEOUT, whatever it is configured to.")
