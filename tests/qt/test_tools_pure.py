"""The canvas tools without Qt: pointer events in, commands out (a fake canvas)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from gmmviz.core.commands import AddPoints, MovePoints, RemovePoints, default_classes
from gmmviz.core.data import Dataset
from gmmviz.qt.canvas.tools import picking
from gmmviz.qt.canvas.tools.select import SelectTool
from gmmviz.qt.canvas.tools.base import BrushTool, EraseTool, Pointer, PutTool

from .tool_helpers import FakeCanvas, distance_to_path_px, ray_cast_inside

PX = (0.01, 0.02)  # data units per pixel: deliberately different along x and y


def cloud(n=400, seed=0) -> Dataset:
    rng = np.random.default_rng(seed)
    return Dataset(rng.uniform(-1, 1, size=(n, 2)), rng.integers(0, 2, n), default_classes(3))


def stroke(tool, ctx, path, **mods):
    """Drive one drag through ``path`` [(x, y), ...]: start, moves, finish."""
    phases = ["start"] + ["move"] * (len(path) - 2) + ["finish"]
    return [tool.drag(Pointer(x, y, phase=ph, **mods), ctx) for (x, y), ph in zip(path, phases)]


def test_the_tools_and_their_geometry_load_no_qt():
    code = ("import sys, gmmviz.qt.canvas.tools.base, gmmviz.qt.canvas.tools.select, gmmviz.qt.canvas.tools.picking\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_brush_click_sprays_one_dab_within_the_radius_reproducibly():
    ctx = FakeCanvas(cloud(0))
    ctx.cls = 2
    brush = BrushTool(radius_px=12, density=0.5, seed=7)
    assert brush.click(Pointer(0.3, -0.2), ctx)
    (cmd, text, gesture), = ctx.pushed
    assert isinstance(cmd, AddPoints) and gesture is None and text == "Brush stroke"
    assert cmd.xy.shape == (brush.dab_size(), 2) == (6, 2)
    assert np.all(cmd.labels == 2)
    assert np.all(np.hypot(*picking.to_pixels(cmd.xy, (0.3, -0.2), PX).T) <= 12)
    again = FakeCanvas(cloud(0))
    BrushTool(radius_px=12, density=0.5, seed=7).click(Pointer(0.3, -0.2), again)
    assert again.pushed[0][0].xy.tobytes() == cmd.xy.tobytes()


def test_brush_stroke_is_one_gesture_with_the_density_per_pixel_and_stays_within_the_radius():
    ctx = FakeCanvas(cloud(0))
    brush = BrushTool(radius_px=10, density=0.3, seed=1)
    path = np.array([[0, 0], [0.5, 0.0], [0.5, 1.0], [0.8, 1.2], [0.8, 1.2001]])
    assert all(stroke(brush, ctx, path))
    gestures = {g for _, _, g in ctx.pushed}
    assert len(gestures) == 1 and None not in gestures
    xy = np.vstack([c.xy for c, _, _ in ctx.pushed])
    length_px = np.hypot(*(np.diff(path, axis=0) / PX).T).sum()
    assert xy.shape[0] == brush.dab_size() + int(np.floor(0.3 * length_px + 1e-9))
    assert distance_to_path_px(xy, path, PX).max() <= 10 + 0.05
    assert brush._gesture is None  # a new stroke gets a new id
    stroke(brush, ctx, path[:2])
    assert ctx.pushed[-1][2] not in gestures


def test_painting_tools_leave_other_buttons_to_the_view():
    ctx = FakeCanvas(cloud(10))
    for tool in (BrushTool(), EraseTool(), SelectTool()):
        assert not tool.drag(Pointer(0, 0, "right", phase="start"), ctx)
        assert not tool.drag(Pointer(0, 0, "middle", phase="start"), ctx)
        assert not tool.click(Pointer(0, 0, "middle"), ctx)
    assert not PutTool().drag(Pointer(0, 0, phase="start"), ctx)  # Put pans on drag
    assert ctx.pushed == []


def test_erase_click_removes_exactly_the_points_within_the_radius():
    ds = cloud(2000, seed=3)
    ctx = FakeCanvas(ds)
    EraseTool(radius_px=20).click(Pointer(0.1, 0.2), ctx)
    expected = np.flatnonzero(np.hypot((ds.X[:, 0] - 0.1) / PX[0], (ds.X[:, 1] - 0.2) / PX[1]) <= 20)
    (cmd, _, _), = ctx.pushed
    assert isinstance(cmd, RemovePoints) and expected.size > 3
    np.testing.assert_array_equal(cmd.indices, expected)


def test_erase_drag_removes_the_swept_capsule_as_one_gesture():
    ds = cloud(3000, seed=4)
    ctx = FakeCanvas(ds)
    path = np.array([[-0.5, -0.5], [0.2, -0.4], [0.3, 0.6]])
    stroke(EraseTool(radius_px=15), ctx, path)
    assert len({g for _, _, g in ctx.pushed}) == 1
    gone = distance_to_path_px(ds.X, path, PX) <= 15 - 0.05
    kept = distance_to_path_px(ds.X, path, PX) > 15 + 0.05
    survivors = {tuple(p) for p in ctx.dataset.X}
    assert not any(tuple(p) in survivors for p in ds.X[gone])
    assert all(tuple(p) in survivors for p in ds.X[kept])


@pytest.mark.parametrize("seed", range(5))
def test_picking_geometry_against_brute_force(seed):
    rng = np.random.default_rng(seed)
    xy = rng.uniform(-1, 1, size=(500, 2))
    a, b = rng.uniform(-1, 1, 2), rng.uniform(-1, 1, 2)
    near = picking.near_segment(xy, a, b, 17.0, PX)
    d = distance_to_path_px(xy, np.array([a, b]), PX)
    assert set(np.flatnonzero(d <= 16.95)) <= set(near) <= set(np.flatnonzero(d <= 17.05))
    poly = rng.uniform(-1, 1, size=(9, 2))  # self-intersecting too: even-odd
    np.testing.assert_array_equal(picking.in_polygon(xy, poly), ray_cast_inside(xy, poly))
    lo, hi = np.sort(rng.uniform(-1, 1, (2, 2)), axis=0)
    np.testing.assert_array_equal(picking.in_rect(xy, hi, lo), np.flatnonzero(np.all((xy >= lo) & (xy <= hi), 1)))


def test_select_rubber_band_then_shift_adds_and_ctrl_removes():
    ds = cloud(800, seed=5)
    ctx = FakeCanvas(ds)
    tool = SelectTool()
    stroke(tool, ctx, [(-0.5, -0.5), (0.0, 0.1), (0.2, 0.4)])
    band = picking.in_rect(ds.X, (-0.5, -0.5), (0.2, 0.4))
    np.testing.assert_array_equal(ctx.sel, np.flatnonzero((ds.X[:, 0] >= -0.5) & (ds.X[:, 0] <= 0.2)
                                                          & (ds.X[:, 1] >= -0.5) & (ds.X[:, 1] <= 0.4)))
    assert ctx.outline is None and ctx.pushed == []
    stroke(tool, ctx, [(0.5, 0.5), (0.9, 0.9)], shift=True)
    other = picking.in_rect(ds.X, (0.5, 0.5), (0.9, 0.9))
    np.testing.assert_array_equal(ctx.sel, np.union1d(band, other))
    stroke(tool, ctx, [(-1, -1), (0.0, 0.0)], ctrl=True)
    np.testing.assert_array_equal(ctx.sel, np.setdiff1d(np.union1d(band, other), picking.in_rect(ds.X, (-1, -1), (0, 0))))


@pytest.mark.parametrize("how", ["alt", "option"])
def test_select_lasso_selects_the_points_inside_the_path(how):
    ds = cloud(1500, seed=6)
    ctx = FakeCanvas(ds)
    tool = SelectTool(lasso=how == "option")
    path = [(-0.8, -0.8), (0.6, -0.7), (0.1, -0.1), (0.7, 0.8), (-0.7, 0.5)]
    stroke(tool, ctx, path, alt=how == "alt")
    np.testing.assert_array_equal(ctx.sel, ray_cast_inside(ds.X, np.array(path)))


def test_dragging_a_selected_point_previews_then_pushes_one_move():
    ds = cloud(300, seed=8)
    ctx = FakeCanvas(ds)
    tool = SelectTool()
    ctx.sel = np.array([3, 10, 42])
    x, y = ds.X[10]
    tool.drag(Pointer(x, y, phase="start"), ctx)
    tool.drag(Pointer(x + 0.1, y, phase="move"), ctx)
    assert ctx.pushed == [] and ctx.preview is not None
    np.testing.assert_allclose(ctx.preview[1], ds.X[[3, 10, 42]] + [0.1, 0])
    tool.drag(Pointer(x + 0.25, y - 0.5, phase="finish"), ctx)
    assert ctx.preview is None
    (cmd, text, _), = ctx.pushed
    assert isinstance(cmd, MovePoints) and text == "Move 3 points"
    np.testing.assert_allclose(ctx.dataset.X[[3, 10, 42]], ds.X[[3, 10, 42]] + [0.25, -0.5], rtol=0, atol=1e-15)
    keep = np.setdiff1d(np.arange(300), [3, 10, 42])
    assert ctx.dataset.X[keep].tobytes() == ds.X[keep].tobytes()


def test_a_drag_from_an_unselected_point_is_a_band_and_clicks_pick():
    ds = cloud(300, seed=9)
    ctx = FakeCanvas(ds)
    tool = SelectTool()
    ctx.sel = np.array([1, 2])
    x, y = ds.X[5]
    assert tool.hover_cursor(Pointer(x, y), ctx) == "arrow"
    assert tool.hover_cursor(Pointer(*ds.X[2]), ctx) == "move"
    stroke(tool, ctx, [(x, y), (x + 0.3, y + 0.3)])
    np.testing.assert_array_equal(ctx.sel, picking.in_rect(ds.X, (x, y), (x + 0.3, y + 0.3)))
    assert ctx.pushed == []
    tool.click(Pointer(*ds.X[7]), ctx)
    np.testing.assert_array_equal(ctx.sel, [7])
    tool.click(Pointer(*ds.X[9], shift=True), ctx)
    np.testing.assert_array_equal(ctx.sel, [7, 9])
    tool.click(Pointer(*ds.X[7], ctrl=True), ctx)
    np.testing.assert_array_equal(ctx.sel, [9])
    tool.click(Pointer(5.0, 5.0), ctx)  # nothing there
    assert ctx.sel.size == 0
