"""The lesson 03 checkers: the solutions pass, placeholders are not attempted, and what needs
more than "this answer fails with this hint" (a bystander key outside the check's prefix that
must survive, a stray key that must not be written, the checkers' own helpers, determinism).

The plausible wrong answers and the correct alternatives judged only by their verdict and hint
live as files in tests/mutants/invalidation-*/ (graded by tests/test_hand_written.py and
``python -m support mutants``)."""

from __future__ import annotations

from typing import Any

import nbformat
import pytest

from support.backends import course_prefix, redis_client
from support.tools.exercises import blank_solutions
from support.course import SOLUTIONS_DIR, tagged
from support.grading import Fail, Namespace, run_check

SOLUTIONS = SOLUTIONS_DIR / "03_invalidation.ipynb"


def answer_cell(exercise_id: str) -> str:
    nb = nbformat.read(SOLUTIONS, as_version=4)
    cells = [c.source for c in tagged(nb.cells, f"exercise:{exercise_id}")]
    assert len(cells) == 1, exercise_id
    return cells[0]


def run(exercise_id: str, source: str) -> Any:
    ns: dict[str, Any] = {"__fcc_source__": source}  # what a worker process runs again
    exec(source, ns)
    return run_check(exercise_id, ns)


def assert_fails(exercise_id: str, source: str, *fragments: str) -> None:
    result = run(exercise_id, source)
    assert result.status == "failed", result
    for fragment in fragments:
        assert fragment in result.message, result.message


@pytest.mark.solution
@pytest.mark.parametrize("exercise_id", ["invalidation-product-list", "invalidation-versioned",
                                         "invalidation-stampede"])
def test_solution_passes(exercise_id: str) -> None:
    source = answer_cell(exercise_id)
    result = run(exercise_id, source)
    assert result.status == "passed", result


@pytest.mark.parametrize("exercise_id", ["invalidation-product-list", "invalidation-versioned",
                                         "invalidation-stampede"])
def test_placeholder_is_not_attempted(exercise_id: str) -> None:
    source = answer_cell(exercise_id)
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


def test_list_rejects_deleting_outside_the_prefix(bystander: str) -> None:
    source = invalidate("""
redis.delete('view//api/products')
""")
    assert_fails(LIST, source, "outside the cache's prefix")


def test_list_reports_an_ordinary_exception_on_the_empty_cache(bystander: str) -> None:
    source = invalidate("""
prefix = re.sub(r"([*?\\[\\]\\\\])", r"\\\\\\1", cache.cache.key_prefix)
keys = list(redis.scan_iter(match=prefix + 'view//api/products' + '[0-9a-f]' * 64))
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



def test_list_guard_asks_to_escape_only_a_prefix_with_glob_characters() -> None:
    """A plain prefix may go into MATCH as it is; one with [ ] * ? must be escaped, and the
    refusal says so (not "does not start with the prefix")."""
    from support.checks.plumbing import GuardedRedis, glob_escape

    raw = redis_client()
    plain = GuardedRedis(raw, "course:plain:")
    list(plain.scan_iter(match="course:plain:view//*"))
    assert plain.violation is None
    globby = GuardedRedis(raw, "course:a[1]*?:")
    for pattern in ("course:a[1]*?:view//*", "course:a\\[1]*?:view//*"):
        with pytest.raises(Fail, match="glob characters"):
            list(globby.scan_iter(match=pattern))
    escaped = GuardedRedis(raw, "course:a[1]*?:")
    list(escaped.scan_iter(match=glob_escape("course:a[1]*?:") + "view//*"))
    assert escaped.violation is None
    elsewhere = GuardedRedis(raw, "course:a[1]*?:")
    with pytest.raises(Fail, match="does not start with"):
        list(elsewhere.scan_iter(match="view//*"))

# --- invalidation-versioned ----------------------------------------------------------------

VERSIONED = "invalidation-versioned"
GOOD_KEY = """
def product_key(cache, product_id):
    return f"product:v{cache.get('products:version') or 0}:{product_id}"
"""


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


def test_stampede_reports_an_exception_in_the_answer() -> None:
    source = """
def get_or_compute(cache, key, compute, timeout):
    return cache.get_or_set(key, compute, timeout)
"""
    result = run(STAMPEDE, source)
    assert result.status == "failed", result
    assert "AttributeError" in result.message or "TypeError" in result.message, result.message


# --- correct alternatives -----------------------------------------------------------------


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


def versioned_answer(source: str) -> dict[str, Any]:
    answer: dict[str, Any] = {}
    exec(source, answer)
    return answer


def test_versioned_scenarios_reject_a_version_ignored_by_the_key_with_the_shortest_sequence(
) -> None:
    from support.checks.invalidation import versioned_scenarios

    wrong = versioned_answer("""
def product_key(cache, product_id):
    return f"product:{product_id}"

def bump_products_version(cache):
    cache.cache.inc("products:version")
""")
    with pytest.raises(Fail) as failure:
        versioned_scenarios(wrong["product_key"], wrong["bump_products_version"], redis_client())
    assert str(failure.value) == (
        "`worker 1 reads product 1` then `worker 1 changes product 1 and bumps` then `worker 1 "
        "reads product 1`: the third was served the first's product."), failure.value


def test_versioned_scenarios_reject_keys_that_differ_between_calls() -> None:
    from support.checks.invalidation import versioned_scenarios

    wrong = versioned_answer("""
import itertools
_calls = itertools.count()

def product_key(cache, product_id):
    return f"product:v{cache.get('products:version') or 0}:{product_id}:{next(_calls)}"

def bump_products_version(cache):
    cache.cache.inc("products:version")
""")
    with pytest.raises(Fail, match=r"^`worker 1 reads product 1` then `worker 1 reads product 1`: "
                                   r"every answer was right, but your version did the work 2 "
                                   r"time\(s\) where the worked solution did it 1 time\(s\)"):
        versioned_scenarios(wrong["product_key"], wrong["bump_products_version"], redis_client())


def test_versioned_scenarios_pass_the_solution_on_every_sequence() -> None:
    from support.checks.invalidation import versioned_scenarios

    right = versioned_answer(answer_cell(VERSIONED))
    verdict = versioned_scenarios(right["product_key"], right["bump_products_version"],
                                  redis_client())
    assert verdict.scenarios >= 20 and verdict.steps > 2 * verdict.scenarios


def test_list_scenarios_name_the_shortest_sequence_that_serves_a_stale_page() -> None:
    """An invalidation that deletes the first page's entry only: the generated sequences find a
    stale second page, whatever the fixed scene would say."""
    from support.checks.invalidation import product_list_scenarios

    def first_page_only(cache: Any, redis: Any) -> int:
        from flask import current_app

        view = current_app.view_functions["list_products"]
        return int(cache.delete_cached(view, "/api/products", {}))

    with pytest.raises(Fail) as failure:
        product_list_scenarios(first_page_only, redis_client())
    message = str(failure.value)
    assert message.startswith("`GET /api/products?") and "then `create a product" in message
    assert message.endswith("the third was served the first's body."), message


def test_list_scenarios_reject_an_invalidation_that_also_deletes_product_pages() -> None:
    """More work than the worked solution fails too (the check itself looks less hard, as its
    fixed scene names this mistake first)."""
    from support.checks.invalidation import product_list_scenarios
    from support.checks.plumbing import glob_escape
    from support.checks.transparency import Budget

    def also_product_pages(cache: Any, redis: Any) -> int:
        keys = list(redis.scan_iter(match=glob_escape(cache.cache.key_prefix)
                                    + "view//api/products*"))
        return redis.delete(*keys) if keys else 0

    with pytest.raises(Fail, match="the cache missed where it could have hit"):
        product_list_scenarios(also_product_pages, redis_client(), Budget(40, 6))
