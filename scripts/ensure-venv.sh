#!/usr/bin/env bash
# Create or refresh the course's virtual environment.
#   scripts/ensure-venv.sh runtime   -> .venv with the course and JupyterLab, its [lab] extra (for `make lab`)
#   scripts/ensure-venv.sh test      -> .venv with the [lab,test,hub] extras (for `make test`), plus what the hub
#                                       tests need: configurable-http-proxy from npm in .venv/node and the hub's
#                                       single-user environment (hub/requirements-singleuser.txt and the course
#                                       installed from a wheel, as a hub image would) in .venv/hub-singleuser
# The venv is rebuilt when it is missing or broken, and reinstalled when pyproject.toml changed since the last
# install (a hash of pyproject.toml is kept in .venv/.course-installed-<what>).
set -euo pipefail
cd "$(dirname "$0")/.."

what="${1:-runtime}"
case "$what" in
  runtime) spec=".[lab]" ;;
  test) spec=".[lab,test,hub]" ;;
  *) echo "usage: $0 runtime|test" >&2; exit 2 ;;
esac

step() { printf '==> [setup] %s\n' "$*"; }
fail() { printf '\n*** FAILED at step: %s\n' "$current" >&2; }
trap fail ERR

current="finding Python 3.11 or newer"
PYTHON="${PYTHON:-}"
if [ -z "$PYTHON" ]; then
  for candidate in python3 python; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      PYTHON="$candidate"; break
    fi
  done
fi
if [ -z "$PYTHON" ]; then
  echo "*** FAILED at step: $current — install Python 3.11+ (python.org) and run this again." >&2
  exit 1
fi

VENV=.venv
stamp="$VENV/.course-installed-$what"
hash=$("$PYTHON" -c 'import hashlib,sys; print(hashlib.sha256(b"".join(open(f,"rb").read() for f in ("pyproject.toml","hub/requirements-singleuser.txt"))).hexdigest())')

current="checking the existing .venv"
if [ -d "$VENV" ] && ! "$VENV/bin/python" -c 'import sys' >/dev/null 2>&1; then
  step "the existing .venv is broken (its Python does not start): recreating it"
  rm -rf "$VENV"
fi

if [ ! -x "$VENV/bin/python" ]; then
  current="creating the virtual environment .venv"
  step "creating .venv with $("$PYTHON" --version)"
  "$PYTHON" -m venv "$VENV"
fi

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ]; then
  step ".venv is up to date ($what)"
  exit 0
fi
# A test install also satisfies a runtime request.
if [ "$what" = runtime ] && [ -f "$VENV/.course-installed-test" ] && [ "$(cat "$VENV/.course-installed-test")" = "$hash" ]; then
  step ".venv is up to date (installed with the test extra)"
  exit 0
fi

current="installing the course into .venv (pip install -e '$spec')"
step "installing the course and its dependencies into .venv (about a minute the first time)"
log="$VENV/pip-install.log"
status=0
"$VENV/bin/python" -m pip install --disable-pip-version-check -q -e "$spec" >"$log" 2>&1 || status=$?
# pip prints a harmless "Location ... is ignored" line per package on some mirrors; hide that noise.
grep -v "is ignored: it is neither a file nor a directory" "$log" || true
[ "$status" -eq 0 ]
current="checking the installation"
"$VENV/bin/python" -c 'import alliance_course, jupyterlab, ipywidgets, pandas, matplotlib, yaml, jsonschema, filelock, platformdirs'
if [ "$what" = test ]; then
  "$VENV/bin/python" -c 'import pytest, nbval, xdist, hypothesis, frictionless, playwright, jupyterhub, websocket'

  current="installing configurable-http-proxy from npm into $VENV/node (the hub tests need it; Node.js 18+ and npm)"
  if command -v npm >/dev/null 2>&1; then
    step "installing configurable-http-proxy (npm) for the JupyterHub tests"
    npm install --silent --no-audit --no-fund --prefix "$VENV/node" configurable-http-proxy@5 >"$VENV/npm-install.log" 2>&1 ||
      { cat "$VENV/npm-install.log" >&2; false; }
  else
    echo "==> [setup] npm not found: the JupyterHub tests (marker hub) will fail until Node.js and npm are installed" >&2
  fi

  current="building the hub's single-user environment $VENV/hub-singleuser (hub/requirements-singleuser.txt + the course as a wheel)"
  step "building the hub's single-user environment (.venv/hub-singleuser)"
  rm -rf "$VENV/hub-singleuser"
  "$PYTHON" -m venv "$VENV/hub-singleuser"
  "$VENV/hub-singleuser/bin/python" -m pip install --disable-pip-version-check -q \
    -r hub/requirements-singleuser.txt . >"$VENV/hub-singleuser-install.log" 2>&1 ||
    { grep -v "is ignored: it is neither" "$VENV/hub-singleuser-install.log" >&2; false; }
  rm -rf build  # left by the wheel build of the non-editable install
  "$VENV/hub-singleuser/bin/python" -c 'import alliance_course, jupyterlab, nbgitpuller, jupyterhub'
  "$VENV/bin/python" tests/hubdriver.py stamp  # the hub tests reinstall the course only when its source changes
fi
rm -f "$VENV"/.course-installed-*
echo "$hash" > "$stamp"
step "done"
