"""Drive a real local JupyterHub the way a class uses it: log in, spawn, follow an nbgitpuller link, run code in the
learner's kernel. Used by tests/test_hub.py and bench/hub.py (``make bench-hub``).

The hub runs hub/jupyterhub_config.py (the configuration instructors/deploy.md documents) with
configurable-http-proxy from npm (.venv/node) and single-user servers from .venv/hub-singleuser, the environment
built from hub/requirements-singleuser.txt plus the course installed from a wheel (course.py setup test).
Every process the hub starts is found through /proc and stopped by its process id.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlparse

import requests
import websocket

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv"
SINGLEUSER_ENV = VENV / "hub-singleuser"
SINGLEUSER = SINGLEUSER_ENV / "bin" / "jupyterhub-singleuser"
PROXY = VENV / "node" / "node_modules" / ".bin" / "configurable-http-proxy"
CONFIG = ROOT / "hub" / "jupyterhub_config.py"
REQUIREMENTS = ROOT / "hub" / "requirements-singleuser.txt"
COURSE_REPO_NAME = "alliance-course"
START_NOTEBOOK = "notebooks/00-start-here.ipynb"


class HubError(RuntimeError):
    pass


def record_run(path: Path, how: str) -> None:
    """Log a run of a course notebook for `make count-runs` (tools/count_runs.py), as the other layers do."""
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import count_runs
    finally:
        sys.path.pop(0)
    count_runs.record(path, how)


def missing_pieces() -> list[str]:
    """What the hub tests need and the set-up did not install, as sentences (empty when all is there)."""
    problems = []
    if not PROXY.exists():
        problems.append(f"configurable-http-proxy is not installed at {PROXY} (npm install --prefix .venv/node "
                        "configurable-http-proxy; course.py setup test does it when npm is available)")
    if not SINGLEUSER.exists():
        problems.append(f"the hub's single-user environment is missing ({SINGLEUSER}); run "
                        "`python3 course.py setup test`")
    if shutil.which("git") is None:
        problems.append("git is not installed (nbgitpuller needs it)")
    return problems


def free_port_block(size: int = 3) -> int:
    """A port p such that p .. p+size-1 are all free on 127.0.0.1."""
    for _ in range(200):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            base = probe.getsockname()[1]
        if base + size > 65535:
            continue
        ok = True
        for port in range(base, base + size):
            with socket.socket() as sock:
                try:
                    sock.bind(("127.0.0.1", port))
                except OSError:
                    ok = False
                    break
        if ok:
            return base
    raise HubError("no block of free ports found on 127.0.0.1")


SOURCE_STAMP = SINGLEUSER_ENV / ".course-source-sha256"


def source_fingerprint() -> str:
    """A hash of what goes into the course's wheel (pyproject.toml, README.md and the package source)."""
    digest = hashlib.sha256()
    files = [ROOT / "pyproject.toml", ROOT / "README.md"]
    files += sorted(p for p in (ROOT / "src").rglob("*") if p.is_file() and "__pycache__" not in p.parts
                    and ".egg-info" not in str(p))
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _installed_location(workdir: Path) -> str:
    where = subprocess.run([str(SINGLEUSER_ENV / "bin" / "python"), "-c",
                            "import alliance_course; print(alliance_course.__file__)"],
                           capture_output=True, text=True, timeout=60, cwd=workdir)
    return where.stdout.strip()


def install_course_wheel(workdir: Path) -> str:
    """Build a wheel of the course's current source and install it (no dependencies: those come from the set-up)
    into the single-user environment, as a hub image would. Builds in a copy, so the work tree gets no build/.
    Skipped when the environment already holds a non-editable install of exactly this source (the set-up stamps
    it). Returns the installed location of the package."""
    fingerprint = source_fingerprint()
    if SOURCE_STAMP.exists() and SOURCE_STAMP.read_text().strip() == fingerprint:
        return _installed_location(workdir)
    source = workdir / "course-source"
    shutil.rmtree(source, ignore_errors=True)
    source.mkdir(parents=True)
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(ROOT / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    wheels = workdir / "wheels"
    shutil.rmtree(wheels, ignore_errors=True)
    python = str(SINGLEUSER_ENV / "bin" / "python")
    run = subprocess.run([python, "-m", "pip", "wheel", "--no-deps", "--disable-pip-version-check", "-q",
                          "-w", str(wheels), str(source)], capture_output=True, text=True, timeout=300)
    if run.returncode != 0:
        raise HubError(f"building the course wheel failed:\n{run.stdout}\n{run.stderr}")
    wheel = next(wheels.glob("alliance_course-*.whl"))
    run = subprocess.run([python, "-m", "pip", "install", "--no-deps", "--force-reinstall",
                          "--disable-pip-version-check",
                          "-q", str(wheel)], capture_output=True, text=True, timeout=300)
    if run.returncode != 0:
        raise HubError(f"installing the course wheel failed:\n{run.stdout}\n{run.stderr}")
    SOURCE_STAMP.write_text(fingerprint + "\n")
    return _installed_location(workdir)


def make_course_remote(workdir: Path) -> Path:
    """A bare git repository holding the course as committed (plus uncommitted changes to tracked files), the
    'local git URL' nbgitpuller pulls from."""
    remote = workdir / "remote" / COURSE_REPO_NAME
    shutil.rmtree(remote, ignore_errors=True)
    remote.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(remote)], check=True, timeout=60)
    snapshot = subprocess.run(["git", "-C", str(ROOT), "stash", "create"], capture_output=True, text=True,
                              timeout=60).stdout.strip()
    commit = snapshot or subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True,
                                        text=True, check=True, timeout=60).stdout.strip()
    subprocess.run(["git", "-C", str(ROOT), "push", "-q", str(remote), f"{commit}:refs/heads/main"], check=True,
                   timeout=120, capture_output=True)
    return remote


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (children, grandchildren…), read from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


@dataclass
class Hub:
    workdir: Path
    port: int = 0
    token: str = field(default_factory=lambda: secrets.token_hex(16))
    process: subprocess.Popen | None = None
    known_pids: set[int] = field(default_factory=set)
    log_path: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def state(self) -> Path:
        return self.workdir / "hub"

    @property
    def handin(self) -> Path:
        return self.state / "handin"

    def home(self, user: str) -> Path:
        return self.state / "homes" / user

    def start(self, timeout: float = 90) -> None:
        self.state.mkdir(parents=True, exist_ok=True)
        if not self.port:
            self.port = free_port_block(3)
        env = {key: value for key, value in os.environ.items()
               if not key.startswith(("ALLIANCE_", "JUPYTER", "JPY_"))}
        env.update(ALLIANCE_HUB_DIR=str(self.state), ALLIANCE_HUB_PORT=str(self.port),
                   ALLIANCE_HUB_SINGLEUSER=str(SINGLEUSER), ALLIANCE_HUB_PROXY=str(PROXY),
                   ALLIANCE_HUB_SERVICE_TOKEN=self.token,
                   PATH=f"{PROXY.parent}:{env.get('PATH', '/usr/bin:/bin')}")
        self.log_path = self.state / "jupyterhub.log"
        log = self.log_path.open("ab")
        self.process = subprocess.Popen([str(VENV / "bin" / "jupyterhub"), "-f", str(CONFIG)], cwd=self.state,
                                        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        self.known_pids.add(self.process.pid)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise HubError(f"JupyterHub exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                if requests.get(f"{self.url}/hub/api/", timeout=2).status_code == 200:
                    self.track()
                    return
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise HubError(f"JupyterHub did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 60) -> str:
        if self.log_path and self.log_path.exists():
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        return "(no log)"

    def track(self) -> None:
        """Remember every process the hub has started so far (proxy, servers, kernels), to stop them by id."""
        if self.process is not None:
            self.known_pids.update(descendants(self.process.pid))

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = {"Authorization": f"token {self.token}"}
        return requests.request(method, f"{self.url}/hub/api{path}", headers=headers, timeout=60, **kwargs)

    def stop(self, timeout: float = 30) -> list[int]:
        """Stop the hub (which stops the servers and the proxy), then any process it started that is still
        running, each by its process id. Returns the ids that had to be killed."""
        self.track()
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        killed = []
        for pid in sorted(self.known_pids):
            if alive(pid):
                try:
                    os.kill(pid, signal.SIGTERM)
                    killed.append(pid)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + 10
        while killed and time.monotonic() < deadline and any(alive(pid) for pid in killed):
            time.sleep(0.2)
        for pid in killed:
            if alive(pid):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        return killed


class Learner:
    """One browser-less user of the hub: a cookie session like a browser's, plus an API token for the kernel."""

    def __init__(self, hub: Hub, name: str) -> None:
        self.hub = hub
        self.name = name
        self.session = requests.Session()
        self.token: str | None = None

    @property
    def server_url(self) -> str:
        return f"{self.hub.url}/user/{self.name}"

    def _xsrf_headers(self) -> dict[str, str]:
        value = self.session.cookies.get("_xsrf", path="/hub/")
        return {"X-XSRFToken": value} if value else {}

    def log_in(self) -> None:
        page = self.session.get(f"{self.hub.url}/hub/login", timeout=30)
        page.raise_for_status()
        response = self.session.post(f"{self.hub.url}/hub/login?next=", allow_redirects=False, timeout=60,
                                     data={"username": self.name, "password": "any",
                                           "_xsrf": self.session.cookies.get("_xsrf", path="/hub/") or ""})
        if response.status_code not in (302, 303):
            raise HubError(f"login of {self.name} failed: {response.status_code} {response.text[:300]}")
        made = self.session.post(f"{self.hub.url}/hub/api/users/{self.name}/tokens", headers=self._xsrf_headers(),
                                 json={"note": "course test", "expires_in": 3600}, timeout=60)
        if made.status_code not in (200, 201):
            raise HubError(f"token for {self.name} refused: {made.status_code} {made.text[:300]}")
        self.token = made.json()["token"]

    def _hub_api(self, method: str, path: str, **kwargs) -> requests.Response:
        return requests.request(method, f"{self.hub.url}/hub/api{path}", timeout=60,
                                headers={"Authorization": f"token {self.token}"}, **kwargs)

    def spawn(self, timeout: float = 180) -> float:
        """Start this user's server and wait until it is ready; returns the seconds it took."""
        started = time.monotonic()
        response = self._hub_api("POST", f"/users/{self.name}/server")
        if response.status_code not in (201, 202, 400):  # 400: already running
            raise HubError(f"spawn of {self.name} refused: {response.status_code} {response.text[:300]}")
        deadline = started + timeout
        while time.monotonic() < deadline:
            model = self._hub_api("GET", f"/users/{self.name}").json()
            server = model.get("servers", {}).get("")
            if server and server.get("ready"):
                self.hub.track()
                return time.monotonic() - started
            if not server or not server.get("pending"):
                if time.monotonic() - started > 5 and not server:
                    raise HubError(f"server of {self.name} failed to start:\n{self.hub.log_tail()}")
            time.sleep(0.3)
        raise HubError(f"server of {self.name} not ready after {timeout:.0f} s:\n{self.hub.log_tail()}")

    def stop_server(self, timeout: float = 60) -> None:
        self.hub.track()
        response = self._hub_api("DELETE", f"/users/{self.name}/server")
        if response.status_code not in (202, 204):
            raise HubError(f"stopping the server of {self.name} refused: {response.status_code}")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self._hub_api("GET", f"/users/{self.name}").json().get("servers", {}).get(""):
                return
            time.sleep(0.3)
        raise HubError(f"server of {self.name} did not stop within {timeout:.0f} s")

    def pull_link(self, remote: Path, branch: str = "main") -> str:
        """The nbgitpuller link an instructor hands out (see instructors/deploy.md)."""
        query = urlencode({"repo": str(remote), "branch": branch,
                           "urlpath": f"lab/tree/{remote.name}/{START_NOTEBOOK}"})
        return f"{self.hub.url}/hub/user-redirect/git-pull?{query}"

    def follow_pull_link(self, remote: Path, branch: str = "main", timeout: float = 180) -> list[dict]:
        """What a browser does with the link: the hub sends the user to their server's nbgitpuller page (logging
        them in to it), whose script calls the pull API and, when it is finished, opens the notebook."""
        page = self.session.get(self.pull_link(remote, branch), timeout=60)
        if page.status_code != 200 or urlparse(page.url).path != f"/user/{self.name}/git-pull":
            raise HubError(f"the nbgitpuller link led to {page.url} ({page.status_code})")
        if "git-pull" not in page.text and "gitsync" not in page.text.lower():
            raise HubError(f"the nbgitpuller page does not look like one: {page.text[:300]}")
        query = urlencode({"repo": str(remote), "branch": branch, "targetpath": remote.name})
        events = []
        with self.session.get(f"{self.server_url}/git-pull/api?{query}", stream=True, timeout=timeout) as stream:
            stream.raise_for_status()
            for line in stream.iter_lines(decode_unicode=True):
                if line and line.startswith("data:"):
                    event = json.loads(line[5:])
                    events.append(event)
                    if event.get("phase") in ("finished", "error"):
                        break
        if not events or events[-1].get("phase") != "finished":
            raise HubError(f"nbgitpuller did not finish: {events[-3:]}")
        opened = self.session.get(f"{self.server_url}/lab/tree/{remote.name}/{START_NOTEBOOK}", timeout=60)
        if opened.status_code != 200:
            raise HubError(f"opening {START_NOTEBOOK} gave {opened.status_code}")
        return events

    def server_api(self, method: str, path: str, **kwargs) -> requests.Response:
        return requests.request(method, f"{self.server_url}/api{path}", timeout=60,
                                headers={"Authorization": f"token {self.token}"}, **kwargs)

    def open_notebook_kernel(self, path: str) -> Kernel:
        """A kernel for the notebook at ``path`` (relative to the home folder), started as JupyterLab does (a
        session), so its working directory is the notebook's folder."""
        response = self.server_api("POST", "/sessions", json={"path": path, "name": Path(path).name,
                                                                "type": "notebook", "kernel": {"name": "python3"}})
        if response.status_code not in (200, 201):
            raise HubError(f"starting a kernel for {path} failed: {response.status_code} {response.text[:300]}")
        kernel_id = response.json()["kernel"]["id"]
        self.hub.track()
        return Kernel(self, kernel_id)

    def notebook_code_cells(self, path: str) -> list[str]:
        response = self.server_api("GET", f"/contents/{path}?content=1&type=notebook")
        response.raise_for_status()
        return ["".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
                for cell in response.json()["content"]["cells"] if cell["cell_type"] == "code"]


class Kernel:
    """A kernel of a learner's server, driven over its websocket (the Jupyter messaging protocol)."""

    def __init__(self, learner: Learner, kernel_id: str) -> None:
        self.learner = learner
        self.kernel_id = kernel_id
        ws_url = learner.server_url.replace("http://", "ws://") + f"/api/kernels/{kernel_id}/channels"
        self.ws = websocket.create_connection(ws_url, timeout=120,
                                              header=[f"Authorization: token {learner.token}"])
        self.session_id = uuid.uuid4().hex

    def execute(self, code: str, timeout: float = 120) -> tuple[str, list[str]]:
        """Run ``code``; returns (everything printed and displayed as text, error descriptions)."""
        msg_id = uuid.uuid4().hex
        self.ws.send(json.dumps({
            "header": {"msg_id": msg_id, "username": self.learner.name, "session": self.session_id,
                       "msg_type": "execute_request", "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True}}))
        text, errors = [], []
        idle = replied = False
        deadline = time.monotonic() + timeout
        while not (idle and replied):
            if time.monotonic() > deadline:
                raise HubError(f"kernel of {self.learner.name} did not finish within {timeout:.0f} s: {code[:80]}")
            message = json.loads(self.ws.recv())
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = message["msg_type"], message["content"]
            if kind == "stream":
                text.append(content["text"])
            elif kind in ("execute_result", "display_data"):
                text.append(content.get("data", {}).get("text/plain", ""))
            elif kind == "error":
                errors.append(f"{content['ename']}: {content['evalue']}")
            elif kind == "status" and content.get("execution_state") == "idle":
                idle = True
            elif kind == "execute_reply":
                replied = True
                if content.get("status") == "error" and not errors:
                    errors.append(f"{content.get('ename')}: {content.get('evalue')}")
        return "".join(text), errors

    def close(self) -> None:
        try:
            self.ws.close()
        finally:
            self.learner.server_api("DELETE", f"/kernels/{self.kernel_id}")


def new_workdir(prefix: str = "alliance-hub-") -> Path:
    return Path(tempfile.mkdtemp(prefix=prefix))


if __name__ == "__main__":
    # `python tests/hubdriver.py stamp`: course.py setup has just installed the course from this source.
    if sys.argv[1:] == ["stamp"]:
        SOURCE_STAMP.write_text(source_fingerprint() + "\n")
