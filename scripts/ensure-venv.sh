#!/usr/bin/env bash
# Create or refresh the course's virtual environment.
#   scripts/ensure-venv.sh runtime   -> .venv with the course (for `make lab`)
#   scripts/ensure-venv.sh test      -> .venv with the course and its [test] extra (for `make test`)
# The venv is rebuilt when it is missing or broken, and reinstalled when pyproject.toml changed since the last
# install (a hash of pyproject.toml is kept in .venv/.course-installed-<what>).
set -euo pipefail
cd "$(dirname "$0")/.."

what="${1:-runtime}"
case "$what" in
  runtime) spec="." ;;
  test) spec=".[test]" ;;
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
hash=$("$PYTHON" -c 'import hashlib,sys; print(hashlib.sha256(open("pyproject.toml","rb").read()).hexdigest())')

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

# The browser tests' accessibility audit runs axe-core from the npm registry, kept inside .venv/node.
if [ "$what" = test ] && [ ! -f "$VENV/node/node_modules/axe-core/axe.min.js" ]; then
  current="installing axe-core with npm into $VENV/node (for the accessibility audit)"
  if command -v npm >/dev/null 2>&1; then
    step "installing axe-core (npm) into $VENV/node"
    npm install --prefix "$VENV/node" --no-audit --no-fund --silent axe-core@4 >/dev/null
  else
    echo "==> [setup] npm is missing: the browser tests' accessibility audit needs it (apt-get install npm)" >&2
  fi
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
"$VENV/bin/python" -c 'import alliance_course, jupyterlab, ipywidgets, pandas, matplotlib, yaml, jsonschema, filelock'
if [ "$what" = test ]; then
  "$VENV/bin/python" -c 'import pytest, nbval, xdist, hypothesis, frictionless, playwright'
fi
rm -f "$VENV"/.course-installed-*
echo "$hash" > "$stamp"
step "done"
