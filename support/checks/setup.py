"""Checkers for lesson 00 (setup and backends)."""

from __future__ import annotations

import warnings
from typing import Any

from flask import Flask
from flask_caching import Cache

from support.backends import course_prefix, filesystem_config, redis_client, redis_config, simple_config
from support.grading import Fail, Namespace, exercise

TEAM_REDIS_URL = "redis://cache.internal:6379/0"


def _backend(app: Any, cache: Cache) -> Any:
    return app.extensions["cache"][cache]


@exercise("setup-create-app", hint=(
    "Inside create_app: build a new Flask(__name__), put the config in app.config, then call "
    "cache.init_app(app) with the notebook's `cache`, and return the app."))
def check_create_app(ns: Namespace) -> str:
    create_app = ns.function("create_app")
    cache = ns.get("cache")
    if not isinstance(cache, Cache):
        raise Fail("`cache` is not a flask_caching.Cache any more: run the cell that defines "
                   "`cache = Cache()` again.")
    asked = {"a": simple_config(CACHE_DEFAULT_TIMEOUT=111),
             "b": filesystem_config("grading", CACHE_DEFAULT_TIMEOUT=222)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        apps = {name: ns.call(create_app, dict(config)) for name, config in asked.items()}
    for app in apps.values():
        if app is None:
            raise Fail("create_app returned None: end it with `return app`.")
        if not isinstance(app, Flask):
            raise Fail(f"create_app should return a Flask app, not a {type(app).__name__}.")
    if apps["a"] is apps["b"]:
        raise Fail("create_app returned the same app twice: build a new Flask(...) on each call.")
    for name, app in apps.items():
        attached = app.extensions.get("cache", {})
        if cache not in attached:
            if attached:
                raise Fail("a Cache is attached, but not the notebook's `cache`: you made a new "
                           "Cache() inside create_app. Attach the one shared `cache` with "
                           "cache.init_app(app), so views decorated with @cache find it.")
            raise Fail("the cache is not attached to the app: call cache.init_app(app) inside "
                       "create_app.")
        backend = _backend(app, cache)
        wanted_type = asked[name]["CACHE_TYPE"]
        if type(backend).__name__ == "NullCache":
            raise Fail("the app got a NullCache: init_app ran before the config was in "
                       "app.config, so Flask-Caching saw no CACHE_TYPE. Update app.config "
                       "first, then call cache.init_app(app).")
        if type(backend).__name__ != wanted_type or backend.default_timeout != asked[name][
                "CACHE_DEFAULT_TIMEOUT"]:
            raise Fail(f"create_app ignored the config it was given: asked for {wanted_type} "
                       f"with CACHE_DEFAULT_TIMEOUT={asked[name]['CACHE_DEFAULT_TIMEOUT']}, got "
                       f"{type(backend).__name__} with {backend.default_timeout}.")
        if app.config.get("CACHE_TYPE") != wanted_type:
            raise Fail("the cache works, but app.config does not hold the settings: put the config "
                       "into the app's configuration (app.config.update(config)) so the rest of "
                       "the app sees them too, then call cache.init_app(app).")
    with apps["a"].app_context():
        cache.set("greeting", "hello from app a")
    with apps["b"].app_context():
        if cache.get("greeting") is not None:
            raise Fail("both apps share one backend: each app should get its own from init_app.")
    return ("create_app builds a new app for each config and attaches the one shared `cache` "
            "with init_app: each app gets the backend its config asks for.")


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


def _points_at_team_redis(config: dict[str, Any]) -> bool:
    """CACHE_REDIS_URL, or CACHE_REDIS_HOST/PORT/DB, name cache.internal:6379 database 0."""
    from urllib.parse import urlparse

    url = config.get("CACHE_REDIS_URL")
    if url:
        try:
            parsed = urlparse(str(url))
            port = parsed.port or 6379
        except ValueError:
            return False
        return (parsed.scheme == "redis" and parsed.hostname == "cache.internal" and port == 6379
                and parsed.path.strip("/") in ("", "0"))
    return (config.get("CACHE_REDIS_HOST") == "cache.internal"
            and config.get("CACHE_REDIS_PORT", 6379) in (6379, "6379")
            and config.get("CACHE_REDIS_DB", 0) in (0, "0"))


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
        raise Fail(f"CACHE_TYPE={cache_type!r} is an old lowercase name that Flask-Caching 2 "
                   "no longer accepts: use the class name, e.g. 'RedisCache'.")
    if cache_type in _TYPE_HINTS:
        raise Fail(_TYPE_HINTS[cache_type])
    if cache_type != "RedisCache":
        raise Fail(f"CACHE_TYPE={cache_type!r} is not a backend that workers on two hosts can "
                   "share: use 'RedisCache'.")
    if not _points_at_team_redis(config):
        where = config.get("CACHE_REDIS_URL") or config.get("CACHE_REDIS_HOST")
        raise Fail(f"point the cache at the team's Redis: CACHE_REDIS_URL = {TEAM_REDIS_URL!r} "
                   f"(you have {where!r}).")
    timeout = config.get("CACHE_DEFAULT_TIMEOUT")
    if timeout == 10:
        raise Fail("CACHE_DEFAULT_TIMEOUT is in seconds: 10 minutes is 600, not 10.")
    if timeout != 600:
        raise Fail(f"entries should last 10 minutes by default: CACHE_DEFAULT_TIMEOUT = 600 "
                   f"(you have {timeout!r}).")
    prefix = config.get("CACHE_KEY_PREFIX")
    if not prefix:
        raise Fail("set CACHE_KEY_PREFIX = 'shop:': other apps share this Redis, and with no "
                   "prefix cache.clear() runs FLUSHDB and deletes their keys too.")
    if prefix != "shop:":
        raise Fail(f"the stated prefix is 'shop:' (you have {prefix!r}).")
    return _two_hosts_share(config)


def _two_hosts_share(config: dict[str, Any]) -> str:
    """Run the learner's config against the course's Redis (under the course prefix)."""
    trial = {k: v for k, v in config.items() if not k.startswith("CACHE_REDIS")}
    trial.update(redis_config("grading"))
    trial["CACHE_TYPE"] = "RedisCache"
    trial["CACHE_KEY_PREFIX"] = course_prefix("grading") + config["CACHE_KEY_PREFIX"]
    trial["CACHE_DEFAULT_TIMEOUT"] = config["CACHE_DEFAULT_TIMEOUT"]
    cache = Cache()
    host_a, host_b = Flask("host_a"), Flask("host_b")
    cache.init_app(host_a, config=dict(trial))
    cache.init_app(host_b, config=dict(trial))
    client = redis_client()
    key = trial["CACHE_KEY_PREFIX"] + "stock:42"
    try:
        with host_a.app_context():
            cache.set("stock:42", 7)
        with host_b.app_context():
            seen = cache.get("stock:42")
        ttl = client.ttl(key)
    finally:
        client.delete(key)
    if seen != 7 or not 590 <= ttl <= 600:
        raise Fail(f"the config did not behave as stated: host B read {seen!r}, TTL {ttl}.")
    return ("RedisCache on the team's server: a worker on host B reads what host A wrote, "
            "entries live 600 s, and every key starts with 'shop:'.")


@exercise("setup-timeouts", hint=(
    "Read the lesson's section on timeouts: one special value means 'never expire', another "
    "means 'use CACHE_DEFAULT_TIMEOUT'."))
def check_timeouts(ns: Namespace) -> str:
    never = ns.answer("NEVER_EXPIRE")
    default = ns.answer("USE_DEFAULT")
    if never is None:
        raise Fail("NEVER_EXPIRE = None: None means 'use the default timeout', so the entry "
                   "would expire after CACHE_DEFAULT_TIMEOUT. 0 means never expire.")
    if default == 0:
        raise Fail("USE_DEFAULT = 0: 0 means 'never expire'. None means 'use "
                   "CACHE_DEFAULT_TIMEOUT'.")
    app = Flask("timeouts")
    cache = Cache()
    cache.init_app(app, config=redis_config("grading", CACHE_DEFAULT_TIMEOUT=123))
    simple_app = Flask("timeouts_simple")
    cache.init_app(simple_app, config=simple_config(CACHE_DEFAULT_TIMEOUT=123))
    client = redis_client()
    prefix = course_prefix("grading")
    try:
        with app.app_context():
            ns.call(cache.set, "never", 1, timeout=never)
            ns.call(cache.set, "default", 1, timeout=default)
        ttl_never, ttl_default = client.ttl(prefix + "never"), client.ttl(prefix + "default")
    finally:
        client.delete(prefix + "never", prefix + "default")
    with simple_app.app_context():
        ns.call(cache.set, "never", 1, timeout=never)
        kept = cache.get("never")
    if kept is None or ttl_never != -1:
        raise Fail(f"timeout={never!r} did not keep the entry for ever (SimpleCache kept it: "
                   f"{kept is not None}; Redis TTL: {ttl_never}). 0 means never expire.")
    if not 120 <= ttl_default <= 123:
        raise Fail(f"timeout={default!r} gave a TTL of {ttl_default} s, not the default of 123 "
                   "s: a fixed number is not 'the default'. Use None.")
    return "0 keeps an entry until it is deleted; None applies CACHE_DEFAULT_TIMEOUT."
