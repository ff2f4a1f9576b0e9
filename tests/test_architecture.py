"""The layering contract: the core never loads Qt, start-up never loads scikit-learn."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
QT_MODULES = ("PySide6", "shiboken6", "pyqtgraph")


def loaded_after(statement: str) -> set[str]:
    """Top-level module names loaded by ``statement`` in a fresh interpreter."""
    code = f"{statement}\nimport sys\nprint('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True,
                         env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})
    return set(out.stdout.split())


def test_importing_the_core_loads_no_qt_and_no_sklearn():
    mods = loaded_after("import gmmviz.core, gmmviz.core.io, gmmviz.labs.em.core, gmmviz.labs.em.core.session")
    bad = {m for m in mods if m.split(".")[0] in QT_MODULES or m.startswith("gmmviz.qt")}
    assert not bad, f"gmmviz.core pulled in Qt: {sorted(bad)[:5]}"
    assert not {m for m in mods if m.split(".")[0] == "sklearn"}


QT_FREE = [ROOT / "gmmviz" / "core", *sorted((ROOT / "gmmviz" / "labs").glob("*/core"))]


def qt_free_sources() -> list[Path]:
    """Every module of every Qt-free folder: ``gmmviz/core`` and each ``gmmviz/labs/*/core``, recursively."""
    return sorted(p for folder in QT_FREE for p in folder.rglob("*.py"))


@pytest.mark.parametrize("path", qt_free_sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_core_sources_import_nothing_from_qt(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        for name in names:
            assert name.split(".")[0] not in QT_MODULES, f"{path.name} imports {name}"
            assert not name.startswith("gmmviz.qt"), f"{path.name} imports {name}"
            assert name.split(".")[0] != "sklearn", f"{path.name} imports {name} (oracle only)"
