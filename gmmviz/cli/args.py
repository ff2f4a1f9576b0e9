"""Argument helpers of the headless commands: the parser, number types, exit statuses.

Exit status: 0 success, 1 bad data (or any other failure), 2 usage error, 130 interrupted.
"""

from __future__ import annotations

import argparse
import math
import sys

EXIT_OK, EXIT_DATA, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


INIT_METHODS = ("kmeans++", "random", "random-resp")


class UsageError(Exception):
    """A bad command line; exit status 2."""

    def __init__(self, prog: str, message: str):
        super().__init__(message)
        self.prog = prog


class DataError(Exception):
    """Bad data or a failed operation; exit status 1."""

    def __init__(self, prog: str, message: str):
        super().__init__(message)
        self.prog = prog


class ParserExit(Exception):
    def __init__(self, status: int):
        super().__init__(status)
        self.status = status


class Parser(argparse.ArgumentParser):
    """argparse that raises instead of printing usage and calling sys.exit."""

    def __init__(self, **kwargs):
        super().__init__(allow_abbrev=False, **kwargs)

    def error(self, message):
        raise UsageError(self.prog, f"{message} (see '{self.prog} --help')")

    def exit(self, status=0, message=None):
        if message:
            self._print_message(message, sys.stderr)
        raise ParserExit(status)


def positive_int(text: str) -> int:
    return int_at_least(text, 1, "an integer >= 1")


def nonneg_int(text: str) -> int:
    return int_at_least(text, 0, "an integer >= 0")


def int_at_least(text: str, minimum: int, what: str, maximum: int | None = None) -> int:
    try:
        value = int(text) if len(text) <= 40 else None
    except ValueError:
        value = None
    if value is None:
        raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}") from None
    if value < minimum or (maximum is not None and value > maximum):
        raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}")
    return value


#: Caps that keep a command finite: initialisations tried, and EM iterations (a session's cap too).
MAX_N_INIT, MAX_ITERATIONS = 1000, 100_000
#: Components and seeds: a session's ranges (the window's model panel).
MAX_K, MAX_SEED = 20, 2**31 - 1


def k_arg(text: str) -> int:
    return int_at_least(text, 1, f"an integer from 1 to {MAX_K}", MAX_K)


def seed_arg(text: str) -> int:
    return int_at_least(text, 0, f"an integer from 0 to {MAX_SEED:,}", MAX_SEED)


def n_init_arg(text: str) -> int:
    return int_at_least(text, 1, f"an integer from 1 to {MAX_N_INIT}", MAX_N_INIT)


def max_iter_arg(text: str) -> int:
    return int_at_least(text, 0, f"an integer from 0 to {MAX_ITERATIONS:,}", MAX_ITERATIONS)


def positive_max_iter_arg(text: str) -> int:
    return int_at_least(text, 1, f"an integer from 1 to {MAX_ITERATIONS:,}", MAX_ITERATIONS)


def float_in(lo: float, hi: float, what: str):
    """An argparse type: a float in [lo, hi], else a message naming ``what``."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not (math.isfinite(value) and lo <= value <= hi):
            raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}")
        return value

    return parse


def columns_arg(text: str) -> tuple[str | int, str | int]:
    parts = [p.strip() for p in text.split(",")]
    if len(parts) != 2 or not all(parts):
        raise argparse.ArgumentTypeError(f"expected two columns X,Y (names or 1-based numbers), got {text!r}")
    if any(p.isdigit() and int(p) < 1 for p in parts) or parts[0] == parts[1]:
        raise argparse.ArgumentTypeError(f"expected two different columns X,Y (names or numbers from 1), got {text!r}")
    return tuple(int(p) if p.isdigit() else p for p in parts)


nonneg_float = float_in(0.0, math.inf, "a finite number >= 0")
positive_float = float_in(math.ulp(0.0), math.inf, "a finite number > 0")
