"""Image and animation exports through the real window (pytest-qt, offscreen)."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QPushButton

from gmmviz.qt.export import animation as anim
from gmmviz.qt.export.animation import MP4_MISSING, AnimationSpec, ExportError
from gmmviz.qt.export.images import default_file_name

from .conftest import activate, three_clusters, wait_for_run


@pytest.fixture
def warnings(monkeypatch):
    """Message boxes the export controller shows, instead of showing them."""
    shown: list[str] = []
    from gmmviz.qt.export import controller as exporting

    for name in ("warning", "information"):
        monkeypatch.setattr(exporting.QMessageBox, name, staticmethod(lambda parent, title, text: shown.append(text)))
    return shown


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def ready_window(qtbot, make_window, **settings):
    w = make_window(three_clusters(), **({"n_components": 2} | settings))
    wait_for_run(qtbot, w)
    w.lab("em").studio.playback.seek(3)
    return w


def leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.is_file()]


# -- images -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("target", ["canvas", "curves", "both"])
def test_png_of_a_requested_size_for_every_target(qtbot, make_window, tmp_path, target):
    w = ready_window(qtbot, make_window)
    path = tmp_path / f"{target}.png"
    out = w.exporting.export_image(str(path), target=target, size=QSize(1920, 1080))
    assert out == QSize(1920, 1080) and png_size(path) == (1920, 1080)
    assert leftovers(tmp_path) == [path]
    assert w.lab("em").studio.canvas.size() == w.lab("em").studio.canvas.plot.parentWidget().size()  # window untouched


def test_png_at_a_scale_is_that_many_times_the_screen_size(qtbot, make_window, tmp_path):
    w = ready_window(qtbot, make_window)
    size_before = w.lab("em").studio.canvas.size()
    path = tmp_path / "x2.png"
    w.exporting.export_image(str(path), target="canvas", scale=2.0)
    assert png_size(path) == (2 * size_before.width(), 2 * size_before.height())
    assert w.lab("em").studio.canvas.size() == size_before
    with Image.open(path) as img:
        pixels = np.asarray(img.convert("RGB")).reshape(-1, 3)
    assert len(np.unique(pixels.astype(np.int64) @ [65536, 256, 1])) > 50  # points, ellipses and axes were drawn


@pytest.mark.parametrize("target", ["canvas", "both"])
def test_svg_is_xml_with_the_requested_size(qtbot, make_window, tmp_path, target):
    w = ready_window(qtbot, make_window)
    path = tmp_path / "figure.svg"
    w.exporting.export_image(str(path), target=target, size=QSize(1600, 900))
    root = ET.parse(path).getroot()
    assert root.tag.endswith("svg")
    assert (root.get("width"), root.get("height"), root.get("viewBox")) == ("1600", "900", "0 0 1600 900")
    text = path.read_text()
    assert text.count("<path") + text.count("<circle") + text.count("<ellipse") > 50
    assert leftovers(tmp_path) == [path]


def test_export_to_an_unknown_format_says_so(qtbot, make_window, tmp_path, warnings):
    w = ready_window(qtbot, make_window)
    assert w.exporting.export_image(str(tmp_path / "x.jpg")) is None
    assert warnings and ".png or .svg" in warnings[0]
    assert leftovers(tmp_path) == []


def test_copy_image_puts_an_image_of_the_right_size_on_the_clipboard(qtbot, make_window):
    w = ready_window(qtbot, make_window)
    canvas = w.lab("em").studio.canvas.size()
    size = w.exporting.copy_image(target="canvas", scale=1.0)
    clip = QGuiApplication.clipboard().image()
    assert size == canvas and clip.size() == canvas
    activate(qtbot, w)
    qtbot.keyClick(w, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert QGuiApplication.clipboard().image().size() == 2 * canvas  # default: the canvas at 2x
    assert "clipboard" in w.statusBar().currentMessage()


def test_default_file_names_say_data_k_and_iteration(qtbot, make_window, tmp_path):
    w = ready_window(qtbot, make_window)
    assert Path(w.exporting.suggested_path("png")).name.startswith("gmmviz_K2_")  # an unsaved document
    path = tmp_path / "faithful.csv"
    path.write_text("".join(f"{x},{y},{c}\n" for (x, y), c in zip(w.lab("em").studio.dataset.X, w.lab("em").studio.dataset.labels)))
    assert w.open_path(str(path))
    wait_for_run(qtbot, w)
    w.lab("em").studio.playback.seek(4)  # init, E1, M1, E2, M2
    path = Path(w.exporting.suggested_path("png"))
    assert path.name == "faithful_K2_iter2.png"
    w.lab("em").studio.playback.seek(3)
    assert Path(w.exporting.suggested_path("svg")).name == "faithful_K2_iter2E.svg"
    assert default_file_name("Iris (petal × width)", None, "gif") == "Iris_petal_width.gif"
    w.lab("em").studio.playback.seek(0)
    assert Path(w.exporting.suggested_path("png")).name == "faithful_K2_init.png"


# -- animations -------------------------------------------------------------------------------------
def run_export(qtbot, w, spec, timeout=30000):
    job = w.exporting.export_animation(spec)
    assert job is not None
    with qtbot.waitSignals([job.finished], timeout=timeout):
        pass
    return job


def test_gif_has_one_frame_per_half_step_and_decodes(qtbot, make_window, tmp_path):
    w = ready_window(qtbot, make_window, max_iter=3)
    history = w.lab("em").studio.fit.history
    cursor = w.lab("em").studio.playback.cursor
    path = tmp_path / "run.gif"
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(1)
    run_export(qtbot, w, AnimationSpec(path, fps=5, size=(480, 270)))
    timer.stop()
    with Image.open(path) as gif:
        assert gif.n_frames == len(history) and gif.size == (480, 270)
        assert gif.info["loop"] == 0 and gif.info["duration"] == 200
        for i in range(gif.n_frames):
            gif.seek(i)
            gif.convert("RGB").load()
    assert leftovers(tmp_path) == [path]
    assert w.lab("em").studio.playback.cursor == cursor  # put back where it was
    assert QApplication.overrideCursor() is None and w.exporting.job is None
    assert len(ticks) > len(history)  # the event loop ran between frames: the window stayed responsive


def test_the_live_canvas_never_paints_an_export_frame(qtbot, make_window, tmp_path, monkeypatch):
    """Frames are drawn off-screen: every time the window's canvas paints during
    the export, the playback shows the lecturer's own half-step (it flickered
    through the run before)."""
    from PySide6.QtCore import QEvent, QObject

    w = ready_window(qtbot, make_window, max_iter=6)
    studio = w.lab("em").studio
    studio.playback.seek(1)
    cursor = studio.playback.cursor
    seen, drawing = [], []
    render_plan = anim.render_plan

    def into_the_image(plan):  # paint events sent by QWidget.render go to the image, not the screen
        drawing.append(1)
        try:
            return render_plan(plan)
        finally:
            drawing.pop()

    monkeypatch.setattr(anim, "render_plan", into_the_image)

    class Spy(QObject):
        def eventFilter(self, obj, event):  # noqa: N802 (Qt API)
            if event.type() == QEvent.Type.Paint and not drawing:
                seen.append(studio.playback.cursor)
            return False

    spy = Spy()
    viewport = studio.canvas.plot.viewport()
    viewport.installEventFilter(spy)
    job = w.exporting.export_animation(AnimationSpec(tmp_path / "run.gif", size=(480, 270)))
    while job.running:  # repaint the window between frames, as a busy screen would
        viewport.update()
        with qtbot.waitSignal(job.progress, timeout=20000, raising=False):
            pass
    viewport.removeEventFilter(spy)
    assert seen and set(seen) == {cursor}
    assert studio.playback.cursor == cursor


def test_gif_frames_are_streamed_and_decode_to_what_was_drawn(tmp_path):
    """The streaming writer gives the frames Pillow's own writer would (each
    quantised alike), the duration and the loop, and holds one frame at a time."""
    import tracemalloc

    rng = np.random.default_rng(0)
    frames = [rng.integers(0, 256, (120, 160, 3), dtype=np.uint8) for _ in range(3)]
    frames += [np.full((120, 160, 3), (30, 200, 90), np.uint8)]
    path = tmp_path / "s.gif"
    assert anim.encode_gif(path, iter(frames), fps=4) == 4
    with Image.open(path) as gif:
        assert gif.n_frames == 4 and gif.info["loop"] == 0 and gif.info["duration"] == 250
        for i, rgb in enumerate(frames):
            gif.seek(i)
            expected = Image.fromarray(rgb).quantize(256, method=Image.Quantize.FASTOCTREE,
                                                     dither=Image.Dither.NONE).convert("RGB")
            assert np.array_equal(np.asarray(gif.convert("RGB")), np.asarray(expected))
    big = np.zeros((1000, 1000, 3), np.uint8)

    def many():
        for k in range(12):
            frame = big.copy()
            frame[k * 50:(k + 1) * 50] = 255
            yield frame

    tracemalloc.start()
    anim.encode_gif(tmp_path / "long.gif", many(), fps=10)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 6 * big.nbytes  # a few frames' worth, not twelve
    with pytest.raises(anim.ExportError, match="no frames"):
        anim.encode_gif(tmp_path / "none.gif", iter(()), fps=4)


def test_an_animation_beyond_the_pixel_budget_is_refused_with_what_to_do(qtbot, make_window, tmp_path, monkeypatch):
    anim.check_budget((1920, 1080), 240)
    with pytest.raises(anim.ExportError, match=r"41 frames of 8192 × 8192 pixels .* at most 7 half-steps"):
        anim.check_budget((8192, 8192), 41)
    w = ready_window(qtbot, make_window, max_iter=6)
    from gmmviz.qt.export import encoders

    monkeypatch.setattr(encoders, "MAX_PIXEL_FRAMES", 480 * 270 * 3)
    path = tmp_path / "over.gif"
    with pytest.raises(anim.ExportError, match="more than an animation may have"):
        anim.AnimationExport(w.lab("em").studio, AnimationSpec(path, size=(480, 270))).start()
    assert leftovers(tmp_path) == []


def test_gif_of_a_range(qtbot, make_window, tmp_path):
    w = ready_window(qtbot, make_window)
    path = tmp_path / "part.gif"
    run_export(qtbot, w, AnimationSpec(path, first=2, last=5, target="both", scale=0.5))
    with Image.open(path) as gif:
        assert gif.n_frames == 4


def test_cancel_leaves_no_file_and_the_window_responsive(qtbot, make_window, tmp_path):
    w = ready_window(qtbot, make_window, max_iter=40, tol=0.0)
    path = tmp_path / "big.gif"
    job = w.exporting.export_animation(AnimationSpec(path, target="both", size=(1280, 720)))
    qtbot.waitUntil(lambda: job._encoded >= 2, timeout=20000)
    assert w.exporting.progress is not None and w.exporting.progress.isVisible()
    cancel = w.exporting.progress.findChild(QPushButton)
    assert cancel.text() == "Cancel"
    with qtbot.waitSignal(job.cancelled, timeout=20000):
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert not path.exists() and leftovers(tmp_path) == []
    assert not job.running and w.exporting.job is None
    assert QApplication.overrideCursor() is None
    w.actions_by_name["first"].trigger()  # still answers
    assert w.lab("em").studio.playback.cursor == 0


def test_closing_the_window_during_an_export_joins_the_encoder(qtbot, make_window, tmp_path):
    w = ready_window(qtbot, make_window, max_iter=40, tol=0.0)
    job = w.exporting.export_animation(AnimationSpec(tmp_path / "x.gif", size=(960, 540)))
    qtbot.waitUntil(lambda: job._rendered >= 2, timeout=20000)
    w.close()
    assert not job.running
    assert leftovers(tmp_path) == []


def test_mp4_without_imageio_ffmpeg_says_how_to_get_it(qtbot, make_window, tmp_path, monkeypatch, warnings):
    monkeypatch.setattr(anim, "mp4_available", lambda: False)
    with pytest.raises(ExportError, match="imageio-ffmpeg"):
        AnimationSpec(tmp_path / "run.mp4").check()
    w = ready_window(qtbot, make_window)
    assert w.exporting.export_animation(AnimationSpec(tmp_path / "run.mp4")) is None
    assert warnings == [MP4_MISSING] and 'pip install ".[video]"' in MP4_MISSING
    assert leftovers(tmp_path) == []
    from gmmviz.qt.export.dialogs import AnimationDialog
    from gmmviz.qt.settings import open_settings

    dialog = AnimationDialog(w, w.exporting.suggested_path, open_settings(), 8, True, mp4_ok=False)
    assert not dialog.format.model().item(1).isEnabled() and not dialog.mp4_note.isHidden()
    dialog.deleteLater()


def test_mp4_missing_is_reported_by_the_encoder_too(tmp_path, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_ffmpeg(name, *args, **kwargs):
        if name == "imageio_ffmpeg":
            raise ImportError("No module named 'imageio_ffmpeg'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_ffmpeg)
    with pytest.raises(ExportError, match="imageio-ffmpeg"):
        anim.encode_mp4(tmp_path / "x.mp4", iter([]), 4)


@pytest.mark.skipif(not anim.mp4_available(), reason="imageio-ffmpeg (the optional 'video' extra) is not installed")
def test_mp4_export_writes_a_video(qtbot, make_window, tmp_path):
    w = ready_window(qtbot, make_window, max_iter=3)
    path = tmp_path / "run.mp4"
    run_export(qtbot, w, AnimationSpec(path, fps=5, size=(641, 361)))
    data = path.read_bytes()
    assert data[4:8] == b"ftyp" and len(data) > 1000


def test_bad_specs_are_refused_before_any_work(tmp_path):
    with pytest.raises(ExportError, match="gif or .mp4"):
        AnimationSpec(tmp_path / "x.avi").check()
    with pytest.raises(ExportError, match="range"):
        AnimationSpec(tmp_path / "x.gif", first=5, last=2).check()
    with pytest.raises(ExportError, match="frame rate"):
        AnimationSpec(tmp_path / "x.gif", fps=0).check()


def test_image_dialog_reflects_and_returns_the_choice(qtbot, make_window):
    from gmmviz.qt.export.dialogs import ImageChoice, ImageDialog

    w = ready_window(qtbot, make_window)
    dialog = ImageDialog(w, w.exporting.suggested_path, ImageChoice())
    qtbot.addWidget(dialog)
    assert dialog.size.by_scale.isChecked() and dialog.choice().mode == "scale" and dialog.choice().scale == 2.0
    assert Path(dialog.output.path()).name == "gmmviz_K2_iter2E.png"  # an untitled document
    dialog.size.preset.setCurrentIndex(0)  # 1280 x 720
    dialog.format.setCurrentIndex(1)
    dialog.target.setCurrentIndex(2)
    choice = dialog.choice()
    assert (choice.mode, choice.width, choice.height, choice.target) == ("size", 1280, 720, "both")
    assert choice.path.endswith(".svg")
    restored = ImageDialog(w, w.exporting.suggested_path, choice)
    qtbot.addWidget(restored)
    assert restored.size.by_size.isChecked() and restored.choice().qsize() == QSize(1280, 720)


def test_animation_dialog_builds_the_spec(qtbot, make_window):
    from gmmviz.qt.export.dialogs import AnimationDialog
    from gmmviz.qt.settings import open_settings

    w = ready_window(qtbot, make_window)
    dialog = AnimationDialog(w, w.exporting.suggested_path, open_settings(), 8, True, mp4_ok=True)
    qtbot.addWidget(dialog)
    assert dialog.all_steps.isChecked() and not dialog.some_steps.isChecked()
    assert dialog.size.by_scale.isChecked() and not dialog.size.by_size.isChecked()
    spec = dialog.spec()
    assert (spec.first, spec.last, spec.size, spec.scale, spec.caption) == (0, None, None, 1.0, True)
    dialog.first.setValue(2)
    dialog.last.setValue(6)
    dialog.format.setCurrentIndex(1)
    dialog.fps.setValue(10)
    spec = dialog.spec()
    assert dialog.some_steps.isChecked() and not dialog.all_steps.isChecked()
    assert (spec.first, spec.last, spec.fps, spec.format) == (2, 6, 10.0, "mp4")


def test_the_first_export_is_suggested_next_to_the_document(qtbot, make_window, tmp_path):
    w = make_window(three_clusters())
    folder = tmp_path / "lecture"
    folder.mkdir()
    path = folder / "blobs.csv"
    ds = w.lab("em").studio.dataset
    path.write_text("".join(f"{x},{y}\n" for x, y in ds.X))
    assert w.open_path(str(path))
    assert Path(w.exporting.suggested_path("png")).parent == folder


def test_an_export_never_overwrites_the_file_the_document_came_from(qtbot, make_window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: warnings.append(text))
    w = make_window(three_clusters())
    path = tmp_path / "points.png"  # a CSV that happens to be named like an image
    path.write_text("".join(f"{x},{y}\n" for x, y in w.lab("em").studio.dataset.X))
    assert w.open_path(str(path))
    before = path.read_bytes()
    assert w.exporting.export_image(str(path)) is None
    assert path.read_bytes() == before and "came from" in warnings[-1]
