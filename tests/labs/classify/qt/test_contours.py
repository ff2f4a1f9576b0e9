"""With four classes the contours are drawn per class, in the class's own (shaded) colour, labelled."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QColor

from gmmviz.core.commands import default_classes
from gmmviz.core.data import Dataset
from gmmviz.labs.classify.core.picture import certain_tint as region_tint
from gmmviz.labs.classify.qt.contours import INK_CONTRAST, contour_ink
from gmmviz.qt.themes import contrast

from ..core.test_contours import four_classes
from .test_lab import open_lab, wait_frame


def test_four_classes_get_four_curves_in_their_colours_and_labels(qtbot, make_window):
    X, y = four_classes()
    w, _lab, page = open_lab(qtbot, make_window, Dataset(X, y, default_classes(4)))
    w.actions_by_name["cls_model_qda"].trigger()
    bare = wait_frame(qtbot, page, lambda f: f.model.kind == "qda")
    layer = page.canvas.contours_layer
    assert bare.contours == () and not any(c.isVisible() for c in layer.curves)  # off: not even traced
    w.actions_by_name["cls_contours"].setChecked(True)
    frame = wait_frame(qtbot, page, lambda f: bool(f.contours))
    assert frame.fitted is bare.fitted  # the contours needed no refit
    shown = [c for c in layer.curves if c.isVisible()]
    assert len(shown) == 4
    classes = page.dataset.classes
    for c, item in enumerate(shown):
        ink = item.opts["pen"].color().name()
        assert ink == contour_ink(classes[c].color, page.background)
        assert contrast(ink, region_tint(classes[c].color, page.background)) >= INK_CONTRAST
        lines = frame.contours[c]
        drawn = [ln for ln in lines if ln[0].size]  # every level's segments, each already ending in NaN
        np.testing.assert_array_equal(item.xData, np.concatenate([x for x, _ in drawn]))
        np.testing.assert_array_equal(item.yData, np.concatenate([y for _, y in drawn]))
    assert len({item.opts["pen"].color().name() for item in shown}) == 4  # one ink per class
    labels = [t for t in layer.labels if t.isVisible()]
    assert len(labels) == len(frame.contour_labels) >= 4
    for text, (c, level, x, yy) in zip(labels, frame.contour_labels):
        assert text.toPlainText() == f"{level:.1f}"
        assert text.color.name() == QColor(contour_ink(classes[c].color, page.background)).name()
        assert (text.pos().x(), text.pos().y()) == (x, yy)
    assert "0.6 … 0.9" in page.canvas._legend["contours"]
    w.actions_by_name["cls_contours"].setChecked(False)
    assert not any(c.isVisible() for c in layer.curves) and not any(t.isVisible() for t in layer.labels)


def test_the_ink_reads_on_every_class_tint_in_both_themes():
    for background in ("#ffffff", "#101418"):
        for color in ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00"):
            ink = contour_ink(color, background)
            assert contrast(ink, region_tint(color, background)) >= INK_CONTRAST
            assert np.sign(QColor(ink).lightness() - QColor(color).lightness()) == (-1 if background == "#ffffff" else 1) \
                or ink == color


def test_labels_grow_with_the_presentation_scale_and_keep_apart(qtbot, make_window):
    X, y = four_classes()
    w, lab, page = open_lab(qtbot, make_window, Dataset(X, y, default_classes(4)))
    w.actions_by_name["cls_contours"].setChecked(True)
    wait_frame(qtbot, page, lambda f: bool(f.contour_labels))
    layer = page.canvas.contours_layer
    size, gap = layer.labels[0].textItem.font().pointSizeF(), layer.label_gap()
    before = page.frame
    lab.apply_scale(2.0)
    assert layer.labels[0].textItem.font().pointSizeF() == 2 * size
    assert layer.label_gap() == 2 * gap
    frame = wait_frame(qtbot, page, lambda f: f is not before)  # spaced again for the larger labels
    pts = np.array([(x, yy) for *_, x, yy in frame.contour_labels])
    d = np.hypot(*(pts[:, None, :] - pts[None]).transpose(2, 0, 1))[np.triu_indices(len(pts), 1)]
    assert d.size == 0 or d.min() >= layer.label_gap() * 0.999
