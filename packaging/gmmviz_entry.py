"""Entry script of the PyInstaller bundle: the same as the ``gmmviz`` command."""

import multiprocessing
import sys

from gmmviz.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # the classification lab's Compare runs the student's code in a child
    sys.exit(main())
