"""The graphical-models lab's maths (Qt-free, numpy only; networkx only where imported lazily).

* :mod:`~gmmviz.labs.graphs.core.dag`: the DAG as an immutable value (nodes with a kind,
  edges, plates) and its edits, acyclicity enforced with the cycle named;
* :mod:`~gmmviz.labs.graphs.core.factorisation`: graph → canonical ``P(a)P(b|a)…`` and back,
  with parse errors that point at the character;
* :mod:`~gmmviz.labs.graphs.core.dsep`: d-separation with a path-by-path explanation and the
  independencies a small graph implies;
* :mod:`~gmmviz.labs.graphs.core.discrete`: conditional probability tables, exact inference
  (variable elimination, enumeration), ancestral sampling, the numeric CI check;
* :mod:`~gmmviz.labs.graphs.core.joint`: joint tables of two or three variables;
* :mod:`~gmmviz.labs.graphs.core.examples`: the lecture's models;
* :mod:`~gmmviz.labs.graphs.core.exercises`: random DAGs, the eight exercises, checking;
* :mod:`~gmmviz.labs.graphs.core.model_json`: the MODEL.json format;
* :mod:`~gmmviz.labs.graphs.core.layout`: the layered layout (parents above children).
"""
