"""Driving the graph canvas with real mouse events."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt


def open_graphs(window):
    lab = window.show_lab("graphs")
    return lab, lab.graph


def at(page, scene_xy) -> QPoint:
    """The viewport pixel of a scene point."""
    return page.view.mapFromScene(QPointF(*scene_xy))


def node_pixel(page, name: str) -> QPoint:
    return at(page, page.doc.position(name))


def double_click(qtbot, page, scene_xy) -> None:
    qtbot.mouseDClick(page.view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                      at(page, scene_xy))


def click_node(qtbot, page, name: str) -> None:
    qtbot.mouseClick(page.view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     node_pixel(page, name))


def drag(qtbot, page, start: QPoint, end: QPoint, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    vp = page.view.viewport()
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, modifier, start)
    steps = 6
    for i in range(1, steps + 1):
        p = start + (end - start) * (i / steps)
        qtbot.mouseMove(vp, QPoint(int(p.x()), int(p.y())))
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, modifier, end)
