"""Entry script of the PyInstaller bundle: the same as the ``gmmviz`` command."""

import sys

from gmmviz.cli import main

if __name__ == "__main__":
    sys.exit(main())
