"""Package discovery: every package under gmmviz/ (a new lab folder cannot be
left out of the wheel; tests/test_packaging.py builds one and checks), plus
the bundled resources folder as gmmviz.resources.  Everything else is in
pyproject.toml."""

from setuptools import find_packages, setup

setup(packages=[*find_packages(include=["gmmviz", "gmmviz.*"]), "gmmviz.resources"])
