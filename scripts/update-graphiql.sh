#!/usr/bin/env bash
# Refreshes the GraphiQL bundles embedded in playground/assets from the pinned
# npm packages, and records what was taken: VERSIONS (package, version, npm
# tarball integrity) and SHA256SUMS (the copied files; playground tests check
# the embedded bytes against it). Running it twice changes nothing.
# GraphiQL 4 is the last major version with a UMD build (5.x is ESM only
# with React 19); the files are the ones gqlgen's playground loads from a CDN.
set -euo pipefail
cd "$(dirname "$0")/.."
GRAPHIQL=4.1.2
REACT=18.2.0
command -v npm >/dev/null || { echo "npm is required" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# npm pack checks each tarball against the registry's integrity value.
(cd "$tmp" && npm pack --json --loglevel=error "graphiql@$GRAPHIQL" "react@$REACT" "react-dom@$REACT" > pack.json)
for p in graphiql-$GRAPHIQL react-$REACT react-dom-$REACT; do
  mkdir -p "$tmp/$p" && tar xzf "$tmp/$p.tgz" -C "$tmp/$p" --strip-components=1
done
dst=playground/assets
# source in the package -> name embedded (the CDN's names)
cp "$tmp/graphiql-$GRAPHIQL/dist/index.umd.js" "$dst/graphiql.min.js"
cp "$tmp/graphiql-$GRAPHIQL/dist/style.css" "$dst/graphiql.min.css"
cp "$tmp/react-$REACT/umd/react.production.min.js" "$dst/react.production.min.js"
cp "$tmp/react-dom-$REACT/umd/react-dom.production.min.js" "$dst/react-dom.production.min.js"
(cd "$dst" && sha256sum graphiql.min.js graphiql.min.css react.production.min.js react-dom.production.min.js > SHA256SUMS)
node -e '
  for (const p of JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")))
    console.log(p.name, p.version, p.integrity);
' "$tmp/pack.json" > "$dst/VERSIONS"
echo "refreshed $dst:"; cat "$dst/VERSIONS"
