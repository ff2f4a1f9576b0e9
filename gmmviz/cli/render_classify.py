"""``gmmviz render --lab classify``: the classification lab's posterior-map figure, headless.

::

    gmmviz render --lab classify DATA -o OUT.png|OUT.svg [--model nb|nb-diag|lda|qda|gmm]
                  [--k K | --k CLASS=K,...] [--covariance T] [--test-size F] [--seed S]
                  [--priors CLASS=P,...] [--reg-covar R] [--contours] [--no-ellipses]
                  [--size WxH] [--theme standard|light|dark] [--scale F]

DATA is a CSV of labelled points (as for ``gmmviz classify``, whose model
options these are).  The lab's own page is built offscreen, the frame is
computed by the lab's core, and the canvas is written with the window's
export code (:func:`gmmviz.qt.export.images.export_target`).  Exit status:
0 done, 1 bad data, 2 bad options.
"""

from __future__ import annotations

from pathlib import Path

from gmmviz.cli.args import DataError, Parser, UsageError
from gmmviz.cli.classify import add_model_options, check_model_options

PROG = "gmmviz render --lab classify"
FORMATS = (".png", ".svg")
DEFAULT_SIZE = (1280, 720)
CANVAS_HEIGHT = 600


def parser() -> Parser:
    from gmmviz.cli.headless import factor_arg, size_arg

    p = Parser(prog=PROG, description="Draw the classification lab's posterior map (P(y|x) as colours, the "
               "decision boundary, class ellipses, test points as squares) for a labelled CSV, without a window.",
               epilog="Exit status: 0 done, 1 bad data, 2 bad options.")
    p.add_argument("data", metavar="DATA", help="CSV file of labelled points")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="output file: .png or .svg")
    add_model_options(p)
    p.add_argument("--contours", action="store_true", help="draw each class's iso-probability contours 0.6 … 0.9, labelled")
    p.add_argument("--no-ellipses", action="store_true", help="leave out the classes' 1σ and 2σ ellipses")
    p.add_argument("--size", type=size_arg, metavar="WxH", help="image size in pixels (default 1280x720)")
    p.add_argument("--theme", choices=("standard", "light", "dark"), default="standard", help="colours (default standard)")
    p.add_argument("--scale", type=factor_arg, default=1.0, metavar="F",
                   help="lecture scale: markers, lines and text times F (default 1)")
    return p


def render_classify_main(argv: list[str]) -> int:
    from gmmviz.cli.headless import check_output, use_offscreen_platform

    p = parser()
    args = p.parse_args(argv)
    check_model_options(p, args)
    suffix = Path(args.output).suffix.lower()
    if suffix not in FORMATS:
        raise UsageError(PROG, f"OUT must end in .png or .svg, got {args.output!r}")
    check_output(Path(args.data), Path(args.output), PROG)
    dataset, axes = _load(args.data)
    settings, priors = _settings(args, dataset)
    use_offscreen_platform()
    return _render(args, dataset, axes, settings, priors, suffix)


def _load(path: str):
    from gmmviz.core.errors import GmmvizError
    from gmmviz.core.io.points import read_points

    try:
        loaded = read_points(path)
    except GmmvizError as exc:
        raise DataError(PROG, f"{Path(path).name}: {exc}") from None
    ds = loaded.dataset
    if ds.n_features != 2:
        raise DataError(PROG, f"{path}: the posterior map is drawn for two features, the file has {ds.n_features}")
    if len(ds.classes) < 2:
        raise DataError(PROG, f"{path}: no label column with two classes or more (name one label, class or y_true)")
    return ds, loaded.axes


def _settings(args, dataset):
    """ClassifySettings and the priors (of the document's classes) from the options."""
    from gmmviz.cli.classify import _resolve
    from gmmviz.labs.classify.core.frame import ClassifySettings

    names = tuple(c.name for c in dataset.classes)
    k = _resolve(args, names)
    ks = tuple(k[n] for n in names) if isinstance(k, dict) else (k,)
    priors = None if args.priors is None else tuple(args.priors[n] for n in names)
    if priors is not None:
        total = sum(priors)
        priors = tuple(p / total for p in priors)
    settings = ClassifySettings(model=args.model, n_components=ks, covariance_type=args.covariance or "full",
                                reg_covar=args.reg_covar, test_size=args.test_size, seed=args.seed)
    return settings, priors


def _render(args, dataset, axes, settings, priors, suffix: str) -> int:
    from gmmviz.app import make_app, pin_blas_threads
    from gmmviz.cli.headless import quiet_logs, quiet_qt

    pin_blas_threads()
    quiet_qt()
    quiet_logs()
    make_app([PROG])
    from PySide6.QtCore import QSize

    from gmmviz.core.errors import GmmvizError
    from gmmviz.labs.classify.core.document import ClassifyDocument
    from gmmviz.labs.classify.qt.page import ClassifyPage
    from gmmviz.labs.classify.qt.theming import style_page
    from gmmviz.qt.export.images import export_target
    from gmmviz.qt.themes import apply_scale, apply_theme

    page = ClassifyPage(dataset)
    try:
        size = args.size or DEFAULT_SIZE
        page.canvas.set_axis_names(*axes)
        page.reset_document(ClassifyDocument(settings).with_priors(priors, page.present()))
        page.set_contours(args.contours)
        page.canvas.set_ellipses(not args.no_ellipses)
        page.side.hide()
        page.banner.hide()
        page.resize(max(480, round(CANVAS_HEIGHT * size[0] / size[1])), CANVAS_HEIGHT)
        page.show()
        apply_theme(args.theme, page, [lambda th: style_page(page, th)])
        if args.scale != 1.0:
            apply_scale(page, args.scale, rescale=[page.canvas.set_scale])
        page.canvas.fit_view()
        try:
            frame = page.compute_now()
        except GmmvizError as exc:
            raise DataError(PROG, f"{args.data}: {exc}") from None
        try:
            export_target(page, "canvas", args.output, size=QSize(*size))
        except OSError as exc:
            raise DataError(PROG, f"cannot write {args.output!r}: {exc.strerror or exc}") from None
        test = "" if frame.test_scores is None else f", test accuracy {frame.test_scores.accuracy:.3f}"
        print(f"{args.output}: {size[0]} × {size[1]} px, {settings.model}, training accuracy "
              f"{frame.train_scores.accuracy:.3f}{test}")
        return 0
    finally:
        page.shutdown()
        page.close()
        page.deleteLater()
