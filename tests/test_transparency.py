"""support.checks.transparency, both ways, on small example apps."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask, request
from flask_caching import Cache
from hypothesis import strategies as st

from support.backends import simple_config
from support.checks.transparency import (Budget, Side, Step, call_steps, describe_mismatch,
                                         flask_side, get_steps, judge, query_urls)
from support.grading import Fail

PRODUCTS = [("kettle", "kitchen"), ("lamp", "home"), ("mug", "kitchen"), ("rug", "")]


def shop(key: str) -> Side:
    """The listing view cached with one of several keys ('none': no cache at all)."""
    app = Flask(f"transparency-{key}")
    cache = Cache(app, config=simple_config())
    calls = {"n": 0}

    def make_key() -> str:
        category = request.args.get("category")
        if key == "merges-absent-and-empty":
            return f"products:{category or ''}"
        if key == "lowercases":
            return f"products:{(category or '').lower()}:{category is None}"
        return f"products:{category!r}"

    options: dict[str, Any] = {"timeout": 60}
    if key == "none":
        options["unless"] = lambda: True
    elif key == "path-only":
        options = {}
    elif key == "query-string":
        options["query_string"] = True
    else:
        options["make_cache_key"] = make_key

    @app.get("/api/products")
    @cache.cached(**options)
    def products() -> Any:
        calls["n"] += 1
        category = request.args.get("category")
        return {"products": [name for name, c in PRODUCTS if category is None or c == category]}

    return flask_side(app, work=lambda: calls["n"])


URLS = get_steps(query_urls("/api/products", {"category": [None, "", "kitchen", "Kitchen",
                                                            "home"]}, repeat=False))


def judge_shop(key: str) -> Any:
    return judge(lambda: shop(key), lambda: shop("none"), URLS,
                 reference=lambda: shop("query-string"), budget=Budget(examples=60, steps=5))


@pytest.mark.parametrize("key", ["query-string", "correct"])
def test_correct_keys_pass(key: str) -> None:
    verdict = judge_shop(key)
    assert verdict.scenarios >= 10 and verdict.steps > verdict.scenarios


def test_a_key_that_merges_absent_and_empty_fails_with_the_shortest_sequence() -> None:
    with pytest.raises(Fail) as failure:
        judge_shop("merges-absent-and-empty")
    message = str(failure.value)
    assert message in {
        "`GET /api/products?category=` then `GET /api/products`: the second was served the "
        "first's body.",
        "`GET /api/products` then `GET /api/products?category=`: the second was served the "
        "first's body."}


def test_a_path_only_key_fails() -> None:
    with pytest.raises(Fail, match="the second was served the first's body"):
        judge_shop("path-only")


def test_a_key_that_normalises_case_fails() -> None:
    with pytest.raises(Fail, match=r"category=[Kk]itchen` then `GET /api/products\?category="
                                   r"[Kk]itchen`: the second was served the first's body"):
        judge_shop("lowercases")


def test_no_cache_answers_right_but_saves_nothing() -> None:
    with pytest.raises(Fail, match="did the work 2 time.s. where the worked solution did it 1"):
        judge_shop("none")


def test_the_verdict_is_the_same_on_every_run() -> None:
    messages = set()
    for _ in range(3):
        with pytest.raises(Fail) as failure:
            judge_shop("merges-absent-and-empty")
        messages.add(str(failure.value))
    assert len(messages) == 1


def memo_side(broken: bool) -> Side:
    """square(n) memoised on str(n)[:1] when broken (ids that share a prefix collide)."""
    store: dict[Any, int] = {}
    calls = {"n": 0}

    def play(step: Step) -> Any:
        (n,) = step.args
        key = str(n)[:1] if broken else n
        if key not in store:
            calls["n"] += 1
            store[key] = n * n
        return store[key]

    return Side(play, lambda: calls["n"], entries=lambda: len(store))


def test_function_calls_and_prefix_ids() -> None:
    calls = call_steps("square", st.sampled_from([1, 10, 11, 2]).map(lambda n: (n,)))
    truth = lambda: Side(lambda step: step.args[0] ** 2)  # noqa: E731
    judge(lambda: memo_side(False), truth, calls)
    with pytest.raises(Fail, match=r"`square\(1\)` then `square\(1[01]\)`: the second was "
                                   "served the first's result"):
        judge(lambda: memo_side(True), truth, calls, noun="result")


def test_entries_bound() -> None:
    calls = call_steps("square", st.integers(0, 50).map(lambda n: (n,)))
    truth = lambda: Side(lambda step: step.args[0] ** 2)  # noqa: E731
    with pytest.raises(Fail, match="holds 3 entries; at most 2"):
        judge(lambda: memo_side(False), truth, calls, max_entries=2)


def test_an_exception_in_the_learner_code_is_a_shrunk_failure() -> None:
    def crashing() -> Side:
        def play(step: Step) -> Any:
            if step.args[0] == 3:
                raise KeyError("no 3")
            return step.args[0]
        return Side(play)

    steps = call_steps("f", st.integers(0, 5).map(lambda n: (n,)))
    with pytest.raises(Fail, match=r"^`f\(3\)`: the first raised KeyError: 'no 3'$"):
        judge(crashing, lambda: Side(lambda s: s.args[0]), steps)


def test_describe_mismatch_without_an_earlier_match() -> None:
    steps = [Step("GET", "GET /a", ("/a",)), Step("GET", "GET /b", ("/b",))]
    assert describe_mismatch(steps, ["A", "B"], "C") == (
        "`GET /a` then `GET /b`: the second answered 'C', but without a cache it answers 'B' "
        "(stale or wrong data).")


def priced(invalidate: str) -> Side:
    """Two cached product pages; a write changes every price, then runs an invalidation."""

    app = Flask(f"priced-{invalidate}")
    cache = Cache(app, config=simple_config())
    state = {"price": 1, "queries": 0}

    @app.get("/p/<int:pid>")
    @cache.cached(timeout=60, unless=lambda: invalidate == "uncached")
    def product(pid: int) -> Any:
        state["queries"] += 1
        return {"id": pid, "price": state["price"] * pid}

    def on_step(step: Step) -> None:
        state["price"] += 1
        with app.app_context():
            if invalidate == "all":
                cache.delete("view//p/1")
                cache.delete("view//p/2")
            elif invalidate == "first-only":
                cache.delete("view//p/1")

    app.config["FCC_STEPS"] = on_step
    return flask_side(app, work=lambda: state["queries"])


def test_a_write_that_invalidates_only_some_pages_serves_stale_data() -> None:
    from support.checks.transparency import write_steps

    steps = st.one_of(get_steps(st.sampled_from(["/p/1", "/p/2"])),
                      write_steps("raise every price"))
    judge(lambda: priced("all"), lambda: priced("uncached"), steps,
          reference=lambda: priced("all"))
    with pytest.raises(Fail) as failure:
        judge(lambda: priced("first-only"), lambda: priced("uncached"), steps)
    assert str(failure.value) == ("`GET /p/2` then `raise every price` then `GET /p/2`: the "
                                  "third was served the first's body.")


def test_a_large_key_space_defeats_a_single_scan_call() -> None:
    from support.backends import redis_client
    from support.checks.plumbing import glob_escape, scratch_prefix
    from support.checks.transparency import fill_other_keys, other_views

    raw = redis_client()
    with scratch_prefix("large") as prefix:
        others = fill_other_keys(raw, prefix, 3000)
        wanted = [f"{prefix}view//api/products{i}" for i in range(3)]
        for name in wanted + [prefix + p for p in other_views("view//api/products")]:
            raw.set(name, b"x")
        pattern = glob_escape(prefix) + "view//api/products[0-9]"
        _, one_call = raw.scan(0, match=pattern, count=100)
        assert len(one_call) < len(wanted)  # the mistake the issue saw pass on a tiny key space
        assert sorted(raw.scan_iter(match=pattern, count=100)) == [w.encode() for w in wanted]
        assert len(others) == 3000 and raw.exists(prefix + "view//api/products/1")


def test_hypothesis_leaves_nothing_in_the_learners_folder(tmp_path) -> None:
    import os
    import subprocess
    import sys

    # A module of the learner's beside the notebook: Hypothesis collects its constants and,
    # left to itself, caches them in ./.hypothesis there.
    (tmp_path / "learner.py").write_text("LIMIT = 123456\nNAME = 'ada-lovelace'\n")
    code = ("import learner\n"
            "from hypothesis import given, settings, strategies as st\n"
            "@settings(derandomize=True, database=None, max_examples=5)\n"
            "@given(st.integers())\n"
            "def probe(x):\n    pass\n"
            "probe()\n")
    for prelude, left in (("import support.checks\n", {"learner.py"}),
                          ("", {".hypothesis", "learner.py"})):
        env = {k: v for k, v in os.environ.items() if k != "HYPOTHESIS_STORAGE_DIRECTORY"}
        env["PYTHONDONTWRITEBYTECODE"] = "1"  # Python's own __pycache__ is not the question
        subprocess.run([sys.executable, "-c", prelude + code], cwd=tmp_path, env=env, check=True,
                       timeout=60)
        assert {p.name for p in tmp_path.iterdir()} == left, prelude or "plain Hypothesis"


# --- hand-picked examples, explanations, advice, kinds of failure ---


def test_judge_plays_the_examples_first_and_explains_the_shortest_sequence() -> None:
    from support.checks.transparency import ScenarioFail

    steps = call_steps("square", st.sampled_from([1, 2]).map(lambda n: (n,)))
    truth = lambda: Side(lambda step: step.args[0] ** 2)  # noqa: E731
    first, second = Step("call", "square(10)", (10,)), Step("call", "square(1)", (1,))
    seen: list[tuple[list[Step], str]] = []

    def explain(found: Any) -> str:
        seen.append((found.steps, found.message))
        return found.message + " Key on the whole number."

    # the generated steps (1 and 2) never show the prefix mistake; the example does, shrunk
    judge(lambda: memo_side(True), truth, steps, budget=Budget(examples=5, steps=3))
    with pytest.raises(ScenarioFail) as failure:
        judge(lambda: memo_side(True), truth, steps, explain=explain, noun="result",
              examples=[[Step("call", "square(2)", (2,)), first, second]],
              budget=Budget(examples=5, steps=3))
    assert failure.value.steps == [first, second] and seen == [([first, second], (
        "`square(10)` then `square(1)`: the second was served the first's result."))]
    assert str(failure.value) == seen[0][1] + " Key on the whole number."
    verdict = judge(lambda: memo_side(False), truth, steps, examples=[[first, second]],
                    budget=Budget(examples=5, steps=3))
    assert verdict.scenarios >= 2 and verdict.steps >= 3


def test_judge_fails_an_answer_that_changes_on_a_replay() -> None:
    state = {"failed": False}

    def play(step: Step) -> Any:  # wrong once, then right: Hypothesis cannot replay it
        if not state["failed"] and step.args[0] == 3:
            state["failed"] = True
            return -1
        return step.args[0]

    steps = call_steps("f", st.integers(0, 5).map(lambda n: (n,)))
    with pytest.raises(Fail, match="behaved differently on two runs of the same steps"):
        judge(lambda: Side(play), lambda: Side(lambda s: s.args[0]), steps)


def test_with_advice_appends_advice_about_the_shortest_sequence() -> None:
    from support.checks.transparency import FailingScenario, with_advice

    seen: list[FailingScenario] = []

    def explain(found: FailingScenario) -> str:
        seen.append(found)
        return f"Advice for a {found.kind} mismatch."

    with pytest.raises(Fail) as failure:
        judge(lambda: shop("merges-absent-and-empty"), lambda: shop("none"), URLS,
              reference=lambda: shop("query-string"), explain=with_advice(explain),
              budget=Budget(examples=60, steps=5))
    (found,) = seen
    assert str(failure.value) == f"{found.message} Advice for a answer mismatch."
    assert found.kind == "answer" and len(found.steps) == 2 and found.served() == 0
    assert found.got == found.truths[0] != found.truths[1]


def test_judge_plays_the_example_sequences_first() -> None:
    from support.checks.transparency import get_step

    plain = st.just(get_step("/api/products"))  # generated steps that show nothing
    explicit = [[get_step("/api/products?category=kitchen"),
                 get_step("/api/products?category=Kitchen")]]
    judge(lambda: shop("correct"), lambda: shop("none"), plain, examples=explicit,
          budget=Budget(examples=1, steps=1))
    with pytest.raises(Fail, match=r"^`GET /api/products\?category=kitchen` then `GET "
                                   r"/api/products\?category=Kitchen`: the second was served"):
        judge(lambda: shop("lowercases"), lambda: shop("none"), plain,
              examples=explicit, budget=Budget(examples=1, steps=1))


def test_judge_work_entries_and_step_failures() -> None:
    from support.checks.transparency import StepFailed, with_advice

    calls = call_steps("square", st.sampled_from([1, 2, 3]).map(lambda n: (n,)))
    truth = lambda: Side(lambda step: step.args[0] ** 2)  # noqa: E731
    kinds: list[str] = []

    def explain(found: Any) -> str:
        kinds.append(found.kind)
        return ""

    def uncached() -> Side:
        counter = {"n": 0}

        def play(step: Step) -> int:
            counter["n"] += 1
            return step.args[0] ** 2

        return Side(play, lambda: counter["n"], entries=lambda: 0)

    with pytest.raises(Fail, match=r"^`square\((\d)\)` then `square\(\1\)`: every answer was "
                                   r"right, but your version did the work 2 time"):
        judge(uncached, truth, calls, reference=lambda: memo_side(False),
              explain=with_advice(explain))

    def hoarding() -> Side:  # right and saves the work, but stores two entries per call
        side = memo_side(False)
        return Side(side.play, side.work, entries=lambda: 2 * side.entries())  # type: ignore[misc]

    with pytest.raises(Fail, match=r"^`square\(\d\)`: your cache holds 2 entries, the worked "
                                   "solution's 1"):
        judge(hoarding, truth, calls, reference=lambda: memo_side(False),
              entries_within_reference=True, explain=with_advice(explain))

    def logged_error(step: Step) -> int:
        if step.args[0] == 3:
            raise StepFailed("the cache failed (it logged an error).")
        return step.args[0] ** 2

    with pytest.raises(Fail, match=r"^`square\(3\)`: during the first, the cache failed \(it "
                                   r"logged an error\)\.$"):
        judge(lambda: Side(logged_error), truth, calls, explain=with_advice(explain))
    assert kinds == ["work", "entries", "failed"]


def test_judge_reports_a_failure_that_does_not_repeat() -> None:
    """State kept between scenarios: the fifth call of the whole check answers wrong, so no
    replay shows it again (Hypothesis calls that flaky); the first failure is the hint."""
    calls = {"n": 0}

    def forgetful() -> Side:
        def play(step: Step) -> int:
            calls["n"] += 1
            return -1 if calls["n"] == 5 else step.args[0] ** 2

        return Side(play)

    steps = call_steps("square", st.sampled_from([1, 2]).map(lambda n: (n,)))
    with pytest.raises(Fail, match=r"`square\(\d\)`.*answered -1"):
        judge(forgetful, lambda: Side(lambda s: s.args[0] ** 2), steps)


# --- the stampede's scheduler (concurrency.Stepper) and plumbing's public names ---


def test_command_keys_names_the_keys_of_allowed_commands_watch_and_scripts() -> None:
    from support.checks.plumbing import as_text, command_keys, command_name

    assert command_name((b"set", b"k", 1)) == "SET" and as_text(b"k") == "k"
    assert command_keys(("MSET", b"a", 1, b"b", 2)) == ["a", "b"]
    assert command_keys(("WATCH", b"lock")) == ["lock"]
    assert command_keys(("EVAL", "return 1", 1, b"lock", b"token")) == ["lock"]
    assert command_keys(("HSET", b"h", b"f", 1)) == []


def _lock_then_compute(r: Any, key: str, compute: Any, check_then_set: bool) -> Any:
    """A get-or-compute with a lock taken atomically (SET NX) or by looking first (wrong)."""
    import time

    while True:
        value = r.get(key)
        if value is not None:
            return value
        if check_then_set:
            taken = not r.exists(key + ":lock") and r.set(key + ":lock", 1, px=5000)
        else:
            taken = r.set(key + ":lock", 1, nx=True, px=5000)
        if taken:
            try:
                value = r.get(key)  # another worker may have stored it meanwhile
                if value is not None:
                    return value
                value = compute()
                r.set(key, value)
                return value
            finally:
                r.delete(key + ":lock")
        time.sleep(0.01)


@pytest.mark.parametrize("check_then_set", [False, True])
def test_a_stepper_pauses_workers_where_the_checker_says(check_then_set: bool) -> None:
    """Both workers miss and pause before their lock; A takes it and pauses before storing,
    then B goes on: a check-then-set lock lets B compute too every time, SET NX never."""
    from support.backends import redis_client
    from support.checks.concurrency import StepCompute, Stepper
    from support.checks.plumbing import scratch_prefix

    def first_write(name: str, keys: list[str]) -> bool:
        return name == "SET"

    raw = redis_client()
    with scratch_prefix("stepper", raw) as prefix:
        stepper = Stepper(raw)
        compute = StepCompute(stepper, b"7")
        try:
            a = stepper.start("A", lambda: _lock_then_compute(
                stepper, prefix + "hot", compute.for_worker("A"), check_then_set), first_write)
            assert stepper.settle(a) and a.paused_at is not None
            assert a.paused_at.startswith("SET " + prefix + "hot:lock")
            b = stepper.start("B", lambda: _lock_then_compute(
                stepper, prefix + "hot", compute.for_worker("B"), check_then_set), first_write)
            assert stepper.settle(b) and b.paused_at is not None
            stepper.resume(a, pause_when=lambda name, keys: name == "SET" and keys == [prefix + "hot"])
            assert stepper.settle(a) and a.paused_at == f"SET {prefix}hot"  # about to store
            stepper.resume(b)
            assert stepper.wait(lambda: b.done, 0.3) is check_then_set  # SET NX: B waits
            stepper.resume(a)
            assert stepper.wait(lambda: a.done) and stepper.wait(lambda: b.done)
        finally:
            stepper.stop()
    assert a.value == b.value == b"7" and a.error is None and b.error is None
    assert compute.calls == (["A", "B"] if check_then_set else ["A"])


def test_a_held_step_compute_keeps_its_worker_computing_until_released() -> None:
    from support.checks.concurrency import StepCompute, Stepper

    stepper = Stepper(None)
    compute = StepCompute(stepper, 0, hold=True, raise_first=True, snapshot=lambda: "seen")
    try:
        first = stepper.start("A", compute.for_worker("A"))
        assert stepper.settle(first) and first.computing and not first.done
        compute.release.set()
        assert stepper.wait(lambda: first.done)
        assert isinstance(first.error, RuntimeError)
        second = stepper.start("B", compute.for_worker("B"))
        assert stepper.wait(lambda: second.done) and second.value == 0
        assert compute.calls == ["A", "B"] and compute.seen == ["seen", "seen"]
        stopped = stepper.start("C", StepCompute(stepper, 1, hold=True).for_worker("C"))
        assert stepper.settle(stopped) and stopped.computing
    finally:
        stepper.stop()
    assert stopped.done and stopped.error is None and stopped.value is None


# --- answers compared in the exercise's words, advice on work, state kept between runs ---


def _counter_sides(step_by: int) -> tuple:
    """A counter that must count calls one by one (the truth) and one that counts by step_by."""
    from support.checks.transparency import Side

    def make(by: int):
        def fresh() -> Side:
            state = {"n": 0}

            def play(step):
                state["n"] += by
                return state["n"]

            return Side(play, work=lambda: state["n"])
        return fresh

    return make(step_by), make(1)


def test_judge_compares_in_the_exercises_words_and_shrinks() -> None:
    from hypothesis import strategies as st

    from support.checks.transparency import call_steps

    def explain(steps, truths, got):
        return None if got == truths[-1] else f"counted {got}, not {truths[-1]}."

    learner, truth = _counter_sides(2)
    with pytest.raises(Fail) as failed:
        judge(learner, truth, call_steps("tick", st.tuples(st.integers(0, 3))),
              compare=explain)
    assert str(failed.value) == "`tick(0)`: counted 2, not 1."
    verdict = judge(truth, truth, call_steps("tick", st.tuples(st.integers(0, 3))),
                    compare=explain)
    assert verdict.scenarios > 1


def test_judge_plays_its_examples_first_and_ends_work_hints_with_advice() -> None:
    from hypothesis import strategies as st

    from support.checks.transparency import Budget, Step, with_advice

    never = st.just(Step("call", "never()", ()))
    seen: list[str] = []

    def explain(steps, truths, got):
        seen.append(steps[-1].label)
        return None

    learner, truth = _counter_sides(1)
    example = [Step("call", "first()", ()), Step("call", "second()", ())]
    judge(learner, truth, never, compare=explain, examples=[example], budget=Budget(1, 1))
    assert seen[:2] == ["first()", "second()"]
    with pytest.raises(Fail, match=r"did the work 3 time\(s\).*Cache more\.$"):
        judge(lambda: _work_side(3), truth, never, reference=lambda: _work_side(1),
              examples=[example[:1]], shrink_examples=False,
              explain=with_advice(lambda found: "Cache more." if found.kind == "work" else ""))


def _work_side(work: int):
    from support.checks.transparency import Side

    return Side(lambda step: 1, work=lambda: work)


def test_judge_reports_a_failure_that_global_state_keeps_from_repeating() -> None:
    from hypothesis import strategies as st

    from support.checks.transparency import Side, call_steps

    broken = {"once": False}  # module-level state of a learner: fails once, then never again

    def learner() -> Side:
        def play(step):
            if not broken["once"] and step.args[0] == 2:
                broken["once"] = True
                return "wrong"
            return "right"
        return Side(play)

    with pytest.raises(Fail, match="answered 'wrong'"):
        judge(learner, lambda: Side(lambda step: "right"),
              call_steps("f", st.tuples(st.integers(0, 3))))


# --- QuickBudget: no Hypothesis shrink phase ---


def test_a_quick_budget_skips_hypothesis_shrink_but_still_gives_a_minimal_sequence() -> None:
    """QuickBudget: no shrink phase, fewer scenarios played, and judge's own minimisation still
    leaves a sequence from which no step can be dropped; the same verdict on every run."""
    from support.checks.transparency import QuickBudget

    calls = call_steps("square", st.sampled_from([1, 10, 11, 2, 3]).map(lambda n: (n,)))
    truth = lambda: Side(lambda step: step.args[0] ** 2)  # noqa: E731

    def run(budget: Budget) -> tuple[str, int]:
        sides = []

        def learner() -> Side:
            sides.append(memo_side(True))
            return sides[-1]

        with pytest.raises(Fail) as failure:
            judge(learner, truth, calls, budget=budget, noun="result")
        return str(failure.value), len(sides)

    shrunk, slow = run(Budget(30, 6))
    quick, fast = run(QuickBudget(30, 6))
    assert run(QuickBudget(30, 6)) == (quick, fast)
    assert fast < slow, (fast, slow)
    for message in (shrunk, quick):
        assert len(message.split(":", 1)[0].split(" then ")) == 2, message
        assert "the second was served the first's result" in message, message


# --- the derandomised seed, computed once ---


def test_judge_seeds_its_scenarios_as_derandomize_would(monkeypatch: pytest.MonkeyPatch) -> None:
    """judge() hands Hypothesis the seed ``derandomize=True`` derives from its state machine
    (computed once per process, not at every check), so the scenarios are those derandomize
    plays."""
    from hypothesis.internal.reflection import function_digest
    from hypothesis.stateful import get_state_machine_test

    from support.checks import transparency

    seen = []
    real = transparency.run_state_machine_as_test

    def recording(factory, settings):  # noqa: ANN001, ANN202
        seen.append((factory, settings))
        return real(factory, settings=settings)

    monkeypatch.setattr(transparency, "run_state_machine_as_test", recording)
    calls = call_steps("square", st.sampled_from([1, 2]).map(lambda n: (n,)))
    square = lambda: Side(lambda step: step.args[0] ** 2)  # noqa: E731
    for _ in range(2):
        judge(square, square, calls, budget=Budget(3, 2))
    assert len(seen) == 2
    for factory, options in seen:
        machine = type(factory())
        runner = get_state_machine_test(machine, settings=options).hypothesis.inner_test
        assert factory._hypothesis_internal_use_seed == int.from_bytes(function_digest(runner),
                                                                      "big")
