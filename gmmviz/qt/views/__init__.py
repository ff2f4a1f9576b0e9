"""Visual layers of the canvas, each owning long-lived pyqtgraph items."""
