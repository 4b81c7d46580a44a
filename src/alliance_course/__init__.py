"""Helper package for the course *Alliance or Coalition? NATO from Article 5 to Framework Nations*.

Notebooks import small, named pieces from here so they stay readable:

- ``alliance_course.data``      load the course's sourced fact tables (``data.load("nato_members")``)
- ``alliance_course.quiz``      question banks, grading and the ipywidgets quiz view
- ``alliance_course.progress``  the learner's saved progress
- ``alliance_course.exercises`` ``check("04.2", answer)`` for exercise notebooks
- ``alliance_course.plots``     the course chart style
- ``alliance_course.sims``      simulations: pure models (``<x>``) with charts and widgets in ``<x>_view``
"""

from importlib import metadata as _metadata

try:
    __version__ = _metadata.version("alliance-course")  # the one version, in pyproject.toml
except _metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree that was never installed
    __version__ = "0+unknown"
