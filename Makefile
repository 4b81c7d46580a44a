# Alliance or Coalition? — the two commands learners and CI need, plus a few for authors.
# Thin wrappers only: the logic lives in scripts/ and in the alliance_course package.
#
#   make lab         set up .venv (first time) and open the course in JupyterLab   [PORT=8888]
#   make check       the fast loop (< 1 min): ruff, import contracts, unit tests and doctests (no kernels, no browser)
#   make test        set up .venv with the test tools and run every test layer (check + notebooks + browser)
#   make count-runs  make test, counting how often each notebook runs (at most 3 times each)
#   make exercises   regenerate navigation, the course map and exercises/ from solutions/
#   make nav         navigation and exercises/ without running the solutions (fast; answers.json untouched)
#   make bench       measure notebook run time and memory against a floor, and quiz latency
#   make quiz-app    serve one notebook's quiz as a standalone Voilà page          [NB=02]

PY := .venv/bin/python
PORT ?= 8888
NB ?= 00
# Two workers on the 2-core machines; single tests are spread over both, except the browser tests, which share one
# JupyterLab server (one xdist group, see conftest.py).
PYTEST_ARGS ?= -n 2 --dist loadgroup
# The fast lane: no kernels, no browser, and without the nbval plugin (it costs seconds on every start).
CHECK_ARGS ?= -p no:nbval -m "not notebook and not browser" -n 2 --hypothesis-profile=fast

.PHONY: lab test check lint-code count-runs exercises nav build bench quiz-app venv venv-test clean distclean

venv:
	@bash scripts/ensure-venv.sh runtime

venv-test:
	@bash scripts/ensure-venv.sh test

lab: venv
	@PORT=$(PORT) bash scripts/lab.sh

lint-code:
	@echo "==> [check] ruff and the import contracts (pyproject.toml)"
	@$(PY) -m ruff check src tests tools bench scripts conftest.py || { echo "*** FAILED at step: ruff"; exit 1; }
	@.venv/bin/lint-imports --no-cache || { echo "*** FAILED at step: import contracts (lint-imports)"; exit 1; }

check: venv-test lint-code
	@echo "==> [check] unit tests and doctests (no notebooks, no browser)"
	@MPLBACKEND=Agg $(PY) -m pytest -q $(CHECK_ARGS) || { echo "*** FAILED at step: the fast tests"; exit 1; }

test: venv-test lint-code
	@echo "==> [test] unit, data, hygiene, exercise-sync, notebook and browser tests"
	@MPLBACKEND=Agg $(PY) -m pytest $(PYTEST_ARGS) || { echo "*** FAILED at step: running the tests (see the failures above)"; exit 1; }

count-runs: venv-test
	@rm -f test-output/notebook-runs.log; mkdir -p test-output
	@ALLIANCE_COURSE_COUNT_RUNS=$(CURDIR)/test-output/notebook-runs.log MPLBACKEND=Agg $(PY) -m pytest $(PYTEST_ARGS) $(COUNT_ARGS); \
	  $(PY) tools/count_runs.py test-output/notebook-runs.log

exercises build: venv
	@echo "==> [build] navigation, course map and exercises/ from solutions/"
	@$(PY) -m alliance_course build

nav: venv
	@echo "==> [build] navigation, course map and exercises/ (solutions not run)"
	@$(PY) -m alliance_course build --no-execute

bench: venv-test
	@echo "==> [bench] timing notebooks against the floor notebook (writes bench/results.json)"
	@MPLBACKEND=Agg $(PY) bench/run.py $(BENCH_ARGS)

quiz-app: venv-test
	@echo "==> [quiz-app] serving the quiz of notebook $(NB) with Voilà on port $(PORT)"
	@$(PY) -m alliance_course quiz-app $(NB) --port $(PORT)

# clean keeps .venv (re-creating it takes minutes); distclean removes it too.
clean:
	rm -rf build dist src/*.egg-info test-output

distclean: clean
	rm -rf .venv
