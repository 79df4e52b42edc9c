#!/usr/bin/env bash
# Runs every fuzz target briefly (FUZZTIME, default 10s each): enough to
# catch a regression on the committed corpora and explore a little further.
set -euo pipefail
cd "$(dirname "$0")/.."
t="${FUZZTIME:-5s}"
for pkg in $(go list ./...); do
  dir=$(go list -f '{{.Dir}}' "$pkg")
  for target in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //' | sort -u); do
    echo "-- $pkg $target ($t)"
    go test "$pkg" -run='^$' -fuzz="^${target}\$" -fuzztime="$t"
  done
done
