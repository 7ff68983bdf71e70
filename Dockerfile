# syntax=docker/dockerfile:1
# Images of snellerd and sdb: `docker build --target snellerd .` and `--target sdb` (make image).
# Static binaries (CGO_ENABLED=0) on distroless static (CA certificates, no shell), run as the
# numeric non-root user 65532 so that Kubernetes' runAsNonRoot can verify it.

ARG GO_VERSION=1.26

FROM golang:${GO_VERSION} AS build
WORKDIR /src
ENV CGO_ENABLED=0 GOFLAGS=-buildvcs=false
# Dependencies first, so that source edits keep the module download layer.
COPY go.mod go.sum* ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
# VERSION is what `snellerd version` and `GET /` report (.git is not in the build context).
ARG VERSION=dev
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    go build -trimpath -ldflags="-s -w -X github.com/sneller-re/sneller/internal/version.tag=${VERSION}" -o /out/snellerd ./cmd/snellerd && \
    go build -trimpath -ldflags="-s -w -X github.com/sneller-re/sneller/internal/version.tag=${VERSION}" -o /out/sdb ./cmd/sdb && \
    mkdir -p /out/cache

FROM gcr.io/distroless/static-debian12:nonroot AS runtime
COPY --from=build /out/sdb /usr/local/bin/sdb
COPY --from=build /out/snellerd /usr/local/bin/snellerd
# CACHEDIR for plain `docker run`; in Kubernetes an emptyDir is mounted over it.
COPY --from=build --chown=65532:65532 /out/cache /var/cache/sneller
USER 65532:65532
WORKDIR /home/nonroot

FROM runtime AS sdb
ENTRYPOINT ["/usr/local/bin/sdb"]

# snellerd is last so that a plain `docker build .` builds the daemon.
FROM runtime AS snellerd
ENV CACHEDIR=/var/cache/sneller
EXPOSE 8000 8001
ENTRYPOINT ["/usr/local/bin/snellerd"]
