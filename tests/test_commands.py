"""``python -m support``: the front door lists every command in support/tools/ and runs it."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys

import pytest
from conftest import ROOT

from support import __main__ as front, tools
from support.tools import COMMANDS


def _command_modules() -> set[str]:
    """Every module of support/tools/ that has a ``main``: the commands."""
    names = {m.name for m in pkgutil.iter_modules(tools.__path__)}
    return {n for n in names if hasattr(importlib.import_module(f"support.tools.{n}"), "main")}


def test_every_command_module_is_listed_and_every_listed_command_exists() -> None:
    assert set(COMMANDS) == _command_modules()


def test_the_listing_names_every_command_on_a_line_of_its_own(capsys) -> None:
    assert front.main([]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: python -m support <command>")
    for name, summary in COMMANDS.items():
        assert any(line.split() and line.split()[0] == name and summary in line
                   for line in out.splitlines()), name


def test_an_unknown_command_is_one_line_and_exit_2(capsys) -> None:
    assert front.main(["no-such-command"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and "unknown command 'no-such-command'" in captured.err


def test_a_command_gets_its_arguments_and_its_exit_status_comes_back(tmp_path, capsys) -> None:
    assert front.main(["progress", str(tmp_path / "missing")]) == 2
    assert "no such folder" in capsys.readouterr().err
    assert front.main(["navigation", "--check"]) == 0


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_help_shows_the_command_as_python_m_support(name: str) -> None:
    done = subprocess.run([sys.executable, "-m", "support", name, "--help"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert f"python -m support {name}" in done.stdout + done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("name", ["grade", "doctor"])
def test_the_old_module_commands_still_work(name: str) -> None:
    """Instructors run ``python -m support.grade``; learners were told ``python -m support.doctor``."""
    done = subprocess.run([sys.executable, "-m", f"support.{name}", "--help"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and f"python -m support {name}" in done.stdout
