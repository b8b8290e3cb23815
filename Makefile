# Two commands do all the set-up: `make lab` and `make test` (each creates .venv on first use).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
# Prefer the kernel of .venv over any python3 kernel in the user's home.
export JUPYTER_PREFER_ENV_PATH := 1
# Let Python keep its byte-code cache (__pycache__, git-ignored) even where the shell forbids it:
# the suite starts ~100 Python processes and kernels, and pytest re-writes every test module's
# asserts when it cannot cache them (measured: 4.5 -> 2.7 s of CPU per pytest process).
unexport PYTHONDONTWRITEBYTECODE
# Test workers: the suite spends much of its time waiting (kernels starting, servers, timeouts),
# so more workers than cores finish it sooner (measured on 2 cores, same tree, runs interleaved:
# 5 workers 126-145 s, 4 workers 136-152 s, 3 workers 168 s).
JOBS   ?= 5
# uv, when it is on PATH, installs the course in seconds instead of minutes (measured: 14 s vs
# 141 s from empty caches); plain pip is the fallback. `make lab UV=` forces pip.
UV     ?= $(shell command -v uv 2>/dev/null)
ifneq ($(UV),)
NEW_VENV := $(UV) venv -q --seed --python $(PYTHON) $(VENV)
INSTALL  := $(UV) pip install -q --python $(BIN)/python
else
NEW_VENV := $(PYTHON) -m venv $(VENV) && $(BIN)/python -m pip install -qq --upgrade pip
INSTALL  := $(BIN)/python -m pip install -qq
endif

.PHONY: lab test test-fast test-browser site test-site exercises nav guide guide-times doctor bench mutants lint clean

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found %s); set PYTHON=python3.12 for example" % sys.version.split()[0])'
	@echo "Setting up $(VENV) (the first time only: downloads the course's packages, a few minutes)"
	$(NEW_VENV)
	$(INSTALL) -r requirements.txt
	@touch $(STAMP)

LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings

## lab: open the course in JupyterLab, on lesson 00
lab: $(STAMP)
	@mkdir -p $(LAB_SETTINGS) && cp jupyter/overrides.json $(LAB_SETTINGS)/overrides.json
	@$(BIN)/jupyter trust notebooks/*.ipynb solutions/*.ipynb exercises/*.ipynb >/dev/null 2>&1 || true
	@echo "Starting JupyterLab on lesson 00; stop it with Ctrl-C (twice)."
	$(BIN)/jupyter lab $(ROOT_FLAG) --config=jupyter/jupyter_server_config.py

## test: the whole suite (unit tests, graders both ways, drift, lint, nbval over lessons, solutions and exercises)
test: $(STAMP)
	$(BIN)/python -m pytest -n $(JOBS) --dist loadfile tests notebooks solutions exercises \
		--nbval --sanitize-with tests/nbval_sanitize.cfg --nbval-cell-timeout=120

## test-fast: the suite without executing notebooks
test-fast: $(STAMP)
	$(BIN)/python -m pytest -n $(JOBS) tests -m "not kernel"

BROWSER_STAMP := $(VENV)/.browser-installed
$(BROWSER_STAMP): $(STAMP) requirements-browser.txt
	$(INSTALL) -r requirements-browser.txt
	@touch $(BROWSER_STAMP)

## test-browser: every lesson and an exercise notebook, as a learner uses them, in JupyterLab in Debian's Chromium (apt-get install chromium)
test-browser: $(BROWSER_STAMP)
	FCC_BROWSER_TESTS=1 $(BIN)/python -m pytest -p no:xdist tests/browser -v

SITE_STAMP := $(VENV)/.site-installed
$(SITE_STAMP): $(STAMP) requirements-site.txt
	$(INSTALL) -r requirements-site.txt
	@touch $(SITE_STAMP)

## site: the course as a static website in _site/html (lessons with their saved outputs, exercises, search, launch links); incremental
site: $(SITE_STAMP)
	$(BIN)/python -m support site

## test-site: build the website, then check it in Debian's Chromium (screenshots in screenshots/site/)
test-site: site $(BROWSER_STAMP)
	FCC_BROWSER_TESTS=1 FCC_SITE_TESTS=1 $(BIN)/python -m pytest -p no:xdist tests/browser/test_site.py -v

## exercises: regenerate exercises/ from solutions/
exercises: $(STAMP)
	$(BIN)/python -m support exercises

## nav: rewrite every notebook's navigation footer from support/course.py
nav: $(STAMP)
	$(BIN)/python -m support navigation
	$(BIN)/python -m support exercises

## guide: rewrite the common mistakes in INSTRUCTORS.md from the graders' hints
guide: $(STAMP)
	$(BIN)/python -m support guide

## guide-times: run every lesson and rewrite the measured times in INSTRUCTORS.md
guide-times: $(STAMP)
	$(BIN)/python -m support guide --measure

## doctor: check this machine for the course
doctor: $(STAMP)
	$(BIN)/python -m support doctor

## bench: notebook run times and memory, and the timing helper against timeit
bench: $(STAMP)
	$(BIN)/python -m support bench

## mutants: mutate every solution's answers and grade each mutant (a grader must reject them all)
mutants: $(STAMP)
	$(BIN)/python -m support mutants --jobs $(JOBS)

LINT_STAMP := $(VENV)/.lint-installed
$(LINT_STAMP): $(STAMP) requirements-lint.txt
	$(INSTALL) -r requirements-lint.txt
	@touch $(LINT_STAMP)

## lint: ruff over support/ and tests/ (installs ruff on first use: learners do not need it)
lint: $(LINT_STAMP)
	$(BIN)/ruff check support tests

clean:
	rm -rf $(VENV) bench reports screenshots _site
