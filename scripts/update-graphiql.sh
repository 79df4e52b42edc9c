#!/usr/bin/env bash
# Refreshes the GraphiQL assets embedded in playground/assets from the pinned
# npm packages, and records their checksums. GraphiQL 4 is the last major
# version with a UMD build (5.x is ESM only with React 19).
set -euo pipefail
cd "$(dirname "$0")/.."
GRAPHIQL=4.1.2
REACT=18.2.0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "graphiql@$GRAPHIQL" "react@$REACT" "react-dom@$REACT" >/dev/null)
for p in graphiql-$GRAPHIQL react-$REACT react-dom-$REACT; do
  mkdir -p "$tmp/$p" && tar xzf "$tmp/$p.tgz" -C "$tmp/$p" --strip-components=1
done
dst=playground/assets
cp "$tmp/graphiql-$GRAPHIQL/dist/index.umd.js" "$dst/graphiql.min.js"
cp "$tmp/graphiql-$GRAPHIQL/dist/style.css" "$dst/graphiql.min.css"
cp "$tmp/react-$REACT/umd/react.production.min.js" "$dst/react.production.min.js"
cp "$tmp/react-dom-$REACT/umd/react-dom.production.min.js" "$dst/react-dom.production.min.js"
(cd "$dst" && sha256sum graphiql.min.js graphiql.min.css react.production.min.js react-dom.production.min.js > SHA256SUMS)
printf 'graphiql %s\nreact %s\nreact-dom %s\n' "$GRAPHIQL" "$REACT" "$REACT" > "$dst/VERSIONS"
echo "refreshed $dst:"; cat "$dst/VERSIONS"
