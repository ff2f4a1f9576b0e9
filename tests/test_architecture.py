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


def module_imports() -> dict[str, set[str]]:
    """Every gmmviz module and the gmmviz modules it imports, at any depth of its
    code (imports inside functions count: they hide circles, they do not break them)."""
    modules = {}
    for path in (ROOT / "gmmviz").rglob("*.py"):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        modules[name] = path
    graph = {}
    for name, path in modules.items():
        deps = set()
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
                targets = [base] + [f"{base}.{a.name}" for a in node.names]
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name and target.startswith("gmmviz"):
                    deps.add(target)
        graph[name] = deps
    return graph


def test_no_import_circles_counting_imports_inside_functions():
    graph = module_imports()
    # A package's __init__ re-exporting its own submodules is not a circle.
    graph = {m: {d for d in deps if not (m.startswith(d + ".") and d in graph)} for m, deps in graph.items()}
    index, low, stack, on, cycles, counter = {}, {}, [], set(), [], [0]

    def visit(v):  # Tarjan's strongly connected components
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    import sys as _sys

    _sys.setrecursionlimit(10000)
    for v in graph:
        if v not in index:
            visit(v)
    assert not cycles, f"import circles: {cycles}"


def test_the_shell_never_imports_a_lab():
    """``gmmviz/qt`` knows labs only through the registry (``gmmviz.labs``) and the Lab seam."""
    graph = module_imports()
    bad = {m: sorted(d for d in deps if d.startswith("gmmviz.labs."))
           for m, deps in graph.items() if m.startswith("gmmviz.qt")}
    assert not {m: d for m, d in bad.items() if d}


def test_the_registry_imports_nothing_heavy():
    mods = loaded_after("import gmmviz.labs")
    assert not {m for m in mods if m.split(".")[0] in QT_MODULES + ("numpy", "scipy", "sklearn")}


def test_no_module_is_much_longer_than_400_lines():
    long = {str(p.relative_to(ROOT)): n for p in (ROOT / "gmmviz").rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 460}
    assert not long, f"split these modules: {long}"
