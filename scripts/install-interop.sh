#!/usr/bin/env bash
# Installs the third-party SOAP stacks the AboWeb sandbox interoperability
# test drives: PHP's SoapClient (the stack of the vendor's own samples) and
# Debian's python3-zeep (used with /usr/bin/python3, not a pyenv python).
# Idempotent: installs only what is missing.
set -euo pipefail

need=()
if ! command -v php >/dev/null 2>&1; then
  need+=(php-cli php-soap)
elif ! php -m 2>/dev/null | grep -qix soap; then
  need+=(php-soap)
fi
if ! /usr/bin/python3 -c 'import zeep' >/dev/null 2>&1; then
  need+=(python3-zeep)
fi
if [ ${#need[@]} -eq 0 ]; then
  echo "interop tools present: php soap, python3-zeep"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "installing Debian packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
php -m | grep -qix soap
/usr/bin/python3 -c 'import zeep'
echo "interop tools installed"
