#!/usr/bin/env bash
# Installs what the full test suite needs beyond Go: PHP SoapClient and zeep
# (SOAP interoperability), Chromium and playwright-core (GraphiQL in a real
# browser), Node packages of the federation gateway test. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v php >/dev/null 2>&1 && php -m 2>/dev/null | grep -qi '^soap$' || need_apt+=(php-cli php-soap)
/usr/bin/python3 -c 'import zeep' >/dev/null 2>&1 || need_apt+=(python3-zeep)
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "installing Debian packages: ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

sh scripts/install-redis.sh >/dev/null

for dir in e2e/browser e2e/federation e2e/hive e2e/audit; do
  if [ -f "$dir/package-lock.json" ]; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
done

# Container image, compose stack, chart and alert-rule tests.
scripts/install-deploy.sh
