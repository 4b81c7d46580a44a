"""pyproject.toml and environment.yml must install the same runtime dependencies (plus JupyterLab, the `lab`
extra, for conda and Binder); the runtime set itself must not pull in a Jupyter server, since installing the course
into a JupyterHub's single-user environment must never upgrade the hub's own server packages."""

from __future__ import annotations

import re
import tomllib

import yaml

from alliance_course import paths

ROOT = paths.course_root()


def _split(requirement: str) -> tuple[str, str]:
    match = re.match(r"\s*([A-Za-z0-9_.\-]+)\s*(.*)$", requirement)
    assert match, f"cannot parse requirement {requirement!r}"
    return match.group(1).lower().replace("_", "-"), match.group(2).replace(" ", "")


def pyproject_runtime() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return dict(_split(r) for r in project["dependencies"])


def pyproject_extra(name: str) -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return dict(_split(r) for r in project["optional-dependencies"][name])


def conda_runtime() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    deps = [d for d in env["dependencies"] if isinstance(d, str)]
    parsed = dict(_split(d.replace("=", "==", 1) if re.match(r"^[\w\-]+=[^=]", d) else d) for d in deps)
    parsed.pop("python", None)
    parsed.pop("pip", None)
    return parsed


def test_same_runtime_dependencies():
    pip, conda = {**pyproject_runtime(), **pyproject_extra("lab"), **pyproject_extra("app")}, conda_runtime()
    assert set(pip) == set(conda), (
        f"only in pyproject.toml: {sorted(set(pip) - set(conda))}; "
        f"only in environment.yml: {sorted(set(conda) - set(pip))}")
    differing = {name: (pip[name], conda[name]) for name in pip if pip[name] != conda[name]}
    assert not differing, f"version bounds differ (pyproject, environment.yml): {differing}"


def test_environment_uses_conda_forge_and_installs_the_course():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert env["channels"] == ["conda-forge"]
    assert any(isinstance(d, str) and d.startswith("python") for d in env["dependencies"])
    pip_sections = [d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d]
    assert pip_sections and "-e ." in pip_sections[0], "environment.yml must install the course with `pip install -e .`"


def test_core_libraries_declared():
    assert {"ipywidgets", "pandas", "matplotlib", "platformdirs"} <= set(pyproject_runtime())
    assert "jupyterlab" in pyproject_extra("lab")


SERVERS = {"jupyterlab", "jupyter-server", "notebook", "nbclassic", "jupyterhub", "voila"}


def test_runtime_dependencies_bring_no_jupyter_server():
    assert not SERVERS & set(pyproject_runtime()), "a server package in the runtime dependencies would upgrade " \
        "a JupyterHub's server when the course is installed into its user environment; put it in an extra"


def _course_cli():
    import importlib.util

    spec = importlib.util.spec_from_file_location("course_cli", ROOT / "course.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_make_lab_installs_the_lab_extra():
    installs = _course_cli().INSTALLS
    assert installs["runtime"][0] == ".[lab]" and "jupyterlab" in installs["runtime"][1]
    extras = set(installs["test"][0].removeprefix(".[").removesuffix("]").split(","))
    assert {"lab", "test", "hub", "grading"} <= extras
    declared = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
                   ["optional-dependencies"])
    assert extras <= declared
