"""The Qt layer: everything that imports PySide6 or pyqtgraph, and no formula."""
