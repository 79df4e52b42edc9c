#!/usr/bin/env bash
# Builds the guichet image with Podman (or ENGINE=docker) without pulling
# anything: Go compiles the static binary on this machine, and the
# Dockerfile's `prebuilt` target packs it FROM scratch with the host's CA
# bundle. `docker build .` does the same inside a Go image instead.
# With SANDBOX_IMAGE set (e.g. localhost/guichet-sandbox:dev) it also
# builds the simulators' image the reference stack uses.
# Environment: IMAGE (default localhost/guichet:dev), SANDBOX_IMAGE, ENGINE, GOARCH.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
engine=${ENGINE:-podman}
image=${IMAGE:-localhost/guichet:dev}
export CONTAINERS_CONF=${CONTAINERS_CONF:-$root/deploy/containers.conf}
version=$(git describe --tags --always --dirty 2>/dev/null || echo dev)
revision=$(git rev-parse HEAD 2>/dev/null || echo unknown)

rm -rf .image && mkdir -p .image/data .image/etc/ssl/certs
CGO_ENABLED=0 GOOS=linux GOARCH=${GOARCH:-$(go env GOARCH)} go build -trimpath \
  -ldflags "-s -w -X github.com/guichet/guichet/app.version=$version -X github.com/guichet/guichet/app.revision=$revision" -o .image/guichet .
cp /etc/ssl/certs/ca-certificates.crt .image/etc/ssl/certs/
if [ -n "${SANDBOX_IMAGE:-}" ]; then
  CGO_ENABLED=0 GOOS=linux GOARCH=${GOARCH:-$(go env GOARCH)} go build -trimpath -ldflags "-s -w" -o .image/sandbox ./cmd/sandbox
  "$engine" build --no-cache --target sandbox-prebuilt -t "$SANDBOX_IMAGE" -f Dockerfile .
fi
# --no-cache: Buildah's layer cache ignores changed build args, which would
# keep a previous build's version labels. The build copies files only.
"$engine" build --no-cache --target prebuilt -t "$image" \
  --build-arg VERSION="$version" --build-arg REVISION="$revision" -f Dockerfile .
echo "$image: $("$engine" image inspect --format '{{.Size}}' "$image") bytes"
