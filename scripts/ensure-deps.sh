#!/usr/bin/env bash
# Installs what `npm test` and `npm start` need on a fresh clone, so that no separate install step is
# needed: the locked npm packages (`npm ci`) when node_modules is missing or older than the lock, and
# the pinned Python tools of requirements-dev.txt (SAM CLI, cfn-lint, AWS CLI v1) into a virtualenv when they are
# not on PATH already. The virtualenv lives in node_modules/.cache/python-tools: ignored by git, and
# outside what `sam build` copies (it copies the project without node_modules; a 340 MB .venv/ at the
# root doubled every build). Needs Node 20+, Python 3 with venv and pip; Java 17 is for DynamoDB Local.
# Debian's AWS CLI v2 (/usr/bin/aws, apt) is installed too where we are root with apt-get: the local cloud's
# contract tests run their checks with it beside the AWS CLI v1 and SDK v3 (it never fails this script).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "installing npm dependencies (npm ci)..." >&2
  npm ci --no-audit --no-fund --loglevel=error
fi

bash local-cloud/scripts/ensure-aws-cli-v2.sh

# The v1 CLI by its version: Debian's v2, just installed above, is /usr/bin/aws on PATH too.
if command -v sam >/dev/null && command -v cfn-lint >/dev/null && aws --version 2>&1 | grep -q '^aws-cli/1\.'; then
  exit 0
fi
venv=node_modules/.cache/python-tools
stamp=$venv/requirements-dev.txt
if [ ! -x $venv/bin/sam ] || ! cmp -s requirements-dev.txt "$stamp"; then
  echo "installing Python tools into $venv (requirements-dev.txt: SAM CLI, cfn-lint, AWS CLI)..." >&2
  python3 -m venv $venv
  $venv/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
  cp requirements-dev.txt "$stamp"
fi
