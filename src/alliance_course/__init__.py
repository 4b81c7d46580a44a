"""Helper package for the course *Alliance or Coalition? NATO from Article 5 to Framework Nations*.

Notebooks import small, named pieces from here so they stay readable:

- ``alliance_course.data``      load the course's sourced fact tables (``data.load("nato_members")``)
- ``alliance_course.quiz``      question banks, grading and the ipywidgets quiz view
- ``alliance_course.progress``  the learner's saved progress
- ``alliance_course.exercises`` ``check("04.2", answer)`` for exercise notebooks
- ``alliance_course.plots``     the course chart style
- ``alliance_course.sims``      simulations as pure functions with thin widgets
"""

__version__ = "0.1.0"
