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
# `dist/gmmviz/gmmviz --version`.  Outputs: build/ and dist/ (gitignored).
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

echo "== summary"
echo "pip install: $((installed - start)) s, pyinstaller: $((built - installed)) s"
du -sh "$DIST/gmmviz" | sed 's/^/bundle size: /'
