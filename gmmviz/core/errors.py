"""The one error family that gmmviz raises for bad input.

Every check at a boundary (data, options, parameters, files) raises a
:class:`GmmvizError` whose message names the bad value and what was
expected, so the window and the command line can show it as it is.
"""

from __future__ import annotations


class GmmvizError(ValueError):
    """Bad input to gmmviz: the message says what was wrong and what to do."""


class FileFormatError(GmmvizError):
    """A file that gmmviz refuses whole; the message names the line or field."""


class OptionError(FileFormatError):
    """An option the caller chose does not fit the input (``columns`` names no column of the
    file): a usage error, exit status 2 on the command line, whatever the file holds."""
