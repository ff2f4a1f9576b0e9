"""PointCloudItem: real pixels on every drawing path, picking, bounds, export.

Every assertion looks at rendered pixels (or at SVG text), never at the
item's internals, except where a test says it checks the cache.
"""

from __future__ import annotations

import numpy as np
import pytest
from PySide6 import QtCore, QtGui, QtSvg

from gmmviz.qt.canvas import raster as rz
from gmmviz.qt.canvas import raster_plans as rp
from gmmviz.qt.canvas.points import PointCloudItem
from gmmviz.qt.canvas.tools import picking

from .plots import rgb_array, white_plot

WHITE = (255, 255, 255)
RADIUS, OUTLINE = 8.0, 3.0  # the outline band spans 6.5 .. 9.5 px
PATHS = ["stamps", "disks", "bins"]


@pytest.fixture
def plot(qtbot):
    pw = white_plot(qtbot, (400, 300), (0, 10), (0, 10))
    item = PointCloudItem()
    item.set_marker(RADIUS, OUTLINE)
    pw.addItem(item)
    return pw, item  # qtbot closes the widget


def force(item: PointCloudItem, path: str) -> None:
    item.small_max = 10**9 if path == "stamps" else 0
    item.disk_max = 10**9 if path != "bins" else 0


def grab(pw) -> np.ndarray:
    pw.viewport().repaint()
    return rgb_array(pw.grab().toImage())


def device_xy(item, x, y) -> tuple[int, int]:
    """Pixel (column, row) holding the centre of a marker at data (x, y)."""
    p = item.deviceTransform_().map(QtCore.QPointF(x, y))
    return int(np.floor(p.x())), int(np.floor(p.y()))


def close(a, b, tol) -> bool:
    return bool(np.all(np.abs(np.asarray(a, int) - np.asarray(b, int)) <= tol))


def colours(n, outline, fill):
    return np.tile(np.uint8(outline), (n, 1)), np.tile(np.uint8(fill), (n, 1))


# ---- pixels on each path ---------------------------------------------------


@pytest.mark.parametrize("path", PATHS)
def test_centre_has_fill_and_ring_has_outline(plot, path):
    pw, item = plot
    force(item, path)
    xy = np.array([[3.0, 4.0], [7.0, 6.0]])
    outline, fill = colours(2, (20, 40, 200), (230, 120, 10))
    item.set_data(xy, outline, fill)
    img = grab(pw)
    tol = 5 if path == "stamps" else 1  # the atlas rounds fills to 5 bits
    for x, y in xy:
        cx, cy = device_xy(item, x, y)
        assert close(img[cy, cx], fill[0], tol)
        if path != "bins":  # bins draw one pixel per point, no ring
            for dx, dy in [(8, 0), (-8, 0), (0, 8), (0, -8)]:
                assert close(img[cy + dy, cx + dx], outline[0], 1)
            assert close(img[cy, cx + 12], WHITE, 0)


@pytest.mark.parametrize("path", PATHS)
def test_set_fill_recolours_the_centre(plot, path):
    pw, item = plot
    force(item, path)
    item.set_data([[5.0, 5.0]], *colours(1, (0, 0, 0), (250, 0, 0)))
    cx, cy = device_xy(item, 5.0, 5.0)
    assert close(grab(pw)[cy, cx], (250, 0, 0), 5)
    item.set_fill(np.array([[0, 200, 0]], np.uint8))
    assert close(grab(pw)[cy, cx], (0, 200, 0), 5)


@pytest.mark.parametrize("path", ["stamps", "disks"])
def test_later_points_are_drawn_on_top(plot, path):
    pw, item = plot
    force(item, path)
    xy = np.array([[5.0, 5.0], [5.1, 5.0]])
    fill = np.array([[255, 0, 0], [0, 0, 255]], np.uint8)
    item.set_data(xy, np.zeros((2, 3), np.uint8), fill)
    cx, cy = device_xy(item, 5.1, 5.0)
    assert close(grab(pw)[cy, cx], (0, 0, 255), 5)


def test_stamps_and_disks_paths_agree(plot):
    pw, item = plot
    rng = np.random.default_rng(3)
    xy = rng.uniform(1, 9, (300, 2))
    outline = rng.integers(0, 256, (300, 3), dtype=np.uint8)
    fill = (rng.integers(0, 8, (300, 3)) * 255 // 7).astype(np.uint8)
    item.set_data(xy, outline, fill)
    force(item, "stamps")
    a = grab(pw).astype(int)
    force(item, "disks")
    b = grab(pw).astype(int)
    # identical geometry; only where markers overlap (antialiased seams) may they differ
    same = np.abs(a - b).max(axis=2) <= 8
    print(same.mean())
    assert same.mean() > 0.97


def test_stamps_fall_back_to_raster_when_the_atlas_is_full(plot):
    pw, item = plot
    force(item, "stamps")
    item.atlas_bytes = 1  # 256 cells at most
    rng = np.random.default_rng(4)
    n = 2000
    item.set_data(rng.uniform(1, 9, (n, 2)), np.zeros((n, 3), np.uint8),
                  rng.integers(0, 256, (n, 3), dtype=np.uint8))
    item.set_data(np.array([[5.0, 5.0]] * n), np.zeros((n, 3), np.uint8),
                  rng.integers(0, 256, (n, 3), dtype=np.uint8))
    cx, cy = device_xy(item, 5.0, 5.0)
    assert close(grab(pw)[cy, cx], item._fill[-1], 1)  # exact colour: rasterised


def test_raster_is_cached_until_something_changes(plot):
    pw, item = plot
    force(item, "disks")
    item.set_data([[5.0, 5.0]], *colours(1, (0, 0, 0), (250, 0, 0)))
    grab(pw)
    plan, image = item._plan[1], item._image[1]
    grab(pw)
    assert item._plan[1] is plan and item._image[1] is image
    item.set_fill(np.array([[1, 2, 3]], np.uint8))
    grab(pw)
    assert item._plan[1] is plan and item._image[1] is not image
    pw.setRange(xRange=(0, 11), yRange=(0, 10), padding=0)
    grab(pw)
    assert item._plan[1] is not plan


def test_partial_repaints_reuse_the_raster(plot):
    pw, item = plot
    force(item, "disks")
    item.set_data([[3.0, 5.0], [7.0, 5.0]], *colours(2, (0, 0, 0), (250, 0, 0)))
    grab(pw)
    plan, image = item._plan[1], item._image[1]
    cx, cy = device_xy(item, 3.0, 5.0)
    pw.viewport().repaint(QtCore.QRect(cx - 3, cy - 3, 6, 6))  # as a hover label would
    assert item._plan[1] is plan and item._image[1] is image
    assert close(grab(pw)[cy, cx], (250, 0, 0), 1)


def test_selection_draws_a_ring(plot):
    pw, item = plot
    force(item, "stamps")
    item.set_data([[3.0, 5.0], [7.0, 5.0]], *colours(2, (0, 0, 0), (250, 0, 0)))
    item.set_selection(np.array([False, True]))
    img = grab(pw)
    for x, picked in [(3.0, False), (7.0, True)]:
        cx, cy = device_xy(item, x, 5.0)
        ring = img[cy, cx + 12]  # dark band at 9.5 + 2 .. 9.5 + 3.5 px
        assert close(ring, (25, 25, 25), 2) if picked else close(ring, WHITE, 0)
    item.set_selection(None)
    assert close(grab(pw)[cy, cx + 12], WHITE, 0)


# ---- picking ------------------------------------------------------------------


def screen(item, xy):
    tr = item.deviceTransform_()
    pts = [tr.map(QtCore.QPointF(x, y)) for x, y in xy]
    return np.array([[p.x(), p.y()] for p in pts])


def test_nearest_within_and_beyond_max_px(plot):
    pw, item = plot
    rng = np.random.default_rng(5)
    xy = rng.uniform(0, 10, (500, 2))
    item.set_data(xy, *colours(500, (0, 0, 0), (9, 9, 9)))
    s = screen(item, xy)
    for qx, qy in rng.uniform(0, 10, (50, 2)):
        q = screen(item, [(qx, qy)])[0]
        d = np.hypot(*(s - q).T)
        best = int(np.argmin(d))
        assert item.nearest(qx, qy, d[best] + 0.01) == best
        assert item.nearest(qx, qy, d[best] - 0.01) == -1


def test_nearest_prefers_the_topmost_of_duplicates(plot):
    pw, item = plot
    item.set_data([[5.0, 5.0]] * 3, *colours(3, (0, 0, 0), (9, 9, 9)))
    assert item.nearest(5.0, 5.0, 1.0) == 2
    item.set_data(np.zeros((0, 2)), np.zeros((0, 3), np.uint8), np.zeros((0, 3), np.uint8))
    assert item.nearest(5.0, 5.0, 1.0) == -1


def test_picking_within_a_radius_matches_the_screen_distance(plot):
    """The tools pick in data units scaled by the view's pixel size; that is
    the distance on screen, as the item draws it."""
    pw, item = plot
    rng = np.random.default_rng(6)
    xy = rng.uniform(0, 10, (2000, 2))
    item.set_data(xy, *colours(2000, (0, 0, 0), (9, 9, 9)))
    s = screen(item, xy)
    pixel = pw.getPlotItem().vb.viewPixelSize()
    for radius in (5.0, 30.0, 80.0):
        q = screen(item, [(4.0, 6.0)])[0]
        expected = np.flatnonzero(np.hypot(*(s - q).T) <= radius)
        np.testing.assert_array_equal(picking.within_radius(xy, (4.0, 6.0), radius, pixel), expected)


def test_picking_in_a_polygon_matches_qt():
    rng = np.random.default_rng(7)
    xy = rng.uniform(0, 10, (3000, 2))
    star = [(5 + r * np.cos(t), 5 + r * np.sin(t))
            for t, r in zip(np.linspace(0, 2 * np.pi, 11)[:-1], [4, 1.5] * 5)]
    bow = [(1, 1), (9, 9), (9, 1), (1, 9)]  # self-intersecting: even-odd rule
    for poly in (star, bow, [(2, 2), (8, 2), (8, 3)]):
        qpoly = QtGui.QPolygonF([QtCore.QPointF(*p) for p in poly])
        rule = QtCore.Qt.FillRule.OddEvenFill
        expected = [i for i, (x, y) in enumerate(xy)
                    if qpoly.containsPoint(QtCore.QPointF(x, y), rule)]
        np.testing.assert_array_equal(picking.in_polygon(xy, np.array(poly, float)), expected)


# ---- bounds and auto-range ------------------------------------------------------


def test_auto_range_includes_every_marker(plot):
    pw, item = plot
    xy = np.array([[-3.0, 2.0], [40.0, 7.0], [12.0, -20.0]])
    item.set_data(xy, *colours(3, (0, 0, 0), (9, 9, 9)))
    pw.getViewBox().autoRange(padding=0)
    grab(pw)  # the view applies its new transform when it paints
    (x0, x1), (y0, y1) = pw.getViewBox().viewRange()
    assert x0 < -3 and x1 > 40 and y0 < -20 and y1 > 7
    s = screen(item, xy)  # whole markers are on screen
    rect = pw.getViewBox().sceneBoundingRect()
    tl = pw.mapFromScene(rect.topLeft())
    br = pw.mapFromScene(rect.bottomRight())
    assert (s[:, 0] - RADIUS - OUTLINE / 2 >= tl.x() - 1).all()
    assert (s[:, 0] + RADIUS + OUTLINE / 2 <= br.x() + 1).all()
    assert (s[:, 1] - RADIUS - OUTLINE / 2 >= tl.y() - 1).all()
    assert (s[:, 1] + RADIUS + OUTLINE / 2 <= br.y() + 1).all()


def test_arrays_are_copied_and_read_only(plot):
    _, item = plot
    xy = np.zeros((2, 2))
    fill = np.zeros((2, 3), np.uint8)
    item.set_data(xy, fill, fill)
    xy[0, 0], fill[0, 0] = 1.0, 9
    assert item.xy[0, 0] == 0.0 and item.fill[0, 0] == 0 and item.outline[0, 0] == 0
    for a in (item.xy, item.outline, item.fill):
        assert not a.flags.writeable


def test_bad_input_names_the_expected_shape(plot):
    _, item = plot
    with pytest.raises(ValueError, match=r"xy must have shape \(N, 2\)"):
        item.set_data(np.zeros((3, 3)), np.zeros((3, 3), np.uint8), np.zeros((3, 3), np.uint8))
    item.set_data(np.zeros((3, 2)), np.zeros((3, 3), np.uint8), np.zeros((3, 3), np.uint8))
    with pytest.raises(ValueError, match=r"fill must have shape \(3, 3\)"):
        item.set_fill(np.zeros((4, 3), np.uint8))
    with pytest.raises(ValueError, match="radius_px"):
        item.set_marker(-1.0)


# ---- export ----------------------------------------------------------------------


def render_scene(pw, factor: float, *, dpr: float = 1.0) -> np.ndarray:
    w, h = pw.width(), pw.height()
    size = QtCore.QSize(int(w * factor * dpr), int(h * factor * dpr))
    img = QtGui.QImage(size, QtGui.QImage.Format.Format_ARGB32)
    img.setDevicePixelRatio(dpr)
    img.fill(QtGui.QColor("white"))
    p = QtGui.QPainter(img)
    pw.scene().render(p, QtCore.QRectF(0, 0, w * factor, h * factor), QtCore.QRectF(0, 0, w, h))
    p.end()
    return rgb_array(img)


def marker_width(img: np.ndarray, row: int) -> int:
    return int((np.abs(img[row].astype(int) - 255).max(axis=1) > 60).sum())


@pytest.mark.parametrize("path", ["stamps", "disks"])
@pytest.mark.parametrize("factor, dpr", [(2.0, 1.0), (1.0, 2.0)])
def test_export_at_twice_the_scale_has_twice_the_markers(plot, path, factor, dpr):
    pw, item = plot
    force(item, path)
    item.set_data([[5.0, 5.0]], *colours(1, (0, 0, 150), (250, 200, 0)))
    pw.getPlotItem().hideAxis("left")
    pw.getPlotItem().hideAxis("bottom")
    one, two = render_scene(pw, 1.0), render_scene(pw, factor, dpr=dpr)
    cx, cy = device_xy(item, 5.0, 5.0)
    w1, w2 = marker_width(one, cy), marker_width(two, 2 * cy + 1)
    assert 18 <= w1 <= 20  # 2 x 9.5 px
    assert abs(w2 - 2 * w1) <= 2
    assert close(two[2 * cy + 1, 2 * cx + 1], (250, 200, 0), 5)


def test_image_exporter_at_twice_the_width_has_twice_the_markers(plot):
    from pyqtgraph.exporters import ImageExporter

    pw, item = plot
    force(item, "stamps")
    item.set_data([[5.0, 5.0]], *colours(1, (0, 0, 150), (250, 200, 0)))
    pw.getPlotItem().hideAxis("left")
    pw.getPlotItem().hideAxis("bottom")
    one = grab(pw)
    exporter = ImageExporter(pw.getPlotItem())
    exporter.parameters()["width"] = 2 * pw.width()
    two = rgb_array(exporter.export(toBytes=True))
    cx, cy = device_xy(item, 5.0, 5.0)
    row = int(np.argmax([marker_width(two, r) for r in range(two.shape[0])]))
    assert abs(marker_width(two, row) - 2 * marker_width(one, cy)) <= 2


def svg_of(pw) -> str:
    buf = QtCore.QBuffer()
    buf.open(QtCore.QIODevice.OpenModeFlag.WriteOnly)
    gen = QtSvg.QSvgGenerator()
    gen.setOutputDevice(buf)
    gen.setSize(pw.size())
    gen.setViewBox(QtCore.QRect(0, 0, pw.width(), pw.height()))
    gen.setResolution(pw.logicalDpiX())
    p = QtGui.QPainter(gen)
    pw.scene().render(p, QtCore.QRectF(0, 0, pw.width(), pw.height()),
                      QtCore.QRectF(0, 0, pw.width(), pw.height()))
    p.end()
    return bytes(buf.data()).decode()


def test_svg_export_is_vector_for_small_n_and_raster_above(plot):
    pw, item = plot
    rng = np.random.default_rng(8)
    n = 40
    item.set_data(rng.uniform(1, 9, (n, 2)), *colours(n, (0, 0, 150), (250, 200, 0)))
    item.set_selection(np.arange(n) < 3)
    svg = svg_of(pw)
    assert svg.count("<ellipse") + svg.count("<circle") >= n + 2 * 3
    assert "<image" not in svg
    item.vector_max = 10
    svg = svg_of(pw)
    assert "<image" in svg
    assert svg.count("<ellipse") + svg.count("<circle") == 2 * 3  # just the selection rings


# ---- the numpy rasteriser -----------------------------------------------------------


def test_fancy_assignment_keeps_the_last_write():
    """The direct splat relies on numpy writing repeated indices in order."""
    out = np.zeros(4, np.int32)
    out[np.array([1, 2, 1, 1, 2])] = np.array([5, 6, 7, 8, 9], np.int32)
    assert out.tolist() == [0, 8, 9, 0]


@pytest.mark.parametrize("radius, outline", [(6.0, 2.0), (3.0, 1.0), (11.5, 3.0)])
def test_both_owner_algorithms_agree(radius, outline):
    stamp = rz.marker_stamp(radius, outline)
    rng = np.random.default_rng(9)
    shape = (90, 120)
    h = stamp.half
    cx = rng.integers(h, shape[1] - h, 3000)
    cy = rng.integers(h, shape[0] - h, 3000)
    base = cy * shape[1] + cx
    full = stamp.counts.sum(axis=0) == rz._LEVELS
    ranks = np.full(shape, -1, np.int32)
    ranks.ravel()[base] = np.arange(base.shape[0], dtype=np.int32)
    table = rz._RunningMax(ranks)
    for support in (stamp.support, full):
        a = rz._owners_by_splat(base, shape, support)
        b = rz._owners_by_filter(table, rz._row_half_widths(support))
        np.testing.assert_array_equal(a[h:-h, h:-h], b[h:-h, h:-h])


def test_colour_keys_round_trip_and_never_collide_across_precisions():
    rng = np.random.default_rng(11)
    outline = rng.integers(0, 256, (500, 3), dtype=np.uint8)
    fill = rng.integers(0, 256, (500, 3), dtype=np.uint8)
    keys = {}
    for bits in (5, 4):
        keys[bits] = rz.colour_keys(outline, fill, bits)
        back = rz.key_colours(keys[bits], bits)
        np.testing.assert_array_equal(back[:, 0], outline)
        assert close(back[:, 1], fill, 255 / (2 * ((1 << bits) - 1)))
    assert not set(keys[5].tolist()) & set(keys[4].tolist())


def test_slot_table_evicts_the_least_recently_used():
    table = rz.SlotTable(4)
    cells, new = table.assign(np.array([10, 11, 12]))
    assert new.all() and len(set(cells.tolist())) == 3
    table.assign(np.array([10]))
    again, new = table.assign(np.array([10, 13, 14]))
    assert again[0] == cells[0] and new.tolist() == [False, True, True]
    assert cells[0] not in again[1:] and table.assign(np.arange(5)) is None


def test_bins_average_even_past_the_lane_limit():
    n = rz._LANE_MAX + 500
    rng = np.random.default_rng(10)
    fill = rng.integers(0, 256, (n + 1, 3), dtype=np.uint8)
    X = np.r_[np.full(n, 2.5), 7.5]
    Y = np.r_[np.full(n, 1.5), 1.5]
    plan = rp.plan_bins(X, Y, (0, 0, 10, 4), 1)
    img = rp.paint_bins(plan, fill, rz.pack_lanes(fill))
    bgra = img.view(np.uint8).reshape(4, 10, 4)
    assert close(bgra[1, 2, 2::-1], np.rint(fill[:n].mean(axis=0)), 1)
    assert close(bgra[1, 7, 2::-1], fill[n], 0)
    assert bgra[..., 3].sum() == 2 * 255


def test_appended_points_keep_the_plan_and_look_the_same(plot):
    """A click of the brush appends a point: the plan is kept, the newest drawn on top as stamps,
    and the picture is the one a fresh plan gives."""
    pw, item = plot
    force(item, "disks")
    rng = np.random.default_rng(5)
    xy = rng.uniform(1, 9, (400, 2))
    outline = rng.integers(0, 256, (400, 3), dtype=np.uint8)
    fill = (rng.integers(0, 8, (400, 3)) * 255 // 7).astype(np.uint8)
    item.set_data(xy[:390], outline[:390], fill[:390])
    grab(pw)
    plan = item._plan[1]
    for n in range(391, 401):  # ten clicks
        item.set_data(xy[:n], outline[:n], fill[:n])
        incremental = grab(pw).astype(int)
        assert item._plan[1] is plan
    cx, cy = device_xy(item, *xy[-1])
    assert close(incremental[cy, cx], fill[-1], 5)  # the newest point is on top, in its fill
    item._versions[2] += 1  # as any other edit would: plan everything afresh
    fresh = grab(pw).astype(int)
    assert item._plan[1] is not plan
    same = np.abs(incremental - fresh).max(axis=2) <= 8
    assert same.mean() > 0.995
    moved = xy[:400].copy()
    moved[0] += 0.5
    item.set_data(moved, outline, fill)  # not an append: a new plan
    grab(pw)
    assert item._plan[1] is not plan


def test_too_many_appended_points_are_planned_again(plot):
    pw, item = plot
    force(item, "disks")
    item.tail_max = 3
    xy = np.linspace(1, 9, 20)[:, None].repeat(2, axis=1)
    out, fil = colours(20, (0, 0, 0), (250, 0, 0))
    item.set_data(xy[:10], out[:10], fil[:10])
    grab(pw)
    plan = item._plan[1]
    item.set_data(xy[:13], out[:13], fil[:13])
    grab(pw)
    assert item._plan[1] is plan
    item.set_data(xy[:14], out[:14], fil[:14])
    grab(pw)
    assert item._plan[1] is not plan and item._planned == 14
    cx, cy = device_xy(item, *xy[13])
    assert close(grab(pw)[cy, cx], (250, 0, 0), 1)
