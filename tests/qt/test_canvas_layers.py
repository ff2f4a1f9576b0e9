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


def test_the_canvas_never_hands_qt_a_range_it_cannot_draw(qtbot):
    """Zooming in far past what floats can place, or asking for a subnormal
    range, stops at the drawable limit; painting stays finite (it was a SIGSEGV)."""
    import numpy as np
    from PySide6.QtCore import QPointF

    from gmmviz.core.geometry import MIN_RELATIVE_SPAN

    canvas = Canvas()
    qtbot.addWidget(canvas)
    canvas.resize(500, 400)
    canvas.show()
    qtbot.waitExposed(canvas)
    canvas.set_dataset(Dataset([[0.1, 0.0], [0.5, 1.0], [-2.5, 3.0]], [0, 0, 0], default_classes(1)))
    assert canvas.show_range((0.0, 1e-300), (0.0, 5e-324))
    (x0, x1), (y0, y1) = canvas.view.viewRange()
    assert x1 - x0 >= 0.99 * MIN_RELATIVE_SPAN * 2.5 and y1 - y0 >= 0.99 * MIN_RELATIVE_SPAN * 3.0
    assert not canvas.show_range((0.0, float("nan")), (0.0, 1.0))
    for _ in range(200):  # the wheel and the zoom tool go through the view's limits
        canvas.view.scaleBy((0.05, 0.05), center=QPointF(0.0, 0.0))
    (x0, x1), _ = canvas.view.viewRange()
    assert np.isfinite([x0, x1]).all() and x1 - x0 >= 0.99 * MIN_RELATIVE_SPAN * 2.5
    image = canvas.plot.grab().toImage()  # paints without raising into Qt
    assert not image.isNull()


def test_a_failing_paint_draws_nothing_instead_of_taking_the_process_down(qtbot, caplog):
    import numpy as np

    canvas = Canvas()
    qtbot.addWidget(canvas)
    canvas.resize(300, 200)
    canvas.set_dataset(Dataset(np.zeros((3, 2)), [0, 0, 0], default_classes(1)))

    def broken(*args, **kwargs):
        raise ValueError("cannot convert float NaN to integer")

    canvas.points._frame = broken
    with caplog.at_level("WARNING", logger="gmmviz"):
        canvas.plot.grab()
    assert "could not draw PointCloudItem" in caplog.text
