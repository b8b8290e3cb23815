"""requirements.txt and environment.yml list the same packages at the same versions."""

from __future__ import annotations

import yaml
from conftest import ROOT


def _pins(lines: list[str]) -> dict[str, str]:
    pins = {}
    for line in lines:
        line = line.split("#")[0].strip()
        if not line or line.startswith("-e"):
            continue
        name, sep, version = line.partition("==")
        assert sep, f"not pinned with ==: {line!r}"
        pins[name.strip().lower().replace("_", "-")] = version.strip()
    return pins


def requirements() -> dict[str, str]:
    return _pins((ROOT / "requirements.txt").read_text().splitlines())


def environment() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d)
    return _pins(pip)


def test_same_packages_and_versions() -> None:
    assert requirements() == environment()


def test_both_paths_install_the_support_package() -> None:
    assert "-e ." in (ROOT / "requirements.txt").read_text().splitlines()
    post_build = ROOT / "postBuild"  # Binder builds environment.yml before copying the repo
    assert post_build.stat().st_mode & 0o111, "postBuild must be executable"
    assert "pip install --no-deps -e ." in post_build.read_text()


def test_environment_file_is_a_valid_conda_file() -> None:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert set(env) == {"name", "channels", "dependencies"}
    assert env["channels"] == ["conda-forge"]
    assert "pip" in env["dependencies"]
    local = [d for d in env["dependencies"] if isinstance(d, dict)][0]["pip"]
    assert not [line for line in local if line.startswith("-e")], "Binder cannot see the repo yet"


def test_environment_python_is_supported() -> None:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python="))
    version = tuple(int(part) for part in python.split("=")[-1].split("."))
    assert version >= (3, 11)


def test_course_dependencies_are_pinned() -> None:
    for package in ["flask", "flask-caching", "redis", "fakeredis", "nbval", "ipywidgets",
                    "jupyterlab"]:
        assert package in requirements(), package


def test_pin_parser_rejects_unpinned_lines() -> None:
    import pytest

    with pytest.raises(AssertionError):
        _pins(["flask>=3"])


def test_jsonschema_does_not_import_the_slow_iri_checker() -> None:
    """jsonschema 4.24+ imports rfc3987-syntax, which builds Lark parsers at import: 1.1 s on
    every start of JupyterLab, the grader and nbval (requirements.txt pins jsonschema 4.23)."""
    import sys

    import jsonschema._format  # noqa: F401  (what nbformat and jupyter-events import)

    assert "rfc3987_syntax" not in sys.modules, (
        "jsonschema imported rfc3987-syntax: every nbformat import pays ~1 s; keep jsonschema<4.24")
