# Guichet's container image: FROM scratch, the static binary, CA
# certificates and nothing else (the Paris zone is inside the binary,
# through time/tzdata). Runs as a non-root uid, with a read-only root
# filesystem: only /data (catalogue snapshot) is written.
#
#   docker build -t guichet .                  # Go compiles in GO_IMAGE
#   scripts/image.sh                           # or: compile on the host, no Go image pulled
#
# The same file builds with `podman build`. The final stage is the default
# target; `--target prebuilt` packs a binary compiled beforehand into
# .image/ (scripts/image.sh does that), for machines without a registry;
# `--target sandbox-prebuilt` the same for the back-office simulators.

ARG GO_IMAGE=docker.io/library/golang:1.26.8-bookworm

FROM ${GO_IMAGE} AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
ARG REVISION=unknown
RUN mkdir -p /out/data /out/etc/ssl/certs \
 && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X github.com/guichet/guichet/app.version=${VERSION} -X github.com/guichet/guichet/app.revision=${REVISION}" -o /out/guichet . \
 && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o /out/sandbox ./cmd/sandbox \
 && cp /etc/ssl/certs/ca-certificates.crt /out/etc/ssl/certs/

# What every variant shares: user, ports, environment, labels.
FROM scratch AS base
ARG VERSION=dev
ARG REVISION=unknown
ARG SOURCE=https://github.com/guichet/guichet
LABEL org.opencontainers.image.title="Guichet" \
      org.opencontainers.image.description="One GraphQL API over a venue's L@billetterie ticketing and AboWeb CRM" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}"
# API (GraphQL, GraphiQL, probes) and admin (metrics, probes, pprof).
ENV GUICHET_ADDR=:8080 \
    GUICHET_ADMIN_ADDR=:9090 \
    GUICHET_DRAIN=5s \
    GUICHET_DATA_DIR=/data
EXPOSE 8080 9090
USER 65532:65532
WORKDIR /data
VOLUME /data
# `guichet` serves; `guichet sync [--full]` and `guichet version` run the
# other commands from the same image.
ENTRYPOINT ["/guichet"]

# The back-office simulators on their own (the reference stack's default
# backends): docker build --target sandbox.
FROM scratch AS sandbox
COPY --from=build /out/sandbox /sandbox
USER 65532:65532
EXPOSE 9101 9102
ENTRYPOINT ["/sandbox"]

FROM scratch AS sandbox-prebuilt
COPY .image/sandbox /sandbox
USER 65532:65532
EXPOSE 9101 9102
ENTRYPOINT ["/sandbox"]

FROM base AS prebuilt
COPY --chown=65532:65532 .image/data /data
COPY .image/etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY .image/guichet /guichet

FROM base
COPY --from=build --chown=65532:65532 /out/data /data
COPY --from=build /out/etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /out/guichet /guichet
