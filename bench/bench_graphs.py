"""The graphical-models lab's speed, with networkx's ``is_d_separator`` as the baseline, in one process.

1. d-separation **with every path explained** (each triple classified, the blocking
   node and rule) on random 30-node DAGs (about 1.5 parents per node, random X, Y and Z
   of 1–3 nodes): target <= 50 ms per question; the yes/no answer alone (our Bayes-ball)
   and ``networkx.is_d_separator`` (yes/no only) on the same questions.
2. Exact inference P(query | evidence) by variable elimination on each lecture example
   with tables: target <= 5 ms.

3. With ``--canvas``: dragging a node of a 30-node graph on the lab's canvas (offscreen Qt):
   mouse moves each followed by a synchronous repaint of the view, target <= 16.7 ms (60 fps).

Every figure is the best of several repeats (median in brackets).

Run:  python bench/bench_graphs.py [--quick] [--canvas]
"""

from __future__ import annotations  # noqa: I001  (gmmviz first: it pins BLAS threads before numpy)

import argparse
import time

import gmmviz  # noqa: F401
import networkx as nx
import numpy as np

from gmmviz.labs.graphs.core.dag import DAG
from gmmviz.labs.graphs.core.discrete import posterior
from gmmviz.labs.graphs.core.dsep import explain, is_independent
from gmmviz.labs.graphs.core.examples import examples
from timing import timed  # noqa: E402 (bench/ is on sys.path when a script runs)


def random_dag(rng, n: int, mean_parents: float) -> DAG:
    names = [f"x{i}" for i in range(1, n + 1)]
    edges = []
    for j in range(1, n):
        k = min(j, rng.poisson(mean_parents))
        edges += [(names[i], names[j]) for i in rng.choice(j, size=k, replace=False)]
    return DAG.from_edges(names, edges)


def questions(rng, n_graphs: int, n: int = 30):
    out = []
    for _ in range(n_graphs):
        dag = random_dag(rng, n, 1.5)
        perm = list(rng.permutation(dag.names))
        nx_, ny_, nz = (int(v) for v in rng.integers(1, 4, 3))
        out.append((dag, perm[:nx_], perm[nx_:nx_ + ny_], perm[nx_ + ny_:nx_ + ny_ + nz]))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--canvas", action="store_true", help="also time dragging on the Qt canvas (offscreen)")
    args = ap.parse_args()
    repeats = 3 if args.quick else 7
    rng = np.random.default_rng(0)
    qs = questions(rng, 20 if args.quick else 100)
    graphs = [(dag.to_networkx(), x, y, z) for dag, x, y, z in qs]
    explained = [explain(d, x, y, z) for d, x, y, z in qs]
    agree = all(e.independent == nx.is_d_separator(g, set(x), set(y), set(z))
                for e, (g, x, y, z) in zip(explained, graphs))
    n_paths = [len(e.paths) for e in explained]
    per_q = [timed(lambda q=q: explain(*q), repeats) for q in qs]
    worst = max(b for b, _ in per_q)
    mean_explain = float(np.mean([b for b, _ in per_q]))
    ours, ours_med = timed(lambda: [is_independent(*q) for q in qs], repeats)
    base, base_med = timed(lambda: [nx.is_d_separator(g, set(x), set(y), set(z)) for g, x, y, z in graphs], repeats)
    # networkx with the graph built from our DAG each time, as the lab would have to
    base2, _ = timed(lambda: [nx.is_d_separator(d.to_networkx(), set(x), set(y), set(z)) for d, x, y, z in qs],
                     repeats)
    n = len(qs)
    print(f"1. d-separation on {n} random 30-node DAGs ({np.mean([len(d.edges) for d, *_ in qs]):.0f} edges "
          f"on average); answers agree with networkx: {agree}")
    print(f"   explain (every path, triples, rules): mean {1e3 * mean_explain:.2f} ms, worst "
          f"{1e3 * worst:.2f} ms per question (target <= 50 ms); paths listed: median "
          f"{int(np.median(n_paths))}, max {max(n_paths)}, truncated {sum(e.truncated for e in explained)}")
    print(f"   yes/no only, ours (Bayes ball): {1e6 * ours / n:.1f} us [{1e6 * ours_med / n:.1f}] per question")
    print(f"   networkx.is_d_separator:       {1e6 * base / n:.1f} us [{1e6 * base_med / n:.1f}] per question "
          f"(ratio ours/networkx {ours / base:.2f}); with the DiGraph built each time "
          f"{1e6 * base2 / n:.1f} us (ratio {ours / base2:.2f})")
    print(f"   explain vs networkx's yes/no: {mean_explain / (base / n):.1f}x the time for the full explanation")
    print("2. exact inference by variable elimination on the lecture's examples (target <= 5 ms):")
    for e in examples().values():
        if not e.has_tables:
            continue
        z = e.ask[2]
        evidence = dict(e.evidence) or {v: e.model.states[v][0] for v in z}
        q = next(v for v in e.dag.names if v not in evidence)
        best, med = timed(lambda m=e.model, q=q, ev=evidence: posterior(m, q, ev), repeats * 20)
        print(f"   {e.key:16s} P({q} | {', '.join(f'{k}={v}' for k, v in evidence.items())}): "
              f"{1e3 * best:.3f} ms [{1e3 * med:.3f}]")
    if args.canvas:
        canvas(rng, 100 if args.quick else 300)


def canvas(rng, moves: int) -> None:
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtTest import QTest

    from gmmviz.app import make_app
    from gmmviz.labs.graphs.core.discrete import DiscreteModel
    from gmmviz.labs.graphs.qt.page import GraphPage

    make_app()
    page = GraphPage()
    page.resize(1280, 800)
    page.show()
    dag = random_dag(rng, 30, 1.5)
    page.load(DiscreteModel(dag), text="bench")
    page.tabs.setCurrentIndex(1)  # marginals drawn on every node
    name = dag.names[len(dag.names) // 2]
    vp = page.view.viewport()
    start = page.view.mapFromScene(QPointF(*page.doc.position(name)))
    QTest.mousePress(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    times, seen = [], set()
    item = page.scene.nodes[name]
    for i in range(moves):
        t0 = time.perf_counter()
        QTest.mouseMove(vp, start + QPoint(int(80 * np.sin(i / 9)) + 3, int(40 * np.cos(i / 7))))
        page.view.grab()  # paints the whole view now, as the screen would
        times.append(time.perf_counter() - t0)
        seen.add((round(item.pos().x()), round(item.pos().y())))
    QTest.mouseRelease(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start + QPoint(5, 5))
    assert len(seen) > moves // 4, "the node did not follow the mouse"
    t = np.array(times[5:]) * 1e3
    print(f"3. dragging a node of a 30-node graph ({len(dag.edges)} edges, marginal bars on): per move + repaint "
          f"median {np.median(t):.2f} ms, 95th percentile {np.percentile(t, 95):.2f} ms (target <= 16.7 ms)")
    page.close()


if __name__ == "__main__":
    main()
