"""Animations of a run: an animated GIF (Pillow) or an MP4 (imageio-ffmpeg, optional).

Frames are drawn in the GUI thread with the window's own drawing code: the
playback visits each half-step for the moment of rendering the export plan
into an image and comes back before the window can repaint
(:class:`FrameRenderer`), one frame per timer tick so the window keeps
painting, never showing an export frame.  Each frame becomes a read-only numpy array handed to an encoder
that runs in a QThread (:class:`EncoderWorker`, fed through a queue, at
most a few frames ahead).  The file is written under a temporary name and
renamed when complete, so a cancelled or failed export leaves nothing
(:func:`write_animation`).  Headless rendering (:mod:`gmmviz.cli.render`) uses
the same renderer and :func:`write_animation` without the thread.
"""

from __future__ import annotations

import queue
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Protocol

import numpy as np
from PySide6.QtCore import QObject, QRectF, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QFont, QImage, QPainter

from gmmviz.core.errors import GmmvizError
from gmmviz.qt.export.encoders import (  # noqa: F401 (the export API, re-exported)
    ENCODERS,
    MAX_PIXEL_FRAMES,
    MP4_MISSING,
    ExportError,
    check_budget,
    encode_gif,
    encode_mp4,
    mp4_available,
    write_animation,
)
from gmmviz.qt.runs import Cancelled, RunController
from gmmviz.qt.export.images import (
    image_to_array,
    plan_export,
    render_plan,
)

FORMATS = ("gif", "mp4")
_END = object()


@dataclass(frozen=True)
class AnimationSpec:
    """What to export.

    Attributes
    ----------
    path : Path
        ``.gif`` or ``.mp4``.
    first, last : int
        Half-step range, inclusive; ``last=None`` means the end of the run.
    fps : float
        Half-steps per second.
    target : {"canvas", "curves", "both"}
    size : tuple of int or None
        (width, height) in pixels; None: ``scale`` times the size on screen.
    scale : float
    caption : bool
        Write "Iteration 3 · E-step" in a corner of every frame.
    """

    path: Path
    first: int = 0
    last: int | None = None
    fps: float = 4.0
    target: str = "canvas"
    size: tuple[int, int] | None = None
    scale: float = 1.0
    caption: bool = True

    @property
    def format(self) -> str:
        return Path(self.path).suffix.lower().lstrip(".")

    def check(self) -> None:
        """Raise :class:`ExportError` for an unusable spec (before any work)."""
        if self.format not in FORMATS:
            raise ExportError(f"animations are .gif or .mp4 files, got {Path(self.path).name!r}")
        if self.format == "mp4" and not mp4_available():
            raise ExportError(MP4_MISSING)
        if not 0.1 <= self.fps <= 60:
            raise ExportError(f"frame rate must be between 0.1 and 60 per second, got {self.fps}")
        if self.first < 0 or (self.last is not None and self.last < self.first):
            raise ExportError(f"bad half-step range {self.first}..{self.last}")


class Animated(Protocol):
    """What a lab exports as an animation (its :meth:`~gmmviz.qt.lab.Lab.export_source`).

    ``canvas`` and ``curves`` are the widgets the image targets draw; ``playback``
    the :class:`~gmmviz.qt.playback.PlaybackController` whose cursor the frames
    follow; ``frame`` the frame on screen.
    """

    playback: object
    frame: object

    def timeline(self):
        """The run's kept steps (a :class:`~gmmviz.qt.playback.Timeline`), or None."""

    def compute_all(self) -> None:
        """Compute the run to its end (the export needs every step)."""

    def caption(self, frame) -> str:
        """What a frame's corner says ("Iteration 3 · E-step")."""


class FrameRenderer:
    """Draws frames in the GUI thread by moving the source's playback (same code as the window)."""

    def __init__(self, source: Animated, spec: AnimationSpec):
        self.source = source
        self.spec = spec
        size = None if spec.size is None else QSize(*spec.size)
        self.plan = plan_export(source, spec.target, size=size, scale=spec.scale, even=spec.format == "mp4")

    @property
    def size(self) -> QSize:
        return self.plan.out

    def render(self, index: int) -> np.ndarray:
        """Half-step ``index`` as a read-only (height, width, 3) uint8 array.

        The playback visits ``index`` only for the moment of drawing into
        the image and comes back before control returns to the event loop,
        so the window on screen never shows an export frame (no flicker)."""
        playback = self.source.playback
        back = playback.cursor
        playback.seek(index)
        try:
            image = render_plan(self.plan)
            if self.spec.caption and self.source.frame is not None:
                draw_caption(image, self.source.caption(self.source.frame), self.plan.zoom)
        finally:
            if 0 <= back < playback.count() and back != index:
                playback.seek(back)
        rgb = np.ascontiguousarray(image_to_array(image)[..., :3])
        rgb.setflags(write=False)
        return rgb


def draw_caption(image: QImage, text: str, zoom: float) -> None:
    """A small label in the top-left corner of ``image``."""
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = QFont()
        font.setPixelSize(max(10, round(15 * zoom)))
        font.setBold(True)
        painter.setFont(font)
        metrics = painter.fontMetrics()
        pad = round(6 * zoom)
        box = QRectF(round(60 * zoom), round(8 * zoom), metrics.horizontalAdvance(text) + 2 * pad,
                     metrics.height() + pad)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(255, 255, 255, 225))
        painter.drawRoundedRect(box, 4 * zoom, 4 * zoom)
        painter.setPen(QColor("#111111"))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
    finally:
        painter.end()


class FrameFeed:
    """Frames handed from the GUI thread to the encoder job (thread-safe).

    The GUI :meth:`put` read-only frames and finally :meth:`close` the
    feed; the job iterates over :meth:`frames`, which stops when the feed is
    closed and raises :class:`~gmmviz.qt.runs.Cancelled` once the run is.
    """

    def __init__(self) -> None:
        self._queue: queue.Queue = queue.Queue()

    def put(self, frame: np.ndarray) -> None:
        self._queue.put(frame)

    def close(self) -> None:
        self._queue.put(_END)

    def frames(self, token) -> Iterator[np.ndarray]:
        while True:
            if token.cancelled:
                raise Cancelled
            try:
                item = self._queue.get(timeout=0.05)
            except queue.Empty:
                continue
            if item is _END:
                return
            yield item


def encoder_job(spec: AnimationSpec, feed: FrameFeed):
    """The run-controller job of one export: yields the number of frames encoded
    so far; the file is in place when it finishes, and nothing is left behind
    when it fails or is cancelled."""

    def job(token):
        encoded = []

        def counted():
            for frame in feed.frames(token):
                yield frame
                encoded.append(1)
                token.report(len(encoded))

        def stop_if_cancelled():
            if token.cancelled:
                raise Cancelled

        try:
            write_animation(spec, counted(), before_replace=stop_if_cancelled)
        except (Cancelled, GmmvizError):
            raise
        except Exception as exc:  # disk full, encoder error: reported, never a crash
            raise GmmvizError(f"Could not write {Path(spec.path).name}: {exc}") from exc
        yield len(encoded)

    return job


# -- the GUI-thread job -----------------------------------------------------------
MAX_AHEAD = 3  # frames drawn but not yet encoded
TICK_MS = 5


class AnimationExport(QObject):
    """One animation export: frames drawn on timer ticks, encoded in a QThread.

    Signals
    -------
    progress(int, int, str)
        Frames encoded, frames in all (0 while not yet known) and a status line.
    finished(str)
        The path written.
    cancelled()
        Stopped by :meth:`cancel`; no file was left behind.
    failed(str)
        A readable message; no file was left behind.
    """

    progress = Signal(int, int, str)
    finished = Signal(str)
    cancelled = Signal()
    failed = Signal(str)

    def __init__(self, source: Animated, spec: AnimationSpec, parent: QObject | None = None):
        super().__init__(parent)
        spec.check()
        self.source, self.spec = source, spec
        self._history = source.timeline()
        if self._history is None or len(self._history) == 0:
            raise ExportError("There is no run to export yet: add points and let EM start.")
        self.renderer = FrameRenderer(source, spec)
        self._next, self._rendered, self._encoded = spec.first, 0, 0
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._runs: RunController | None = None
        self._feed = FrameFeed()
        self._input_closed = False
        self._budget_checked = False

    @property
    def running(self) -> bool:
        return self._runs is not None

    def last_index(self) -> int | None:
        """The last half-step to export (None until the run's end is known)."""
        h, last = self._history, self.spec.last
        if h.finished:
            return len(h) - 1 if last is None else min(last, len(h) - 1)
        return last

    def total(self) -> int:
        last = self.last_index()
        return 0 if last is None else max(0, last - self.spec.first + 1)

    def start(self) -> None:
        """Start drawing and encoding (returns at once)."""
        if self._history.finished and self.spec.first >= len(self._history):
            raise ExportError(f"the run has {len(self._history)} half-steps; "
                              f"half-step {self.spec.first} does not exist")
        self.source.compute_all()
        self._check_budget()
        self._runs = RunController("The animation export", "gmmviz-encoder", self)
        self._runs.yielded.connect(self._on_encoded)
        self._runs.finished.connect(lambda run_id: self._on_done("finished"))
        self._runs.cancelled.connect(lambda run_id: self._on_done("cancelled"))
        self._runs.failed.connect(lambda run_id, message: self._on_failed(message))
        self._runs.submit(encoder_job(self.spec, self._feed))
        self._timer.start()

    def _check_budget(self) -> None:
        """The pixel × frame budget, as soon as the number of frames is known."""
        total = self.total()
        if total and not self._budget_checked:
            self._budget_checked = True
            check_budget((self.renderer.size.width(), self.renderer.size.height()), total)

    def cancel(self) -> None:
        """Stop; the encoder discards its partial file and ``cancelled`` follows."""
        self._timer.stop()
        if self._runs is not None:
            self._runs.cancel()

    def shutdown(self) -> None:
        """Cancel and join the encoder thread now (the window is closing)."""
        self.cancel()
        self._join()

    @Slot()
    def _tick(self) -> None:
        if self.source.timeline() is not self._history:
            self.cancel()
            self._on_failed("The run changed during the export; nothing was written.")
            return
        last = self.last_index()
        if last is not None and self._next > last:
            self._timer.stop()
            if not self._input_closed:
                self._input_closed = True
                self._feed.close()
            return
        if self._rendered - self._encoded >= MAX_AHEAD:
            return
        try:
            self._check_budget()
        except ExportError as exc:
            self.cancel()
            self._on_failed(str(exc))
            return
        if self._next >= len(self._history):
            self.progress.emit(self._encoded, self.total(), f"Waiting for EM ({len(self._history)} half-steps so far)…")
            return
        self._feed.put(self.renderer.render(self._next))
        self._next += 1
        self._rendered += 1
        self.progress.emit(self._encoded, self.total(), f"Drawing half-step {self._next - 1}…")

    @Slot(int, object)
    def _on_encoded(self, run_id: int, count: int) -> None:
        self._encoded = count
        self.progress.emit(count, self.total(), f"Encoded {count} of {self.total() or '?'} frames")

    @Slot(str)
    def _on_done(self, status: str) -> None:
        if self._join():
            self.finished.emit(str(self.spec.path)) if status == "finished" else self.cancelled.emit()

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        if self._join():
            self.failed.emit(message)

    def _join(self) -> bool:
        """Join the encoder thread and restore the playback; False if already done."""
        self._timer.stop()
        if self._runs is None:
            return False
        runs, self._runs = self._runs, None
        runs.shutdown()
        runs.deleteLater()
        return True
