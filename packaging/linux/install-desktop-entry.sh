#!/usr/bin/env bash
# Adds a built bundle to the desktop for the current user: launcher entry, icons,
# AppStream metadata, and `lambda-workbench` on PATH (~/.local/bin).
# Usage: packaging/linux/install-desktop-entry.sh [BUNDLE_DIR]   (default: dist/lambda-workbench)
set -euo pipefail
bundle="$(cd "${1:-dist/lambda-workbench}" && pwd)"
if [[ ! -x "$bundle/lambda-workbench" || ! -d "$bundle/share" ]]; then
    echo "install-desktop-entry: $bundle is not a built bundle; run 'make dist' first." >&2
    exit 2
fi
data="${XDG_DATA_HOME:-$HOME/.local/share}"
mkdir -p "$data" "$HOME/.local/bin"
cp -r "$bundle/share/." "$data/"
ln -sf "$bundle/lambda-workbench" "$HOME/.local/bin/lambda-workbench"
# Refresh the caches when the tools are there (not every desktop has them).
command -v update-desktop-database >/dev/null && update-desktop-database "$data/applications" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$data/icons/hicolor" || true
echo "Installed: $data/applications/io.github.lambdaworkbench.LambdaWorkbench.desktop -> $bundle"
