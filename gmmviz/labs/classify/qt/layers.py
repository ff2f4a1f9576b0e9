"""What the classification lab's switchable layers share: the frame they show, redrawn on a new scale or switch."""

from __future__ import annotations

from gmmviz.qt.canvas.host import BaseLayer


class FrameLayer(BaseLayer):
    """A layer drawing the frame on screen, shown or hidden by a switch (``visible``).

    Subclasses set ``visible``'s initial value in ``attach`` (after calling this one's)
    and draw in ``show_frame``, which keeps ``self.frame``.
    """

    visible = True
    frame = None
    _scale = 1.0

    def set_scale(self, factor: float) -> None:
        self._scale = factor
        self.show_frame(self.frame)

    def set_visible(self, on: bool) -> None:
        self.visible = on
        self.show_frame(self.frame)
