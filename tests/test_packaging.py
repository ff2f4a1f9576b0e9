"""The wheel holds every module: a new lab folder cannot be left out of it."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_the_wheel_contains_every_module_and_the_resources(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    (wheel,) = tmp_path.glob("gmmviz-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "gmmviz").rglob("*.py")}
    assert modules and not modules - names, f"left out of the wheel: {sorted(modules - names)[:5]}"
    assert "gmmviz/resources/data/faithful.csv" in names
