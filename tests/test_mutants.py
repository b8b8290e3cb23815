"""support.tools.mutants: the generator, the runner and the hand-written answers' format."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import grading
from support.tools import mutants
from support.grading import Fail, Namespace

CELL = '''def key_for(user, page):
    ### BEGIN SOLUTION
    if page < 1:
        page = 1
    return f"user:{user}:page:{page}"
    ### END SOLUTION
'''


def test_mutants_stay_inside_the_solution_region_and_are_distinct() -> None:
    region = mutants.solution_region(CELL)
    assert region == (3, 5)
    found = mutants.mutants(CELL, region)
    descriptions = [m.description for m in found]
    assert "line 3: Lt -> LtE" in descriptions
    assert any("dropped `user` from an f-string" in d for d in descriptions)
    assert any("removed `if page < 1:`" in d for d in descriptions)
    assert any(d.endswith("`return None` instead") for d in descriptions)
    assert len({m.source for m in found}) == len(found)
    assert all("def key_for(user, page):" in m.source for m in found)  # line 1 is never mutated
    assert [m.id for m in mutants.mutants(CELL, region)] == [m.id for m in found]  # stable


@pytest.fixture()
def toy_exercise():
    @grading.exercise("toy-key", hint="h")
    def _(ns: Namespace) -> str:
        key_for = ns.function("key_for")
        keys = {ns.call(key_for, u, p) for u in ("1", "10") for p in (0, 1, 2)}
        if len(keys) != 4:
            raise Fail(f"expected 4 distinct keys, got {len(keys)}")
        if ns.call(key_for, "1", 0) != ns.call(key_for, "1", 1):
            raise Fail("page 0 is page 1")
        return "ok"

    yield "toy-key"
    grading.REGISTRY.pop("toy-key")


def test_score_counts_killed_survived_equivalent_and_hand_written(toy_exercise: str,
                                                                  tmp_path: Path) -> None:
    answer = mutants.Answer("toy-key", "toy.ipynb", CELL, "", mutants.solution_region(CELL))
    folder = tmp_path / "toy-key"
    folder.mkdir()
    (folder / "no_user.py").write_text("# expect: fail\n# hint: distinct keys\n# why: w\n"
                                       "def key_for(user, page):\n    return f'page:{page}'\n")
    (folder / "max.py").write_text("# expect: pass\n# why: another form\n"
                                   "def key_for(user, page):\n"
                                   "    return f'user:{user}:page:{max(page, 1)}'\n")
    (folder / "wrongly_passing.py").write_text("# expect: fail\n"
                                               "def key_for(user, page):\n"
                                               "    return (user, max(page, 1))\n")
    written = mutants.hand_written(tmp_path)
    every = mutants.mutants(CELL, answer.region)
    survivors = [m for m in every if mutants.judge("toy-key", "", m.source).status == "passed"]
    assert survivors, "the toy checker is weak on purpose"
    listed = {("toy-key", survivors[0].id): "reviewed"}
    result = mutants.score(answer, 5, listed, written)
    assert result.solution == "passed" and result.generated == len(every)
    assert result.equivalent == 1 and result.survived == len(survivors) - 1
    assert result.killed == len(every) - len(survivors)
    assert (result.wrong_ok, result.wrong_total) == (1, 2)
    assert (result.alternatives_ok, result.alternatives_total) == (1, 1)
    assert len(result.misjudged) == 1 and "wrongly_passing.py" in result.misjudged[0]
    assert not result.ok
    table = mutants.format_table([result])
    assert "toy-key" in table and "MISJUDGED" in table


def test_a_hanging_answer_hits_the_time_limit(toy_exercise: str) -> None:
    judged = mutants.judge("toy-key", "", "def key_for(u, p):\n    while True:\n        pass\n",
                           timeout=0.5)
    assert judged.status == "timeout"


def test_an_answer_that_crashes_is_killed(toy_exercise: str) -> None:
    assert mutants.judge("toy-key", "", "raise ValueError('x')").status == "crashed"


def test_the_files_in_tests_mutants_are_well_formed() -> None:
    exercises = {a.exercise for a in mutants.answers()}
    for item in mutants.hand_written():
        assert item.exercise in exercises, item.path
    for exercise, _ in mutants.equivalents():
        assert exercise in exercises


def test_a_header_without_expect_is_refused(tmp_path: Path) -> None:
    (tmp_path / "toy").mkdir()
    (tmp_path / "toy" / "x.py").write_text("# why: nothing\nx = 1\n")
    with pytest.raises(ValueError, match="expect"):
        mutants.hand_written(tmp_path)


def test_cli_bad_usage() -> None:
    assert mutants.main(["--exercise", "nope-nothing"]) == 2


def test_score_all_grades_each_exercise_in_a_process_of_its_own() -> None:
    answer = next(a for a in mutants.answers() if a.exercise == "setup-timeouts")
    (result,) = mutants.score_all([answer], 10, mutants.equivalents(), [])
    assert result.exercise == "setup-timeouts" and result.solution == "passed"
    assert result.generated == result.killed + result.survived + result.equivalent > 0
