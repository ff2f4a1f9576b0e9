"""Never lose work: a kill during a save, and recovery after a kill.

* A child process saves a large session to one path in a loop, alternating
  two contents, and is SIGKILLed at random moments: after every kill the
  file is exactly one of the two complete sessions.
* A child process runs the window offscreen, autosaves, and is SIGKILLed:
  a new window finds the recovery copy and restores exactly that work.
"""

from __future__ import annotations

import hashlib
import os
import random
import select
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

from gmmviz.labs.em.core.session.files import Session, read_session, session_to_text
from gmmviz.core.data import ClassInfo, Dataset

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

SAVER = textwrap.dedent("""
    import sys
    from gmmviz.labs.em.core.session.files import read_session, write_session
    target, *sources = sys.argv[1:]
    sessions = [read_session(p) for p in sources]
    print("ready", flush=True)
    i = 0
    while True:
        write_session(target, sessions[i % 2])
        i += 1
""")


def big_session(seed: int, n: int = 60_000) -> Session:
    rng = np.random.default_rng(seed)
    classes = (ClassInfo("a", "#E69F00"), ClassInfo("b", "#56B4E9"))
    return Session(Dataset(rng.normal(size=(n, 2)) * 10 ** rng.uniform(-3, 3), rng.integers(0, 2, n), classes))


def spawn(code: str, *args, env=None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", code, *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


def kill(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    proc.stdout.close()
    proc.stderr.close()


def fail_killing(proc: subprocess.Popen, message: str) -> None:
    """Kill the child first (reading the stderr of a live one would block), then fail with its stderr."""
    proc.kill()
    proc.wait(timeout=10)
    stderr = proc.stderr.read()
    proc.stdout.close()
    proc.stderr.close()
    pytest.fail(f"{message}; the child's stderr:\n{stderr[-4000:]}")


def read_line(proc: subprocess.Popen, timeout: float) -> str:
    """The child's next line of output ("" if it exits first), waiting at most
    ``timeout`` seconds: a child that hangs is killed and the test fails with its stderr."""
    fd, data = proc.stdout.fileno(), b""
    deadline = time.monotonic() + timeout
    while not data.endswith(b"\n"):
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            fail_killing(proc, f"no line from the child within {timeout} s (got {data!r})")
        chunk = os.read(fd, 4096)  # unbuffered: nothing is left behind in proc.stdout's buffer
        if not chunk:
            break
        data += chunk
    return data.decode()


@pytest.mark.slow
def test_a_kill_during_save_leaves_the_old_or_the_new_file_complete(tmp_path):
    texts = [session_to_text(big_session(seed)).encode() for seed in (1, 2)]
    sources = []
    for i, text in enumerate(texts):
        sources.append(tmp_path / f"source{i}.gmmviz")
        sources[-1].write_bytes(text)
    target = tmp_path / "work" / "lecture.gmmviz"
    target.parent.mkdir()
    target.write_bytes(texts[0])
    rng = random.Random(20261125)
    start, seen = time.perf_counter(), set()
    for round_ in range(30):
        proc = spawn(SAVER, target, *sources)
        if (line := read_line(proc, timeout=30)).strip() != "ready":
            fail_killing(proc, f"the saver did not start: {line!r}")
        time.sleep(rng.uniform(0.0, 0.5))
        kill(proc)
        content = target.read_bytes()
        assert content in texts, f"round {round_}: {len(content)} bytes, neither complete session"
        seen.add(texts.index(content))
        if round_ < 3:
            read_session(target)  # and it loads
        leftovers = [p.name for p in target.parent.iterdir() if p != target]
        assert all(name.startswith(".lecture.gmmviz.") and name.endswith(".tmp") for name in leftovers)
    assert seen == {0, 1}, "the kills never landed between saves of different content"
    assert time.perf_counter() - start < 45


WINDOW = textwrap.dedent("""
    import hashlib, sys
    import numpy as np
    from gmmviz.app import make_app
    from gmmviz.core.commands import AddPoints, ReplaceDataset
    from gmmviz.core.data import ClassInfo, Dataset
    from gmmviz.qt.main_window import MainWindow
    app = make_app()
    w = MainWindow()
    w.show()
    rng = np.random.default_rng(5)
    ds = Dataset(rng.normal(size=(500, 2)), rng.integers(0, 2, 500), (ClassInfo("x", "#000000"), ClassInfo("y", "#ffffff")))
    done = []
    w.files.autosaved.connect(lambda path: (done.append(path), app.quit()))
    w.lab("em").studio.store.push(ReplaceDataset(ds), "data")
    w.files.autosave()
    app.exec()
    w.lab("em").studio.store.push(AddPoints([[1.25, -7.5]], [1]), "one more")  # the last autosave has this point
    w.files.autosave()
    app.exec()
    X = w.lab("em").studio.dataset.X
    print("autosaved", len(done), hashlib.sha256(X.tobytes()).hexdigest(), X.shape[0], flush=True)
    import time
    time.sleep(120)
""")


def test_recovery_after_a_kill_restores_the_last_autosave(qtbot, tmp_path, monkeypatch):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "GMMVIZ_TEST": "1",
           "GMMVIZ_DATA_DIR": str(tmp_path / "data"), "GMMVIZ_SETTINGS_DIR": str(tmp_path / "settings")}
    proc = spawn(WINDOW, env=env)
    try:
        line = read_line(proc, timeout=60).split()
        if line[:2] != ["autosaved", "2"]:
            fail_killing(proc, f"the window did not autosave twice: {line}")
    finally:
        kill(proc)
    digest, n = line[2], int(line[3])

    monkeypatch.setenv("GMMVIZ_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("GMMVIZ_SETTINGS_DIR", str(tmp_path / "settings"))
    from gmmviz.app import make_app
    from gmmviz.qt.files import recovery
    from gmmviz.qt.main_window import MainWindow

    make_app()
    offered = []
    monkeypatch.setattr(recovery, "ask_restore", lambda parent, orphan: offered.append(orphan) or "restore")
    w = MainWindow()
    qtbot.addWidget(w)
    try:
        assert w.files.offer_recovery()
        X = w.lab("em").studio.dataset.X
        assert len(offered) == 1 and X.shape[0] == n == 501
        assert hashlib.sha256(X.tobytes()).hexdigest() == digest
        assert w.isWindowModified() and w.windowTitle() == "Untitled[*] — gmmviz"
        assert not w.files.offer_recovery()  # offered once: the copy is now this window's own
    finally:
        monkeypatch.setattr(w.files, "ask_user", False)
        w.close()
    assert not list((tmp_path / "data" / "recovery").glob("*.gmmviz"))
