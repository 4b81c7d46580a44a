#!/usr/bin/env bash
# Open the course in JupyterLab on notebooks/00-start-here.ipynb (called by `make lab`).
#   PORT=8899 make lab      another port (default 8888; the next free one is used if it is taken)
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
PORT="${PORT:-8888}"

args=(--port="$PORT" --ServerApp.ip=127.0.0.1
      --ServerApp.root_dir="$root"
      --LabApp.default_url=/lab/tree/notebooks/00-start-here.ipynb
      --LabApp.app_settings_dir="$root/.jupyter/lab-settings")

# JupyterLab refuses to start as root unless told to; say it only when we are root (containers, CI).
if [ "$(id -u)" = 0 ]; then
  args+=(--allow-root)
fi

# Start no browser where there is none (a server, a container, an SSH session without display).
no_browser=0
if [ -n "${CI:-}" ] || [ -n "${SSH_CONNECTION:-}" ]; then no_browser=1; fi
if [ "$(uname -s)" = Linux ] && [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${BROWSER:-}" ]; then
  no_browser=1
fi
if [ "$no_browser" = 1 ]; then
  args+=(--no-browser)
fi

echo "==> [lab] starting JupyterLab on port $PORT (stop it with Ctrl-C)"
echo "==> [lab] open the URL that JupyterLab prints below (it contains your access token);"
echo "          the course opens on notebooks/00-start-here.ipynb"
exec .venv/bin/jupyter lab "${args[@]}"
