"""The shared plot look: an x axis whose tick labels never run into each other."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QFont

from gmmviz.qt.style import FittingAxis, _coarser


def test_the_ladder_steps_one_two_five():
    assert [_coarser(s) for s in (1.0, 2.0, 5.0, 0.2, 50.0, 2.5)] == [2.0, 5.0, 10.0, 0.5, 100.0, 5.0]


def test_a_wide_axis_keeps_pyqtgraphs_ticks_and_a_narrow_one_spaces_its_labels(qtbot):
    axis, plain = FittingAxis("bottom"), pg.AxisItem("bottom")
    font = QFont()
    font.setPointSizeF(18.0)
    for a in (axis, plain):
        a.setTickFont(font)
    assert axis.tickSpacing(0.0, 200.0, 800.0) == plain.tickSpacing(0.0, 200.0, 800.0)  # room: unchanged
    narrow = plain.tickSpacing(0.0, 200.0, 95.0)
    assert not axis._labels_fit(0.0, 200.0, 95.0, narrow[0][0], axis._metrics())  # pyqtgraph's labels collide
    spacing = axis.tickSpacing(0.0, 200.0, 95.0)[0][0]
    assert spacing > narrow[0][0] and axis._labels_fit(0.0, 200.0, 95.0, spacing, axis._metrics())
