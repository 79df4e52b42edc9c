#!/bin/sh
# Installs redis-server (Debian package) for the catalogue scale-out tests.
# Idempotent: does nothing when redis-server is already on PATH.
set -eu
if command -v redis-server >/dev/null 2>&1; then
	redis-server --version
	exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends redis-server
# The package may start a system service; the tests start their own servers
# on free loopback ports, so a running service is harmless but not needed.
redis-server --version
