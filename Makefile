# Alliance or Coalition? — the two commands learners and CI need, plus a few for authors.
# Thin wrappers only: the logic lives in course.py (set-up, launch, tests; also for Windows and macOS without make)
# and in the alliance_course package.
#
#   make lab         set up .venv (first time) and open the course in JupyterLab   [PORT=8888]
#   make check       the fast loop: ruff, import contracts, unit tests and doctests (no kernels, no browser)
#   make test        set up .venv with the test tools and run every test layer (check + notebooks + browser + hub)
#   make count-runs  make test, counting how often each notebook runs (at most 3 times each)
#   make exercises   regenerate navigation, the course map and exercises/ from solutions/
#   make nav         navigation and exercises/ without running the solutions (fast; answers.json untouched)
#   make site        build the course website offline into _site/  [SITE_ARGS="--repo URL --hub URL"]
#   make wheelhouse  write every wheel the course needs into wheelhouse/ (offline lab rooms)   [DIR=wheelhouse]
#   make bench       measure notebook run time and memory against a floor, and quiz latency
#   make bench-hub   N simulated learners on a local JupyterHub (bench/results.json, key "hub")   [N=30]
#   make quiz-app    serve one notebook's quiz as a page for a class   [NB=02 IP=0.0.0.0 QUIZ_PORT=8866]

PY := .venv/bin/python
# course.py does the set-up, launch and test steps on every OS (Windows and macOS users run it without make).
PYTHON3 ?= python3
PORT ?= 8888
NB ?= 00
QUIZ_PORT ?= 8866
IP ?= 127.0.0.1
N ?= 30

.PHONY: lab test check count-runs exercises nav build bench bench-hub quiz-app site wheelhouse venv venv-test clean distclean

venv:
	@$(PYTHON3) course.py setup runtime

venv-test:
	@$(PYTHON3) course.py setup test

lab:
	@$(PYTHON3) course.py lab --port $(PORT)

check:
	@$(PYTHON3) course.py check $(CHECK_EXTRA)

test:
	@$(PYTHON3) course.py test $(PYTEST_EXTRA)

count-runs:
	@rm -f test-output/notebook-runs.log; mkdir -p test-output
	@ALLIANCE_COURSE_COUNT_RUNS=$(CURDIR)/test-output/notebook-runs.log $(PYTHON3) course.py test $(COUNT_ARGS); \
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

bench-hub: venv-test
	@echo "==> [bench-hub] $(N) simulated learners on a local JupyterHub (writes bench/results.json, key hub)"
	@MPLBACKEND=Agg $(PY) bench/hub.py --learners $(N) $(BENCH_HUB_ARGS)

quiz-app:
	@$(PYTHON3) course.py setup app
	@$(PY) -m alliance_course quiz-app $(NB) --port $(QUIZ_PORT) --ip $(IP)

site:
	@$(PYTHON3) course.py setup site
	@$(PY) -m alliance_course site $(SITE_ARGS)

wheelhouse:
	@$(PYTHON3) course.py wheelhouse $(or $(DIR),wheelhouse)

# clean keeps .venv (re-creating it takes minutes); distclean removes it too.
clean:
	rm -rf build dist src/*.egg-info test-output _site

distclean: clean
	rm -rf .venv
