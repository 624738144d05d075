#!/usr/bin/env bash
# Builds AWS's Node.js runtime interface client (aws-lambda-ric, npm) on this host: the
# conformance peer of the workbench's own JavaScript runtime client, and the runtime client
# inside the locally built Node test image. It compiles native code, so as root on Debian it
# installs the build tools first. Also installs esbuild beside it (the TypeScript tests).
# Prints aws-lambda-ric's package folder on stdout.
# Usage: scripts/node-peer.sh   (env LAMBDA_WORKBENCH_NODE_PEER = install prefix)
set -euo pipefail

# 3.3.0 is the last release that runs on Node 20 (4.x needs Node 22 or newer).
VERSION="${AWS_LAMBDA_RIC_VERSION:-3.3.0}"
ESBUILD_VERSION=0.28.2
PREFIX="${LAMBDA_WORKBENCH_NODE_PEER:-${XDG_CACHE_HOME:-$HOME/.cache}/lambda-workbench-node-peer/$VERSION}"
PACKAGE="$PREFIX/node_modules/aws-lambda-ric"
BUILD_TOOLS=(cmake g++ make autoconf automake libtool libcurl4-openssl-dev python3)

say() { echo "node-peer: $*" >&2; }
die() { say "$*"; exit 1; }

command -v node >/dev/null || die "node is not on PATH; install Node.js 20 or newer."
command -v npm >/dev/null || die "npm is not on PATH; install npm."

# esbuild too, for the TypeScript tests (Metadata: BuildMethod: esbuild); a prebuilt binary.
ESBUILD_PREFIX="${PREFIX%/*}/esbuild-$ESBUILD_VERSION"
if [[ ! -f "$ESBUILD_PREFIX/.complete" ]]; then
    say "installing esbuild $ESBUILD_VERSION in $ESBUILD_PREFIX"
    rm -rf "$ESBUILD_PREFIX" && mkdir -p "$ESBUILD_PREFIX"
    (cd "$ESBUILD_PREFIX" && npm install --no-audit --no-fund --no-save "esbuild@$ESBUILD_VERSION") \
        >"$ESBUILD_PREFIX/npm-install.log" 2>&1 || die "npm could not install esbuild; see $ESBUILD_PREFIX/npm-install.log."
    touch "$ESBUILD_PREFIX/.complete"
fi

if [[ -f "$PREFIX/.complete" && -d "$PACKAGE" ]]; then
    echo "$PACKAGE"
    exit 0
fi

missing=()
for tool in "${BUILD_TOOLS[@]}"; do
    dpkg -s "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if ((${#missing[@]})); then
    command -v apt-get >/dev/null || die "aws-lambda-ric needs these build tools: ${missing[*]}; install them."
    [[ "$(id -u)" == 0 ]] || die "aws-lambda-ric needs these build tools: ${missing[*]}; run 'sudo apt-get install -y ${missing[*]}'."
    say "installing build tools: ${missing[*]} (apt-get)"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } >&2 ||
        die "could not install ${missing[*]} with apt-get."
fi

say "building aws-lambda-ric $VERSION in $PREFIX (compiles native code: a few minutes, once)"
rm -rf "$PREFIX" && mkdir -p "$PREFIX"
LOG="$PREFIX/npm-install.log"
(cd "$PREFIX" && npm install --no-audit --no-fund --no-save "aws-lambda-ric@$VERSION") >"$LOG" 2>&1 ||
    { tail -n 30 "$LOG" >&2; die "npm could not build aws-lambda-ric $VERSION; see $LOG."; }
touch "$PREFIX/.complete"
echo "$PACKAGE"
