"""Plates on the graph canvas: put a node on a plate (an existing one or a new one), take it off,
change a plate's range; each one undoable edit of the page's document (see the node's menu)."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog

from gmmviz.labs.graphs.core.dag import GraphError, Plate, parse_plate_range


def set_plate(page, name: str, plate) -> bool:
    """Node ``name`` on ``plate`` (a :class:`~gmmviz.labs.graphs.core.dag.Plate`) or off its plate (None)."""
    text = f"Take {name} off its plate" if plate is None else f"Put {name} on the plate {plate.index} = 1…{plate.size}"
    return page.push(lambda d: d.with_dag(d.dag.with_plate_of(name, plate)), text)


def new_plate_dialog(page, name: str) -> None:
    text, ok = QInputDialog.getText(page, "New plate", f"Repeat {name} over (index = 1…size):", text="t = 1…T")
    if ok:
        new_plate(page, name, text)


def _plate_range(page, text: str) -> tuple[str, str] | None:
    """``text`` as (index, size), or None with the reason on the banner."""
    try:
        return parse_plate_range(text)
    except GraphError as exc:
        page.banner.show_message(str(exc), "warning")
        return None


def new_plate(page, name: str, text: str) -> bool:
    parsed = _plate_range(page, text)
    if parsed is None:
        return False
    index, size = parsed
    taken = {p.name for p in page.doc.dag.plates}
    plate_name = next(f"{index}{k or ''}" for k in range(len(taken) + 1) if f"{index}{k or ''}" not in taken)
    return set_plate(page, name, Plate(plate_name, index, size))


def plate_range_dialog(page, plate: str) -> None:
    p = next(p for p in page.doc.dag.plates if p.name == plate)
    text, ok = QInputDialog.getText(page, "Plate range", "Repeat over (index = 1…size):",
                                    text=f"{p.index} = 1…{p.size}")
    if ok:
        set_plate_range(page, plate, text)


def set_plate_range(page, plate: str, text: str) -> bool:
    parsed = _plate_range(page, text)
    if parsed is None:
        return False
    index, size = parsed
    return page.push(lambda d: d.with_dag(d.dag.with_plate_range(plate, index, size)),
                     f"Repeat the plate over {index} = 1…{size}")
