"""The right-click menu of a node (rename, kind, evidence, delete) or of an edge (delete)."""

from __future__ import annotations

from PySide6.QtWidgets import QMenu

from gmmviz.labs.graphs.core.dag import KINDS
from gmmviz.labs.graphs.qt import plates as plates_


def context_menu(page, node: str | None, edge: tuple[str, str] | None) -> QMenu | None:
    """The menu for ``node`` or ``edge`` on ``page`` (a GraphPage), or None on empty space;
    every entry calls one of the page's edits (one undoable command each)."""
    menu = QMenu(page)
    if node is not None:
        menu.addAction(f"Rename {node}…", lambda: page.rename_dialog(node))
        for kind in KINDS:
            action = menu.addAction(f"Mark {kind}", lambda k=kind: page.set_kind(node, k))
            action.setCheckable(True)
            action.setChecked(page.doc.dag.node(node).kind == kind)
        sub = menu.addMenu("Observe (evidence)")
        for i, s in enumerate(page.doc.model.states[node]):
            sub.addAction(f"{node} = {s}", lambda i=i: page.toggle_evidence(node, i))
        if node in dict(page.doc.evidence):
            menu.addAction(f"Forget {node}", lambda: page.push(lambda d: d.with_evidence(node, None), f"Forget {node}"))
        plates = menu.addMenu("Plate (repeated t = 1…T)")
        current = page.doc.dag.node(node).plate
        for p in page.doc.dag.plates:
            if p.name != current:
                plates.addAction(f"Put {node} on the plate {p.index} = 1…{p.size}", lambda p=p: plates_.set_plate(page, node, p))
        plates.addAction(f"Put {node} on a new plate…", lambda: plates_.new_plate_dialog(page, node))
        if current is not None:
            plates.addAction(f"Take {node} off its plate", lambda: plates_.set_plate(page, node, None))
            plates.addAction("Change the plate's range…", lambda: plates_.plate_range_dialog(page, current))
        menu.addSeparator()
        menu.addAction(f"Delete {node}", lambda: page.delete_node(node))
    elif edge is not None:
        menu.addAction(f"Delete edge {edge[0]} → {edge[1]}", lambda: page.remove_edge(*edge))
    else:
        return None
    return menu
