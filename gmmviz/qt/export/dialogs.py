"""The export dialogs: an image (PNG/SVG) and an animation (GIF/MP4).

Plain forms: they only collect choices (:class:`ImageChoice`,
:class:`~gmmviz.qt.export.animation.AnimationSpec`); :mod:`gmmviz.qt.export.controller`
does the work.  Choices persist under the QSettings group ``export/``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QSettings, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gmmviz.qt.export.animation import MP4_MISSING, AnimationSpec
from gmmviz.qt.export.images import TARGET_LABELS, TARGETS
from gmmviz.qt.widgets import ok_cancel

SCALES = (1.0, 1.5, 2.0, 3.0, 4.0)
SIZES = ((1280, 720, "HD"), (1920, 1080, "Full HD"), (2560, 1440, "QHD"), (3840, 2160, "4K"), (1024, 768, "4:3"))
FILTERS = {"png": "PNG image (*.png)", "svg": "SVG drawing (*.svg)", "gif": "Animated GIF (*.gif)",
           "mp4": "MP4 video (*.mp4)"}


@dataclass(frozen=True)
class ImageChoice:
    """An image export: where, what, how big (``mode`` "scale" or "size")."""

    path: str = ""
    target: str = "canvas"
    mode: str = "scale"
    scale: float = 2.0
    width: int = 1920
    height: int = 1080

    def qsize(self) -> QSize | None:
        return QSize(self.width, self.height) if self.mode == "size" else None

    @classmethod
    def load(cls, settings: QSettings) -> "ImageChoice":
        d = cls()
        try:
            return cls("", _one_of(settings.value("export/target"), TARGETS, d.target),
                       _one_of(settings.value("export/mode"), ("scale", "size"), d.mode),
                       float(settings.value("export/scale", d.scale)),
                       int(settings.value("export/width", d.width)), int(settings.value("export/height", d.height)))
        except (TypeError, ValueError):
            return d

    def save(self, settings: QSettings) -> None:
        for key in ("target", "mode", "scale", "width", "height"):
            settings.setValue(f"export/{key}", getattr(self, key))


def _one_of(value, choices, default):
    return value if value in choices else default


class SizeChooser(QWidget):
    """Scale (1×, 2×, …) of the size on screen, or a size in pixels."""

    def __init__(self, choice: ImageChoice, parent: QWidget | None = None):
        super().__init__(parent)
        self.by_scale = QRadioButton("Scale of the size on screen")
        self.by_size = QRadioButton("Size in pixels")
        self._group = QButtonGroup(self)
        self._group.addButton(self.by_scale)
        self._group.addButton(self.by_size)
        self.scale = QComboBox()
        for s in SCALES:
            self.scale.addItem(f"{s:g}×", s)
        self.preset = QComboBox()
        for w, h, name in SIZES:
            self.preset.addItem(f"{w} × {h} ({name})", (w, h))
        self.preset.addItem("Custom", None)
        self.width_box, self.height_box = QSpinBox(), QSpinBox()
        for box in (self.width_box, self.height_box):
            box.setRange(16, 8192)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.by_scale, self.scale)
        row = QHBoxLayout()
        for w in (self.preset, self.width_box, QLabel("×"), self.height_box):
            row.addWidget(w)
        form.addRow(self.by_size, row)
        self.preset.currentIndexChanged.connect(self._on_preset)
        self.scale.currentIndexChanged.connect(lambda: self.by_scale.setChecked(True))
        for box in (self.width_box, self.height_box):
            box.valueChanged.connect(lambda: self.by_size.setChecked(True))
        self.set_choice(choice)

    def set_choice(self, choice: ImageChoice) -> None:
        self.scale.setCurrentIndex(min(range(len(SCALES)), key=lambda i: abs(SCALES[i] - choice.scale)))
        self.width_box.setValue(choice.width)
        self.height_box.setValue(choice.height)
        match = [i for i, (w, h, _) in enumerate(SIZES) if (w, h) == (choice.width, choice.height)]
        self.preset.blockSignals(True)
        self.preset.setCurrentIndex(match[0] if match else len(SIZES))
        self.preset.blockSignals(False)
        (self.by_size if choice.mode == "size" else self.by_scale).setChecked(True)

    def _on_preset(self, index: int) -> None:
        wh = self.preset.itemData(index)
        if wh:
            self.width_box.setValue(wh[0])
            self.height_box.setValue(wh[1])
        self.by_size.setChecked(True)

    def apply(self, choice: ImageChoice) -> ImageChoice:
        return replace(choice, mode="size" if self.by_size.isChecked() else "scale",
                       scale=float(self.scale.currentData()), width=self.width_box.value(),
                       height=self.height_box.value())


class PathChooser(QWidget):
    """A file name with a Browse… button; the suffix follows the chosen format."""

    def __init__(self, path: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.edit = QLineEdit(path)
        self.edit.setMinimumWidth(360)
        browse = QPushButton("Browse…")
        browse.clicked.connect(self.browse)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(browse)

    def path(self) -> str:
        return self.edit.text().strip()

    def set_suffix(self, ext: str) -> None:
        if self.path():
            self.edit.setText(str(Path(self.path()).with_suffix("." + ext)))

    def browse(self) -> None:
        ext = Path(self.path()).suffix.lstrip(".").lower() or "png"
        path, _ = QFileDialog.getSaveFileName(self, "Export to", self.path(), FILTERS.get(ext, "All files (*)"))
        if path:
            self.edit.setText(path if Path(path).suffix else f"{path}.{ext}")


def _target_box(current: str) -> QComboBox:
    box = QComboBox()
    for t in TARGETS:
        box.addItem(TARGET_LABELS[t], t)
    box.setCurrentIndex(TARGETS.index(current))
    return box


class ImageDialog(QDialog):
    """What to export as an image, how big, and where."""

    def __init__(self, parent: QWidget, suggest: Callable[[str], str], choice: ImageChoice):
        super().__init__(parent)
        self.setWindowTitle("Export image")
        self._choice = choice
        self.target = _target_box(choice.target)
        self.format = QComboBox()
        self.format.addItem("PNG image", "png")
        self.format.addItem("SVG drawing (vector)", "svg")
        self.size = SizeChooser(choice)
        self.output = PathChooser(suggest("png"))
        form = QFormLayout(self)
        form.addRow("Show", self.target)
        form.addRow("Format", self.format)
        form.addRow("Size", self.size)
        form.addRow("File", self.output)
        form.addRow(ok_cancel(self, "Export"))
        self.format.currentIndexChanged.connect(lambda: self.output.set_suffix(self.format.currentData()))

    def choice(self) -> ImageChoice:
        return self.size.apply(replace(self._choice, path=self.output.path(), target=self.target.currentData()))


class AnimationDialog(QDialog):
    """Format, half-steps, frame rate, size and file of an animation."""

    def __init__(self, parent: QWidget, suggest: Callable[[str], str], settings: QSettings,
                 last_index: int, finished: bool, mp4_ok: bool):
        super().__init__(parent)
        self.setWindowTitle("Export animation")
        image = ImageChoice.load(settings)
        self.format = QComboBox()
        self.format.addItem("Animated GIF", "gif")
        self.format.addItem("MP4 video (H.264)" if mp4_ok else "MP4 video (needs imageio-ffmpeg)", "mp4")
        self.format.model().item(1).setEnabled(mp4_ok)
        self.mp4_note = QLabel(MP4_MISSING)
        self.mp4_note.setWordWrap(True)
        self.mp4_note.setVisible(not mp4_ok)
        self.target = _target_box(_one_of(settings.value("export/anim_target"), TARGETS, "canvas"))
        end = f"{last_index}" if finished else f"{last_index} so far; EM is still running"
        self.all_steps = QRadioButton(f"All half-steps (0 – {end})")
        self.some_steps = QRadioButton("From")
        self._steps_group = QButtonGroup(self)  # exclusive before the layout parents them
        self._steps_group.addButton(self.all_steps)
        self._steps_group.addButton(self.some_steps)
        self.first, self.last = QSpinBox(), QSpinBox()
        for box in (self.first, self.last):
            box.setRange(0, max(last_index, 0))
            box.valueChanged.connect(lambda: self.some_steps.setChecked(True))
        self.last.setValue(last_index)
        self.all_steps.setChecked(True)
        self.fps = QDoubleSpinBox(minimum=0.5, maximum=30.0, singleStep=0.5, suffix=" half-steps/s")
        self.fps.setValue(float(settings.value("export/fps", 4.0)))
        self.caption = QCheckBox("Write the iteration and phase in a corner")
        self.caption.setChecked(str(settings.value("export/caption", "true")).lower() == "true")
        self.size = SizeChooser(replace(image, mode="scale", scale=1.0))
        self.output = PathChooser(suggest("gif"))
        self._build(last_index)
        self.format.currentIndexChanged.connect(lambda: self.output.set_suffix(self.format.currentData()))

    def _build(self, last_index: int) -> None:
        steps = QHBoxLayout()
        for w in (self.some_steps, self.first, QLabel("to"), self.last):
            steps.addWidget(w)
        steps.addStretch(1)
        form = QFormLayout(self)
        form.addRow("Format", self.format)
        form.addRow("", self.mp4_note)
        form.addRow("Show", self.target)
        form.addRow("Half-steps", self.all_steps)
        form.addRow("", steps)
        form.addRow("Frame rate", self.fps)
        form.addRow("Size", self.size)
        form.addRow("Caption", self.caption)
        form.addRow("File", self.output)
        form.addRow(ok_cancel(self, "Export"))

    def spec(self) -> AnimationSpec:
        some = self.some_steps.isChecked()
        size = self.size.apply(ImageChoice())
        return AnimationSpec(Path(self.output.path()), first=self.first.value() if some else 0,
                             last=self.last.value() if some else None, fps=self.fps.value(),
                             target=self.target.currentData(),
                             size=(size.width, size.height) if size.mode == "size" else None,
                             scale=size.scale, caption=self.caption.isChecked())

    def save(self, settings: QSettings) -> None:
        settings.setValue("export/anim_target", self.target.currentData())
        settings.setValue("export/fps", self.fps.value())
        settings.setValue("export/caption", self.caption.isChecked())


class ProgressDialog(QDialog):
    """A window-modal progress bar with a status line and Cancel.

    Unlike QProgressDialog, updating it never runs a nested event loop, so
    the export's timer ticks cannot re-enter themselves.

    Signals
    -------
    cancel_requested()
        Cancel was clicked (or Esc pressed, or the dialog closed).
    """

    cancel_requested = Signal()

    def __init__(self, parent: QWidget, title: str, text: str):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.label = QLabel(text)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel_requested)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignRight)
        self.setMinimumWidth(420)

    def set_progress(self, done: int, total: int, text: str) -> None:
        """``total`` 0: busy (unknown length)."""
        self.bar.setRange(0, max(total, 0))
        self.bar.setValue(min(done, total) if total else 0)
        self.label.setText(text)

    def reject(self) -> None:  # Esc and the close button mean Cancel; the controller closes it
        self.cancel_requested.emit()
