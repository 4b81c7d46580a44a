"""A JupyterLab server for the browser tests, on a temporary copy of the course.

One server is shared by all browser tests (they live in one test module, so pytest-xdist's ``--dist loadfile``
keeps them on one worker). It listens on a free loopback port with a random token, with JupyterLab's news pop-up
and cell windowing switched off (so every cell is in the page), and keeps its workspace and settings in the
temporary folder so nothing leaks into the user's own JupyterLab.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

COPIED = ("notebooks", "exercises", "solutions", "data")
LAB_OVERRIDES = {
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none", "autoStartDefaultKernel": True},
}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def copy_course(source: Path, target: Path) -> Path:
    """Copy the parts of the course a learner opens (notebooks, exercises, solutions, data) to ``target``."""
    for folder in COPIED:
        if (source / folder).exists():
            shutil.copytree(source / folder, target / folder,
                            ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    return target


class LabServer:
    """``with LabServer(course_copy, workdir) as lab: lab.url("notebooks/00-start-here.ipynb")``."""

    def __init__(self, root: Path, workdir: Path, startup_timeout: float = 60.0):
        self.root, self.workdir, self.startup_timeout = root, workdir, startup_timeout
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.process: subprocess.Popen | None = None
        self.log_path = workdir / "jupyterlab.log"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        """The address that opens ``path`` in a fresh JupyterLab workspace (no tabs left over from other tests)."""
        workspace = f"test-{secrets.token_hex(4)}"
        return f"{self.base}/lab/workspaces/{workspace}/tree/{path}?reset&token={self.token}"

    def __enter__(self) -> "LabServer":
        settings = self.workdir / "lab-settings"
        settings.mkdir(parents=True, exist_ok=True)
        (settings / "overrides.json").write_text(json.dumps(LAB_OVERRIDES), encoding="utf-8")
        command = [
            sys.executable, "-m", "jupyterlab", "--no-browser",
            f"--port={self.port}", "--ServerApp.port_retries=0", "--ServerApp.ip=127.0.0.1",
            f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.root}",
            f"--LabApp.app_settings_dir={settings}",
            f"--LabApp.user_settings_dir={self.workdir / 'user-settings'}",
            f"--LabApp.workspaces_dir={self.workdir / 'workspaces'}",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ]
        if hasattr(os, "getuid") and os.getuid() == 0:
            command.append("--allow-root")
        env = dict(os.environ, ALLIANCE_COURSE_ROOT=str(self.root), JUPYTER_RUNTIME_DIR=str(self.workdir / "runtime"),
                   ALLIANCE_COURSE_PROGRESS=str(self.workdir / "progress.json"))  # never the learner's own file
        # Kernels get the learner's matplotlib backend (inline), so charts really render in the page: `make test`
        # sets MPLBACKEND=Agg for its own process, which would otherwise leave every plt.show() blank.
        env.pop("MPLBACKEND", None)
        self._log = open(self.log_path, "w", encoding="utf-8")
        self.process = subprocess.Popen(command, stdout=self._log, stderr=subprocess.STDOUT, env=env,
                                        cwd=self.root)
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                tail = self.log_path.read_text()[-2000:]
                raise RuntimeError(f"JupyterLab exited early; see {self.log_path}:\n{tail}")
            try:
                with urllib.request.urlopen(f"{self.base}/api/status?token={self.token}", timeout=2) as response:
                    if response.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.25)
        self.__exit__(None, None, None)
        raise RuntimeError(f"JupyterLab did not answer within {self.startup_timeout:.0f} s; see {self.log_path}")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()  # SIGTERM: the server shuts its kernels down cleanly
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        if getattr(self, "_log", None):
            self._log.close()
