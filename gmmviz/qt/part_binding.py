"""Widgets bound to a lab's session fields (:mod:`gmmviz.core.session.parts`).

A lab whose settings live in plain widgets (spin boxes, sliders, check boxes,
combo boxes, a tab widget) names the widget of each field; the binding gives
each widget its field's range and default, reads the values for
:meth:`~gmmviz.qt.lab.Lab.session_part`, puts checked values back, and emits
``changed`` when the user edits any of them.

Supported: ``Integer`` on a QSpinBox or QSlider (the value) or a QComboBox
(the index); ``Boolean`` on a QCheckBox; ``Choice`` on a QComboBox (its item
data) or a QTabWidget (the tab of that index in the choice's options).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QAbstractSlider,
    QCheckBox,
    QComboBox,
    QSpinBox,
    QTabWidget,
)

from gmmviz.core.session.parts import Boolean, Choice, Integer


class WidgetBinding(QObject):
    """``fields`` (those of ``widgets``' keys) shown by ``widgets``.

    Signals
    -------
    changed()
        A bound widget's value changed.
    """

    changed = Signal()

    def __init__(self, fields, widgets: dict, parent: QObject | None = None):
        super().__init__(parent)
        self.fields = tuple(f for f in fields if f.name in widgets)
        self.widgets = dict(widgets)
        for f in self.fields:
            w = self.widgets[f.name]
            if isinstance(f, Integer) and isinstance(w, (QSpinBox, QAbstractSlider)):
                w.setRange(f.lo, f.hi)
            self._set(f, w, f.default)
            self._signal(w).connect(self.changed)

    @staticmethod
    def _signal(w):
        if isinstance(w, QCheckBox):
            return w.toggled
        if isinstance(w, (QComboBox, QTabWidget)):
            return w.currentIndexChanged if isinstance(w, QComboBox) else w.currentChanged
        return w.valueChanged

    def values(self) -> dict:
        return {f.name: self._get(f, self.widgets[f.name]) for f in self.fields}

    def set_values(self, values: dict) -> None:
        """Show ``values`` (checked already), in the fields' order."""
        for f in self.fields:
            if f.name in values:
                self._set(f, self.widgets[f.name], values[f.name])

    @staticmethod
    def _get(f, w):
        if isinstance(w, QCheckBox):
            return w.isChecked()
        if isinstance(w, QTabWidget):
            return f.options[w.currentIndex()]
        if isinstance(w, QComboBox):
            return w.currentIndex() if isinstance(f, Integer) else w.currentData()
        return int(w.value())

    @staticmethod
    def _set(f, w, value) -> None:
        if isinstance(f, Boolean):
            w.setChecked(bool(value))
        elif isinstance(w, QTabWidget):
            w.setCurrentIndex(f.options.index(value))
        elif isinstance(w, QComboBox):
            w.setCurrentIndex(value if isinstance(f, Integer) else max(0, w.findData(value)))
        elif isinstance(f, (Integer, Choice)):
            w.setValue(value)
        else:  # pragma: no cover (a lab's bug)
            raise TypeError(f"no binding of {type(f).__name__} to {type(w).__name__}")


__all__ = ["WidgetBinding"]
