# Alliance or Coalition? — the two commands learners and CI need, plus a few for authors.
# Thin wrappers only: the logic lives in scripts/ and in the alliance_course package.
#
#   make lab         set up .venv (first time) and open the course in JupyterLab   [PORT=8888]
#   make test        set up .venv with the test tools and run every test layer
#   make exercises   regenerate navigation, the course map and exercises/ from solutions/
#   make nav         the same (navigation is generated, never edited by hand)
#   make site        build the course website offline into _site/  [SITE_ARGS="--repo URL --hub URL"]
#   make wheelhouse  write every wheel the course needs into wheelhouse/ (offline lab rooms)
#   make bench       measure notebook run time and memory against a floor, and quiz latency
#   make quiz-app    serve one notebook's quiz as a page for a class   [NB=02 IP=0.0.0.0 QUIZ_PORT=8866]

PY := .venv/bin/python
# course.py does the set-up, launch and test steps on every OS (Windows and macOS users run it without make).
PYTHON3 ?= python3
PORT ?= 8888
NB ?= 00
QUIZ_PORT ?= 8866
IP ?= 127.0.0.1

.PHONY: site wheelhouse lab test exercises nav build bench quiz-app venv venv-test clean

venv:
	@$(PYTHON3) course.py setup runtime

venv-test:
	@$(PYTHON3) course.py setup test

lab:
	@$(PYTHON3) course.py lab --port $(PORT)

test:
	@$(PYTHON3) course.py test $(PYTEST_EXTRA)

exercises nav build: venv
	@echo "==> [build] navigation, course map and exercises/ from solutions/"
	@$(PY) -m alliance_course build

bench: venv-test
	@echo "==> [bench] timing notebooks against the floor notebook (writes bench/results.json)"
	@MPLBACKEND=Agg $(PY) bench/run.py $(BENCH_ARGS)

quiz-app:
	@$(PYTHON3) course.py setup app
	@$(PY) -m alliance_course quiz-app $(NB) --port $(QUIZ_PORT) --ip $(IP)

wheelhouse:
	@$(PYTHON3) course.py wheelhouse $(or $(DIR),wheelhouse)

site:
	@$(PYTHON3) course.py setup site
	@$(PY) -m alliance_course site $(SITE_ARGS)

clean:
	rm -rf .venv build dist src/*.egg-info test-output
