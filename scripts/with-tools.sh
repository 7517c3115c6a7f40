#!/usr/bin/env bash
# Runs a command with the project's tools first on PATH: the Python tools in node_modules/.cache/python-tools (SAM CLI, cfn-lint, AWS CLI;
# see scripts/ensure-deps.sh) and node_modules/.bin (`sam build` finds esbuild there).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
export PATH="$root/node_modules/.cache/python-tools/bin:$root/node_modules/.bin:$PATH"
export SAM_CLI_TELEMETRY=0
exec "$@"
