# Alliance or Coalition? — the two commands learners and CI need, plus a few for authors.
# Thin wrappers only: the logic lives in scripts/ and in the alliance_course package.
#
#   make lab         set up .venv (first time) and open the course in JupyterLab   [PORT=8888]
#   make test        set up .venv with the test tools and run every test layer
#   make exercises   regenerate navigation, the course map and exercises/ from solutions/
#   make nav         the same (navigation is generated, never edited by hand)
#   make bench       measure notebook run time and memory against a floor, and quiz latency
#   make quiz-app    serve one notebook's quiz as a standalone Voilà page          [NB=02]
#   make bench-hub   N simulated learners on a local JupyterHub (bench/results.json, key "hub")   [N=30]

PY := .venv/bin/python
PORT ?= 8888
NB ?= 00
# Two workers on the 2-core machines; whole files per worker (a notebook's cells share one kernel; the browser
# tests share one JupyterLab server).
PYTEST_ARGS ?= -n 2 --dist loadfile

N ?= 30

.PHONY: lab test exercises nav build bench bench-hub quiz-app venv venv-test clean

venv:
	@bash scripts/ensure-venv.sh runtime

venv-test:
	@bash scripts/ensure-venv.sh test

lab: venv
	@PORT=$(PORT) bash scripts/lab.sh

test: venv-test
	@echo "==> [test] unit, data, hygiene, exercise-sync, notebook (nbval) and browser tests"
	@MPLBACKEND=Agg $(PY) -m pytest --nbval-lax $(PYTEST_ARGS) || { echo "*** FAILED at step: running the tests (see the failures above)"; exit 1; }

exercises nav build: venv
	@echo "==> [build] navigation, course map and exercises/ from solutions/"
	@$(PY) -m alliance_course build

bench: venv-test
	@echo "==> [bench] timing notebooks against the floor notebook (writes bench/results.json)"
	@MPLBACKEND=Agg $(PY) bench/run.py $(BENCH_ARGS)

bench-hub: venv-test
	@echo "==> [bench-hub] $(N) simulated learners on a local JupyterHub (writes bench/results.json, key hub)"
	@MPLBACKEND=Agg $(PY) bench/hub.py --learners $(N) $(BENCH_HUB_ARGS)

quiz-app: venv-test
	@echo "==> [quiz-app] serving the quiz of notebook $(NB) with Voilà on port $(PORT)"
	@$(PY) -m alliance_course quiz-app $(NB) --port $(PORT)

clean:
	rm -rf .venv build dist src/*.egg-info test-output
