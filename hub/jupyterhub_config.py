# JupyterHub configuration for a class taking the course on ONE machine, with local processes.
#
# The hub tests (tests/test_hub.py) and `make bench-hub` run JupyterHub with exactly this file; instructors/deploy.md
# explains each setting and gives the matching settings for The Littlest JupyterHub and Zero to JupyterHub.
#
# It is a test and load-measurement set-up: SimpleLocalProcessSpawner and DummyAuthenticator give each user a home
# folder of their own but NO isolation and NO real passwords. A real hub uses TLJH (system users) or Kubernetes.
#
# Settings come from environment variables so the same file serves the test, the benchmark and a trial by hand:
#   ALLIANCE_HUB_DIR          folder for the hub's state, users' homes (homes/<user>) and the hand-in folder
#   ALLIANCE_HUB_PORT         public port of the proxy (default 8000); the hub API and proxy API use the next two
#   ALLIANCE_HUB_SINGLEUSER   the jupyterhub-singleuser program of the single-user environment
#                             (hub/requirements-singleuser.txt + the course installed from a wheel)
#   ALLIANCE_HUB_PROXY        the configurable-http-proxy program (npm)
#   ALLIANCE_HUB_ADMIN        the instructor's user name (default "instructor")
#   ALLIANCE_HUB_SERVICE_TOKEN  optional: an API token for a service "course-admin" that may manage users and
#                             servers (the test and the benchmark use it to stop servers and read the user list)
import os
import shutil
import sys
from pathlib import Path

c = get_config()  # noqa: F821 (provided by JupyterHub when it loads this file)

state = Path(os.environ.get("ALLIANCE_HUB_DIR", "alliance-hub")).resolve()
port = int(os.environ.get("ALLIANCE_HUB_PORT", "8000"))
admin = os.environ.get("ALLIANCE_HUB_ADMIN", "instructor")
handin = state / "handin"

# --- network: everything on loopback -------------------------------------------------------------------------------
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = port
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = port + 1
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{port + 2}"
c.ConfigurableHTTPProxy.command = [os.environ.get("ALLIANCE_HUB_PROXY") or shutil.which("configurable-http-proxy")
                                   or "configurable-http-proxy"]
c.ConfigurableHTTPProxy.should_start = True

# --- the hub's own state --------------------------------------------------------------------------------------------
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.pid_file = str(state / "proxy.pid")
c.JupyterHub.pid_file = str(state / "hub.pid")
c.JupyterHub.cleanup_servers = True  # stopping the hub stops every learner's server
c.JupyterHub.cleanup_proxy = True

# --- who may log in -------------------------------------------------------------------------------------------------
c.JupyterHub.authenticator_class = "dummy"  # any user name, no password check: tests only
c.Authenticator.allow_all = True
c.Authenticator.admin_users = {admin}

# --- each learner's server ------------------------------------------------------------------------------------------
c.JupyterHub.spawner_class = "simple"  # local processes, a separate home folder per user, no isolation
c.SimpleLocalProcessSpawner.home_dir_template = str(state / "homes" / "{username}")
singleuser = os.environ.get("ALLIANCE_HUB_SINGLEUSER") or shutil.which("jupyterhub-singleuser")
c.Spawner.cmd = [singleuser or "jupyterhub-singleuser"]
c.Spawner.args = ["--ServerApp.allow_root=True"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
c.Spawner.default_url = "/lab/tree/alliance-course/notebooks/00-start-here.ipynb"
c.Spawner.notebook_dir = "~"
c.Spawner.start_timeout = 120  # a busy two-core machine starting many servers at once
c.Spawner.http_timeout = 120
# Where learners hand in their progress exports: progress.export(to=os.environ["ALLIANCE_COURSE_HANDIN"]).
c.Spawner.environment = {"ALLIANCE_COURSE_HANDIN": str(handin), "MPLBACKEND": "Agg"}
# The hub's own Python must not leak into the learners' servers: only these variables are passed on.
c.Spawner.env_keep = ["PATH", "LANG", "LC_ALL"]
# Resource guarantees are honoured by Kubernetes (Zero to JupyterHub) and systemd (TLJH), not by local processes;
# kept here so the numbers live in one place (see instructors/deploy.md for how they were measured).
c.Spawner.mem_guarantee = "512M"
c.Spawner.mem_limit = "1G"

# --- a service that may manage users and servers (the test and the benchmark) ---------------------------------------
token = os.environ.get("ALLIANCE_HUB_SERVICE_TOKEN")
if token:
    c.JupyterHub.services = [{"name": "course-admin", "api_token": token}]
    c.JupyterHub.load_roles = [{"name": "course-admin", "services": ["course-admin"],
                                "scopes": ["admin:users", "admin:servers", "list:users", "read:users",
                                           "tokens", "access:servers"]}]

# --- the hand-in folder: learners may drop files in, only its owner may list it ------------------------------------
handin.mkdir(parents=True, exist_ok=True)
os.chmod(handin, 0o1733)
print(f"alliance-hub: state in {state}, public port {port}, single-user {c.Spawner.cmd[0]}", file=sys.stderr)
