#!/usr/bin/env bash
# Installs the locked dependencies when node_modules is missing or older than package-lock.json,
# so that `npm test` and `npm start` work on a fresh clone without a separate install step.
# `npm install` rather than `npm ci`: npm 11 refuses this lock in `ci` because it leaves out the
# optional platform bindings of unrs-resolver (a jest dependency); `install` honours the lock as is.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "installing dependencies (npm install from package-lock.json)..." >&2
  npm install --no-audit --no-fund --loglevel=error
fi
