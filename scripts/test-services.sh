#!/usr/bin/env bash
# Brings up what the Docker tests need (engine + local Lambda-compatible image).
# Filled in by the Docker environment work; until then it only reports.
set -euo pipefail
echo "test-services: no Docker setup yet"
