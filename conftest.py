"""pytest set-up for the whole repository (tests/conftest.py holds the tests' own fixtures).

Every course notebook nbval executes is run once and judged three ways: see
tests/notebook_runs.py.
"""

pytest_plugins = ["tests.notebook_runs", "tests.scheduling"]
