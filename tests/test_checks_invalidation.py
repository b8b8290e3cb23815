"""The lesson 03 checkers: the solutions pass, placeholders are not attempted, and plausible
wrong answers fail with a hint that names the mistake (and never touch keys outside the check's
prefix)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat
import pytest

from support.backends import course_prefix, redis_client
from support.exercises import blank_solutions
from support.grading import Fail, Namespace, run_check

SOLUTIONS = Path(__file__).resolve().parent.parent / "solutions" / "03_invalidation.ipynb"


def answer_cell(exercise_id: str) -> str:
    nb = nbformat.read(SOLUTIONS, as_version=4)
    cells = [c.source for c in nb.cells
             if f"exercise:{exercise_id}" in c.metadata.get("tags", [])]
    assert len(cells) == 1, exercise_id
    return cells[0]


def run(exercise_id: str, source: str) -> Any:
    ns: dict[str, Any] = {}
    exec(source, ns)
    return run_check(exercise_id, ns)


def assert_fails(exercise_id: str, source: str, *fragments: str) -> None:
    result = run(exercise_id, source)
    assert result.status == "failed", result
    for fragment in fragments:
        assert fragment in result.message, result.message


@pytest.mark.parametrize("exercise_id", ["invalidation-product-list", "invalidation-versioned",
                                         "invalidation-stampede"])
def test_solution_passes_and_placeholder_is_not_attempted(exercise_id: str) -> None:
    source = answer_cell(exercise_id)
    result = run(exercise_id, source)
    assert result.status == "passed", result
    blank = run(exercise_id, blank_solutions(source))
    assert blank.status == "not-attempted", blank


@pytest.fixture
def bystander() -> Any:
    """A key of this run, outside every prefix a check uses: no answer may delete it."""
    client = redis_client()
    key = course_prefix("bystander") + "view//api/products"
    client.set(key, "keep me", ex=60)
    yield key
    assert client.exists(key), "a check let a wrong answer delete a key outside its prefix"
    client.delete(key)


@pytest.fixture
def stray() -> Any:
    """A key name of this run, outside every prefix a check uses: no answer may write it."""
    client = redis_client()
    key = course_prefix("stray") + "learner:data"
    client.delete(key)  # this run's own key: left over only by an earlier failing test
    yield key
    written = client.exists(key)
    client.delete(key)
    assert not written, "a check let a wrong answer write a key outside its prefix"


# --- invalidation-product-list -------------------------------------------------------------

LIST = "invalidation-product-list"


def invalidate(body: str) -> str:
    lines = "\n".join("    " + line for line in body.strip().splitlines())
    return f"import re\n\ndef invalidate_product_list(cache, redis):\n{lines}\n"


def test_list_rejects_the_articles_literal_key(bystander: str) -> None:
    assert_fails(LIST, invalidate("cache.delete('view//api/products')"),
                 "literal key 'view//api/products'", "hash")


def test_list_rejects_delete_many_with_a_pattern(bystander: str) -> None:
    assert_fails(LIST, invalidate("cache.delete_many('view//api/products*')"),
                 "delete and delete_many take exact keys")


def test_list_rejects_keys(bystander: str) -> None:
    source = invalidate("""
keys = redis.keys(cache.cache.key_prefix + 'view//api/products*')
if keys:
    redis.delete(*keys)
""")
    assert_fails(LIST, source, "KEYS", "blocks every other client", "scan_iter")


def test_list_rejects_a_scan_without_the_prefix(bystander: str) -> None:
    source = invalidate("""
keys = list(redis.scan_iter(match='view//api/products*'))
if keys:
    redis.delete(*keys)
""")
    assert_fails(LIST, source, "does not start with the cache's key prefix")


def test_list_rejects_a_scan_with_a_leading_wildcard(bystander: str) -> None:
    source = invalidate("""
keys = list(redis.scan_iter(match='*view//api/products*'))
if keys:
    redis.delete(*keys)
""")
    assert_fails(LIST, source, "does not start with the cache's key prefix", "other apps")


def test_list_rejects_a_scan_without_match(bystander: str) -> None:
    source = invalidate("""
keys = [k for k in redis.scan_iter() if b'view//api/products' in k]
if keys:
    redis.delete(*keys)
""")
    assert_fails(LIST, source, "has no match= pattern")


def test_list_rejects_deleting_outside_the_prefix(bystander: str) -> None:
    source = invalidate("""
redis.delete('view//api/products')
""")
    assert_fails(LIST, source, "outside the cache's prefix")


def test_list_rejects_scanned_keys_passed_to_cache_delete(bystander: str) -> None:
    source = invalidate("""
for key in redis.scan_iter(match=cache.cache.key_prefix + 'view//api/products*'):
    cache.delete(key)
""")
    assert_fails(LIST, source, "adds its prefix again", "redis.delete(*keys)")


def test_list_rejects_deleting_only_the_bare_path(bystander: str) -> None:
    source = invalidate("""
from flask import current_app
view = current_app.view_functions['list_products']
cache.delete_cached(view, '/api/products', {})
""")
    assert_fails(LIST, source, "only the bare path", "?page=1", "?page=2")


def test_list_rejects_deleting_the_whole_cache(bystander: str) -> None:
    source = invalidate("""
keys = list(redis.scan_iter(match=cache.cache.key_prefix + '*'))
if keys:
    redis.delete(*keys)
""")
    assert_fails(LIST, source, "also deleted the rest of the cache")


def test_list_rejects_cache_clear(bystander: str) -> None:
    assert_fails(LIST, invalidate("cache.clear()"), "KEYS", "cache.clear()")


def test_list_rejects_delete_with_no_keys() -> None:
    source = invalidate("""
redis.delete(*redis.scan_iter(match=cache.cache.key_prefix + 'view//api/products*'))
""")
    assert_fails(LIST, source, "with nothing cached yet", "no arguments")


def test_list_rejects_a_scan_that_deletes_nothing(bystander: str) -> None:
    source = invalidate("""
list(redis.scan_iter(match=cache.cache.key_prefix + 'view//api/products*'))
""")
    assert_fails(LIST, source, "still serve the old list")


def test_list_accepts_unlink_and_the_precise_hash_glob() -> None:
    source = invalidate("""
pattern = cache.cache.key_prefix + 'view//api/products' + '[0-9a-f]' * 64
for key in redis.scan_iter(match=pattern, count=100):
    redis.unlink(key)
""")
    assert run(LIST, source).status == "passed"


def test_list_rejects_a_glob_that_also_matches_product_pages(bystander: str) -> None:
    source = invalidate("""
keys = list(redis.scan_iter(match=cache.cache.key_prefix + 'view//api/products*'))
if keys:
    redis.delete(*keys)
""")
    assert_fails(LIST, source, "also deleted the cached product page", "'[0-9a-f]' * 64")


def test_list_rejects_one_scan_call_without_following_the_cursor(bystander: str) -> None:
    source = invalidate("""
prefix = re.sub(r"([*?\\[\\]\\\\])", r"\\\\\\1", cache.cache.key_prefix)
cursor, keys = redis.scan(0, match=prefix + 'view//api/products' + '[0-9a-f]' * 64, count=100)
if keys:
    redis.delete(*keys)
""")
    assert_fails(LIST, source, "stopped after one call", "until it returns 0", "scan_iter")


def test_list_rejects_deleting_only_the_pages_the_exercise_names(bystander: str) -> None:
    source = invalidate("""
from flask import current_app
view = current_app.view_functions['list_products']
for query in ({}, {'page': 1}, {'page': 2}):
    cache.delete_cached(view, '/api/products', query)
""")
    assert_fails(LIST, source, "pages the exercise names are fresh", "?page=3", "SCAN")


def test_list_rejects_a_glob_that_also_matches_another_view(bystander: str) -> None:
    source = invalidate("""
prefix = re.sub(r"([*?\\[\\]\\\\])", r"\\\\\\1", cache.cache.key_prefix)
keys = list(redis.scan_iter(match=prefix + 'view//api/products[^/]*', count=500))
if keys:
    redis.delete(*keys)
""")
    assert_fails(LIST, source, "/api/products-archive", "64 hex characters")


def test_list_accepts_a_scan_loop_that_follows_the_cursor() -> None:
    source = invalidate("""
prefix = re.sub(r"([*?\\[\\]\\\\])", r"\\\\\\1", cache.cache.key_prefix)
pattern = prefix + 'view//api/products' + '[0-9a-f]' * 64
cursor, deleted = 0, 0
while True:
    cursor, keys = redis.scan(cursor, match=pattern, count=200)
    if keys:
        deleted += redis.unlink(*keys)
    if cursor == 0:
        return deleted
""")
    result = run(LIST, source)
    assert result.status == "passed", result


def test_list_accepts_a_scan_filtered_with_a_regex() -> None:
    source = invalidate("""
prefix = cache.cache.key_prefix
keys = [key for key in redis.scan_iter(match=prefix + 'view//api/products*')
        if re.fullmatch(r'view//api/products[0-9a-f]{64}', key.decode()[len(prefix):])]
if keys:
    redis.delete(*keys)
""")
    assert run(LIST, source).status == "passed"


def test_list_accepts_deletes_in_a_pipeline() -> None:
    source = invalidate("""
pipe = redis.pipeline()
for key in redis.scan_iter(match=cache.cache.key_prefix + 'view//api/products' + '[0-9a-f]' * 64):
    pipe.unlink(key)
pipe.execute()
""")
    assert run(LIST, source).status == "passed"


def test_list_reports_an_ordinary_exception_on_the_empty_cache(bystander: str) -> None:
    source = invalidate("""
keys = list(redis.scan_iter(match=cache.cache.key_prefix + 'view//api/products*'))
redis.delete(*kyes)
""")
    result = run(LIST, source)
    assert result.status == "failed", result
    assert "NameError" in result.message and "kyes" in result.message, result.message
    assert "no arguments" not in result.message, result.message


def test_list_refuses_flushdb_through_execute_command(bystander: str) -> None:
    assert_fails(LIST, invalidate("redis.execute_command('FLUSHDB')"), "FLUSHDB")


def test_list_refuses_flushdb_in_a_pipeline(bystander: str) -> None:
    assert_fails(LIST, invalidate("redis.pipeline().flushdb().execute()"), "FLUSHDB")


def test_list_refuses_a_pipelined_delete_outside_the_prefix(bystander: str) -> None:
    source = invalidate("""
pipe = redis.pipeline()
pipe.delete('view//api/products')
pipe.execute()
""")
    assert_fails(LIST, source, "outside the cache's prefix")


def test_list_refuses_keys_through_execute_command(bystander: str) -> None:
    source = invalidate("""
keys = redis.execute_command('KEYS', cache.cache.key_prefix + 'view//api/products*')
if keys:
    redis.delete(*keys)
""")
    assert_fails(LIST, source, "KEYS", "blocks every other client")


def test_list_refuses_eval(bystander: str) -> None:
    assert_fails(LIST, invalidate("redis.eval(\"return redis.call('FLUSHDB')\", 0)"),
                 "EVAL", "refuses")


# commands the guard never sends (only an allow-list of string commands gets through), and
# allowed commands on a key outside the prefix; {key} is a key outside the check's prefix
OUTSIDE_THE_ALLOW_LIST = {
    "hset": ("redis.hset({key}, 'field', 1)", "HSET"),
    "hdel": ("redis.hdel({key}, 'field')", "HDEL"),
    "lpush": ("redis.lpush({key}, 1)", "LPUSH"),
    "rpush in a pipeline": ("redis.pipeline().rpush({key}, 1).execute()", "RPUSH"),
    "sadd": ("redis.sadd({key}, 1)", "SADD"),
    "zadd": ("redis.zadd({key}, {{'a': 1}})", "ZADD"),
    "setrange": ("redis.execute_command('SETRANGE', {key}, 0, 'x')", "SETRANGE"),
    "setbit": ("redis.setbit({key}, 1, 1)", "SETBIT"),
    "pfadd": ("redis.pfadd({key}, 'a')", "PFADD"),
    "xadd": ("redis.xadd({key}, {{'a': 1}})", "XADD"),
    "sunionstore": ("redis.sunionstore({key}, [cache.cache.key_prefix + 'a'])", "SUNIONSTORE"),
    "set outside the prefix": ("redis.set({key}, 1)", "SET on"),
    "mset with one key outside": ("redis.mset({{cache.cache.key_prefix + 'a': 1, {key}: 2}})",
                                  "MSET on"),
    "a lock outside the prefix": ("redis.lock({key}, timeout=5).acquire()", "SET on"),
}


@pytest.mark.parametrize("case", OUTSIDE_THE_ALLOW_LIST)
def test_list_refuses_commands_outside_the_allow_list(case: str, stray: str,
                                                      bystander: str) -> None:
    call, command = OUTSIDE_THE_ALLOW_LIST[case]
    source = invalidate(call.format(key=repr(stray)))
    assert_fails(LIST, source, command, "redis.scan_iter(match=...)")


def test_list_reports_a_refusal_the_answer_swallowed(stray: str) -> None:
    source = invalidate(f"""
try:
    redis.hset({stray!r}, 'field', 1)
except Exception:
    pass
keys = list(redis.scan_iter(match=cache.cache.key_prefix + 'view//api/products' + '[0-9a-f]' * 64))
if keys:
    redis.delete(*keys)
""")
    assert_fails(LIST, source, "HSET", "refuses")


# --- invalidation-versioned ----------------------------------------------------------------

VERSIONED = "invalidation-versioned"
GOOD_KEY = """
def product_key(cache, product_id):
    return f"product:v{cache.get('products:version') or 0}:{product_id}"
"""
GOOD_BUMP = """
def bump_products_version(cache):
    cache.cache.inc('products:version')
"""


def test_versioned_rejects_a_version_in_a_python_variable() -> None:
    source = """
VERSION = 0

def product_key(cache, product_id):
    return f"product:v{VERSION}:{product_id}"

def bump_products_version(cache):
    global VERSION
    VERSION += 1
"""
    assert_fails(VERSIONED, source, "Python variable", "other workers")


def test_versioned_rejects_a_fixed_version() -> None:
    source = GOOD_KEY + """
def bump_products_version(cache):
    cache.set('products:version', 2, timeout=0)
"""
    assert_fails(VERSIONED, source, "second bump brought back an earlier key")


def test_versioned_rejects_a_key_without_the_version() -> None:
    source = GOOD_BUMP + """
def product_key(cache, product_id):
    return f"product:{product_id}"
"""
    assert_fails(VERSIONED, source, "returned the same key", "put the version in the key")


def test_versioned_rejects_a_key_without_the_id() -> None:
    source = GOOD_BUMP + """
def product_key(cache, product_id):
    return f"product:v{cache.get('products:version') or 0}"
"""
    assert_fails(VERSIONED, source, "same key", "product id")


def test_versioned_rejects_a_new_key_on_every_call() -> None:
    source = GOOD_BUMP + """
import uuid

def product_key(cache, product_id):
    return f"product:{uuid.uuid4().hex}:{product_id}"
"""
    assert_fails(VERSIONED, source, "different key on each call")


def test_versioned_rejects_a_version_read_once() -> None:
    source = """
_seen = {}

def product_key(cache, product_id):
    from flask import current_app
    name = current_app.name
    if name not in _seen:
        _seen[name] = cache.get('products:version') or 0
    return f"product:v{_seen[name]}:{product_id}"

def bump_products_version(cache):
    from flask import current_app
    _seen.pop(current_app.name, None)
    cache.cache.inc('products:version')
"""
    assert_fails(VERSIONED, source, "another worker still builds the old key")


def test_versioned_rejects_a_version_memoised_in_the_process() -> None:
    source = """
_version = None

def product_key(cache, product_id):
    global _version
    if _version is None:
        _version = cache.get('products:version') or 0
    return f'product:v{_version}:{product_id}'

def bump_products_version(cache):
    global _version
    _version = cache.cache.inc('products:version')
"""
    assert_fails(VERSIONED, source, "worker process 2 still builds the old key", "Python variable")


def test_versioned_rejects_a_local_bump_counter() -> None:
    source = """
import itertools
_bumps = itertools.count(1)
_seen = {'version': 0}

def product_key(cache, product_id):
    return f"product:v{_seen['version']}:{product_id}"

def bump_products_version(cache):
    cache.cache.inc('products:version')
    _seen['version'] = next(_bumps)
"""
    assert_fails(VERSIONED, source, "still builds the old key")


def test_versioned_reports_a_key_that_is_not_a_string() -> None:
    source = GOOD_BUMP + """
def product_key(cache, product_id):
    return (cache.get('products:version') or 0, product_id)
"""
    assert_fails(VERSIONED, source, "as a str")


def test_versioned_rejects_a_version_key_that_expires() -> None:
    source = GOOD_KEY + """
def bump_products_version(cache):
    version = cache.get('products:version') or 0
    cache.set('products:version', version + 1, timeout=5)
"""
    assert_fails(VERSIONED, source, "expires", "v0 entries come back", "cache.cache.inc")


def test_versioned_rejects_a_version_key_with_the_default_timeout() -> None:
    source = GOOD_KEY + """
def bump_products_version(cache):
    cache.set('products:version', (cache.get('products:version') or 0) + 1)
"""
    assert_fails(VERSIONED, source, "expires")


def test_versioned_rejects_a_get_then_set_bump() -> None:
    source = GOOD_KEY + """
def bump_products_version(cache):
    version = cache.get('products:version') or 0
    cache.set('products:version', version + 1, timeout=0)
"""
    assert_fails(VERSIONED, source, "bumped at the same moment", "get, then set", "INCR")


def test_versioned_accepts_a_read_before_an_atomic_increment() -> None:
    source = GOOD_KEY + """
def bump_products_version(cache):
    if cache.get('products:version') is None:
        cache.add('products:version', 0, timeout=0)
    cache.cache.inc('products:version')
"""
    assert run(VERSIONED, source).status == "passed"


def test_versioned_accepts_a_read_after_an_atomic_increment() -> None:
    source = GOOD_KEY + """
def bump_products_version(cache):
    cache.cache.inc('products:version')
    return cache.get('products:version')
"""
    assert run(VERSIONED, source).status == "passed"


def test_versioned_rejects_a_key_without_a_separator() -> None:
    source = GOOD_BUMP + """
def product_key(cache, product_id):
    return f"product:v{cache.get('products:version') or 0}{product_id}"
"""
    assert_fails(VERSIONED, source, "version 1 + id 11", "separator")


def test_versioned_refuses_cache_clear() -> None:
    source = GOOD_KEY + """
def bump_products_version(cache):
    cache.clear()
    cache.cache.inc('products:version')
"""
    assert_fails(VERSIONED, source, "KEYS", "cache.clear()", "cache.cache.inc")


def test_versioned_refuses_a_write_outside_the_prefix(stray: str) -> None:
    source = GOOD_KEY + f"""
def bump_products_version(cache):
    cache.cache._write_client.hset({stray!r}, 'version', 1)
    cache.cache.inc('products:version')
"""
    assert_fails(VERSIONED, source, "HSET", "refuses")


def test_versioned_refuses_a_version_outside_the_prefix(stray: str) -> None:
    source = f"""
def product_key(cache, product_id):
    version = cache.cache._read_client.get({stray!r}) or b'0'
    return f"product:v{{version.decode()}}:{{product_id}}"

def bump_products_version(cache):
    cache.cache._write_client.incr({stray!r})
"""
    assert_fails(VERSIONED, source, "outside the cache's prefix")


def test_versioned_refuses_deleting_outside_the_prefix(bystander: str) -> None:
    source = GOOD_KEY + f"""
def bump_products_version(cache):
    cache.cache.inc('products:version')
    cache.cache._write_client.delete({bystander!r})
"""
    assert_fails(VERSIONED, source, "deleted", "outside the cache's prefix")


def test_versioned_reports_a_refusal_the_answer_swallowed() -> None:
    source = GOOD_KEY + """
def bump_products_version(cache):
    try:
        cache.clear()
    except Exception:
        pass
    cache.cache.inc('products:version')
"""
    assert_fails(VERSIONED, source, "KEYS", "cache.clear()")


def test_versioned_separator_check_refuses_clear_and_stray_writes(stray: str) -> None:
    from support.checks.invalidation import _judge_separator

    answer: dict[str, Any] = {}
    exec(GOOD_KEY + f"""
def bump_products_version(cache):
    cache.cache.inc('products:version')

def clearing_bump(cache):
    cache.clear()

def stray_bump(cache):
    cache.cache._write_client.lpush({stray!r}, 1)
    cache.cache.inc('products:version')

def swallowing_bump(cache):
    try:
        cache.cache._write_client.hset({stray!r}, 'v', 1)
    except Exception:
        pass
    cache.cache.inc('products:version')
""", answer)
    ns = Namespace(answer)
    key = answer["product_key"]
    with pytest.raises(Fail, match="KEYS"):
        _judge_separator(ns, key, answer["clearing_bump"], redis_client())
    with pytest.raises(Fail, match="LPUSH"):
        _judge_separator(ns, key, answer["stray_bump"], redis_client())
    with pytest.raises(Fail, match="HSET"):
        _judge_separator(ns, key, answer["swallowing_bump"], redis_client())
    _judge_separator(ns, key, answer["bump_products_version"], redis_client())


# --- invalidation-stampede -----------------------------------------------------------------

STAMPEDE = "invalidation-stampede"
ANCHOR = "    backend = cache.cache\n"


def stampede(body: str, imports: str = "") -> str:
    """A get_or_compute with `body`; `imports` go above it."""
    lines = "\n".join("    " + line for line in body.strip().splitlines())
    return (f"import secrets\nimport time\nfrom redis.exceptions import WatchError\n{imports}\n\n"
            f"def get_or_compute(cache, key, compute, timeout):\n{lines}\n")


# the parts of a correct answer, for wrong answers that differ in one place
RELEASE = """
with redis.pipeline() as pipe:
    try:
        pipe.watch(lock)
        if pipe.get(lock) == token:
            pipe.multi()
            pipe.delete(lock)
            pipe.execute()
    except WatchError:
        pass
"""


def good(take: str = "redis.set(lock, token, nx=True, px=6000)", release: str = RELEASE,
         miss: str = "boxed is not None", store: str = "cache.set(key, (value,), timeout=timeout)",
         unbox: str = "boxed[0]") -> str:
    release = "\n".join("            " + line for line in release.strip().splitlines())
    return stampede(f"""
redis = cache.cache._write_client
lock = cache.cache.key_prefix + key + ':lock'
while True:
    boxed = cache.get(key)
    if {miss}:
        return {unbox}
    token = secrets.token_hex(16).encode()
    if {take}:
        try:
            boxed = cache.get(key)
            if {miss}:
                return {unbox}
            value = compute()
            {store}
            return value
        finally:
{release}
    time.sleep(0.01)
""")


def test_stampede_test_helper_builds_the_solution_shape() -> None:
    assert run(STAMPEDE, good()).status == "passed"


def test_stampede_rejects_no_lock() -> None:
    source = stampede("""
boxed = cache.get(key)
if boxed is not None:
    return boxed[0]
value = compute()
cache.set(key, (value,), timeout=timeout)
return value
""")
    assert_fails(STAMPEDE, source, "both ran compute", "stampede", "no lock")


def test_stampede_rejects_a_check_then_set_lock() -> None:
    source = good(take="not cache.has(key + ':lock') and cache.set(key + ':lock', token, timeout=6)",
                  release="cache.delete(key + ':lock')")
    assert_fails(STAMPEDE, source, "atomically", "has() or get(), then set()", "nx=True")


def test_stampede_rejects_releasing_the_lock_before_storing_the_value() -> None:
    source = stampede("""
redis = cache.cache._write_client
lock = cache.cache.key_prefix + key + ':lock'
while True:
    boxed = cache.get(key)
    if boxed is not None:
        return boxed[0]
    token = secrets.token_hex(16).encode()
    if redis.set(lock, token, nx=True, px=6000):
        boxed = cache.get(key)
        if boxed is not None:
            redis.delete(lock)
            return boxed[0]
        try:
            value = compute()
        finally:
            redis.delete(lock)
        cache.set(key, (value,), timeout=timeout)
        return value
    time.sleep(0.01)
""")
    assert_fails(STAMPEDE, source, "released its lock before it stored the value")


def test_stampede_rejects_looking_again_before_instead_of_after_the_lock() -> None:
    source = stampede("""
redis = cache.cache._write_client
lock = cache.cache.key_prefix + key + ':lock'
while True:
    boxed = cache.get(key)
    if boxed is None:
        boxed = cache.get(key)   # the second look, but before the lock
    if boxed is not None:
        return boxed[0]
    token = secrets.token_hex(16).encode()
    if redis.set(lock, token, nx=True, px=6000):
        try:
            value = compute()
            cache.set(key, (value,), timeout=timeout)
            return value
        finally:
            redis.delete(lock)
    time.sleep(0.01)
""")
    assert_fails(STAMPEDE, source, "after the lock is yours, read the cache again")


def test_stampede_rejects_no_second_look() -> None:
    second_look = ("                boxed = cache.get(key)\n"
                   "                if boxed is not None:\n"
                   "                    return boxed[0]\n")
    source = good().replace(second_look, "")
    assert "value = compute()" in source and source.count("cache.get(key)") == 1
    assert_fails(STAMPEDE, source, "computed it again", "read the cache again")


def test_stampede_rejects_waiters_that_only_poll() -> None:
    source = stampede("""
redis = cache.cache._write_client
lock = cache.cache.key_prefix + key + ':lock'
boxed = cache.get(key)
if boxed is not None:
    return boxed[0]
token = secrets.token_hex(16).encode()
if redis.set(lock, token, nx=True, px=6000):
    try:
        boxed = cache.get(key)
        if boxed is not None:
            return boxed[0]
        value = compute()
        cache.set(key, (value,), timeout=timeout)
        return value
    finally:
        with redis.pipeline() as pipe:
            try:
                pipe.watch(lock)
                if pipe.get(lock) == token:
                    pipe.multi()
                    pipe.delete(lock)
                    pipe.execute()
            except WatchError:
                pass
while (boxed := cache.get(key)) is None:   # wait for the holder: for ever if it fails
    time.sleep(0.01)
return boxed[0]
""")
    assert_fails(STAMPEDE, source, "only poll", "keep trying to take the lock")


def test_stampede_rejects_a_truthiness_test() -> None:
    source = good(miss="boxed", unbox="boxed").replace("(value,)", "value")
    assert_fails(STAMPEDE, source, "returned 0", "truthiness test", "is None")


def test_stampede_rejects_none_without_a_sentinel() -> None:
    source = good(miss="boxed is not None", unbox="boxed").replace("(value,)", "value")
    assert_fails(STAMPEDE, source, "returned None", "looks like a miss", "box")


def test_stampede_rejects_a_lock_without_an_owner_token() -> None:
    source = good(take="cache.add(key + ':lock', 1, timeout=6)",
                  release="cache.delete(key + ':lock')")
    assert_fails(STAMPEDE, source, "which was B's", "token", "compare-and-delete")


def test_stampede_rejects_a_compare_then_delete_in_two_commands() -> None:
    source = good(release="if redis.get(lock) == token:\n    redis.delete(lock)")
    assert_fails(STAMPEDE, source, "in two commands", "WATCH")


def test_stampede_rejects_an_uncaught_watch_error() -> None:
    source = good(release="""
with redis.pipeline() as pipe:
    pipe.watch(lock)
    if pipe.get(lock) == token:
        pipe.multi()
        pipe.delete(lock)
        pipe.execute()
""")
    assert_fails(STAMPEDE, source, "WatchError", "catch")


def test_stampede_rejects_a_lock_without_timeout() -> None:
    source = good(take="redis.set(lock, token, nx=True)")
    assert_fails(STAMPEDE, source, "no timeout")


def test_stampede_rejects_a_lock_shorter_than_the_worst_case() -> None:
    source = good(take="redis.set(lock, token, nx=True, px=1000)")
    assert_fails(STAMPEDE, source, "expires after about 1.0 s", "worst case")


def test_stampede_rejects_a_lock_far_longer_than_needed() -> None:
    source = good(take="redis.set(lock, token, nx=True, ex=3600)")
    assert_fails(STAMPEDE, source, "lasts 3600 s", "waits")


def test_stampede_rejects_a_lock_never_released() -> None:
    assert_fails(STAMPEDE, good(release="pass"), "is still in the cache", "finally")


def test_stampede_rejects_a_release_outside_finally() -> None:
    source = stampede("""
redis = cache.cache._write_client
lock = cache.cache.key_prefix + key + ':lock'
while True:
    boxed = cache.get(key)
    if boxed is not None:
        return boxed[0]
    token = secrets.token_hex(16).encode()
    if redis.set(lock, token, nx=True, px=6000):
        boxed = cache.get(key)
        if boxed is None:
            value = compute()
            cache.set(key, (value,), timeout=timeout)
            boxed = (value,)
        if redis.get(lock) == token:
            redis.delete(lock)
        return boxed[0]
    time.sleep(0.01)
""")
    assert_fails(STAMPEDE, source, "when compute raised", "finally")


def test_stampede_rejects_swallowing_the_computations_error() -> None:
    source = good().replace("                value = compute()\n",
                            "                try:\n                    value = compute()\n"
                            "                except Exception:\n                    return None\n")
    assert "except Exception" in source
    assert_fails(STAMPEDE, source, "instead of letting the error propagate")


def test_stampede_rejects_a_python_lock() -> None:
    source = stampede("""
with _lock:
    boxed = cache.get(key)
    if boxed is None:
        boxed = (compute(),)
        cache.set(key, boxed, timeout=timeout)
return boxed[0]
""", imports="import threading\n_lock = threading.Lock()")
    assert_fails(STAMPEDE, source, "threading.Lock", "other workers")


def test_stampede_rejects_ignoring_the_timeout() -> None:
    source = good(store="cache.set(key, (value,))")
    assert_fails(STAMPEDE, source, "not the timeout=30")


def test_stampede_rejects_losers_returning_none() -> None:
    source = stampede("""
redis = cache.cache._write_client
lock = cache.cache.key_prefix + key + ':lock'
boxed = cache.get(key)
if boxed is not None:
    return boxed[0]
token = secrets.token_hex(16).encode()
if redis.set(lock, token, nx=True, px=6000):
    try:
        value = compute()
        cache.set(key, (value,), timeout=timeout)
        return value
    finally:
        redis.delete(lock)
return None
""")
    assert_fails(STAMPEDE, source, "returned")


def test_stampede_reports_an_exception_in_the_answer() -> None:
    source = """
def get_or_compute(cache, key, compute, timeout):
    return cache.get_or_set(key, compute, timeout)
"""
    result = run(STAMPEDE, source)
    assert result.status == "failed", result
    assert "AttributeError" in result.message or "TypeError" in result.message, result.message


# --- correct alternatives -----------------------------------------------------------------


def test_stampede_accepts_cache_add_with_a_token_and_a_watched_release() -> None:
    source = good(take="cache.add(key + ':lock', token, timeout=6)", release="""
with redis.pipeline() as pipe:
    try:
        pipe.watch(lock)
        if cache.get(key + ':lock') == token:
            pipe.multi()
            pipe.delete(lock)
            pipe.execute()
    except WatchError:
        pass
""")
    result = run(STAMPEDE, source)
    assert result.status == "passed", result


def test_stampede_accepts_a_dict_box_and_taking_the_lock_before_looking() -> None:
    source = stampede("""
redis = cache.cache._write_client
lock = cache.cache.key_prefix + key + ':lock'
while True:
    token = secrets.token_hex(16).encode()
    if redis.set(lock, token, nx=True, px=5000):
        try:
            entry = cache.get(key)
            if entry is None:
                entry = {'value': compute()}
                cache.set(key, entry, timeout=timeout)
            return entry['value']
        finally:
            with redis.pipeline() as pipe:
                try:
                    pipe.watch(lock)
                    if pipe.get(lock) == token:
                        pipe.multi()
                        pipe.delete(lock)
                        pipe.execute()
                except WatchError:
                    pass
    entry = cache.get(key)
    if entry is not None:
        return entry['value']
    time.sleep(0.01)
""")
    result = run(STAMPEDE, source)
    assert result.status == "passed", result


def _lua_available() -> bool:
    try:
        redis_client().eval("return 1", 0)
    except Exception:
        return False
    return True


def test_stampede_accepts_a_lua_release_or_explains_the_embedded_redis() -> None:
    source = good(release="""
redis.eval("if redis.call('get', KEYS[1]) == ARGV[1] then "
           "return redis.call('del', KEYS[1]) end return 0", 1, lock, token)
""")
    result = run(STAMPEDE, source)
    if _lua_available():
        assert result.status == "passed", result
    else:
        assert result.status == "failed" and "lupa" in result.message, result


# --- the guard ----------------------------------------------------------------------------


def with_extra(line: str) -> str:
    source = answer_cell(STAMPEDE)
    assert ANCHOR in source
    return source.replace(ANCHOR, ANCHOR + f"    {line}\n")


def test_stampede_refuses_cache_clear() -> None:
    assert_fails(STAMPEDE, with_extra("cache.clear()"), "KEYS", "cache.clear()")


def test_stampede_refuses_a_lock_outside_the_prefix(stray: str) -> None:
    source = answer_cell(STAMPEDE).replace(
        'lock = backend.key_prefix + key + ":lock"', f"lock = {stray!r}")
    assert stray in source
    assert_fails(STAMPEDE, source, "SET on", "outside the cache's prefix")


def test_stampede_refuses_a_write_outside_the_allow_list(stray: str) -> None:
    assert_fails(STAMPEDE, with_extra(f"cache.cache._write_client.lpush({stray!r}, key)"),
                 "LPUSH", "refuses")


def test_stampede_refuses_deleting_outside_the_prefix(bystander: str) -> None:
    assert_fails(STAMPEDE, with_extra(f"cache.cache._write_client.unlink({bystander!r})"),
                 "deleted", "outside the cache's prefix")


def test_stampede_refuses_a_script_that_flushes(bystander: str) -> None:
    source = with_extra("cache.cache._write_client.eval(\"redis.call('FLUSHDB')\", 1, "
                        "cache.cache.key_prefix + key)")
    assert_fails(STAMPEDE, source, "flushes or lists the database")


def test_stampede_refuses_a_script_without_keys(bystander: str) -> None:
    assert_fails(STAMPEDE, with_extra("cache.cache._write_client.eval('return 1', 0)"),
                 "declares no key")


def test_stampede_reports_a_refusal_the_answer_swallowed(stray: str) -> None:
    source = with_extra(f"try:\n        cache.cache._write_client.hset({stray!r}, 'k', 1)\n"
                        "    except Exception:\n        pass")
    assert_fails(STAMPEDE, source, "HSET", "refuses")


def test_stampede_scenarios_are_deterministic() -> None:
    """The same wrong answer gets the same verdict every time (the scheduler, not luck)."""
    source = good(take="not cache.has(key + ':lock') and cache.set(key + ':lock', token, timeout=6)",
                  release="cache.delete(key + ':lock')")
    messages = {run(STAMPEDE, source).message for _ in range(3)}
    assert len(messages) == 1, messages


def test_versioned_rejects_a_version_ignored_by_the_key_with_the_shortest_sequence() -> None:
    from support.checks.invalidation import _judge_sequences

    wrong: dict[str, Any] = {}
    exec("""
def product_key(cache, product_id):
    return f"product:{product_id}"

def bump_products_version(cache):
    cache.cache.inc("products:version")
""", wrong)
    with pytest.raises(Fail, match="stores product 1; worker 2 bumps; worker 1 reads product 1: "
                                   "the last read got 'product 1 as of bump 0'"):
        _judge_sequences(wrong["product_key"], wrong["bump_products_version"], redis_client())


def test_versioned_rejects_keys_that_differ_between_calls_with_the_shortest_sequence() -> None:
    from support.checks.invalidation import _judge_sequences

    wrong: dict[str, Any] = {}
    exec("""
import itertools
_calls = itertools.count()

def product_key(cache, product_id):
    return f"product:v{cache.get('products:version') or 0}:{product_id}:{next(_calls)}"

def bump_products_version(cache):
    cache.cache.inc("products:version")
""", wrong)
    with pytest.raises(Fail, match="stores product 1; worker 2 reads product 1: the last read "
                                   "missed"):
        _judge_sequences(wrong["product_key"], wrong["bump_products_version"], redis_client())
