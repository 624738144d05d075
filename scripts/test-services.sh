#!/usr/bin/env bash
# Brings up what the Docker tests need: a Docker engine and the local Lambda-compatible image.
# On a fresh Debian machine as root it installs docker.io, starts dockerd and builds the image.
# With CI=true any failure exits non-zero; otherwise it says what it skipped and exits 0.
set -uo pipefail

HERE="$(cd "$(dirname "$0")/.." && pwd)"
TAG="${LAMBDA_WORKBENCH_TEST_IMAGE:-lambda-workbench-test/python:3.11}"
SOCKET=/var/run/docker.sock
DOCKERD_LOG="${DOCKERD_LOG:-/var/log/lambda-workbench-dockerd.log}"

say() { echo "test-services: $*" >&2; }
skip() {
    if [[ "${CI:-}" == "true" ]]; then say "FAILED: $*"; exit 1; fi
    say "skipping Docker set-up: $*"
    say "the Docker tests will skip with a reason."
    exit 0
}

# Node.js parts fail CI but never stop the rest of the set-up elsewhere.
node_failed() {
    if [[ "${CI:-}" == "true" ]]; then say "FAILED: $*"; exit 1; fi
    say "$*; the Node.js tests that need it will skip."
}

engine_answers() {
    if [[ -n "${DOCKER_HOST:-}" ]]; then docker info >/dev/null 2>&1; return; fi
    [[ -S "$SOCKET" ]] && docker info >/dev/null 2>&1
}

# The Node.js conformance peer (AWS's aws-lambda-ric, built once on this host) and esbuild.
"$HERE/scripts/node-peer.sh" >/dev/null || node_failed "building aws-lambda-ric failed (see above)"

[[ "$(uname -s)" == "Linux" ]] || skip "not Linux (on macOS/Windows start Docker Desktop yourself; the test image is built on Linux only)."

if ! engine_answers; then
    if [[ -n "${DOCKER_HOST:-}" ]]; then
        skip "DOCKER_HOST=$DOCKER_HOST does not answer; start that engine."
    fi
    [[ "$(id -u)" == 0 ]] || skip "no Docker engine answers at $SOCKET and this is not root (start Docker yourself, or run 'sudo scripts/test-services.sh')."
    if ! command -v dockerd >/dev/null; then
        say "installing docker.io (apt-get)"
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io; } >&2 ||
            skip "could not install docker.io with apt-get."
    fi
    say "starting dockerd in the background (log: $DOCKERD_LOG)"
    nohup dockerd >"$DOCKERD_LOG" 2>&1 &
    for _ in $(seq 1 60); do
        engine_answers && break
        sleep 1
    done
    engine_answers || skip "dockerd did not answer within 60 s; see $DOCKERD_LOG."
fi
say "Docker engine answers ($(docker version --format '{{.Server.Version}}' 2>/dev/null))"
# The Node.js and custom-runtime test images (tests/images/build-node-image.sh; reused by tag).
[[ "$(id -u)" == 0 ]] && { "$HERE/tests/images/build-node-image.sh" || node_failed "building the Node.js test images failed (see above)"; }

if docker image inspect "$TAG" >/dev/null 2>&1; then
    say "test image $TAG present"
    exit 0
fi
[[ "$(id -u)" == 0 ]] || skip "the test image $TAG is absent and building it needs root (run 'sudo tests/images/build-image.sh')."
if ! command -v debootstrap >/dev/null; then
    say "installing debootstrap (apt-get)"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap; } >&2 ||
        skip "could not install debootstrap with apt-get."
fi
say "building the test image $TAG (about a minute, once)"
LAMBDA_WORKBENCH_TEST_IMAGE="$TAG" "$HERE/tests/images/build-image.sh" || skip "building the test image failed (see above)."
