#!/usr/bin/env bash
# Installs what the deployment tests need (GUICHET_REQUIRE_DEPLOY=1):
# Podman with runc and the dnsname CNI plugin (crun refuses hybrid cgroup hosts; deploy/containers.conf
# selects runc), podman-compose, HAProxy (the stack's load balancer),
# Prometheus (the stack's scraper and promtool for the alert rules), Redis,
# and the npm packages of the stack's federation router. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
# The dnsname CNI plugin gives compose networks their service-name DNS.
[ -e /usr/lib/cni/dnsname ] || need+=(golang-github-containernetworking-plugin-dnsname)
for pair in podman:podman runc:runc podman-compose:podman-compose haproxy:haproxy promtool:prometheus redis-server:redis-server; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || need+=("${pair#*:}")
done
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  echo "installing Debian packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
if [ -f deploy/router/package-lock.json ]; then
  (cd deploy/router && npm ci --no-audit --no-fund --loglevel=error)
fi
