"""Desktop integration: packaging files, icons and the launcher installer.

The validator tests need ``desktop-file-validate`` (Debian package
``desktop-file-utils``) and ``appstreamcli`` (package ``appstream``); they
skip with a reason naming the package when the command is missing.  No Qt
is needed anywhere in this module.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from gmmviz.cli import desktop
from gmmviz.cli.desktop import (
    APP_ID,
    ICON_SIZES,
    default_data_home,
    desktop_entry_text,
    install_desktop,
    installed_paths,
    launch_command,
    uninstall_desktop,
)

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
RESOURCES = ROOT / "resources"
DESKTOP_FILE = PACKAGING / f"{APP_ID}.desktop"
METAINFO_FILE = PACKAGING / f"{APP_ID}.metainfo.xml"
SVG_NS = "{http://www.w3.org/2000/svg}"

needs_desktop_validate = pytest.mark.skipif(
    shutil.which("desktop-file-validate") is None,
    reason="desktop-file-validate not installed (apt-get install desktop-file-utils)",
)
needs_appstreamcli = pytest.mark.skipif(
    shutil.which("appstreamcli") is None,
    reason="appstreamcli not installed (apt-get install appstream)",
)


def _validate_desktop(path: Path) -> None:
    result = subprocess.run(
        ["desktop-file-validate", str(path)], capture_output=True, text=True, check=False
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "error:" not in output and "warning:" not in output, output


def _validate_metainfo(path: Path) -> None:
    result = subprocess.run(
        ["appstreamcli", "validate", "--no-net", "--no-color", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    # Infos (e.g. appstream 0.16 not knowing <developer>) are fine;
    # errors and warnings are not.
    bad = [line for line in output.splitlines() if line.startswith(("E:", "W:"))]
    assert not bad, output


def _desktop_keys(text: str) -> dict[str, str]:
    """Keys of the [Desktop Entry] group (no localised keys needed here)."""
    keys, group = {}, None
    for line in text.splitlines():
        if line.startswith("["):
            group = line.strip("[]")
        elif group == "Desktop Entry" and "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            keys[key.strip()] = value
    return keys


def _exec_argv(exec_value: str) -> list[str]:
    """Split an Exec= value as the Desktop Entry spec says.

    First the ``string`` escapes (``\\\\`` is one backslash), then the
    Exec quoting: arguments are separated by spaces; inside double quotes a
    backslash escapes one of ``"`$\\``; ``%%`` is a literal percent.
    """
    value = exec_value.replace("\\\\", "\\")
    argv, current, quoted, started, i = [], [], False, False, 0
    while i < len(value):
        ch = value[i]
        if quoted and ch == "\\" and i + 1 < len(value) and value[i + 1] in '"`$\\':
            current.append(value[i + 1])
            i += 1
        elif ch == '"':
            quoted, started = not quoted, True
        elif ch == " " and not quoted:
            if started or current:
                argv.append("".join(current))
            current, started = [], False
        else:
            current.append(ch)
        i += 1
    assert not quoted, f"unterminated quote in {exec_value!r}"
    if started or current:
        argv.append("".join(current))
    return [arg.replace("%%", "%") for arg in argv]


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    assert header[12:16] == b"IHDR", f"{path} has no IHDR first"
    return struct.unpack(">II", header[16:24])


# --- packaging sources -------------------------------------------------------


@pytest.mark.parametrize("name", [DESKTOP_FILE.name, METAINFO_FILE.name])
def test_packaged_copy_matches_packaging_source(name):
    """resources/desktop/ must be a copy of packaging/ (run make_icons.py)."""
    source = (PACKAGING / name).read_bytes()
    copy = (RESOURCES / "desktop" / name).read_bytes()
    assert copy == source, (
        f"resources/desktop/{name} differs from packaging/{name}; "
        "run: python packaging/make_icons.py"
    )


@needs_desktop_validate
def test_desktop_file_validates():
    _validate_desktop(DESKTOP_FILE)


@needs_appstreamcli
def test_metainfo_validates():
    _validate_metainfo(METAINFO_FILE)


def test_desktop_file_has_required_keys():
    keys = _desktop_keys(DESKTOP_FILE.read_text(encoding="utf-8"))
    assert keys["Type"] == "Application"
    assert keys["Name"] == "gmmviz"
    assert keys["Icon"] == APP_ID
    assert keys["Exec"] == "gmmviz %F"
    assert keys["Terminal"] == "false"
    assert "Education" in keys["Categories"].split(";")


def test_metainfo_content():
    root = ET.parse(METAINFO_FILE).getroot()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.find("launchable").text == f"{APP_ID}.desktop"
    assert root.find("provides/binary").text == "gmmviz"
    assert root.find("content_rating").get("type") == "oars-1.1"
    release = root.find("releases/release")
    assert (release.get("version"), release.get("date")) == ("0.1.0", "2026-11-25")
    description = " ".join(root.find("description").itertext())
    for topic in ("ancestral sampling", "responsibilities", "Q + H", "density estimation"):
        assert topic in description


def test_metainfo_release_matches_package_version():
    import gmmviz

    versions = [r.get("version") for r in ET.parse(METAINFO_FILE).iter("release")]
    assert gmmviz.__version__ in versions


# --- icons -------------------------------------------------------------------


def test_svg_is_plain_self_contained_xml():
    root = ET.parse(RESOURCES / "icons" / "gmmviz.svg").getroot()
    assert root.tag == f"{SVG_NS}svg"
    assert root.get("viewBox") == "0 0 256 256"
    tags = {element.tag.removeprefix(SVG_NS) for element in root.iter()}
    assert not tags & {"image", "text", "use", "style", "script", "foreignObject"}
    for element in root.iter():
        for name, value in element.attrib.items():
            assert "href" not in name and "url(" not in value, (element.tag, name)


@pytest.mark.parametrize("size", ICON_SIZES)
def test_icon_png_has_the_size_its_name_claims(size):
    assert _png_size(RESOURCES / "icons" / f"gmmviz-{size}.png") == (size, size)


def test_icon_pngs_are_small():
    total = sum((RESOURCES / "icons" / f"gmmviz-{n}.png").stat().st_size for n in ICON_SIZES)
    assert total < 300_000


# --- launch_command ------------------------------------------------------------


def test_launch_command_prefers_script_beside_interpreter(tmp_path, monkeypatch):
    python = tmp_path / "bin" / "python"
    python.parent.mkdir()
    script = python.parent / "gmmviz"
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(python))
    assert launch_command() == [str(script)]


def test_launch_command_falls_back_to_python_m(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    monkeypatch.setattr(desktop.shutil, "which", lambda name: None)
    assert launch_command() == [str(tmp_path / "python"), "-m", "gmmviz"]


def test_launch_command_in_frozen_bundle_is_the_bundle(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "executable", str(tmp_path / "gmmviz"))
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert launch_command() == [str(tmp_path / "gmmviz")]


def test_exec_quoting_round_trips_awkward_paths():
    program = '/opt/my apps/gm"m$viz`100%\\x'
    keys = _desktop_keys(desktop_entry_text([program, "-m", "gmmviz"]))
    assert _exec_argv(keys["Exec"]) == [program, "-m", "gmmviz", "%F"]
    assert keys["TryExec"].replace("\\\\", "\\") == program


def test_try_exec_is_added_when_template_lacks_it():
    template = "[Desktop Entry]\nType=Application\nName=x\nExec=x\n"
    keys = _desktop_keys(desktop_entry_text(["/usr/bin/x"], template))
    assert keys["Exec"] == "/usr/bin/x %F"
    assert keys["TryExec"] == "/usr/bin/x"


# --- install / uninstall -------------------------------------------------------


def test_default_data_home_follows_xdg(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_data_home() == tmp_path
    monkeypatch.setenv("XDG_DATA_HOME", "relative/path")
    assert default_data_home() == Path.home() / ".local" / "share"
    monkeypatch.delenv("XDG_DATA_HOME")
    assert default_data_home() == Path.home() / ".local" / "share"


def test_install_writes_every_file_where_the_specs_say(tmp_path):
    written = install_desktop(tmp_path)
    assert written == installed_paths(tmp_path)
    assert all(path.is_file() for path in written)
    hicolor = tmp_path / "icons" / "hicolor"
    for size in ICON_SIZES:
        assert _png_size(hicolor / f"{size}x{size}" / "apps" / f"{APP_ID}.png") == (size, size)
    assert (hicolor / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
    assert (tmp_path / "metainfo" / f"{APP_ID}.metainfo.xml").read_bytes() == (
        METAINFO_FILE.read_bytes()
    )


def test_installed_exec_points_at_an_existing_executable(tmp_path):
    install_desktop(tmp_path)
    keys = _desktop_keys((tmp_path / "applications" / f"{APP_ID}.desktop").read_text())
    argv = _exec_argv(keys["Exec"])
    program = Path(argv[0])
    assert program.is_absolute() and program.is_file(), argv
    assert os.access(program, os.X_OK), argv
    assert argv[-1] == "%F"
    assert keys["TryExec"] == argv[0]
    assert keys["Icon"] == APP_ID


def test_install_with_explicit_executable(tmp_path):
    install_desktop(tmp_path, executable=Path("/opt/gmm viz/bin/gmmviz"))
    keys = _desktop_keys((tmp_path / "applications" / f"{APP_ID}.desktop").read_text())
    assert keys["Exec"] == '"/opt/gmm viz/bin/gmmviz" %F'


@needs_desktop_validate
def test_installed_desktop_file_validates(tmp_path):
    install_desktop(tmp_path, executable=Path("/opt/gmm viz/bin/gmmviz"))
    _validate_desktop(tmp_path / "applications" / f"{APP_ID}.desktop")
    install_desktop(tmp_path)
    _validate_desktop(tmp_path / "applications" / f"{APP_ID}.desktop")


@needs_appstreamcli
def test_installed_metainfo_validates(tmp_path):
    install_desktop(tmp_path)
    _validate_metainfo(tmp_path / "metainfo" / f"{APP_ID}.metainfo.xml")


def test_install_twice_is_harmless(tmp_path):
    first = install_desktop(tmp_path)
    assert install_desktop(tmp_path) == first
    leftovers = [p for p in tmp_path.rglob(".*.tmp")]
    assert leftovers == []


def test_uninstall_removes_exactly_what_install_wrote(tmp_path):
    other = tmp_path / "applications" / "other-app.desktop"
    other.parent.mkdir(parents=True)
    other.write_text("[Desktop Entry]\n")
    written = install_desktop(tmp_path)
    removed = uninstall_desktop(tmp_path)
    assert removed == written
    assert not any(path.exists() for path in written)
    assert other.read_text() == "[Desktop Entry]\n"
    assert not (tmp_path / "icons").exists(), "empty icon folders should be pruned"
    assert tmp_path.is_dir()
    assert uninstall_desktop(tmp_path) == []


def test_install_defaults_to_xdg_data_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    written = install_desktop()
    assert all(tmp_path in path.parents for path in written)
    assert uninstall_desktop() == written


def test_desktop_module_does_not_import_qt():
    code = (
        "import sys, gmmviz.cli.desktop; "
        "bad = [m for m in ('PySide6', 'shiboken6', 'pyqtgraph', 'gmmviz.qt') if m in sys.modules]; "
        "print(*bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
