"""support.backends: configs, prefixes, server selection, and never touching foreign keys."""

from __future__ import annotations

import secrets

import pytest
from flask import Flask
from flask_caching import Cache

from support import backends
from support.backends import (
    BackendConfigError,
    BackendUnavailable,
    cache_keys,
    config_for,
    course_prefix,
    delete_run_keys,
    memcached_config,
    redis_client,
    redis_config,
)


def test_prefix_carries_course_run_and_lesson() -> None:
    prefix = course_prefix("views")
    assert prefix == f"fcc:{backends.RUN_ID}:views:"
    assert len(backends.RUN_ID) == 6


@pytest.mark.parametrize("bad", ["", "a:b"])
def test_prefix_rejects_bad_lesson_names(bad: str) -> None:
    with pytest.raises(ValueError):
        course_prefix(bad)


def test_redis_config_refuses_an_empty_prefix() -> None:
    with pytest.raises(ValueError, match="FLUSHDB"):
        redis_config("setup", CACHE_KEY_PREFIX="")


def test_redis_url_is_validated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDIS_URL", "http://localhost:6379")
    with pytest.raises(BackendConfigError, match="not a Redis URL"):
        backends.redis_url()
    monkeypatch.setenv("REDIS_URL", "redis://localhost:notaport/0")
    with pytest.raises(BackendConfigError, match="bad port"):
        backends.redis_url()


def test_memcached_servers_are_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MEMCACHED_SERVERS", "127.0.0.1:11211, 10.0.0.2:11212")
    assert backends.memcached_servers() == ["127.0.0.1:11211", "10.0.0.2:11212"]
    monkeypatch.setenv("MEMCACHED_SERVERS", "no-port")
    with pytest.raises(BackendConfigError, match="host:port"):
        backends.memcached_servers()


def test_memcached_unavailable_explains_how_to_enable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MEMCACHED_SERVERS", raising=False)
    with pytest.raises(BackendUnavailable, match="MEMCACHED_SERVERS"):
        memcached_config("setup")


def test_config_for_knows_the_four_backends() -> None:
    assert config_for("SimpleCache", "setup")["CACHE_TYPE"] == "SimpleCache"
    fs = config_for("FileSystemCache", "setup")
    assert fs["CACHE_TYPE"] == "FileSystemCache" and "fcc-setup-" in fs["CACHE_DIR"]
    assert config_for("RedisCache", "setup")["CACHE_KEY_PREFIX"] == course_prefix("setup")
    with pytest.raises(ValueError, match="unknown backend"):
        config_for("redis", "setup")


def test_filesystem_configs_get_private_folders() -> None:
    assert config_for("FileSystemCache", "a")["CACHE_DIR"] != config_for("FileSystemCache", "a")["CACHE_DIR"]


def _app(config: dict) -> tuple[Flask, Cache]:
    app, cache = Flask("t"), Cache()
    cache.init_app(app, config=config)
    return app, cache


def test_two_redis_apps_share_the_server_and_keys_are_prefixed() -> None:
    (a, cache_a), (b, cache_b) = _app(redis_config("backends")), _app(redis_config("backends"))
    try:
        with a.app_context():
            cache_a.set("shared", 1)
        with b.app_context():
            assert cache_b.get("shared") == 1
            assert "shared" in cache_keys(cache_b)
        assert redis_client().get(course_prefix("backends") + "shared") is not None
    finally:
        redis_client().delete(course_prefix("backends") + "shared")


def test_cache_keys_lists_simplecache_keys() -> None:
    app, cache = _app({"CACHE_TYPE": "SimpleCache"})
    with app.app_context():
        cache.set("b", 1)
        cache.set("a", 2)
        assert cache_keys(cache) == ["a", "b"]


def _foreign_names() -> list[str]:
    """Key names nobody else uses, some shaped like the course's own (another run's prefix)."""
    other_run = secrets.token_hex(3)
    while other_run == backends.RUN_ID:
        other_run = secrets.token_hex(3)
    tag = secrets.token_hex(4)
    return [f"test-foreign:{tag}", f"fcc:{other_run}:setup:{tag}",
            f"fcc:{backends.RUN_ID}x:setup:{tag}"]


def test_delete_run_keys_leaves_foreign_keys_alone() -> None:
    client = redis_client()
    foreign = _foreign_names()
    for key in foreign:
        assert client.set(key, "not ours", nx=True, ex=60)
    client.set(course_prefix("backends") + "mine", 1)
    try:
        assert delete_run_keys(client) >= 1
        assert client.get(course_prefix("backends") + "mine") is None
        assert all(client.get(key) == b"not ours" for key in foreign)
    finally:
        client.delete(*foreign)


def test_redis_clear_deletes_only_the_prefix_and_flushes_without_one() -> None:
    """On a private fake server: clear() finds its keys with KEYS, which the course avoids."""
    import fakeredis

    client = fakeredis.FakeRedis(server=fakeredis.FakeServer())
    client.set("another_app:key", "keep me")
    prefixed, _ = _app({"CACHE_TYPE": "RedisCache", "CACHE_REDIS_HOST": client,
                        "CACHE_KEY_PREFIX": "mine:"})
    with prefixed.app_context():
        cache = next(iter(prefixed.extensions["cache"]))
        cache.set("temp", 1)
        cache.clear()
        assert cache.get("temp") is None
    assert client.keys() == [b"another_app:key"]
    unprefixed, cache = _app({"CACHE_TYPE": "RedisCache", "CACHE_REDIS_HOST": client,
                              "CACHE_KEY_PREFIX": ""})
    with unprefixed.app_context():
        cache.clear()
    assert client.keys() == []


def test_describe_names_every_backend() -> None:
    text = backends.describe()
    for name in ["SimpleCache", "FileSystemCache", "Redis", "memcached"]:
        assert name in text


def test_a_prefix_outside_this_run_is_refused() -> None:
    with pytest.raises(ValueError, match="must start with this run's prefix"):
        redis_config("setup", CACHE_KEY_PREFIX="shop:")
    assert redis_config("setup", CACHE_KEY_PREFIX=course_prefix("setup") + "v2:")


def test_passwords_never_reach_the_header(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDIS_URL", "redis://:s3cret@127.0.0.1:6399/0")
    assert "s3cret" not in backends.describe() and "***" in backends.describe()
    assert backends.redacted("error talking to :s3cret@", "redis://:s3cret@h/0") == (
        "error talking to :***@")
    monkeypatch.setenv("REDIS_URL", "http://:s3cret@x")
    with pytest.raises(BackendConfigError) as raised:
        backends.redis_url()
    assert "s3cret" not in str(raised.value)


def test_unparsable_redis_url_and_bad_memcached_port(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDIS_URL", "redis://[::1")
    with pytest.raises(BackendConfigError, match="cannot be parsed"):
        backends.redis_url()
    monkeypatch.setenv("MEMCACHED_SERVERS", "127.0.0.1:99999")
    with pytest.raises(BackendConfigError, match="host:port"):
        backends.memcached_servers()


def test_temporary_folders_are_registered_for_removal() -> None:
    import os

    folder = backends.temporary_folder("fcc-test-")
    assert os.path.isdir(folder) and folder in backends._folders
