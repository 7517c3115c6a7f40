#!/usr/bin/env bash
# Installs Debian's AWS CLI v2 (apt package awscli, /usr/bin/aws) when it is missing and we are root
# with apt-get: the third real client of the local cloud's contract tests
# (local-cloud/tests/integration/aws-cli.test.ts), next to the AWS CLI v1 and SDK v3. Debian's v2 signs
# IoT control-plane calls as `execute-api` and speaks SQS's query protocol (XML), so it checks what the
# other two cannot. It never fails the caller: when v2 cannot be installed it says why, and the v2
# tests report that they were skipped. The v1 CLI on PATH is untouched (the tests call each by path).
set -uo pipefail

if /usr/bin/aws --version 2>&1 | grep -q '^aws-cli/2'; then exit 0; fi
if [ -e /usr/bin/aws ]; then
  echo "/usr/bin/aws is not AWS CLI v2 ($(/usr/bin/aws --version 2>&1 | head -1)): the local cloud's v2 contract tests will be skipped" >&2
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "AWS CLI v2 not installed (apt-get install awscli needs root and apt-get): the local cloud's v2 contract tests will be skipped" >&2
  exit 0
fi

echo "installing Debian's AWS CLI v2 (apt-get install awscli) for the local cloud's contract tests..." >&2
export DEBIAN_FRONTEND=noninteractive
apt_get() { apt-get -qq -o DPkg::Lock::Timeout=300 "$@" >/dev/null; }
started=$SECONDS
if ! apt_get install -y awscli && ! { apt_get update && apt_get install -y awscli; }; then
  echo "could not install awscli with apt-get: the local cloud's v2 contract tests will be skipped" >&2
  exit 0
fi
installed=$(/usr/bin/aws --version 2>&1 | head -1)
case $installed in
  aws-cli/2.*) echo "installed $installed in $((SECONDS - started)) s" >&2 ;;
  # Some distributions (Ubuntu 22.04) package the v1 CLI as awscli.
  *) echo "apt's awscli is $installed, not v2: the local cloud's v2 contract tests will be skipped" >&2 ;;
esac
