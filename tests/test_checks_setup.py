"""Lesson 00's checkers, tested both ways: the solutions pass, wrong answers get a named hint."""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import answer_cell, run_answer

from support.grading import run_check

NB = "00_setup.ipynb"


def _status(exercise: str, namespace: dict) -> tuple[str, str]:
    result = run_check(exercise, namespace)
    return result.status, result.message


@pytest.mark.parametrize("exercise", ["setup-create-app", "setup-shared-config", "setup-timeouts"])
def test_solution_passes(exercise: str) -> None:
    assert _status(exercise, run_answer(answer_cell(NB, exercise)))[0] == "passed"


@pytest.mark.parametrize("exercise", ["setup-create-app", "setup-shared-config", "setup-timeouts"])
def test_placeholder_is_not_attempted(exercise: str) -> None:
    from support.exercises import blank_solutions

    blank = run_answer(blank_solutions(answer_cell(NB, exercise)))
    assert _status(exercise, blank)[0] == "not-attempted"


PREAMBLE = "from flask import Flask\nfrom flask_caching import Cache\ncache = Cache()\n"

WRONG_CREATE_APP = {
    "no init_app": ("def create_app(config):\n    app = Flask(__name__)\n"
                    "    app.config.update(config)\n    return app\n",
                    "call cache.init_app(app)"),
    "new Cache inside": ("def create_app(config):\n    app = Flask(__name__)\n"
                         "    app.config.update(config)\n    Cache(app)\n    return app\n",
                         "you made a new Cache()"),
    "init before config": ("def create_app(config):\n    app = Flask(__name__)\n"
                           "    cache.init_app(app)\n    app.config.update(config)\n    return app\n",
                           "init_app ran before the config"),
    "config ignored": ("def create_app(config):\n    app = Flask(__name__)\n"
                       "    app.config['CACHE_TYPE'] = 'SimpleCache'\n    cache.init_app(app)\n"
                       "    return app\n", "ignored the config"),
    "no return": ("def create_app(config):\n    app = Flask(__name__)\n"
                  "    app.config.update(config)\n    cache.init_app(app)\n", "returned None"),
    "one global app": ("APP = Flask('one')\ndef create_app(config):\n    APP.config.update(config)\n"
                       "    cache.init_app(APP)\n    return APP\n", "same app"),
    "raises": ("def create_app(config):\n    return config['APP']\n", "raised KeyError"),
    "config only for the cache": ("def create_app(config):\n    app = Flask(__name__)\n"
                                  "    cache.init_app(app, config=config)\n    return app\n",
                                  "app.config does not hold the settings"),
    # issue 10: edge values of settings
    "timeout 0 dropped as falsy": (
        "def create_app(config):\n    app = Flask(__name__)\n    app.config.update(config)\n"
        "    app.config['CACHE_DEFAULT_TIMEOUT'] = config.get('CACHE_DEFAULT_TIMEOUT') or 300\n"
        "    cache.init_app(app)\n    return app\n", "CACHE_DEFAULT_TIMEOUT=0 (no expiry)"),
    "falsy values skipped": (
        "def create_app(config):\n    app = Flask(__name__)\n"
        "    app.config.update({k: v for k, v in config.items() if v})\n"
        "    cache.init_app(app)\n    return app\n", "0 is a real value"),
    "only CACHE_* copied": (
        "def create_app(config):\n    app = Flask(__name__)\n"
        "    app.config.update({k: v for k, v in config.items() if k.startswith('CACHE_')})\n"
        "    cache.init_app(app)\n    return app\n", "only the CACHE_* settings"),
    "setdefault keeps Flask's defaults": (
        "def create_app(config):\n    app = Flask(__name__)\n"
        "    for key, value in config.items():\n        app.config.setdefault(key, value)\n"
        "    cache.init_app(app)\n    return app\n", "`setdefault` never overrides"),
    "same app for an equal config": (
        "_apps = {}\n"
        "def create_app(config):\n    key = repr(sorted(config.items()))\n"
        "    if key not in _apps:\n        app = Flask(__name__)\n        app.config.update(config)\n"
        "        cache.init_app(app)\n        _apps[key] = app\n    return _apps[key]\n",
        "same app for two equal configs"),
    "timeout forced to int by hand": (
        "def create_app(config):\n    app = Flask(__name__)\n    app.config.update(config)\n"
        "    app.config['CACHE_DEFAULT_TIMEOUT'] = int(config.get('CACHE_DEFAULT_TIMEOUT') or 300)\n"
        "    cache.init_app(app)\n    return app\n", "CACHE_DEFAULT_TIMEOUT=0 (no expiry)"),
    # found by the generated configs, not by the fixed scenarios
    "None-valued settings skipped": (
        "def create_app(config):\n    app = Flask(__name__)\n"
        "    app.config.update({k: v for k, v in config.items() if v is not None})\n"
        "    cache.init_app(app)\n    return app\n", "The shortest generated config that shows it"),
    "PAGE_SIZE forced": (
        "def create_app(config):\n    app = Flask(__name__)\n    app.config.update(config)\n"
        "    app.config['PAGE_SIZE'] = 20\n    cache.init_app(app)\n    return app\n",
        "create_app({'PAGE_SIZE'"),
}


@pytest.mark.parametrize("name", list(WRONG_CREATE_APP))
def test_create_app_wrong_answers(name: str) -> None:
    source, hint = WRONG_CREATE_APP[name]
    status, message = _status("setup-create-app", run_answer(PREAMBLE + source))
    assert status == "failed" and hint in message, message


RIGHT_CREATE_APP = {
    "from_mapping": ("def create_app(config):\n    app = Flask(__name__)\n"
                     "    app.config.from_mapping(config)\n    cache.init_app(app)\n    return app\n"),
    "a loop of assignments": ("def create_app(config):\n    app = Flask('shop')\n"
                              "    for key, value in config.items():\n        app.config[key] = value\n"
                              "    cache.init_app(app)\n    return app\n"),
    "config given to init_app too": ("def create_app(config):\n    app = Flask(__name__)\n"
                                     "    app.config.update(config)\n"
                                     "    cache.init_app(app, config=config)\n    return app\n"),
    "defaults first, config wins": ("def create_app(config):\n    app = Flask(__name__)\n"
                                    "    app.config.update(CACHE_TYPE='SimpleCache')\n"
                                    "    app.config.update(config)\n    cache.init_app(app)\n"
                                    "    return app\n"),
}


@pytest.mark.parametrize("name", list(RIGHT_CREATE_APP))
def test_create_app_correct_alternatives_pass(name: str) -> None:
    status, message = _status("setup-create-app", run_answer(PREAMBLE + RIGHT_CREATE_APP[name]))
    assert status == "passed", message


BASE = {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": "redis://cache.internal:6379/0",
        "CACHE_DEFAULT_TIMEOUT": 600, "CACHE_KEY_PREFIX": "shop:"}
WRONG_CONFIGS = {
    "simple": ({"CACHE_TYPE": "SimpleCache"}, "one worker process"),
    "filesystem": ({"CACHE_TYPE": "FileSystemCache"}, "one host only"),
    "memcached": ({"CACHE_TYPE": "MemcachedCache"}, "the team runs Redis"),
    "lowercase": ({"CACHE_TYPE": "redis"}, "old lowercase name"),
    "no type": ({"CACHE_TYPE": None}, "NullCache"),
    "minutes": ({"CACHE_DEFAULT_TIMEOUT": 10}, "10 minutes is 600"),
    "wrong timeout": ({"CACHE_DEFAULT_TIMEOUT": 300}, "CACHE_DEFAULT_TIMEOUT = 600"),
    "no prefix": ({"CACHE_KEY_PREFIX": ""}, "FLUSHDB"),
    "prefix None": ({"CACHE_KEY_PREFIX": None, "__keep_none__": True}, "FLUSHDB"),
    "prefix left out": ({"CACHE_KEY_PREFIX": None}, "'flask_cache_'"),
    "wrong prefix": ({"CACHE_KEY_PREFIX": "shop"}, "the stated prefix is 'shop:'"),
    "wrong server": ({"CACHE_REDIS_URL": "redis://localhost:6379/0"}, "team's Redis"),
    "URL without a database plus CACHE_REDIS_DB": (
        {"CACHE_REDIS_URL": "redis://cache.internal:6379", "CACHE_REDIS_DB": 3}, "database 3"),
    "cachelib's class directly": ({"CACHE_TYPE": "cachelib.RedisCache"}, "localhost"),
    "TLS scheme": ({"CACHE_REDIS_URL": "rediss://cache.internal:6379/0"}, "over TLS"),
    "URL in CACHE_REDIS_HOST": ({"CACHE_REDIS_URL": None,
                                 "CACHE_REDIS_HOST": "redis://cache.internal:6379/0"}, "team's Redis"),
    "float timeout": ({"CACHE_DEFAULT_TIMEOUT": 600.0}, "float"),
    "timeout as '10m'": ({"CACHE_DEFAULT_TIMEOUT": "10m"}, "cannot build a cache"),
    "timeout in milliseconds": ({"CACHE_DEFAULT_TIMEOUT": 600_000}, "CACHE_DEFAULT_TIMEOUT = 600"),
    "timedelta of 10 seconds": ({"CACHE_DEFAULT_TIMEOUT": timedelta(seconds=10)}, "600, not 10"),
}


@pytest.mark.parametrize("name", list(WRONG_CONFIGS))
def test_shared_config_wrong_answers(name: str) -> None:
    change, hint = WRONG_CONFIGS[name]
    keep_none = change.pop("__keep_none__", False) if "__keep_none__" in change else False
    config = {k: v for k, v in {**BASE, **change}.items() if v is not None or keep_none}
    status, message = _status("setup-shared-config", {"production_config": config})
    assert status == "failed" and hint in message, message


@pytest.mark.parametrize("change", [
    {"CACHE_REDIS_URL": "redis://cache.internal:6379"},
    {"CACHE_REDIS_URL": "redis://cache.internal"},
    {"CACHE_REDIS_URL": None, "CACHE_REDIS_HOST": "cache.internal", "CACHE_REDIS_PORT": 6379,
     "CACHE_REDIS_DB": 0},
    {"CACHE_REDIS_URL": None, "CACHE_REDIS_HOST": "cache.internal"},
    {"CACHE_TYPE": "flask_caching.backends.RedisCache"},
    {"CACHE_TYPE": "flask_caching.backends.rediscache.RedisCache"},
    # issue 10: Flask-Caching 2.5.1 converts a string timeout with int(), and takes timedeltas
    {"CACHE_DEFAULT_TIMEOUT": "600"},
    {"CACHE_DEFAULT_TIMEOUT": timedelta(minutes=10)},
    {"CACHE_REDIS_URL": "redis://cache.internal:6379", "CACHE_REDIS_DB": 0},
    {"CACHE_REDIS_URL": None, "CACHE_REDIS_HOST": "cache.internal", "CACHE_REDIS_PORT": "6379",
     "CACHE_REDIS_DB": "0"},
    {"CACHE_OPTIONS": {"socket_timeout": 2, "socket_connect_timeout": 2, "check_connection": True}},
    {"CACHE_REDIS_URL": "redis://:s3cret@cache.internal:6379/0"},
])
def test_shared_config_other_correct_spellings_pass(change: dict) -> None:
    config = {k: v for k, v in {**BASE, **change}.items() if v is not None}
    assert _status("setup-shared-config", {"production_config": config})[0] == "passed"


def test_shared_config_wrong_database_or_port_fails() -> None:
    for url in ["redis://cache.internal:6380/0", "redis://cache.internal:6379/3"]:
        status, message = _status("setup-shared-config",
                                  {"production_config": {**BASE, "CACHE_REDIS_URL": url}})
        assert status == "failed" and "team's Redis" in message


def test_shared_config_must_be_a_dict() -> None:
    status, message = _status("setup-shared-config", {"production_config": "RedisCache"})
    assert status == "failed" and "dict" in message


WRONG_TIMEOUTS = {
    "None for never": ({"NEVER_EXPIRE": None, "USE_DEFAULT": None}, "None means 'use the default"),
    "0 for default": ({"NEVER_EXPIRE": 0, "USE_DEFAULT": 0}, "0 means 'no expiry'"),
    "negative": ({"NEVER_EXPIRE": -1, "USE_DEFAULT": None}, "already expired"),
    "fixed number": ({"NEVER_EXPIRE": 0, "USE_DEFAULT": 300}, "not 'the default'"),
    "string": ({"NEVER_EXPIRE": "0", "USE_DEFAULT": None}, "raised TypeError"),
    "float zero": ({"NEVER_EXPIRE": 0.0, "USE_DEFAULT": None}, "deprecated"),
    "a very long time": ({"NEVER_EXPIRE": 10**9, "USE_DEFAULT": None}, "still expires"),
    "infinity": ({"NEVER_EXPIRE": float("inf"), "USE_DEFAULT": None}, "NEVER_EXPIRE"),
    "minus five": ({"NEVER_EXPIRE": -5, "USE_DEFAULT": None}, "already expired"),
    "the checker's default": ({"NEVER_EXPIRE": 0, "USE_DEFAULT": 123}, "not 'the default'"),
    "default as timedelta": ({"NEVER_EXPIRE": 0, "USE_DEFAULT": timedelta(minutes=5)},
                             "not 'the default'"),
    "default -1": ({"NEVER_EXPIRE": 0, "USE_DEFAULT": -1}, "USE_DEFAULT"),
    "default as a word": ({"NEVER_EXPIRE": 0, "USE_DEFAULT": "default"}, "raised TypeError"),
    "False for never": ({"NEVER_EXPIRE": False, "USE_DEFAULT": None}, "a bool is not a timeout"),
}


@pytest.mark.parametrize("name", list(WRONG_TIMEOUTS))
def test_timeouts_wrong_answers(name: str) -> None:
    namespace, hint = WRONG_TIMEOUTS[name]
    status, message = _status("setup-timeouts", dict(namespace))
    assert status == "failed" and hint in message, message


@pytest.mark.parametrize("never", [timedelta(0), timedelta(seconds=0), 0 * 60])
def test_timeouts_correct_alternatives_pass(never) -> None:
    status, message = _status("setup-timeouts", {"NEVER_EXPIRE": never, "USE_DEFAULT": None})
    assert status == "passed", message


@pytest.mark.parametrize("exercise", ["setup-create-app", "setup-shared-config", "setup-timeouts"])
def test_checks_are_quick(exercise: str) -> None:
    """Not a timing assertion on the machine: a generous bound that catches a hung check."""
    import time

    namespace = run_answer(answer_cell(NB, exercise))
    start = time.perf_counter()
    assert _status(exercise, namespace)[0] == "passed"
    assert time.perf_counter() - start < 10


def test_exercise_key_points_do_not_give_the_answers_away() -> None:
    """Issue 12 item 7: the answers stay in the solutions' `solution-only` cell."""
    import nbformat
    from conftest import ROOT

    exercises = nbformat.read(ROOT / "exercises" / NB, as_version=4)
    footer = exercises.cells[-1].source
    for answer in ["timeout=0", "None", "init_app(app)", "RedisCache", "app.config.update",
                   "600", "shop:"]:
        assert answer not in footer, f"the exercise footer gives away {answer!r}"
    solutions = nbformat.read(ROOT / "solutions" / NB, as_version=4)
    brief = [c for c in solutions.cells if "solution-only" in c.metadata.get("tags", [])
             and "answers in brief" in c.source]
    assert brief and "timeout=0" in brief[0].source
