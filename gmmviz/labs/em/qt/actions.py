"""The EM lab's actions: its View rows, the Data menu and the EM menu.

The window creates them from this table (scoped to the lab: enabled, and
their menus shown, only while the EM studio is the current lab).
"""

from __future__ import annotations

from gmmviz.labs.em.core.presets import PRESETS
from gmmviz.labs.em.core.scenes import SCENES
from gmmviz.qt.actions import ActionSpec

A = ActionSpec
EM_ACTIONS: tuple[ActionSpec, ...] = (
    # View (the studio, gmmviz.labs.em.qt.lab)
    A("sigma1", "1σ ellipse (39.3 %)", "View", ("Alt+1",), "The ellipse holding 39.3 % of a component's mass", checkable=True),
    A("sigma2", "2σ ellipse (86.5 %)", "View", ("Alt+2",), "The ellipse holding 86.5 % of a component's mass", checkable=True),
    A("sigma3", "3σ ellipse (98.9 %)", "View", ("Alt+3",), "The ellipse holding 98.9 % of a component's mass", checkable=True),
    A("hard", "&Hard Assignments", "View", ("H",), "Colour each point by its most responsible component only", checkable=True),
    A("heatmap", "Density &Heatmap", "View", ("D",), "Show ln p(x) under the current parameters", checkable=True),
    A("contours", "Density &Contours", "View", ("C",), "Contours of ln p(x)", checkable=True),
    A("curves_follow", "Curves: &Zoom on Recent Half-steps", "View", ("Z",), "Zoom the curves on the last half-steps up to the one on screen, so the bound touching ln p and the KL gap stay visible late in a run", checkable=True),
    A("curves_whole_run", "Curves: Show the &Whole Run", "View", (), "Draw the half-steps after the one on screen too (off: the curves grow as EM is played)", checkable=True),
    A("present_weights", "Presentation Mode Shows the Mixing &Weights", "View", (), "Keep the mixing-weight bars on screen in presentation mode (the model and class panels still go)", checkable=True),
    A("present_curves", "Presentation Mode Shows the &Curves", "View", (), "Keep ln p and the bound Q + H under the canvas in presentation mode", checkable=True),
    A("formula", "F&ormula Strip", "View", ("Ctrl+Shift+F",), "Show what the half-step on screen computed, with ln p, Q, H and KL", checkable=True),
    # Data (gmmviz.labs.em.qt.sources.controller): it arranges these rows into the Data menu's submenus by prefix
    A("generate", "&Generate from Mixture…", "Data", ("Ctrl+G",), "Define a true mixture (table or dragged ellipses) and sample points from it"),
    *(A(f"preset_{p.key}", p.title, "Data", (), f"Preset: {p.description} ({p.n_points} points, seed {p.seed})") for p in PRESETS),
    A("preset_custom", "Preset with N and Seed…", "Data", (), "Choose a preset, its number of points and its seed"),
    A("dataset_faithful", "Old &Faithful", "Data", (), "272 eruptions of the Old Faithful geyser: duration × waiting time"),
    A("dataset_iris", "&Iris (petal length × petal width)", "Data", (), "Fisher's 150 irises; classes = species"),
    A("dataset_iris_features", "Iris, Choose Features…", "Data", (), "Iris with any two of its four measurements"),
    A("dataset_wine", "&Wine (flavanoids × colour intensity)", "Data", (), "178 wines; classes = cultivar"),
    A("dataset_wine_features", "Wine, Choose Features…", "Data", (), "Wine with any two of its 13 measurements"),
    *(A(f"scene_{s.key.replace('-', '_')}", f"&{i} {s.title}", "Data", (), "Lecture scene: data, model settings and a note") for i, s in enumerate(SCENES, start=1)),
    A("show_truth", "Show &True Mixture", "Data", ("Ctrl+T",), "Draw the mixture the points were sampled from as dashed ellipses", checkable=True),
    A("show_note", "Show Lesson &Note", "Data", (), "Show the lecture scene's note above the canvas", checkable=True),
    # EM
    A("step", "&Step", "EM", (), "Advance one half-step (the label says which)", "SP_ArrowRight"),
    A("e_step", "&E-step", "EM", ("E",), "Compute the responsibilities r_tk = P(z_t = k | x_t, θ)"),
    A("m_step", "&M-step", "EM", ("M",), "Re-estimate weights, means and covariances from the responsibilities"),
    A("full_step", "&Full Step (E then M)", "EM", ("Right",), "One whole EM iteration", "SP_MediaSkipForward"),
    A("play", "&Play / Pause", "EM", ("Space",), "Play the run at the chosen speed, or pause it", "SP_MediaPlay", True),
    A("back", "Step &Back", "EM", ("Left",), "Show the previous half-step", "SP_MediaSeekBackward"),
    A("first", "F&irst Half-step", "EM", ("Home",), "Back to the initialisation", "SP_MediaSkipBackward"),
    A("last", "&Last Half-step", "EM", ("End",), "The last half-step computed so far", "SP_MediaSkipForward"),
    A("converge", "Run to &Convergence", "EM", ("Ctrl+Right",), "Jump to the end of the run", "SP_DialogApplyButton"),
    A("reset", "&Reset (New Initialisation)", "EM", ("R",), "Start again from a new random initialisation", "SP_BrowserReload"),
    A("faster", "Faster", "EM", ("]",), "Play faster"),
    A("slower", "Slower", "EM", ("[",), "Play slower"),
)
