"""The course's simulators, one rule for all of them.

``<x>.py`` holds the calculations: plain Python and pandas, no ipywidgets, IPython or matplotlib (tested directly,
importable anywhere). ``<x>_view.py`` holds its charts (``plot_<thing>(obj, ax=None) -> Axes``) and its widget
(``widget()``, a ``<Thing>View`` built on :class:`alliance_course._display.SimView`). Model modules that used to
export their charts or widget still answer to those names (``fg.widget()``): a module ``__getattr__`` fetches them
from the view when first asked for, so importing a model never imports a UI library.

Simulators: argument_map, capstone (package), clusters, coalition_builder, force_generation (package), membership,
networks, operations, profiler, public_goods.
"""
