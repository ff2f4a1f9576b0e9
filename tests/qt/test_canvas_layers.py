"""The canvas as a host of layers: a layer hears of every dataset and frame and adds
to the hover read-out, without the canvas knowing what a frame holds."""

from __future__ import annotations

from gmmviz.core.commands import default_classes
from gmmviz.core.data import Dataset
from gmmviz.qt.canvas.host import BaseLayer, Canvas


class Recorder(BaseLayer):
    def __init__(self):
        self.calls = []

    def attach(self, canvas):
        super().attach(canvas)
        self.calls.append(("attach", canvas))

    def set_dataset(self, dataset):
        self.calls.append(("dataset", dataset.n_points))

    def show_frame(self, frame):
        self.calls.append(("frame", frame))

    def set_scale(self, factor):
        self.calls.append(("scale", factor))

    def describe(self, x, y):
        return f"layer sees {x:.1f}"


def test_a_layer_gets_the_dataset_the_frame_and_the_scale(qtbot):
    canvas = Canvas()
    qtbot.addWidget(canvas)
    canvas.set_dataset(Dataset([[0, 0], [1, 1]], [0, 0], default_classes(1)))
    layer = canvas.add_layer(Recorder())
    assert layer.calls == [("attach", canvas), ("scale", 1.0), ("dataset", 2)]
    frame = object()  # the canvas hands any lab's frame on unread
    canvas.show_frame(frame)
    canvas.set_scale(2.0)
    canvas.set_dataset(Dataset([[0, 0]], [0], default_classes(1)))
    assert layer.calls[3:] == [("frame", frame), ("scale", 2.0), ("dataset", 1)]
    assert canvas.describe(2.0, 3.0) == "x = 2, y = 3<br>layer sees 2.0"



def test_markers_shrink_as_the_points_get_dense(qtbot):
    import numpy as np

    from gmmviz.qt.canvas.host import marker_size

    assert marker_size(300, 1.0) == marker_size(2000, 1.0) == (6.0, 2.0)
    radii = [marker_size(n, 1.0)[0] for n in (2000, 10_000, 100_000, 10**6)]
    assert radii == sorted(radii, reverse=True) and radii[2] < 3.0 and radii[3] == 2.0
    assert marker_size(100_000, 1.5)[0] == 1.5 * marker_size(100_000, 1.0)[0]
    canvas = Canvas()
    qtbot.addWidget(canvas)
    canvas.set_dataset(Dataset(np.zeros((100_000, 2)), np.zeros(100_000, int), default_classes(1)))
    assert canvas.points._radius == marker_size(100_000, 1.0)[0]


def test_the_hover_read_out_is_docked_in_the_bottom_left_corner(qtbot, unthrottled):
    from PySide6.QtCore import QPoint
    from PySide6.QtTest import QTest

    canvas = Canvas()
    canvas.resize(600, 400)
    qtbot.addWidget(canvas)
    canvas.show()
    qtbot.waitExposed(canvas)
    canvas.add_layer(Recorder())
    vp = canvas.plot.viewport()
    QTest.mouseMove(vp, QPoint(300, 200))
    qtbot.waitUntil(canvas.hover.isVisible)  # the first read-out; the axes settle their widths
    for where in (QPoint(60, 40), QPoint(500, 300)):
        QTest.mouseMove(vp, where)
        box = canvas.hover.geometry()
        view = canvas.plot.mapFromScene(canvas.view.sceneBoundingRect()).boundingRect()
        assert box.left() == view.left() + 8 and box.bottom() <= view.bottom()
        assert box.top() > view.center().y()  # the bottom half, wherever the cursor is
