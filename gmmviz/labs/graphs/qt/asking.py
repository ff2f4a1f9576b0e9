"""The X, Y and Z the Ask panel holds (a click puts a node in one set and takes it out of the others)."""

from __future__ import annotations

from gmmviz.labs.graphs.core.dag import natural_key


class AskState:
    """Three disjoint sets of node names, in the order they were picked."""

    def __init__(self):
        self._sets = {"X": [], "Y": [], "Z": []}

    def toggle(self, which: str, name: str) -> None:
        if name in self._sets[which]:
            self._sets[which].remove(name)
            return
        for names in self._sets.values():
            if name in names:
                names.remove(name)
        self._sets[which].append(name)

    def set(self, x=(), y=(), z=()) -> None:
        self._sets = {"X": list(x), "Y": list(y), "Z": list(z)}

    def clear(self) -> None:
        self.set()

    def rename(self, old: str, new: str) -> None:
        for names in self._sets.values():
            if old in names:
                names[names.index(old)] = new

    def keep_only(self, names) -> None:
        known = set(names)
        for key, values in self._sets.items():
            self._sets[key] = [n for n in values if n in known]

    def sets(self) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        return tuple(tuple(sorted(self._sets[k], key=natural_key)) for k in ("X", "Y", "Z"))
