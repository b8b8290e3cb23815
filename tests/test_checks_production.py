"""Lesson 06's checkers, tested both ways: the solutions pass, wrong answers get a named hint."""

from __future__ import annotations

import textwrap

import pytest
from conftest import answer_cell, run_answer
from flask_caching import signals

from support.grading import run_check

NB = "06_production.ipynb"
EXERCISES = ["production-memo-counter", "production-allow-list-key", "production-outage-fallback",
             "production-http-caching"]


def _status(exercise: str, namespace: dict) -> tuple[str, str]:
    result = run_check(exercise, namespace)
    return result.status, result.message


def _receivers() -> dict[str, int]:
    return {name: len(getattr(signals, name).receivers) for name in
            ("cache_memoize_hit", "cache_memoize_miss", "cache_view_hit", "cache_view_miss")}


@pytest.mark.parametrize("exercise", EXERCISES)
def test_solution_passes(exercise: str) -> None:
    status, message = _status(exercise, run_answer(answer_cell(NB, exercise)))
    assert status == "passed", message


@pytest.mark.parametrize("exercise", EXERCISES)
def test_placeholder_is_not_attempted(exercise: str) -> None:
    from support.exercises import blank_solutions

    blank = run_answer(blank_solutions(answer_cell(NB, exercise)))
    assert _status(exercise, blank)[0] == "not-attempted"


@pytest.mark.parametrize("exercise", EXERCISES)
def test_missing_answer_is_not_attempted(exercise: str) -> None:
    assert _status(exercise, {})[0] == "not-attempted"


# --- production-memo-counter -------------------------------------------------------------

MEMO_PREAMBLE = textwrap.dedent("""
    from collections import defaultdict
    from flask import current_app
    from flask_caching.signals import (cache_memoize_hit, cache_memoize_miss,
                                       cache_view_hit, cache_view_miss)
""")


def memo_answer(*parts: str) -> str:
    body = "".join(textwrap.dedent(part) for part in parts)
    return MEMO_PREAMBLE + "def install_memo_counter(app):\n" + textwrap.indent(body, "    ")


GOOD_RECEIVERS = """
    stats = defaultdict(lambda: {"hits": 0, "misses": 0})
    def on_hit(sender, **extra):
        if current_app._get_current_object() is app:
            stats[extra["f"].__name__]["hits"] += 1
    def on_miss(sender, **extra):
        if current_app._get_current_object() is app:
            stats[extra["f"].__name__]["misses"] += 1
"""

WRONG_MEMO = {
    "weak receivers die": (GOOD_RECEIVERS, """
        cache_memoize_hit.connect(on_hit)
        cache_memoize_miss.connect(on_miss)
        return stats
    """, "garbage-collected"),
    "view signals": (GOOD_RECEIVERS, """
        cache_view_hit.connect(on_hit, weak=False)
        cache_view_miss.connect(on_miss, weak=False)
        return stats
    """, "cache_memoize_hit and cache_memoize_miss"),
    "sender is app": ("""
        stats = defaultdict(lambda: {"hits": 0, "misses": 0})
        def on_hit(sender, **extra):
            if sender is app:
                stats[extra["f"].__name__]["hits"] += 1
        def on_miss(sender, **extra):
            if sender is app:
                stats[extra["f"].__name__]["misses"] += 1
        cache_memoize_hit.connect(on_hit, weak=False)
        cache_memoize_miss.connect(on_miss, weak=False)
        return stats
    """, "sender=None"),
    "every app counted": ("""
        stats = defaultdict(lambda: {"hits": 0, "misses": 0})
        def on_hit(sender, **extra):
            stats[extra["f"].__name__]["hits"] += 1
        def on_miss(sender, **extra):
            stats[extra["f"].__name__]["misses"] += 1
        cache_memoize_hit.connect(on_hit, weak=False)
        cache_memoize_miss.connect(on_miss, weak=False)
        return stats
    """, "another app"),
    # passes when the two apps have different names; factory apps share Flask(__name__)
    "filtered by app name": ("""
        stats = defaultdict(lambda: {"hits": 0, "misses": 0})
        def on_hit(sender, **extra):
            if current_app.name == app.name:
                stats[extra["f"].__name__]["hits"] += 1
        def on_miss(sender, **extra):
            if current_app.name == app.name:
                stats[extra["f"].__name__]["misses"] += 1
        cache_memoize_hit.connect(on_hit, weak=False)
        cache_memoize_miss.connect(on_miss, weak=False)
        return stats
    """, "comparing names is not enough"),
    "only hits": (GOOD_RECEIVERS, """
        cache_memoize_hit.connect(on_hit, weak=False)
        return stats
    """, "connect a receiver to cache_memoize_miss"),
    "swapped": (GOOD_RECEIVERS, """
        cache_memoize_hit.connect(on_miss, weak=False)
        cache_memoize_miss.connect(on_hit, weak=False)
        return stats
    """, "swapped"),
    "keyed by cache key": ("""
        stats = defaultdict(lambda: {"hits": 0, "misses": 0})
        def on_hit(sender, **extra):
            if current_app._get_current_object() is app:
                stats[extra["cache_key"]]["hits"] += 1
        def on_miss(sender, **extra):
            if current_app._get_current_object() is app:
                stats[extra["cache_key"]]["misses"] += 1
        cache_memoize_hit.connect(on_hit, weak=False)
        cache_memoize_miss.connect(on_miss, weak=False)
        return stats
    """, "__name__"),
    "no return": (GOOD_RECEIVERS, """
        cache_memoize_hit.connect(on_hit, weak=False)
        cache_memoize_miss.connect(on_miss, weak=False)
    """, "returned None"),
    "receiver signature": ("""
        stats = {}
        def on_hit(sender):
            pass
        cache_memoize_hit.connect(on_hit, weak=False)
        cache_memoize_miss.connect(on_hit, weak=False)
        return stats
    """, "receiver(sender, **extra)"),
    # receivers kept alive in one module-level variable: the second install drops the first's
    "last install only": ("""
        global KEEP
        stats = defaultdict(lambda: {"hits": 0, "misses": 0})
        def on_hit(sender, **extra):
            if current_app._get_current_object() is app:
                stats[extra["f"].__name__]["hits"] += 1
        def on_miss(sender, **extra):
            if current_app._get_current_object() is app:
                stats[extra["f"].__name__]["misses"] += 1
        KEEP = (on_hit, on_miss)
        cache_memoize_hit.connect(on_hit)
        cache_memoize_miss.connect(on_miss)
        return stats
    """, "the counter of A stopped counting"),
    # a tidy install that first disconnects every earlier receiver
    "disconnects earlier installs": ("""
        for signal in (cache_memoize_hit, cache_memoize_miss):
            for receiver in list(signal.receivers_for(None)):
                signal.disconnect(receiver)
        stats = defaultdict(lambda: {"hits": 0, "misses": 0})
        def on_hit(sender, **extra):
            if current_app._get_current_object() is app:
                stats[extra["f"].__name__]["hits"] += 1
        def on_miss(sender, **extra):
            if current_app._get_current_object() is app:
                stats[extra["f"].__name__]["misses"] += 1
        cache_memoize_hit.connect(on_hit, weak=False)
        cache_memoize_miss.connect(on_miss, weak=False)
        return stats
    """, "the counter of A stopped counting"),
    # one module-level dict shared by every install
    "module-level stats": ("""
        stats = globals().setdefault("STATS", defaultdict(lambda: {"hits": 0, "misses": 0}))
        def on_hit(sender, **extra):
            if current_app._get_current_object() is app:
                stats[extra["f"].__name__]["hits"] += 1
        def on_miss(sender, **extra):
            if current_app._get_current_object() is app:
                stats[extra["f"].__name__]["misses"] += 1
        app.extensions["memo_counter"] = (on_hit, on_miss)
        cache_memoize_hit.connect(on_hit)
        cache_memoize_miss.connect(on_miss)
        return stats
    """, "module-level"),
    # the app to count is a module-level variable: the last install wins for every counter
    "module-level current app": ("""
        global COUNTED_APP
        COUNTED_APP = app
        stats = defaultdict(lambda: {"hits": 0, "misses": 0})
        def on_hit(sender, **extra):
            if current_app._get_current_object() is COUNTED_APP:
                stats[extra["f"].__name__]["hits"] += 1
        def on_miss(sender, **extra):
            if current_app._get_current_object() is COUNTED_APP:
                stats[extra["f"].__name__]["misses"] += 1
        app.extensions["memo_counter"] = (on_hit, on_miss)
        cache_memoize_hit.connect(on_hit)
        cache_memoize_miss.connect(on_miss)
        return stats
    """, "stopped counting"),
}

# correct alternatives: weak=False receivers; a small class kept on the app; Counter objects
RIGHT_MEMO = {
    "weak=False": """
        stats = defaultdict(lambda: {"hits": 0, "misses": 0})
        def on_hit(sender, **extra):
            if current_app._get_current_object() is app:
                stats[extra["f"].__name__]["hits"] += 1
        def on_miss(sender, **extra):
            if current_app._get_current_object() is app:
                stats[extra["f"].__name__]["misses"] += 1
        cache_memoize_hit.connect(on_hit, weak=False)
        cache_memoize_miss.connect(on_miss, weak=False)
        return stats
    """,
    "bound methods kept on the app": """
        class Counter:
            def __init__(self):
                self.stats = {}
            def count(self, outcome, extra):
                if current_app._get_current_object() is app:
                    entry = self.stats.setdefault(extra["f"].__name__, {"hits": 0, "misses": 0})
                    entry[outcome] += 1
            def hit(self, sender, **extra):
                self.count("hits", extra)
            def miss(self, sender, **extra):
                self.count("misses", extra)
        counter = Counter()
        app.extensions["memo_counter"] = counter
        cache_memoize_hit.connect(counter.hit)
        cache_memoize_miss.connect(counter.miss)
        return counter.stats
    """,
}


@pytest.mark.parametrize("name", list(RIGHT_MEMO))
def test_memo_counter_correct_alternatives(name: str) -> None:
    status, message = _status("production-memo-counter", run_answer(memo_answer(RIGHT_MEMO[name])))
    assert status == "passed", message


@pytest.mark.parametrize("name", list(WRONG_MEMO))
def test_memo_counter_wrong_answers(name: str) -> None:
    *parts, hint = WRONG_MEMO[name]
    status, message = _status("production-memo-counter", run_answer(memo_answer(*parts)))
    assert status == "failed" and hint in message, message


def test_memo_counter_check_leaves_no_receivers_behind() -> None:
    before = _receivers()
    run_check("production-memo-counter", run_answer(memo_answer(WRONG_MEMO["every app counted"][0])))
    run_check("production-memo-counter", run_answer(answer_cell(NB, "production-memo-counter")))
    assert _receivers() == before


# --- production-allow-list-key -------------------------------------------------------------

KEY_PREAMBLE = answer_cell(NB, "production-allow-list-key").split("def catalogue_key")[0]


def key_answer(body: str) -> str:
    return KEY_PREAMBLE + "def catalogue_key(*args, **kwargs):\n" + textwrap.indent(
        textwrap.dedent(body), "    ")


WRONG_KEYS = {
    # (a body of only `return "constant"` would count as a placeholder in support.grading)
    "constant": ('return "catalogue:" + request.method\n',
                 "page 2 was answered with another page's body"),
    "page only": ("page, sort = read_listing_args()\nreturn f'{request.path}?page={page}'\n",
                  "must contain sort too"),
    "full path": ("return request.full_path\n", "allow-list"),
    "deny-list": ("pairs = sorted((k, v) for k, v in request.args.items() "
                  "if not k.startswith('utm_'))\n"
                  "return request.path + str(pairs)\n", "tracking parameters"),
    "URL order": ("pairs = [(k, v) for k, v in request.args.items() if k in ('page', 'sort')]\n"
                  "return request.path + str(pairs)\n", "fixed order"),
    "raw values": ("page = request.args.get('page', '1')\nsort = request.args.get('sort', 'name')\n"
                   "return f'{request.path}?page={page}&sort={sort}'\n", "values the view does not serve"),
    "no path": ("page, sort = read_listing_args()\nreturn f'listing?page={page}&sort={sort}'\n",
                "request.path"),
    "raises": ("return request.path + request.args['sort']\n", "catalogue_key raised"),
    # normalises what the view does not: ?sort=Price is served the price-sorted page
    "lowercased sort": ("page = request.args.get('page', 1, type=int)\n"
                        "sort = request.args.get('sort', 'name').lower()\n"
                        "page = page if 1 <= page <= 50 else 1\n"
                        "sort = sort if sort in ('name', 'price') else 'name'\n"
                        "return f'{request.path}?page={page}&sort={sort}'\n",
                        "`GET /products?sort=price` then `GET /products?sort=Price`: the last "
                        "was served 'products page=1 sort=price'"),
    # parameter names read without case: ?Page=2 is not page 2 for the view
    "names without case": ("args = {k.lower(): v for k, v in request.args.items()}\n"
                           "page = int(args['page']) if args.get('page', '').isdigit() else 1\n"
                           "page = page if 1 <= page <= 50 else 1\n"
                           "sort = args.get('sort') if args.get('sort') in ('name', 'price') else 'name'\n"
                           "return f'{request.path}?page={page}&sort={sort}'\n",
                           "The key merged two requests the view tells apart"),
    # the last value of a repeated parameter, while the view reads the first
    "last repeated value": ("pages = request.args.getlist('page', type=int) or [1]\n"
                            "page = pages[-1] if 1 <= pages[-1] <= 50 else 1\n"
                            "page2, sort = read_listing_args()\n"
                            "return f'{request.path}?page={page}&sort={sort}'\n",
                            "`GET /products?page=3&page=2` then `GET /products?page=2`: the last "
                            "was served 'products page=3 sort=name'"),
    # the raw spelling of a valid page: ?page=02 and ?page=2 are one page for the view
    "raw page spelling": ("page, sort = read_listing_args()\n"
                          "raw = request.args.get('page', '1')\n"
                          "raw = raw if raw.strip().lstrip('+').isdigit() else '1'\n"
                          "return f'{request.path}?page={raw if page != 1 else 1}&sort={sort}'\n",
                          "The key splits requests the view answers alike"),
}

RIGHT_KEYS = {
    "own parsing": ("page = request.args.get('page', 1, type=int)\n"
                    "if not 1 <= page <= 50:\n    page = 1\n"
                    "sort = request.args.get('sort', 'name')\n"
                    "if sort not in ('name', 'price'):\n    sort = 'name'\n"
                    "return '|'.join(['listing', request.path, str(page), sort])\n"),
    "urlencode": ("from urllib.parse import urlencode\n"
                  "page, sort = read_listing_args()\n"
                  "return request.path + '?' + urlencode(sorted({'page': page, 'sort': sort}.items()))\n"),
}


@pytest.mark.parametrize("name", list(RIGHT_KEYS))
def test_allow_list_key_correct_alternatives(name: str) -> None:
    status, message = _status("production-allow-list-key", run_answer(key_answer(RIGHT_KEYS[name])))
    assert status == "passed", message


@pytest.mark.parametrize("name", list(WRONG_KEYS))
def test_allow_list_key_wrong_answers(name: str) -> None:
    body, hint = WRONG_KEYS[name]
    status, message = _status("production-allow-list-key", run_answer(key_answer(body)))
    assert status == "failed" and hint in message, message


# --- production-outage-fallback ------------------------------------------------------------

OUTAGE_PREAMBLE = answer_cell(NB, "production-outage-fallback").split("def get_or_compute")[0]


def outage_answer(body: str) -> str:
    return OUTAGE_PREAMBLE + "def get_or_compute(key, compute, timeout=None):\n" + textwrap.indent(
        textwrap.dedent(body), "    ")


WRONG_OUTAGE = {
    "unguarded": ("""
        value = cache.get(key)
        if value is None:
            value = compute()
            cache.set(key, value, timeout=timeout)
        return value
    """, "catch the error and compute"),
    "set unguarded": ("""
        try:
            value = cache.get(key)
        except Exception:
            value = None
        if value is None:
            value = compute()
            cache.set(key, value, timeout=timeout)
        return value
    """, "guard the set too"),
    "None when down": ("""
        try:
            value = cache.get(key)
            if value is None:
                value = compute()
                cache.set(key, value, timeout=timeout)
            return value
        except Exception:
            return None
    """, "answered null"),
    "falsy is a miss": ("""
        try:
            value = cache.get(key)
        except Exception:
            value = None
        if not value:
            value = compute()
            try:
                cache.set(key, value, timeout=timeout)
            except Exception:
                pass
        return value
    """, "value is None"),
    "timeout ignored": ("""
        try:
            value = cache.get(key)
        except Exception:
            value = None
        if value is None:
            value = compute()
            try:
                cache.set(key, value)
            except Exception:
                pass
        return value
    """, "timeout=45"),
    "never caches": ("""
        return compute()
    """, "store the computed value"),
    "never recovers": ("""
        global BROKEN
        if not globals().get("BROKEN"):
            try:
                value = cache.get(key)
                if value is None:
                    value = compute()
                    cache.set(key, value, timeout=timeout)
                return value
            except Exception:
                BROKEN = True
        return compute()
    """, "after the cache came back"),
    # a failed set sends it to the except, which computes a second time
    "computes again when set fails": ("""
        try:
            value = cache.get(key)
            if value is None:
                value = compute()
                cache.set(key, value, timeout=timeout)
            return value
        except Exception:
            return compute()
    """, "when only cache.set failed"),
    # compute() errors are not cache errors: swallowing them answers None
    "swallows compute errors": ("""
        try:
            value = cache.get(key)
        except Exception:
            value = None
        if value is None:
            try:
                value = compute()
                cache.set(key, value, timeout=timeout)
            except Exception:
                pass
        return value
    """, "swallowed it"),
    "retries compute": ("""
        try:
            value = cache.get(key)
        except Exception:
            value = None
        if value is None:
            try:
                value = compute()
            except Exception:
                value = compute()
            try:
                cache.set(key, value, timeout=timeout)
            except Exception:
                pass
        return value
    """, "called it again"),
    # negative caching: a marker stored when compute() failed is served after it recovers
    "caches an unavailable marker": ("""
        try:
            value = cache.get(key)
        except redis.exceptions.RedisError:
            value = None
        if value is None:
            try:
                value = compute()
            except Exception:
                cache.set(key, "unavailable", timeout=timeout)
                raise
            try:
                cache.set(key, value, timeout=timeout)
            except redis.exceptions.RedisError:
                pass
        return value
    """, "Do not store a marker"),
    # the outage branch swallows everything, compute()'s own error included
    "swallows compute errors while down": ("""
        try:
            value = cache.get(key)
        except redis.exceptions.RedisError:
            try:
                return compute()
            except Exception:
                return None
        if value is None:
            value = compute()
            try:
                cache.set(key, value, timeout=timeout)
            except redis.exceptions.RedisError:
                pass
        return value
    """, "with the cache down, compute() raised StockDatabaseError and your helper swallowed it"),
    # a marker kept in the cache so that an outage is not retried
    "stores the outage": ("""
        if cache.get("cache-was-down"):
            cache.delete("cache-was-down")
            return compute()
        try:
            value = cache.get(key)
        except redis.exceptions.RedisError:
            return compute()
        if value is None:
            value = compute()
            try:
                cache.set(key, value, timeout=timeout)
            except redis.exceptions.RedisError:
                cache.set("cache-was-down", True)
        return value
    """, "escaped"),
}

RIGHT_OUTAGE = {
    "catch Exception around cache calls": """
        try:
            value = cache.get(key)
        except Exception:
            value = None
        if value is None:
            value = compute()
            try:
                cache.set(key, value, timeout=timeout)
            except Exception:
                pass
        return value
    """,
    "has() then get()": """
        hit = False
        try:
            hit = cache.has(key)
            value = cache.get(key) if hit else None
        except redis.exceptions.ConnectionError:
            hit = False
        if not hit or value is None:
            value = compute()
            try:
                cache.set(key, value, timeout=timeout)
            except redis.exceptions.ConnectionError:
                pass
        return value
    """,
}


@pytest.mark.parametrize("name", list(RIGHT_OUTAGE))
def test_outage_fallback_correct_alternatives(name: str) -> None:
    status, message = _status("production-outage-fallback",
                              run_answer(outage_answer(RIGHT_OUTAGE[name])))
    assert status == "passed", message


@pytest.mark.parametrize("name", list(WRONG_OUTAGE))
def test_outage_fallback_wrong_answers(name: str) -> None:
    body, hint = WRONG_OUTAGE[name]
    status, message = _status("production-outage-fallback", run_answer(outage_answer(body)))
    assert status == "failed" and hint in message, message


def test_outage_check_restores_the_line() -> None:
    from support.backends import redis_client

    run_check("production-outage-fallback", run_answer(outage_answer(WRONG_OUTAGE["unguarded"][0])))
    assert redis_client().ping()


def test_outage_check_needs_the_notebooks_cache() -> None:
    namespace = run_answer(answer_cell(NB, "production-outage-fallback"))
    namespace["cache"] = "not a cache"
    status, message = _status("production-outage-fallback", namespace)
    assert status == "failed" and "cache = Cache()" in message


# --- production-http-caching ---------------------------------------------------------------

HTTP_PREAMBLE = "from flask import request\n"


def http_answer(*parts: str) -> str:
    body = textwrap.indent("".join(textwrap.dedent(part) for part in parts), "        ")
    return (HTTP_PREAMBLE + "def add_http_caching(app):\n    @app.after_request\n"
            "    def http_caching(response):\n" + body)


CATALOGUE_OK = """
    if request.endpoint == "catalogue" and response.status_code == 200:
        response.cache_control.public = True
        response.cache_control.max_age = 300
        response.add_etag()
        response.make_conditional(request)
"""
ACCOUNT_OK = """
    elif request.endpoint == "account":
        response.cache_control.no_store = True
    return response
"""

WRONG_HTTP = {
    "no make_conditional": ("""
        if request.endpoint == "catalogue" and response.status_code == 200:
            response.cache_control.public = True
            response.cache_control.max_age = 300
            response.add_etag()
    """, ACCOUNT_OK, "make_conditional(request)"),
    "conditional before etag": ("""
        if request.endpoint == "catalogue" and response.status_code == 200:
            response.cache_control.public = True
            response.cache_control.max_age = 300
            response.make_conditional(request)
            response.add_etag()
    """, ACCOUNT_OK, "after response.add_etag()"),
    "no etag": ("""
        if request.endpoint == "catalogue" and response.status_code == 200:
            response.cache_control.public = True
            response.cache_control.max_age = 300
    """, ACCOUNT_OK, "no ETag"),
    "minutes": ("""
        if request.endpoint == "catalogue" and response.status_code == 200:
            response.cache_control.public = True
            response.cache_control.max_age = 5
            response.add_etag()
            response.make_conditional(request)
    """, ACCOUNT_OK, "public, max-age=300"),
    "everything public": ("""
        response.cache_control.public = True
        response.cache_control.max_age = 300
        response.add_etag()
        response.make_conditional(request)
        return response
    """, "marked public"),
    "account stored": (CATALOGUE_OK, "return response\n", "no-store"),
    "any If-None-Match": ("""
        if request.endpoint == "catalogue" and response.status_code == 200:
            response.cache_control.public = True
            response.cache_control.max_age = 300
            response.add_etag()
            if "If-None-Match" in request.headers:
                response.status_code = 304
                response.set_data(b"")
    """, ACCOUNT_OK, "old ETag"),
    # a constant ETag: browsers keep getting 304 for a catalogue that has changed
    "constant ETag": ("""
        if request.endpoint == "catalogue" and response.status_code == 200:
            response.cache_control.public = True
            response.cache_control.max_age = 300
            response.set_etag("v1")
            response.make_conditional(request)
    """, ACCOUNT_OK, "the ETag must change when the body changes"),
    "no return": (CATALOGUE_OK, ACCOUNT_OK.replace("return response", "pass"),
                  "must return it"),
    # an ETag from the body's length: a change of the same length keeps the old ETag
    "ETag from the length": ("""
        if request.endpoint == "catalogue" and response.status_code == 200:
            response.cache_control.public = True
            response.cache_control.max_age = 300
            response.set_etag(str(len(response.get_data())))
            response.make_conditional(request)
    """, ACCOUNT_OK, "the catalogue changes to ['Blue Kettle', 'Quiet Lamp', 'Rapid Notepads']"),
    # no status test: a 503 goes out public for five minutes
    "headers on errors": ("""
        if request.endpoint == "catalogue":
            response.cache_control.public = True
            response.cache_control.max_age = 300
            response.add_etag()
            response.make_conditional(request)
    """, ACCOUNT_OK, "Add the caching headers to 200 responses only"),
    # every page but the account becomes public
    "every other page public": (CATALOGUE_OK, """
    elif request.endpoint == "account":
        response.cache_control.no_store = True
    else:
        response.cache_control.public = True
        response.cache_control.max_age = 300
    return response
    """, "your policy reaches every other page"),
    # an extra directive that changes the meaning
    "extra no-cache": ("""
        if request.endpoint == "catalogue" and response.status_code == 200:
            response.cache_control.public = True
            response.cache_control.max_age = 300
            response.cache_control.no_cache = True
            response.add_etag()
            response.make_conditional(request)
    """, ACCOUNT_OK, "Extra directives change the meaning"),
    # If-None-Match compared as one plain string: lists and weak validators get 200
    "plain string If-None-Match": ("""
        if request.endpoint == "catalogue" and response.status_code == 200:
            response.cache_control.public = True
            response.cache_control.max_age = 300
            response.add_etag()
            if request.headers.get("If-None-Match") == response.headers["ETag"]:
                response.status_code = 304
                response.set_data(b"")
    """, ACCOUNT_OK, "If-None-Match: W/"),
    # a substring test: If-None-Match: * (any version) is not understood
    "substring If-None-Match": ("""
        if request.endpoint == "catalogue" and response.status_code == 200:
            response.cache_control.public = True
            response.cache_control.max_age = 300
            response.add_etag()
            if response.headers["ETag"] in request.headers.get("If-None-Match", ""):
                response.status_code = 304
    """, ACCOUNT_OK, "If-None-Match: *"),
}

RIGHT_HTTP = {
    # a hash of its own as the ETag, compared by Werkzeug
    "own sha256 ETag": ("""
        import hashlib
        if request.endpoint == "catalogue" and response.status_code == 200:
            response.headers["Cache-Control"] = "public, max-age=300"
            response.set_etag(hashlib.sha256(response.get_data()).hexdigest())
            response.make_conditional(request)
    """, ACCOUNT_OK),
    # private plus no-store for the account, and the status tested with response.ok
    "private, no-store": ("""
        if request.endpoint == "catalogue" and response.status_code == 200:
            response.cache_control.public = True
            response.cache_control.max_age = 300
            response.add_etag()
            return response.make_conditional(request)
    """, """
    if request.endpoint == "account":
        response.headers["Cache-Control"] = "private, no-store"
    return response
    """),
}


@pytest.mark.parametrize("name", list(RIGHT_HTTP))
def test_http_caching_correct_alternatives(name: str) -> None:
    status, message = _status("production-http-caching", run_answer(http_answer(*RIGHT_HTTP[name])))
    assert status == "passed", message


@pytest.mark.parametrize("name", list(WRONG_HTTP))
def test_http_caching_wrong_answers(name: str) -> None:
    *parts, hint = WRONG_HTTP[name]
    status, message = _status("production-http-caching", run_answer(http_answer(*parts)))
    assert status == "failed" and hint in message, message


def test_http_caching_needs_the_hook_on_the_given_app() -> None:
    source = HTTP_PREAMBLE + "from flask import Flask\ndef add_http_caching(app):\n" \
        "    other = Flask('other')\n    other.after_request(lambda r: r)\n"
    status, message = _status("production-http-caching", run_answer(source))
    assert status == "failed" and "public, max-age=300" in message, message
