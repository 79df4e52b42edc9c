#!/bin/sh
# Installs GraphQL Mesh for `go run ./bench` (the pinned versions of
# bench/mesh/package.json and package-lock.json). The npm mirror lacks the
# newest @graphql-tools/batch-execute, hence the override in package.json.
set -eu
cd "$(dirname "$0")/mesh"
if [ -f package-lock.json ]; then
	npm ci --no-audit --no-fund
else
	npm install --no-audit --no-fund
fi
./node_modules/.bin/mesh build
echo "GraphQL Mesh installed in $(pwd); go run ./bench will measure it."
