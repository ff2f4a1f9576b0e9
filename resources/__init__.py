"""Bundled data, icons and scenes (installed as ``gmmviz.resources``).

Always reach these files through :mod:`gmmviz.core.resources`, which uses
:mod:`importlib.resources` so that paths work from a source checkout, a
wheel and a frozen bundle alike.
"""
