#!/usr/bin/env bash
# Checks a built desktop bundle from outside the checkout: it starts (--version),
# runs the bundled example with the process runner, and opens the window on the
# example offscreen, saving a screenshot that must be a real PNG.
# Usage: packaging/check_bundle.sh [BUNDLE_DIR]   (default: dist/lambda-workbench)
set -euo pipefail
bundle="$(cd "${1:-dist/lambda-workbench}" && pwd)"
exe="$bundle/lambda-workbench"
[[ -x "$exe" ]] || exe="$bundle/Contents/MacOS/lambda-workbench"   # macOS .app
[[ -x "$exe" ]] || { echo "check_bundle: no lambda-workbench executable in $bundle; run 'make dist'." >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"   # nothing may depend on the checkout
export QT_QPA_PLATFORM=offscreen
export LAMBDA_WORKBENCH_CONFIG_DIR="$work/config" LAMBDA_WORKBENCH_DATA_DIR="$work/data"
export LAMBDA_WORKBENCH_CACHE_DIR="$work/cache"
fail() { echo "check_bundle: FAILED: $*" >&2; exit 1; }

echo "== version"
"$exe" --version | tee version.txt
grep -q '^lambda-workbench [0-9]' version.txt || fail "--version printed no version"

# The example the bundle ships, copied so the check never writes into the bundle.
shipped="$(find "$bundle" -type d -path '*workbench/_data/examples/hello-python' | head -n 1)"
[[ -n "$shipped" ]] || fail "the bundled example (workbench/_data/examples/hello-python) is missing"
cp -r "$shipped" "$work/hello-python"

echo "== invoke (process runner)"
"$exe" invoke "$work/hello-python" --runner process --output json \
    --event "$work/hello-python/events/hello-python/hello.json" > invoke.json \
    || fail "invoke exited with status $?: $(cat invoke.json)"
grep -q '"error": null' invoke.json || fail "the example's invoke failed: $(cat invoke.json)"
grep -q 'Hello, Lambda Workbench!' invoke.json || fail "unexpected invoke result: $(cat invoke.json)"
echo "ok: $(grep -o '"durationMs": [0-9.]*' invoke.json)"

echo "== window screenshot (offscreen)"
start="${EPOCHREALTIME:-$(date +%s)}"
timeout 120 "$exe" "$work/hello-python" --screenshot "$work/window.png" \
    || fail "the window exited with status $?"
end="${EPOCHREALTIME:-$(date +%s)}"
[[ -s window.png ]] || fail "no screenshot was written"
[[ "$(head -c 8 window.png | od -An -tx1 | tr -d ' \n')" == "89504e470d0a1a0a" ]] \
    || fail "window.png is not a PNG"
# Width and height are the big-endian numbers at bytes 16..23 of a PNG.
read -r width height < <(od -An -tu1 -j16 -N8 window.png \
    | awk '{print $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8}')
(( width >= 400 && height >= 300 )) || fail "the screenshot is only ${width}x${height}"
cp window.png "$bundle/../check-screenshot.png"
printf 'ok: %sx%s PNG in %.1f s, copied to %s\n' "$width" "$height" "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')" \
    "$(cd "$bundle/.." && pwd)/check-screenshot.png"
echo "check_bundle: all checks passed for $bundle"
