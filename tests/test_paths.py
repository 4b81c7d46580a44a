"""Finding the course folder: the environment variable, then the working directory upwards (a course pulled by
nbgitpuller next to a package installed from a wheel), then the editable install's source tree."""

from __future__ import annotations

import json

from alliance_course import paths


def _course(folder):
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "datapackage.json").write_text(json.dumps({"resources": []}), encoding="utf-8")
    (folder / "notebooks").mkdir()
    return folder


def test_found_from_a_notebook_folder_inside_a_pulled_course(tmp_path, monkeypatch):
    monkeypatch.delenv(paths.ROOT_ENV, raising=False)
    course = _course(tmp_path / "home" / "ana" / "alliance-course")
    monkeypatch.chdir(course / "notebooks")
    assert paths.course_root() == course.resolve()
    assert paths.quizzes_dir() == course.resolve() / "data" / "quizzes"


def test_the_environment_variable_wins(tmp_path, monkeypatch):
    course = _course(tmp_path / "pulled")
    other = _course(tmp_path / "other")
    monkeypatch.chdir(course / "notebooks")
    monkeypatch.setenv(paths.ROOT_ENV, str(other))
    assert paths.course_root() == other.resolve()


def test_outside_any_course_the_source_tree_is_used(tmp_path, monkeypatch):
    monkeypatch.delenv(paths.ROOT_ENV, raising=False)
    (tmp_path / "data").mkdir()  # a data folder without the course's data package is not the course
    monkeypatch.chdir(tmp_path)
    assert paths.course_root() == paths.source_tree_root()


def test_a_deleted_working_directory_falls_back(tmp_path, monkeypatch):
    monkeypatch.delenv(paths.ROOT_ENV, raising=False)
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    assert paths.course_root() == paths.source_tree_root()
