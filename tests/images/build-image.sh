#!/usr/bin/env bash
# Builds a Lambda-compatible Python 3.11 image without any registry access:
# debootstrap (Debian bookworm, mirror from this machine's apt sources) + AWS's
# awslambdaric from PyPI wheels + an entrypoint that behaves like the official one.
# Usage: tests/images/build-image.sh [--force]   (env LAMBDA_WORKBENCH_TEST_IMAGE = tag)
set -euo pipefail

TAG="${LAMBDA_WORKBENCH_TEST_IMAGE:-lambda-workbench-test/python:3.11}"
SUITE=bookworm
PY_VERSION=3.11
RIC_VERSION=4.2.2
PIP_VERSION=24.2
PACKAGES="python3-minimal,libpython3.11-stdlib,libstdc++6,ca-certificates"
HERE="$(cd "$(dirname "$0")" && pwd)"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/lambda-workbench-test-image"
HOST_PIP="${HOST_PIP:-}"

say() { echo "build-image: $*" >&2; }
die() { say "$*"; exit 1; }

if [[ "${1:-}" != "--force" ]] && docker image inspect "$TAG" >/dev/null 2>&1; then
    say "image $TAG already present; reusing it (pass --force to rebuild)"
    exit 0
fi
[[ "$(id -u)" == 0 ]] || die "debootstrap needs root; run this script as root."
command -v debootstrap >/dev/null || die "debootstrap is missing; install it with 'apt-get install -y debootstrap'."

# The Debian mirror this machine already uses (never a hard-coded host).
mirror_from_sources() {
    local f
    for f in /etc/apt/sources.list.d/*.sources; do
        [[ -f "$f" ]] || continue
        # deb822: blank-line separated stanzas; take URIs of a stanza whose Suites has "$SUITE".
        awk -v suite="$SUITE" '
            BEGIN { RS=""; FS="\n" }
            {
                uris=""; ok=0; deb=0
                for (i = 1; i <= NF; i++) {
                    if ($i ~ /^URIs:/) { sub(/^URIs:[ \t]*/, "", $i); split($i, u, /[ \t]+/); uris=u[1] }
                    if ($i ~ /^Suites:/) { n=split($i, s, /[ \t]+/); for (j = 2; j <= n; j++) if (s[j] == suite) ok=1 }
                    if ($i ~ /^Types:/ && $i ~ /(^|[ \t])deb([ \t]|$)/) deb=1
                }
                if (ok && deb && uris != "") { print uris; exit }
            }' "$f"
    done
    if [[ -f /etc/apt/sources.list ]]; then
        sed -E 's/\[[^]]*\]//' /etc/apt/sources.list |
            awk -v suite="$SUITE" '$1 == "deb" && $3 == suite { print $2; exit }'
    fi
}
MIRROR="${DEBIAN_MIRROR:-$(mirror_from_sources | head -n1)}"
[[ -n "$MIRROR" ]] || die "no Debian $SUITE mirror found in /etc/apt/sources.list or /etc/apt/sources.list.d/*.sources; set DEBIAN_MIRROR=<url>."
say "Debian mirror: $MIRROR"

mkdir -p "$CACHE"
# Packages are cached as a debootstrap tarball, keyed by suite + package list.
KEY="$(echo "$SUITE $PACKAGES" | sha256sum | cut -c1-12)"
DEBS="$CACHE/debootstrap-$SUITE-$KEY.tgz"
if [[ ! -s "$DEBS" ]]; then
    say "downloading Debian packages (cached in $DEBS)"
    rm -rf "$CACHE/dl" && mkdir -p "$CACHE/dl"
    debootstrap --variant=minbase --include="$PACKAGES" --make-tarball="$DEBS.part" \
        "$SUITE" "$CACHE/dl" "$MIRROR" >"$CACHE/debootstrap-download.log" 2>&1 ||
        die "debootstrap download failed; see $CACHE/debootstrap-download.log"
    mv "$DEBS.part" "$DEBS"
    rm -rf "$CACHE/dl"
fi

# Any Python with pip on the host will do: HOST_PIP, then the project's venv, then python3.
if [[ -z "$HOST_PIP" ]]; then
    for candidate in "${VENV:-.venv}/bin/python" python3; do
        if [[ -x "$(command -v "$candidate")" ]] && "$candidate" -m pip --version >/dev/null 2>&1; then
            HOST_PIP="$candidate -m pip"; break
        fi
    done
    [[ -n "$HOST_PIP" ]] || die "pip is needed on the host; run 'make' (creates .venv), install python3-pip, or set HOST_PIP."
fi

# AWS's runtime interface client and its two dependencies, plus pip (for dependency installs).
WHEELS="$CACHE/wheels-$RIC_VERSION"
if [[ ! -f "$WHEELS/.done" ]]; then
    say "downloading awslambdaric $RIC_VERSION wheels"
    rm -rf "$WHEELS" && mkdir -p "$WHEELS"
    $HOST_PIP download --quiet --only-binary=:all: --implementation cp \
        --platform manylinux2014_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux_2_28_x86_64 \
        --python-version "$PY_VERSION" -d "$WHEELS" "awslambdaric==$RIC_VERSION" "pip==$PIP_VERSION"
    touch "$WHEELS/.done"
fi

WORK="$(mktemp -d /tmp/lambda-image.XXXXXX)"
trap 'umount -l "$WORK/root/proc" 2>/dev/null || true; umount -l "$WORK/root/sys" 2>/dev/null || true; rm -rf "$WORK"' EXIT
ROOT="$WORK/root"
say "installing the root file system"
debootstrap --variant=minbase --include="$PACKAGES" --unpack-tarball="$DEBS" \
    "$SUITE" "$ROOT" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 ||
    { cp "$WORK/debootstrap.log" "$CACHE/debootstrap-last.log"; die "debootstrap failed; see $CACHE/debootstrap-last.log"; }

# Wheels are unpacked with the host's pip into the image's layout (pure files, no code runs).
say "installing awslambdaric into /var/runtime"
$HOST_PIP install --quiet --no-index --no-deps --no-compile --target "$ROOT/var/runtime" \
    "$WHEELS"/awslambdaric-*.whl "$WHEELS"/simplejson-*.whl "$WHEELS"/snapshot_restore_py-*.whl
$HOST_PIP install --quiet --no-index --no-deps --no-compile \
    --target "$ROOT/usr/local/lib/python$PY_VERSION/dist-packages" "$WHEELS"/pip-*.whl
rm -rf "$ROOT/var/runtime/bin" "$ROOT/usr/local/lib/python$PY_VERSION/dist-packages/bin"

install -m 0755 "$HERE/bootstrap" "$ROOT/var/runtime/bootstrap"
install -m 0755 "$HERE/lambda-entrypoint.sh" "$ROOT/lambda-entrypoint.sh"
mkdir -p "$ROOT/var/task" "$ROOT/opt" "$ROOT/tmp"
chmod 1777 "$ROOT/tmp"
# Lambda's sandbox user (uid 993, gid 990).
echo "sbx_user1051:x:990:" >>"$ROOT/etc/group"
echo "sbx_user1051:x:993:990::/tmp:/usr/sbin/nologin" >>"$ROOT/etc/passwd"
# Byte-code, as the official images ship it (their Python and runtime client come
# compiled): the code runs with a read-only root, so nothing compiled at a cold start is
# kept, and every Init would pay to compile awslambdaric and half the standard library
# again (~30-40 ms here). Compiled with the image's own interpreter.
say "compiling byte-code"
chroot "$ROOT" "/usr/bin/python$PY_VERSION" -m compileall -q \
    "/usr/lib/python$PY_VERSION" /var/runtime "/usr/local/lib/python$PY_VERSION/dist-packages" \
    >"$WORK/compileall.log" 2>&1 || { cat "$WORK/compileall.log" >&2; die "compiling byte-code failed"; }
# Smaller image: no docs, manuals, locales or package caches.
rm -rf "$ROOT"/usr/share/{doc,man,info,locale} "$ROOT"/var/cache/apt/* "$ROOT"/var/lib/apt/lists/*

say "importing as $TAG"
tar -C "$ROOT" --numeric-owner -c . | docker import \
    --change 'ENTRYPOINT ["/lambda-entrypoint.sh"]' \
    --change 'WORKDIR /var/task' \
    --change 'ENV LAMBDA_TASK_ROOT=/var/task' \
    --change 'ENV LAMBDA_RUNTIME_DIR=/var/runtime' \
    --change 'ENV LANG=en_US.UTF-8' \
    --change 'ENV TZ=:/etc/localtime' \
    --change 'ENV PATH=/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin' \
    - "$TAG" >/dev/null
say "built $TAG"
