"""Every command the README shows runs exactly as written (in a scratch folder, in order: later
commands read what earlier ones wrote), with one exception: the commands that open the window."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: Commands that open the window (interactive): not run here (tests/qt/test_startup.py runs the launch).
INTERACTIVE = re.compile(r"^\.venv/bin/gmmviz(\s+[^-\s]\S*)?\s*$")


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = [line.strip() for block in re.findall(r"```bash\n(.*?)```", text, re.S) for line in block.splitlines()]
    commands = [re.sub(r"\s+#\s[^\"']*$", "", line) for line in lines if line.startswith(".venv/bin/")]
    return [c for c in commands if not INTERACTIVE.match(c)]


def test_the_readme_shows_commands():
    commands = readme_commands()
    assert len(commands) >= 20 and any("graph" in c for c in commands) and any("density" in c for c in commands)


@pytest.mark.slow
def test_every_readme_command_runs_as_written(tmp_path):
    work = tmp_path / "repo"
    work.mkdir()
    for name in ("resources", "docs"):
        shutil.copytree(ROOT / name, work / name)
    (work / ".venv").symlink_to(sys.prefix)  # the environment running the tests (its pyvenv.cfg too)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path / "home"),
               XDG_DATA_HOME=str(tmp_path / "home" / "share"), GMMVIZ_SETTINGS_DIR=str(tmp_path / "settings"),
               # this checkout's gmmviz (the environment's may be installed from another checkout)
               PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p))
    for command in readme_commands():
        proc = subprocess.run(command, shell=True, cwd=work, env=env, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, f"{command}\n{proc.stderr[-1500:]}"
        assert "Traceback" not in proc.stderr, command
