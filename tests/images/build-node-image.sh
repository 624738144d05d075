#!/usr/bin/env bash
# Builds two Lambda-compatible test images without any registry access, the way
# build-image.sh builds the Python one: debootstrap (Debian bookworm, mirror from this
# machine's apt sources) and an entrypoint that behaves like the official one.
#   lambda-workbench-test/nodejs:20       this host's node 20 + npm in /var/lang, AWS's
#                                         aws-lambda-ric (scripts/node-peer.sh) in /var/runtime
#   lambda-workbench-test/provided:al2023 an OS-only image with curl and a shell, like
#                                         provided.al2023 (no /var/runtime/bootstrap)
# Usage: tests/images/build-node-image.sh [--force]
#   env LAMBDA_WORKBENCH_TEST_NODE_IMAGE, LAMBDA_WORKBENCH_TEST_PROVIDED_IMAGE = tags
set -euo pipefail

NODE_TAG="${LAMBDA_WORKBENCH_TEST_NODE_IMAGE:-lambda-workbench-test/nodejs:20}"
PROVIDED_TAG="${LAMBDA_WORKBENCH_TEST_PROVIDED_IMAGE:-lambda-workbench-test/provided:al2023}"
NODE_MAJOR=20
SUITE=bookworm
PACKAGES="libstdc++6,ca-certificates,curl"
HERE="$(cd "$(dirname "$0")" && pwd)"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/lambda-workbench-test-image"

say() { echo "build-node-image: $*" >&2; }
die() { say "$*"; exit 1; }
have() { docker image inspect "$1" >/dev/null 2>&1; }

if [[ "${1:-}" != "--force" ]] && have "$NODE_TAG" && have "$PROVIDED_TAG"; then
    say "images $NODE_TAG and $PROVIDED_TAG already present; reusing them (pass --force to rebuild)"
    exit 0
fi
[[ "$(id -u)" == 0 ]] || die "debootstrap needs root; run this script as root."
if ! command -v debootstrap >/dev/null; then
    say "installing debootstrap (apt-get)"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap; } >&2 ||
        die "could not install debootstrap with apt-get."
fi
NODE="$(command -v node || true)"
[[ -n "$NODE" ]] || die "node is not on PATH; the Node.js image uses this host's node $NODE_MAJOR."
[[ "$("$NODE" --version)" == "v$NODE_MAJOR."* ]] || die "the host's node is $("$NODE" --version), not $NODE_MAJOR.x; install Node.js $NODE_MAJOR or set PATH."
NPM_DIR="$(cd "$(dirname "$(readlink -f "$(command -v npm)")")/.." && pwd)"
[[ -f "$NPM_DIR/bin/npm-cli.js" ]] || die "npm's package folder was not found next to $(command -v npm)."
RIC="$("$HERE/../../scripts/node-peer.sh")" || die "building aws-lambda-ric failed (see above)."

# The Debian mirror this machine already uses (never a hard-coded host); as build-image.sh.
mirror_from_sources() {
    local f
    for f in /etc/apt/sources.list.d/*.sources; do
        [[ -f "$f" ]] || continue
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
[[ -n "$MIRROR" ]] || die "no Debian $SUITE mirror found in the apt sources; set DEBIAN_MIRROR=<url>."

mkdir -p "$CACHE"
KEY="$(echo "$SUITE $PACKAGES" | sha256sum | cut -c1-12)"
DEBS="$CACHE/debootstrap-$SUITE-$KEY.tgz"
if [[ ! -s "$DEBS" ]]; then
    say "downloading Debian packages from $MIRROR (cached in $DEBS)"
    rm -rf "$CACHE/dl-$KEY" && mkdir -p "$CACHE/dl-$KEY"
    debootstrap --variant=minbase --include="$PACKAGES" --make-tarball="$DEBS.part" \
        "$SUITE" "$CACHE/dl-$KEY" "$MIRROR" >"$CACHE/debootstrap-download-$KEY.log" 2>&1 ||
        die "debootstrap download failed; see $CACHE/debootstrap-download-$KEY.log"
    mv "$DEBS.part" "$DEBS"
    rm -rf "$CACHE/dl-$KEY"
fi

WORK="$(mktemp -d /tmp/lambda-node-image.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
ROOT="$WORK/root"
say "installing the root file system"
debootstrap --variant=minbase --include="$PACKAGES" --unpack-tarball="$DEBS" \
    "$SUITE" "$ROOT" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 ||
    { cp "$WORK/debootstrap.log" "$CACHE/debootstrap-node-last.log"; die "debootstrap failed; see $CACHE/debootstrap-node-last.log"; }
install -m 0755 "$HERE/lambda-entrypoint.sh" "$ROOT/lambda-entrypoint.sh"
mkdir -p "$ROOT/var/task" "$ROOT/var/runtime" "$ROOT/opt" "$ROOT/tmp"
chmod 1777 "$ROOT/tmp"
echo "sbx_user1051:x:990:" >>"$ROOT/etc/group"
echo "sbx_user1051:x:993:990::/tmp:/usr/sbin/nologin" >>"$ROOT/etc/passwd"
rm -rf "$ROOT"/usr/share/{doc,man,info,locale} "$ROOT"/var/cache/apt/* "$ROOT"/var/lib/apt/lists/*

import_image() {  # root tag
    tar -C "$1" --numeric-owner -c . | docker import \
        --change 'ENTRYPOINT ["/lambda-entrypoint.sh"]' \
        --change 'WORKDIR /var/task' \
        --change 'ENV LAMBDA_TASK_ROOT=/var/task' \
        --change 'ENV LAMBDA_RUNTIME_DIR=/var/runtime' \
        --change 'ENV LANG=en_US.UTF-8' \
        --change 'ENV TZ=:/etc/localtime' \
        --change 'ENV PATH=/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin' \
        - "$2" >/dev/null
    say "built $2"
}

say "importing $PROVIDED_TAG"
import_image "$ROOT" "$PROVIDED_TAG"

# The Node.js image: the official layout (/var/lang for node and npm, /var/runtime for the
# runtime client and its bootstrap, NODE_PATH as in the official images).
mkdir -p "$ROOT/var/lang/bin" "$ROOT/var/lang/lib/node_modules" "$ROOT/var/runtime/node_modules/aws-lambda-ric"
install -m 0755 "$NODE" "$ROOT/var/lang/bin/node"
cp -a "$NPM_DIR" "$ROOT/var/lang/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$ROOT/var/lang/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$ROOT/var/lang/bin/npx"
cp -a "$RIC"/{package.json,bin,dist,LICENSE,NOTICE} "$ROOT/var/runtime/node_modules/aws-lambda-ric/"
cat >"$ROOT/var/runtime/bootstrap" <<BOOT
#!/bin/sh
# Starts AWS's runtime interface client, as the official Node.js images do.
export NODE_PATH="/opt/nodejs/node$NODE_MAJOR/node_modules:/opt/nodejs/node_modules:/var/runtime/node_modules:/var/runtime:/var/task"
exec /var/lang/bin/node --expose-gc --max-http-header-size 81920 \\
    /var/runtime/node_modules/aws-lambda-ric/bin/index.mjs "\$_HANDLER"
BOOT
chmod 0755 "$ROOT/var/runtime/bootstrap"
say "importing $NODE_TAG"
import_image "$ROOT" "$NODE_TAG"
