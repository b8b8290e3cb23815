"""Lesson 00's checkers, tested both ways: the solutions pass, wrong answers get a named hint."""

from __future__ import annotations

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
                       "    cache.init_app(APP)\n    return APP\n", "same app twice"),
    "raises": ("def create_app(config):\n    return config['APP']\n", "raised KeyError"),
    "config only for the cache": ("def create_app(config):\n    app = Flask(__name__)\n"
                                  "    cache.init_app(app, config=config)\n    return app\n",
                                  "app.config does not hold the settings"),
}


@pytest.mark.parametrize("name", list(WRONG_CREATE_APP))
def test_create_app_wrong_answers(name: str) -> None:
    source, hint = WRONG_CREATE_APP[name]
    status, message = _status("setup-create-app", run_answer(PREAMBLE + source))
    assert status == "failed" and hint in message, message


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
    "wrong server": ({"CACHE_REDIS_URL": "redis://localhost:6379/0"}, "team's Redis"),
}


@pytest.mark.parametrize("name", list(WRONG_CONFIGS))
def test_shared_config_wrong_answers(name: str) -> None:
    change, hint = WRONG_CONFIGS[name]
    config = {k: v for k, v in {**BASE, **change}.items() if v is not None}
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
    "0 for default": ({"NEVER_EXPIRE": 0, "USE_DEFAULT": 0}, "0 means 'never expire'"),
    "negative": ({"NEVER_EXPIRE": -1, "USE_DEFAULT": None}, "did not keep the entry"),
    "fixed number": ({"NEVER_EXPIRE": 0, "USE_DEFAULT": 300}, "not 'the default'"),
    "string": ({"NEVER_EXPIRE": "0", "USE_DEFAULT": None}, "raised"),
}


@pytest.mark.parametrize("name", list(WRONG_TIMEOUTS))
def test_timeouts_wrong_answers(name: str) -> None:
    namespace, hint = WRONG_TIMEOUTS[name]
    status, message = _status("setup-timeouts", dict(namespace))
    assert status == "failed" and hint in message, message
