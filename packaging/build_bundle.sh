#!/usr/bin/env bash
# Build the PyInstaller one-folder bundle dist/gmmviz/ from a CLEAN venv.
#
#   packaging/build_bundle.sh            # uses python3 from PATH
#   PYTHON=python3.11 packaging/build_bundle.sh
#   BUNDLE_VENV=/tmp/gmmviz-bundle-venv packaging/build_bundle.sh
#
# Steps: create a fresh venv (deleting an old one), `pip install .[bundle]`
# (a normal, non-editable install: resources/ becomes gmmviz/resources),
# run PyInstaller on packaging/gmmviz.spec, then smoke-test
# `dist/gmmviz/gmmviz --version` and a headless `gmmviz render` (PNG, GIF).  Outputs: build/ and dist/ (gitignored).
# Needs a Python built with --enable-shared (pyenv and Debian's are).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
BUNDLE_VENV="${BUNDLE_VENV:-$ROOT/build/bundle-venv}"
DIST="$ROOT/dist"
WORK="$ROOT/build/pyinstaller"

cd "$ROOT"
start=$(date +%s)

echo "== clean virtual environment: $BUNDLE_VENV"
rm -rf "$BUNDLE_VENV"
# setuptools builds in build/lib and would ship files that are stale there.
rm -rf "$ROOT/build/lib" "$ROOT/build/bdist."*
"$PYTHON" -m venv "$BUNDLE_VENV"
"$BUNDLE_VENV/bin/python" -m pip install --quiet --disable-pip-version-check "$ROOT[bundle]"
installed=$(date +%s)

echo "== pyinstaller"
# Run from outside the source tree: the cwd lands on sys.path, and the
# checkout's gmmviz/ (without gmmviz/resources) would shadow the install.
mkdir -p "$WORK"
cd "$WORK"
"$BUNDLE_VENV/bin/python" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath "$DIST" --workpath "$WORK" "$ROOT/packaging/gmmviz.spec"
built=$(date +%s)

cd "$ROOT"
echo "== smoke test"
version=$(QT_QPA_PLATFORM=offscreen "$DIST/gmmviz/gmmviz" --version)
echo "dist/gmmviz/gmmviz --version: $version"
# The GUI code, Qt's offscreen plugin, fonts, scipy and Pillow: a headless
# render with no display at all (render picks the offscreen platform itself).
smoke="$(mktemp -d)"
env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM \
    "$DIST/gmmviz/gmmviz" render "$ROOT/resources/data/faithful.csv" -o "$smoke/faithful.png" --k 2
env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM \
    "$DIST/gmmviz/gmmviz" render "$ROOT/resources/data/faithful.csv" -o "$smoke/faithful.gif" --k 2 \
    --iteration 2 --size 320x180
if "$DIST/gmmviz/gmmviz" render "$smoke/missing.csv" -o "$smoke/x.png" 2>"$smoke/err"; then
    echo "render of a missing file should fail" >&2; exit 1
fi
echo "bad source: $(cat "$smoke/err")"
rm -rf "$smoke"

echo "== summary"
echo "pip install: $((installed - start)) s, pyinstaller: $((built - installed)) s"
du -sh "$DIST/gmmviz" | sed 's/^/bundle size: /'
