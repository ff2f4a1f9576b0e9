"""Register gmmviz with the desktop: launcher, icons and AppStream metainfo.

``pip install`` cannot put a launcher into the application menu (and for a
virtual environment it must not: the menu entry has to name the
environment's own ``gmmviz``).  :func:`install_desktop` therefore copies the
packaged freedesktop files into the user's data directory, following the
XDG base-directory and icon-theme specifications::

    <data_home>/applications/org.gmmviz.GmmViz.desktop        (Exec= absolute)
    <data_home>/icons/hicolor/<n>x<n>/apps/org.gmmviz.GmmViz.png
    <data_home>/icons/hicolor/scalable/apps/org.gmmviz.GmmViz.svg
    <data_home>/metainfo/org.gmmviz.GmmViz.metainfo.xml

and :func:`uninstall_desktop` removes exactly those files.  The sources are
read through :mod:`gmmviz.core.resources`, so this works from a checkout, a
wheel and a PyInstaller bundle.  This module never imports Qt.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from gmmviz.core.resources import resource

__all__ = [
    "APP_ID",
    "ICON_SIZES",
    "default_data_home",
    "desktop_entry_text",
    "install_desktop",
    "installed_paths",
    "launch_command",
    "uninstall_desktop",
]

#: Reverse-DNS application id: names the .desktop file, icon and metainfo.
APP_ID = "org.gmmviz.GmmViz"
#: Pixel sizes of the bundled PNG icons (``resources/icons/gmmviz-<n>.png``).
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)

_DESKTOP_NAME = f"{APP_ID}.desktop"
_METAINFO_NAME = f"{APP_ID}.metainfo.xml"
# Characters that force quoting of an Exec argument (Desktop Entry spec,
# "The Exec key").
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")
_CACHE_TIMEOUT_S = 20


def default_data_home() -> Path:
    """The user's XDG data directory.

    Returns
    -------
    Path
        ``$XDG_DATA_HOME`` if it is set to an absolute path (the XDG spec
        says to ignore a relative one), else ``~/.local/share``.
    """
    env = os.environ.get("XDG_DATA_HOME", "")
    if env and Path(env).is_absolute():
        return Path(env)
    return Path.home() / ".local" / "share"


def launch_command(executable: Path | None = None) -> list[str]:
    """The absolute command that starts this environment's gmmviz.

    Parameters
    ----------
    executable : Path, optional
        Use this program instead of searching (made absolute).

    Returns
    -------
    list of str
        In order of preference: ``executable``; the running program itself
        in a frozen (PyInstaller) bundle; the ``gmmviz`` script next to
        :data:`sys.executable` (the current virtual environment);
        ``shutil.which("gmmviz")``; else ``[sys.executable, "-m", "gmmviz"]``.
    """
    if executable is not None:
        return [str(Path(executable).absolute())]
    if getattr(sys, "frozen", False):
        return [str(Path(sys.executable).absolute())]
    beside = Path(sys.executable).parent / "gmmviz"
    if beside.is_file() and os.access(beside, os.X_OK):
        return [str(beside.absolute())]
    found = shutil.which("gmmviz")
    if found:
        return [str(Path(found).absolute())]
    return [str(Path(sys.executable).absolute()), "-m", "gmmviz"]


def _quote_exec_arg(arg: str) -> str:
    """Quote one Exec argument as the Desktop Entry spec requires."""
    arg = arg.replace("%", "%%")
    if any(ch in _RESERVED for ch in arg):
        escaped = "".join("\\" + ch if ch in '"`$\\' else ch for ch in arg)
        arg = f'"{escaped}"'
    return _escape_string(arg)


def _escape_string(value: str) -> str:
    """Apply the ``string`` value escapes (backslash, newline, tab)."""
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")


def desktop_entry_text(command: list[str], template: str | None = None) -> str:
    """The packaged desktop entry with ``Exec=`` and ``TryExec=`` rewritten.

    Parameters
    ----------
    command : list of str
        Absolute program and fixed arguments, as from :func:`launch_command`.
        ``%F`` (the files to open) is appended to ``Exec=``.
    template : str, optional
        The desktop entry to rewrite; defaults to the packaged one.

    Returns
    -------
    str
        The rewritten desktop entry.  ``TryExec=`` names ``command[0]``, so
        the menu hides the launcher once that environment is deleted.
    """
    if template is None:
        template = resource("desktop", _DESKTOP_NAME).read_text(encoding="utf-8")
    exec_line = "Exec=" + " ".join(_quote_exec_arg(a) for a in command) + " %F"
    try_exec_line = "TryExec=" + _escape_string(command[0])
    out: list[str] = []
    group = None
    exec_index = try_exec_index = None
    for line in template.splitlines():
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            group = stripped[1:-1]
        elif group == "Desktop Entry" and stripped.startswith("Exec="):
            line, exec_index = exec_line, len(out)
        elif group == "Desktop Entry" and stripped.startswith("TryExec="):
            line, try_exec_index = try_exec_line, len(out)
        out.append(line)
    if exec_index is None:
        raise ValueError("the desktop entry template has no Exec= key")
    if try_exec_index is None:
        out.insert(exec_index, try_exec_line)
    return "\n".join(out) + "\n"


def installed_paths(data_home: Path | None = None) -> list[Path]:
    """Every file :func:`install_desktop` writes under ``data_home``.

    Parameters
    ----------
    data_home : Path, optional
        Defaults to :func:`default_data_home`.

    Returns
    -------
    list of Path
        Desktop entry, PNG icons (one per :data:`ICON_SIZES`), SVG icon and
        metainfo, in that order.
    """
    home = Path(data_home) if data_home is not None else default_data_home()
    hicolor = home / "icons" / "hicolor"
    paths = [home / "applications" / _DESKTOP_NAME]
    paths += [hicolor / f"{n}x{n}" / "apps" / f"{APP_ID}.png" for n in ICON_SIZES]
    paths.append(hicolor / "scalable" / "apps" / f"{APP_ID}.svg")
    paths.append(home / "metainfo" / _METAINFO_NAME)
    return paths


def _sources() -> list[bytes | None]:
    """Packaged contents matching :func:`installed_paths` (None: generated)."""
    icons = [resource("icons", f"gmmviz-{n}.png").read_bytes() for n in ICON_SIZES]
    svg = resource("icons", "gmmviz.svg").read_bytes()
    metainfo = resource("desktop", _METAINFO_NAME).read_bytes()
    return [None, *icons, svg, metainfo]


def install_desktop(
    data_home: Path | None = None, *, executable: Path | None = None
) -> list[Path]:
    """Install the launcher, icons and metainfo for the current user.

    Parameters
    ----------
    data_home : Path, optional
        Root to install under; defaults to ``$XDG_DATA_HOME`` or
        ``~/.local/share``.
    executable : Path, optional
        Program for ``Exec=``; by default the one :func:`launch_command`
        finds for the running environment.

    Returns
    -------
    list of Path
        The files written (the same list as :func:`installed_paths`).

    Notes
    -----
    Afterwards ``update-desktop-database`` and ``gtk-update-icon-cache``
    are run when present; their failures are ignored (the files are
    correct without them, menus just refresh later).
    """
    paths = installed_paths(data_home)
    command = launch_command(executable)
    for path, content in zip(paths, _sources(), strict=True):
        path.parent.mkdir(parents=True, exist_ok=True)
        if content is None:
            _write_atomic(path, desktop_entry_text(command).encode("utf-8"))
        else:
            _write_atomic(path, content)
    _refresh_caches(paths[0].parent.parent)
    return paths


def uninstall_desktop(data_home: Path | None = None) -> list[Path]:
    """Remove what :func:`install_desktop` wrote, and nothing else.

    Parameters
    ----------
    data_home : Path, optional
        Same meaning as for :func:`install_desktop`.

    Returns
    -------
    list of Path
        The files that existed and were removed.  Directories left empty
        by the removal are pruned (never ``data_home`` itself).
    """
    home = Path(data_home) if data_home is not None else default_data_home()
    removed = []
    for path in installed_paths(home):
        if path.is_file() or path.is_symlink():
            path.unlink()
            removed.append(path)
            _prune_empty_parents(path.parent, home)
    _refresh_caches(home)
    return removed


def _write_atomic(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` via a temporary file and a rename."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(content)
    tmp.chmod(0o644)
    os.replace(tmp, path)


def _prune_empty_parents(directory: Path, stop: Path) -> None:
    """Remove ``directory`` and its parents while empty, below ``stop``."""
    stop = stop.absolute()
    directory = directory.absolute()
    while directory != stop and stop in directory.parents:
        try:
            directory.rmdir()
        except OSError:
            return
        directory = directory.parent


def _refresh_caches(data_home: Path) -> None:
    """Run the desktop-database and icon-cache tools, ignoring failures.

    The icon cache is only updated where one already exists: creating a
    fresh ``icon-theme.cache`` in a user's ``hicolor`` folder would hide
    icons that other programs later add without updating it.
    """
    applications = data_home / "applications"
    hicolor = data_home / "icons" / "hicolor"
    commands = []
    if applications.is_dir():
        commands.append(["update-desktop-database", "-q", str(applications)])
    if (hicolor / "icon-theme.cache").exists():
        commands.append(["gtk-update-icon-cache", "-q", "-t", "-f", str(hicolor)])
    elif hicolor.is_dir():
        os.utime(hicolor)  # lets icon loaders notice the change
    for command in commands:
        if shutil.which(command[0]) is None:
            continue
        try:
            subprocess.run(
                command,
                check=False,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=_CACHE_TIMEOUT_S,
            )
        except (OSError, subprocess.SubprocessError):
            pass
