"""Test configuration shared by every tier.

Qt must never try to open a real display in tests: the platform plugin is
chosen here, before anything imports PySide6.
"""

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
# Keep QSettings and recovery files of tests away from the user's.
os.environ.setdefault("GMMVIZ_TEST", "1")
